// Finds the files a CLI run analyses: files as given, directories recursed for manifests,
// Corefiles and CNI configs; node_modules and .git skipped; unreadable files and loops reported.
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Skip } from '../engine/model/types';
import type { SourceText } from '../engine';

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

export function loadPaths(paths: readonly string[]): LoadedFiles {
  const out: LoadedFiles = { sources: [], skipped: [], missing: [] };
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const addFile = (p: string) => {
    let real: string;
    try {
      real = realpathSync(p);
    } catch (e) {
      out.skipped.push({ uri: p, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    try {
      const size = statSync(real).size;
      if (size > MAX_FILE_BYTES) {
        out.skipped.push({ uri: p, reason: `file is ${(size / 1048576).toFixed(0)} MB, over the ${MAX_FILE_BYTES / 1048576} MB limit` });
        return;
      }
      const buf = readFileSync(real);
      out.sources.push({ uri: p, text: decode(buf) });
    } catch (e) {
      out.skipped.push({ uri: p, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
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
      out.skipped.push({ uri: dir, reason: `cannot list directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    for (const name of entries) {
      if (SKIP_DIRS.has(name)) continue;
      const p = path.join(dir, name);
      let st;
      try {
        st = statSync(p);
      } catch {
        out.skipped.push({ uri: p, reason: 'broken symlink or unreadable entry' });
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

/** UTF-8 (BOM dropped); UTF-16 with a BOM is decoded too. */
function decode(buf: Buffer): string {
  if (buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
