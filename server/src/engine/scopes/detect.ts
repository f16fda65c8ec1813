// Finds a workspace's scopes: each kustomization that no other kustomization includes (an overlay),
// each Helm chart with each values file beside it, and the loose manifests (files neither includes).
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize';
import { basenameOf, dirnameOf, isWithin, joinPath } from '../kustomize/paths';
import type { KustomizeRenderCache } from './renderCache';
import type { Scope, ScopeInput } from './types';

export const LOOSE_SCOPE = 'loose';

/** values.yaml, values-*.yaml, *.values.yaml (and .yml) */
export function isValuesFile(name: string): boolean {
  return /^values(-[^/]+)?\.ya?ml$/.test(name) || /^[^/]+\.values\.ya?ml$/.test(name);
}

/** The path relative to the workspace root that holds it ('.' for the root itself). */
export function relativeToRoots(p: string, roots: readonly string[]): string {
  const root = [...roots].sort((a, b) => b.length - a.length).find((r) => isWithin(r, p));
  if (root === undefined) return p;
  const rel = p.slice(root.length).replace(/^\/+/, '');
  return rel || '.';
}

export interface DetectOptions {
  /** whether Helm charts can be rendered; without, a chart's files stay loose manifests (read as before) */
  helm: boolean;
  /**
   * render every kustomization to learn what it reads (as before the scan): the reference the scan is
   * tested against (test/engine/kustomize-reads.test.ts, scripts/corpora); default false: read the
   * kustomization files' fields only, so that only the scope analysed renders
   */
  render?: boolean;
}

/**
 * The last detection with a cache, for an input with a `filesKey`: while the files are the same and each
 * kustomization reads the same files (the cache gives the same list) and is the same kind, the scopes are
 * the same (the same array), without going over the workspace's files again.
 */
interface Detected {
  filesKey: object;
  helm: boolean;
  roots: readonly string[];
  dirs: string[];
  reads: string[][];
  /** each kustomization file's text and whether it is a Component */
  kinds: { text: string | undefined; component: boolean }[];
  scopes: Scope[];
}

const detected = new WeakMap<KustomizeRenderCache, Detected>();

export function detectScopes(input: ScopeInput, cache: KustomizeRenderCache, opts: DetectOptions): Scope[] {
  const last = input.filesKey && !opts.render ? detected.get(cache) : undefined;
  const same =
    last !== undefined &&
    last.filesKey === input.filesKey &&
    last.helm === opts.helm &&
    last.roots.length === input.roots.length &&
    last.roots.every((r, i) => r === input.roots[i]);
  const kustomizationDirs = same
    ? last.dirs
    : [...new Set(input.files.filter((f) => KUSTOMIZATION_FILE_NAMES.includes(basenameOf(f.path))).map((f) => dirnameOf(f.path)))].sort();
  // what each kustomization's render reads, from the kustomization files' fields (nothing renders here)
  const reads = new Map<string, string[]>();
  for (const dir of kustomizationDirs) {
    if (opts.render) {
      cache.render(input.fs, dir);
      reads.set(dir, cache.filesRead(dir));
    } else reads.set(dir, cache.filesToRead(input.fs, dir));
  }
  cache.retain(new Set(kustomizationDirs));
  const kinds = kustomizationDirs.map((dir, i) => {
    const text = kustomizationText(input, dir);
    const had = same ? last.kinds[i] : undefined;
    return had && had.text === text ? had : { text, component: isComponentText(text) };
  });
  if (
    same &&
    kustomizationDirs.every((dir, i) => sameList(reads.get(dir)!, last.reads[i]) && kinds[i].component === last.kinds[i].component)
  ) {
    detected.set(cache, { ...last, kinds, reads: kustomizationDirs.map((d) => reads.get(d)!) });
    return copies(last.scopes);
  }
  const scopes = detectFrom(input, opts, kustomizationDirs, reads, kinds);
  if (input.filesKey && !opts.render)
    detected.set(cache, {
      filesKey: input.filesKey,
      helm: opts.helm,
      roots: [...input.roots],
      dirs: kustomizationDirs,
      reads: kustomizationDirs.map((d) => reads.get(d)!),
      kinds,
      scopes: copies(scopes),
    });
  return scopes;
}

/** The scopes as new objects (the configuration names them in place), their file lists shared (never changed). */
function copies(scopes: readonly Scope[]): Scope[] {
  return scopes.map((s) => ({ ...s }));
}

function detectFrom(
  input: ScopeInput,
  opts: DetectOptions,
  kustomizationDirs: string[],
  reads: Map<string, string[]>,
  kinds: { component: boolean }[],
): Scope[] {
  const scopes: Scope[] = [];
  const included = new Set<string>();
  for (const [dir, files] of reads)
    for (const f of files) {
      // every kustomization file name holds this (a base lists 11,000 files that are not one)
      if (!f.includes('ustomization')) continue;
      const d = dirnameOf(f);
      if (d !== dir && KUSTOMIZATION_FILE_NAMES.includes(basenameOf(f))) included.add(d);
    }
  const taken = new Set<string>();
  for (const [i, dir] of kustomizationDirs.entries()) {
    const files = reads.get(dir)!;
    for (const f of files) taken.add(f);
    if (included.has(dir) || kinds[i].component) continue;
    scopes.push({ id: `kustomize:${relativeToRoots(dir, input.roots)}`, kind: 'kustomize', root: dir, files: sortedCopy(files) });
  }
  // kustomizations that are included (or components) are not loose even when nothing renders them
  for (const dir of kustomizationDirs) for (const n of KUSTOMIZATION_FILE_NAMES) taken.add(joinPath(dir, n));

  for (const chart of input.files.filter((f) => basenameOf(f.path) === 'Chart.yaml')) {
    const dir = dirnameOf(chart.path);
    const files = input.files
      .filter((f) => isWithin(dir, f.path))
      .map((f) => f.path)
      .sort();
    const values = files.filter((f) => dirnameOf(f) === dir && isValuesFile(basenameOf(f)));
    const rel = relativeToRoots(dir, input.roots);
    for (const v of values.length ? values : [undefined])
      scopes.push({
        id: `helm:${rel}${v ? `@${basenameOf(v)}` : ''}`,
        kind: 'helm',
        root: dir,
        files,
        ...(v ? { values: v } : {}),
      });
    if (opts.helm) for (const f of files) taken.add(f);
  }

  const loose = input.files
    .map((f) => f.path)
    .filter((p) => !taken.has(p))
    .sort();
  if (loose.length || scopes.length === 0) scopes.push({ id: LOOSE_SCOPE, kind: 'loose', root: input.roots[0] ?? '/', files: loose });
  return scopes;
}

/** The same files (a render's list and its scan's are other arrays, in another order, with the same paths). */
function sameList(x: readonly string[], y: readonly string[]): boolean {
  if (x === y) return true;
  if (x.length !== y.length) return false;
  const a = sortedCopy(x);
  const b = sortedCopy(y);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A sorted copy of a list of files, kept while the list is the same (the render cache keeps a render's list while it is valid). */
const sorted = new WeakMap<readonly string[], string[]>();

function sortedCopy(files: readonly string[]): string[] {
  let out = sorted.get(files);
  if (!out) sorted.set(files, (out = [...files].sort()));
  return out;
}

/** The folder's first kustomization file's text (undefined: none). */
function kustomizationText(input: ScopeInput, dir: string): string | undefined {
  for (const n of KUSTOMIZATION_FILE_NAMES) {
    const text = input.fs.readFile(joinPath(dir, n));
    if (text !== undefined) return text;
  }
  return undefined;
}

function isComponentText(text: string | undefined): boolean {
  return text !== undefined && /^kind:\s*["']?Component["']?\s*$/m.test(text);
}
