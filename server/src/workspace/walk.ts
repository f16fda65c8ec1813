// Which files NetLens reads, and the one walk that finds them, for the language server (workspace
// folders) and the CLI (its PATH arguments): manifests (*.yaml, *.yml, *.json), Corefiles and CNI
// configs (*.conf, *.conflist); VCS and node_modules folders skipped; exclude globs; a size cap;
// regular files only (a FIFO or device would stall the read); symbolic links followed only while
// their real path stays inside the walked roots (a link to / must not walk the machine).
import { promises as fs, type Dirent, type Stats } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';
import type { Skip } from '../engine/model/types';

const WANTED = /\.(ya?ml|json|conf|conflist)$|(^|[/\\])Corefile$/i;
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

/** Whether NetLens reads a file of this name (or path) when it finds it in a folder. */
export function isWantedFile(name: string): boolean {
  return WANTED.test(name);
}

/** Whether a folder of this name is never walked. */
function isSkippedFolder(name: string): boolean {
  return ALWAYS_SKIPPED.has(name);
}

export interface WalkOptions {
  /** globs (relative to the root they are found under) of files and folders not to read */
  exclude?: readonly string[];
  maxFileBytes: number;
  /** how the size limit is named in a skip's reason (a setting, a CLI limit) */
  limitName: string;
}

/** A file to read: its name in reports (`uri`: the path as walked), its real path and its size. */
export interface FoundFile {
  uri: string;
  path: string;
  bytes: number;
}

/** What the walk found, in order (each folder's entries sorted by name): files to read and the skips decided on the way. */
export interface Walked {
  entries: ({ file: FoundFile } | { skip: Skip })[];
  files: number;
  bytes: number;
  /** paths given that do not exist */
  missing: string[];
}

// readRegular's refusals (ENOTREG, EFBIG) say why in their message; a system error is named by its code
export const readError = (uri: string, e: { code?: unknown; message: string }): Skip => ({
  uri,
  reason: e.code === 'ENOTREG' || e.code === 'EFBIG' ? e.message : `cannot read: ${typeof e.code === 'string' ? e.code : e.message}`,
});

/** Whether a real path is one of the roots or inside one. */
const isInside = (real: string, roots: readonly string[]) =>
  roots.some((r) => real === r || real.startsWith(r.endsWith(path.sep) ? r : r + path.sep));

// Whether `p` (under `root`) matches one of the exclude globs (relative to the root; a leading globstar segment is optional).
function isExcluded(root: string, p: string, exclude: readonly string[] | undefined): boolean {
  if (!exclude?.length) return false;
  const rel = path.relative(root, p).split(path.sep).join('/');
  return exclude.some((g) => minimatch(rel, g, { dot: true }) || minimatch(rel, g.replace(/^\*\*\//, ''), { dot: true }));
}

/**
 * Whether one file that changed on disk is read, by the walk's rules: under a root (by its real
 * path), not in a skipped folder or excluded, a regular file within the size limit.
 */
export async function admitFile(file: string, roots: readonly string[], opts: WalkOptions): Promise<{ bytes: number } | { skip: string }> {
  if (!isWantedFile(file)) return { skip: 'not a file NetLens reads' };
  const root = roots.find((r) => isInside(file, [r]));
  if (!root) return { skip: 'outside the workspace folders' };
  if (path.relative(root, file).split(path.sep).some(isSkippedFolder)) return { skip: 'in a folder NetLens never reads' };
  if (isExcluded(root, file, opts.exclude)) return { skip: 'excluded by the settings' };
  try {
    const real = await fs.realpath(file);
    const realRoots = await Promise.all(roots.map((r) => fs.realpath(r).catch(() => r)));
    if (!isInside(real, realRoots)) return { skip: `symbolic link to ${real}, outside the folders being read: not followed` };
    const st = await fs.stat(real);
    if (!st.isFile()) return { skip: 'not a regular file (a FIFO, socket or device is never read)' };
    if (st.size > opts.maxFileBytes) return { skip: `file is ${megabytes(st.size)} MB, over ${opts.limitName}` };
    return { bytes: st.size };
  } catch (e) {
    return { skip: readError(file, e as Error).reason };
  }
}

/**
 * Walks `paths`: a folder is recursed, a file given by path is read whatever its name (but must be a
 * regular file). Links found inside a folder are followed only while their real path stays inside
 * one of the walked roots.
 */
export async function walk(paths: readonly string[], opts: WalkOptions): Promise<Walked> {
  const out: Walked = { entries: [], files: 0, bytes: 0, missing: [] };
  const skip = (s: Skip): void => void out.entries.push({ skip: s });
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const roots: string[] = [];
  for (const p of paths) {
    try {
      roots.push(await fs.realpath(p));
    } catch {
      // reported as missing below
    }
  }
  const excluded = (root: string, p: string) => isExcluded(root, p, opts.exclude);
  const addFile = (uri: string, real: string, st: Stats): void => {
    if (seenFiles.has(real)) return;
    seenFiles.add(real);
    if (!st.isFile()) return skip({ uri, reason: 'not a regular file (a FIFO, socket or device is never read)' });
    if (st.size > opts.maxFileBytes) return skip({ uri, reason: `file is ${megabytes(st.size)} MB, over ${opts.limitName}` });
    out.entries.push({ file: { uri, path: real, bytes: st.size } });
    out.files++;
    out.bytes += st.size;
  };
  const walkDir = async (root: string, dir: string, real: string): Promise<void> => {
    if (seenDirs.has(real)) return; // a link loop, or a folder reached twice
    seenDirs.add(real);
    let entries: Dirent[];
    try {
      entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      return skip({ uri: dir, reason: `cannot list directory: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
    }
    const kept = entries.filter((e) => !isSkippedFolder(e.name) && !excluded(root, path.join(dir, e.name)));
    // what each entry is, asked for all at once (one stat after another is I/O-bound on large folders)
    const looked = kept.map((e) => (e.isSymbolicLink() || (!e.isDirectory() && isWantedFile(e.name)) ? inspect(dir, real, e) : undefined));
    for (let i = 0; i < kept.length; i++) {
      const e = kept[i]!;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        await walkDir(root, p, path.join(real, e.name));
        continue;
      }
      const info = await looked[i];
      if (!info) continue;
      if ('error' in info) {
        skip({ uri: p, reason: e.isSymbolicLink() ? 'broken symlink or unreadable entry' : readError(p, info.error).reason });
        continue;
      }
      if (e.isSymbolicLink() && !isInside(info.real, roots)) {
        if (info.st.isDirectory() || isWantedFile(e.name))
          skip({ uri: p, reason: `symbolic link to ${info.real}, outside the folders being read: not followed` });
        continue;
      }
      if (info.st.isDirectory()) await walkDir(root, p, info.real);
      else if (isWantedFile(e.name)) addFile(p, info.real, info.st);
    }
  };
  for (const p of paths) {
    let st: Stats;
    let real: string;
    try {
      real = await fs.realpath(p);
      st = await fs.stat(real);
    } catch {
      out.missing.push(p);
      continue;
    }
    if (st.isDirectory()) await walkDir(real, p, real);
    else addFile(p, real, st);
  }
  return out;
}

const megabytes = (bytes: number) => (bytes / 1048576).toFixed(bytes >= 10 * 1048576 ? 0 : 1);

/** An entry's real path and stats: a link is resolved; any other entry's real path is its folder's plus its name. */
async function inspect(dir: string, realDir: string, e: Dirent): Promise<{ real: string; st: Stats } | { error: NodeJS.ErrnoException }> {
  try {
    const real = e.isSymbolicLink() ? await fs.realpath(path.join(dir, e.name)) : path.join(realDir, e.name);
    return { real, st: await fs.stat(real) };
  } catch (error) {
    return { error: error as NodeJS.ErrnoException };
  }
}
