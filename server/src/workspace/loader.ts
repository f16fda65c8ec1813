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
import { readRegular, readRegularSync } from './readRegular';
import { decodeText } from './decode';
import { SCOPE_CONFIG_FILE } from '../engine/scopes';
import { movesHead } from './gitHead';

// the longest this thread reads and parses files without letting the connection's messages in (ms)
const SLICE_MS = 10;
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
  /** `persisted` is being loaded: the folders are walked meanwhile */
  loading?: Promise<unknown>,
): Promise<{ files: number; reused: number; workers: number; notKubernetes: number }> {
  const maxBytes = state.settings.maxFileSizeKB * 1024;
  // Discovery does not sniff: the sniff (isIndexed) runs on the text read below, here or on a worker, so
  // that each file is opened and read once (the separate sniff of every file's head was 0.4-0.6 s of
  // the main thread on L's warm start).
  const [{ files }] = await Promise.all([
    discoverFiles(folders, {
      exclude: excludes,
      maxFileBytes: maxBytes,
      log: state.log,
      sniff: false,
    }),
    loading,
  ]);
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
  /** A file a warm start found unchanged (`cached`: its persisted model) or changed (parsed here). */
  const ingestKnown = (uri: string, text: string, cached: FileModel | undefined) => {
    if (cached) reused++;
    state.index.setDisk(uri, text, cached);
    report();
  };
  const threads = state.settings.parseThreads === 0 ? autoParseThreads() : state.settings.parseThreads;
  let pool: ParsePool | undefined;
  let poolSize = 0;
  /** Parses `list` on worker threads, which read, hash and parse; resolves to the files they failed. */
  const onWorkers = async (list: Discovered[]): Promise<Discovered[]> => {
    pool ??= ParsePool.create(workers.file, threads);
    if (!pool) return list;
    poolSize = pool.size;
    const failed: Discovered[] = [];
    const ns = state.index.defaultNamespace;
    const batches: Promise<void>[] = [];
    for (let i = 0; i < list.length; i += BATCH_FILES) {
      const batch = list.slice(i, i + BATCH_FILES);
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
    return failed;
  };
  const manyToParse = (n: number) => threads > 1 && n > 0 && n >= workers.minFiles;
  // A warm start (the persisted index knows at least half of the files): this thread reads and hashes every
  // file, which is quick (on M, 2,305 files: ~50-100 ms, against ~600 ms of starting workers that read them and
  // send the texts back); only the files whose content changed are parsed, on workers when they are many.
  let known = 0;
  if (persisted) for (const f of files) if (persisted.hashOf(URI.file(f.path).toString()) !== undefined) known++;
  const warm = known > 0 && known * 2 >= files.length;
  const here = warm || !manyToParse(files.length) ? files : await onWorkers(files);
  const changed: { uri: string; text: string; file: Discovered }[] = [];
  await inSlices(here, (f) => {
    let raw: string;
    try {
      raw = decodeText(readRegularSync(f.path, maxBytes), false);
    } catch (e) {
      state.log(`skipped ${f.path}: ${(e as Error).message}`);
      report();
      return;
    }
    if (!isIndexed(f.path, raw)) return notIndexed();
    const uri = URI.file(f.path).toString();
    if (!warm) return ingest(uri, raw);
    const cached = persisted?.lookup(uri, raw);
    if (cached) ingestKnown(uri, raw, cached);
    else changed.push({ uri, text: raw, file: f });
  });
  if (manyToParse(changed.length)) {
    const failed = new Set(await onWorkers(changed.map((c) => c.file)));
    await inSlices(
      changed.filter((c) => failed.has(c.file)),
      (c) => ingestKnown(c.uri, c.text, undefined),
    );
  } else await inSlices(changed, (c) => ingestKnown(c.uri, c.text, undefined));
  if (pool) void pool.dispose(); // (the first worker writes its code cache meanwhile, where there is one)
  state.index.flush();
  if (notKubernetes) state.log(`${notKubernetes} file(s) hold no Kubernetes content (no apiVersion and kind lines): not indexed`);
  return { files: files.length - notKubernetes, reused, workers: poolSize, notKubernetes };
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

/** Runs `each` over `list` on this thread, yielding to the event loop every SLICE_MS. */
async function inSlices<T>(list: readonly T[], each: (item: T) => void): Promise<void> {
  let until = Date.now() + SLICE_MS;
  for (const item of list) {
    if (Date.now() >= until) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      until = Date.now() + SLICE_MS;
    }
    each(item);
  }
}
