// Finds the files a CLI run analyses: files as given, directories recursed for manifests,
// Corefiles and CNI configs; node_modules and .git skipped; unreadable files and loops reported.
// The walk decides what is read and what is skipped (in a sorted order); reading comes after it,
// on this thread (readFound) or on parse workers (load.ts), with the same decoding (decodeText).
import { chartOfPath } from '../workspace/charts';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Skip } from '../engine/model/types';
import type { SourceText } from '../engine';
import { decodeText } from '../workspace/decode';

const MANIFEST = /\.(ya?ml|json)$/i;
const OTHER = /(^|[/\\])Corefile$|\.(conf|conflist)$/;
const SKIP_DIRS = new Set(['node_modules', '.git']);
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

export interface LoadedFiles {
  sources: SourceText[];
  skipped: Skip[];
  /** path given by the user -> error, for paths that do not exist */
  missing: string[];
}

/** A file to read: its name in reports (`uri`), its real path and its size. */
export interface FoundFile {
  uri: string;
  path: string;
  bytes: number;
}

/** What the walk found, in order: files to read and the skips decided on the way. */
export interface Walked {
  entries: ({ file: FoundFile } | { skip: Skip })[];
  files: number;
  bytes: number;
  missing: string[];
}

export const readError = (uri: string, e: { code?: unknown; message: string }): Skip => ({
  uri,
  reason: `cannot read: ${typeof e.code === 'string' ? e.code : e.message}`,
});

export function walkPaths(paths: readonly string[]): Walked {
  const out: Walked = { entries: [], files: 0, bytes: 0, missing: [] };
  const skip = (s: Skip) => out.entries.push({ skip: s });
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const addFile = (p: string) => {
    let real: string;
    try {
      real = realpathSync(p);
    } catch (e) {
      skip(readError(p, e as Error));
      return;
    }
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    try {
      const size = statSync(real).size;
      if (size > MAX_FILE_BYTES) {
        skip({ uri: p, reason: `file is ${(size / 1048576).toFixed(0)} MB, over the ${MAX_FILE_BYTES / 1048576} MB limit` });
        return;
      }
      out.entries.push({ file: { uri: p, path: real, bytes: size } });
      out.files++;
      out.bytes += size;
    } catch (e) {
      skip(readError(p, e as Error));
    }
  };
  const walk = (dir: string) => {
    let real: string;
    try {
      real = realpathSync(dir);
    } catch {
      return;
    }
    if (seenDirs.has(real)) return; // symlink loop or repeated path
    seenDirs.add(real);
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch (e) {
      skip({ uri: dir, reason: `cannot list directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    for (const name of entries) {
      if (SKIP_DIRS.has(name)) continue;
      const p = path.join(dir, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        skip({ uri: p, reason: 'broken symlink or unreadable entry' });
        continue;
      }
      if (st.isDirectory()) walk(p);
      else if (st.isFile() && (MANIFEST.test(name) || OTHER.test(name))) addFile(p);
    }
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      out.missing.push(p);
      continue;
    }
    if (st.isDirectory()) walk(p);
    else addFile(p);
  }
  return out;
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
