// Initial indexing of the workspace folders (with progress) and reaction to file watcher events (files
// without Kubernetes content are not indexed).
import path from 'node:path';
import { URI } from 'vscode-uri';
import type { Connection } from 'vscode-languageserver';
import { FileChangeType } from 'vscode-languageserver';
import { discoverFiles, isIndexed, type Discovered } from './discovery';
import { admitFile, isWantedFile } from './walk';
import type { ServerState } from '../state';
import type { PersistedIndex } from './persist';
import { autoParseThreads, ParsePool } from './parsePool';
import type { FileModel } from '../engine/model/build';
import { readRegular } from './readRegular';
import { decodeText } from './decode';
import { SCOPE_CONFIG_FILE } from '../engine/scopes';
import { movesHead } from './gitHead';

// files read ahead of the one being parsed
const READ_AHEAD = 32;
// files per message to a parse worker, and the least files for which workers pay off (npm run bench:
// 265 files index 120 ms faster without them, 2,305 files 0.5 s faster with them)
const BATCH_FILES = 32;
const MIN_FILES_FOR_WORKERS = 1000;

export async function indexFolders(
  state: ServerState,
  folders: readonly string[],
  excludes: string[],
  progress?: { report(percentage: number, message: string): void },
  persisted?: PersistedIndex,
  workers: { file: string; minFiles: number } = { file: path.join(__dirname, 'parseWorker.js'), minFiles: MIN_FILES_FOR_WORKERS },
): Promise<{ files: number; reused: number; workers: number; notKubernetes: number }> {
  const maxBytes = state.settings.maxFileSizeKB * 1024;
  // Discovery does not sniff: the sniff (isIndexed) runs on the text read below, here or on a worker, so
  // that each file is opened and read once (the separate sniff of every file's head was 0.4-0.6 s of
  // the main thread on L's warm start).
  const { files } = await discoverFiles(folders, {
    exclude: excludes,
    maxFileBytes: maxBytes,
    log: state.log,
    sniff: false,
  });
  let notKubernetes = 0;
  const notIndexed = () => {
    notKubernetes++;
    report();
  };
  let done = 0;
  let reused = 0;
  const report = () => {
    done++;
    if (progress && (done % 50 === 0 || done === files.length))
      progress.report(Math.round((done / files.length) * 100), `Indexing ${done}/${files.length}`);
  };
  /** One file's contents into the index: its persisted model if the content is unchanged, else parsed (here, or given). */
  const ingest = (uri: string, text: string, parsed?: { hash?: string; file?: FileModel }) => {
    const cached = parsed?.file
      ? undefined
      : parsed?.hash !== undefined
        ? persisted?.withHash(uri, parsed.hash, text)
        : persisted?.lookup(uri, text);
    if (cached) reused++;
    state.index.setDisk(uri, text, parsed?.file ?? cached);
    report();
  };
  const threads = state.settings.parseThreads === 0 ? autoParseThreads() : state.settings.parseThreads;
  const pool = threads > 1 && files.length >= workers.minFiles ? ParsePool.create(workers.file, threads) : undefined;
  let remaining: Discovered[] = files;
  if (pool) {
    // The workers read, hash and parse; this thread only takes in their results.
    const failed: Discovered[] = [];
    const ns = state.index.defaultNamespace;
    const batches: Promise<void>[] = [];
    for (let i = 0; i < files.length; i += BATCH_FILES) {
      const batch = files.slice(i, i + BATCH_FILES);
      const jobs = batch.map((f) => {
        const uri = URI.file(f.path).toString();
        const knownHash = persisted?.hashOf(uri);
        return {
          path: f.path,
          uri,
          ...(knownHash ? { knownHash } : {}),
          // the scope configuration is indexed whatever it holds; every other file only with Kubernetes content
          ...(path.basename(f.path) === SCOPE_CONFIG_FILE ? {} : { sniff: true as const }),
        };
      });
      batches.push(
        pool.parse(jobs, ns, false, maxBytes).then(
          (results) =>
            results.forEach((r, k) => {
              if ('error' in r) {
                state.log(`skipped ${batch[k].path}: ${r.error}`);
                report();
              } else if ('notIndexed' in r) notIndexed();
              else ingest(jobs[k].uri, r.text, r);
            }),
          () => void failed.push(...batch),
        ),
      );
    }
    await Promise.all(batches);
    void pool.dispose(); // (the first worker writes its code cache meanwhile, where there is one)
    remaining = failed;
  }
  // Without workers (or for what they failed): reads run ahead of parsing, so the disk and the CPU work at once.
  const reads: Promise<string | Error>[] = [];
  const read = (i: number) =>
    (reads[i] ??=
      i < remaining.length
        ? readRegular(remaining[i].path, maxBytes).then(
            (b) => decodeText(b, false),
            (e: Error) => e,
          )
        : Promise.resolve(''));
  for (let i = 0; i < READ_AHEAD; i++) read(i);
  for (const [i, f] of remaining.entries()) {
    read(i + READ_AHEAD);
    const raw = await read(i);
    delete reads[i];
    if (raw instanceof Error) {
      state.log(`skipped ${f.path}: ${raw.message}`);
      report();
      continue;
    }
    if (!isIndexed(f.path, raw)) notIndexed();
    else ingest(URI.file(f.path).toString(), raw);
  }
  state.index.flush();
  if (notKubernetes) state.log(`${notKubernetes} file(s) hold no Kubernetes content (no apiVersion and kind lines): not indexed`);
  return { files: files.length - notKubernetes, reused, workers: pool?.size ?? 0, notKubernetes };
}

/**
 * Follows changes on disk by the walk's rules (exclude settings, links that stay inside the folders, regular
 * files, size limit); a change to a file that moves git HEAD calls `headMoved` once per batch.
 */
export function watchFiles(connection: Connection, state: ServerState, headMoved: () => void): void {
  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    const uris = changes.map((c) => URI.parse(c.uri));
    if (uris.some((u) => u.scheme === 'file' && movesHead(u.path))) headMoved();
    for (const [i, c] of changes.entries()) {
      const uri = uris[i];
      if (uri.scheme !== 'file' || !isWantedFile(uri.path) || movesHead(uri.path)) continue;
      if (c.type === FileChangeType.Deleted) {
        state.index.deleteDisk(c.uri);
        continue;
      }
      const admitted = await admitFile(uri.fsPath, state.folders, {
        exclude: state.settings.filesExclude,
        maxFileBytes: state.settings.maxFileSizeKB * 1024,
        limitName: 'netlens.files.maxSizeKB',
      });
      if ('skip' in admitted) {
        state.index.deleteDisk(c.uri);
        continue;
      }
      try {
        const text = decodeText(await readRegular(uri.fsPath, state.settings.maxFileSizeKB * 1024), false);
        // a file that no longer (or does not yet) hold Kubernetes content is not indexed
        if (isIndexed(uri.fsPath, text)) state.index.setDisk(c.uri, text);
        else state.index.deleteDisk(c.uri);
      } catch {
        state.index.deleteDisk(c.uri);
      }
    }
  });
}
