// Reads the files a CLI run analyses: the shared walk (workspace/walk.ts) decides what is read and
// what is skipped (in a sorted order); reading comes after it, on this thread (readFound) or on parse
// workers (load.ts), with the same decoding (decodeText).
import { readFileSync } from 'node:fs';
import { chartOfPath } from '../workspace/charts';
import type { Skip } from '../engine/model/types';
import type { SourceText } from '../engine';
import { decodeText } from '../workspace/decode';
import { readError, walk, type FoundFile, type Walked } from '../workspace/walk';

export { readError, type FoundFile, type Walked };
const MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface LoadedFiles {
  sources: SourceText[];
  skipped: Skip[];
  /** path given by the user -> error, for paths that do not exist */
  missing: string[];
}

/** The files under the CLI's paths, with the CLI's read limit. */
export function walkPaths(paths: readonly string[]): Promise<Walked> {
  return walk(paths, { maxFileBytes: MAX_FILE_BYTES, limitName: `the ${MAX_FILE_BYTES / 1048576} MB limit` });
}

/** A found file's text, read on this thread, or why it could not be read. */
export function readFound(f: FoundFile): SourceText | { skip: Skip } {
  try {
    const chart = chartOfPath(f.path);
    return { uri: f.uri, text: decodeText(readFileSync(f.path), true), ...(chart ? { chart } : {}) };
  } catch (e) {
    return { skip: readError(f.uri, e as Error) };
  }
}

/** Every file the walk found, read on this thread. */
export function readWalked(walked: Walked): LoadedFiles {
  const out: LoadedFiles = { sources: [], skipped: [], missing: walked.missing };
  for (const e of walked.entries) {
    const r = 'skip' in e ? e : readFound(e.file);
    if ('skip' in r) out.skipped.push(r.skip);
    else out.sources.push(r);
  }
  return out;
}
