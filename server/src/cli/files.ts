// Reads the files a CLI run analyses: the shared walk (workspace/walk.ts) decides what is read and
// what is skipped (in a sorted order); reading comes after it, on this thread (readFound) or on parse
// workers (load.ts), with the same decoding (decodeText).
import { chartOfPath } from '../workspace/charts';
import type { Skip } from '../engine/model/types';
import type { SourceText } from '../engine';
import { decodeText } from '../workspace/decode';
import { readRegularSync } from '../workspace/readRegular';
import { readError, walk, type FoundFile, type Walked } from '../workspace/walk';

export { readError, type FoundFile, type Walked };

export interface LoadedFiles {
  sources: SourceText[];
  skipped: Skip[];
  /** path given by the user -> error, for paths that do not exist */
  missing: string[];
}

const sizeName = (bytes: number) => (bytes % 1048576 === 0 ? `${bytes / 1048576} MB` : `${Math.floor(bytes / 1024)} KB`);

/** The files under the CLI's paths, with the CLI's read limit (--max-size-kb). */
export function walkPaths(paths: readonly string[], maxBytes: number): Promise<Walked> {
  return walk(paths, { maxFileBytes: maxBytes, limitName: `the ${sizeName(maxBytes)} limit (--max-size-kb)` });
}

/** A found file's text, read on this thread, or why it could not be read. */
export function readFound(f: FoundFile, maxBytes: number): SourceText | { skip: Skip } {
  try {
    const chart = chartOfPath(f.path);
    return { uri: f.uri, text: decodeText(readRegularSync(f.path, maxBytes), true), ...(chart ? { chart } : {}) };
  } catch (e) {
    return { skip: readError(f.uri, e as Error) };
  }
}

/** Every file the walk found, read on this thread. */
export function readWalked(walked: Walked, maxBytes: number): LoadedFiles {
  const out: LoadedFiles = { sources: [], skipped: [], missing: walked.missing };
  for (const e of walked.entries) {
    const r = 'skip' in e ? e : readFound(e.file, maxBytes);
    if ('skip' in r) out.skipped.push(r.skip);
    else out.sources.push(r);
  }
  return out;
}
