// A parse worker (dist/parseWorkerMain.js, started through the loader dist/parseWorker.js: parseWorkerBoot.ts):
// reads, hashes and parses batches of files off the main thread. File models are plain data, so they cross
// back by structured clone; a file whose hash is the one the persisted index has is not parsed again.
import { parentPort } from 'node:worker_threads';
import { parseSourceFile } from '../engine';
import { readFileModel } from '../engine/model/build';
import { contentHash } from './persist';
import { decodeText } from './decode';
import { readRegularSync } from './readRegular';
import { parseOptionsForPath } from './charts';
import { looksLikeKubernetes } from '../engine/parse/sniff';
import type { CodeCacheReply, ParseRequest, ParseResponse, ParseResult, SaveCodeCache } from './parsePool';
import { codeCacheHandle } from '../codeCache';

parentPort?.on('message', (m: ParseRequest | SaveCodeCache) => {
  if ('saveCodeCache' in m) {
    // what this worker compiled so far (the parser, the reading), for the next start's workers
    const handle = codeCacheHandle();
    const saved = handle?.save() ?? false;
    parentPort!.postMessage({ codeCache: { status: handle?.status ?? 'off', saved } } satisfies CodeCacheReply);
    return;
  }
  const results = m.jobs.map((j): ParseResult => {
    let text: string;
    try {
      text = decodeText(readRegularSync(j.path, m.maxBytes), m.utf16 === true);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return { error: (e as Error).message, stage: 'read', ...(typeof code === 'string' ? { code } : {}) };
    }
    if (j.sniff && !looksLikeKubernetes(j.path, text)) return { notIndexed: true };
    try {
      const hash = j.knownHash === undefined ? undefined : contentHash(text);
      if (hash !== undefined && hash === j.knownHash) return { text, hash };
      return {
        text,
        ...(hash !== undefined ? { hash } : {}),
        file: readFileModel(parseSourceFile(j.uri, text, parseOptionsForPath(j.path)), m.defaultNamespace),
      };
    } catch (e) {
      return { error: (e as Error).message, stage: 'parse' };
    }
  });
  parentPort!.postMessage({ id: m.id, results } satisfies ParseResponse);
});
