// What a render of a kustomization reads, found from the kustomization files alone: the same file system
// questions `renderKustomization` asks (render.ts, patches.ts, generators.ts, replacements.ts), in the
// same conditions, without reading any resource's objects. Scope detection uses it to know which files
// each kustomization includes without rendering them all; test/engine/kustomize-reads.test.ts checks that
// it reads exactly the files a render reads, on every kustomization fixture. A change to what the
// renderer reads belongs here too.
import { KUSTOMIZATION_FILE_NAMES, loadKustomization, type KustomizationFile, type LoadResult } from './kustomizationFile';
import { isRemote, joinPath, normalizePath } from './paths';
import { isObject } from './resource';
import type { Json, KustomizeFs } from './types';

/** Loaded kustomization files by path and text, shared by the scans of one detection (an overlay's base parses once). */
export type KustomizationMemo = Map<string, { text: string; loaded: LoadResult }>;

/**
 * Asks `fs` every file question a render of the kustomization in `dir` asks (a recording file system then
 * knows the files it reads). Never throws.
 */
export function scanKustomizationReads(fs: KustomizeFs, dir: string, memo?: KustomizationMemo): void {
  const stack: string[] = [];
  const load = (d: string): LoadResult => {
    if (!memo) return loadKustomization(fs, d);
    // the questions loadKustomization asks (the listing, the file), then its parse when the text is new
    const names = fs.listDir(d);
    const present = KUSTOMIZATION_FILE_NAMES.filter((n) => (names ? names.includes(n) : fs.readFile(joinPath(d, n)) !== undefined));
    if (present.length !== 1) return loadKustomization(fs, d);
    const path = joinPath(d, present[0]);
    const text = fs.readFile(path);
    const hit = memo.get(path);
    if (hit && text !== undefined && hit.text === text) return hit.loaded;
    const loaded = loadKustomization(fs, d);
    if (text !== undefined) memo.set(path, { text, loaded });
    return loaded;
  };
  const visit = (d: string): void => {
    if (stack.includes(d)) return;
    const loaded = load(d);
    if (!loaded.file) return;
    stack.push(d);
    try {
      scanFile(fs, loaded.file, visit);
    } finally {
      stack.pop();
    }
  };
  try {
    visit(normalizePath(dir));
  } catch {
    // a file system that throws: what was asked so far stands (the render's guard does the same)
  }
}

function scanFile(fs: KustomizeFs, k: KustomizationFile, visit: (dir: string) => void): void {
  const read = (rel: string) => fs.readFile(joinPath(k.dir, rel));
  // resources and bases: a folder is a kustomization, else a file
  for (const entry of [...k.list('resources'), ...k.list('bases')]) {
    if (typeof entry !== 'string' || isRemote(entry)) continue;
    const path = joinPath(k.dir, entry);
    if (fs.isDir(path)) visit(path);
    else fs.readFile(path);
  }
  for (const c of k.list('configurations')) if (typeof c === 'string') read(c);
  for (const field of ['configMapGenerator', 'secretGenerator'] as const)
    for (const g of k.list(field)) if (isObject(g) && typeof g.name === 'string' && g.name !== '') scanGenerator(g, read);
  for (const c of k.list('components')) if (typeof c === 'string' && !isRemote(c)) visit(joinPath(k.dir, c));
  for (const entry of k.list('patchesStrategicMerge')) if (typeof entry === 'string' && !entry.includes('\n')) read(entry);
  for (const entry of k.list('patches')) {
    if (!isObject(entry)) continue;
    const hasPath = typeof entry.path === 'string';
    if (hasPath !== (typeof entry.patch === 'string') && hasPath) read(String(entry.path));
  }
  for (const entry of k.list('patchesJson6902'))
    if (isObject(entry) && isObject(entry.target) && typeof entry.path === 'string') read(entry.path);
  for (const e of k.list('replacements')) if (isObject(e) && typeof e.path === 'string') read(e.path);
  for (const entry of k.list('transformers')) if (typeof entry === 'string' && !entry.includes('\n')) read(entry);
}

/** A generator entry's env files, then (when its literals are well formed) its files, up to the first missing one. */
function scanGenerator(g: { [k: string]: Json }, read: (rel: string) => string | undefined): void {
  const envs = [...(Array.isArray(g.envs) ? g.envs : []), ...(typeof g.env === 'string' ? [g.env] : [])];
  for (const env of envs) if (read(String(env)) === undefined) return;
  for (const lit of Array.isArray(g.literals) ? g.literals : []) if (String(lit).indexOf('=') <= 0) return;
  for (const f of Array.isArray(g.files) ? g.files : []) {
    const s = String(f);
    const eq = s.indexOf('=');
    if (read(eq > 0 ? s.slice(eq + 1) : s) === undefined) return;
  }
}
