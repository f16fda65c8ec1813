// Visits the fields a field spec names in an object, through lists, creating missing maps when asked.
import type { FieldSpec } from './fieldSpecs';
import { isObject, type Resource } from './resource';
import type { Json, JsonObject } from './types';

/** Splits `a/b\/c/d[]` into ['a', 'b/c', 'd[]'] (a `[]` segment names a list, see visitFields). */
export function splitFieldPathMarked(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\' && path[i + 1] === '/') {
      cur += '/';
      i++;
    } else if (path[i] === '/') {
      out.push(cur);
      cur = '';
    } else cur += path[i];
  }
  out.push(cur);
  return out;
}

/** Splits `a/b\/c/d[]` into ['a', 'b/c', 'd']. */
export function splitFieldPath(path: string): string[] {
  return splitFieldPathMarked(path).map((s) => (s.endsWith('[]') ? s.slice(0, -2) : s));
}

export function specSelects(fs: { group?: string; version?: string; kind?: string }, r: Resource): boolean {
  if (fs.kind && fs.kind !== r.kind) return false;
  if (fs.group !== undefined && fs.group !== '' && fs.group !== r.group) return false;
  if (fs.version && fs.version !== r.version) return false;
  return true;
}

/**
 * Calls `fn(parent, key)` for each field at `segments` under `node` (lists on the way are entered
 * element by element). With `create`, missing maps on the way and the leaf (`makeLeaf()`) are added,
 * except a segment marked as a list (`name[]`): kustomize never creates those (its fieldspec filter
 * only looks a sequence field up), so `spec/volumeClaimTemplates[]/metadata/labels` adds nothing to a
 * StatefulSet without claim templates.
 */
export function visitFields(
  node: Json | undefined,
  segments: string[],
  create: boolean,
  makeLeaf: () => Json,
  fn: (parent: JsonObject, key: string) => void,
): void {
  if (Array.isArray(node)) {
    for (const el of node) visitFields(el, segments, create, makeLeaf, fn);
    return;
  }
  if (!isObject(node) || segments.length === 0) return;
  const [marked, ...rest] = segments;
  const list = marked.endsWith('[]');
  const key = list ? marked.slice(0, -2) : marked;
  if (rest.length === 0) {
    if (node[key] === undefined || node[key] === null) {
      if (!create || list) return;
      node[key] = makeLeaf();
    }
    fn(node, key);
    return;
  }
  if (node[key] === undefined || node[key] === null) {
    if (!create || list) return;
    node[key] = {};
  }
  visitFields(node[key], rest, create, makeLeaf, fn);
}

/** Applies each selecting field spec of `specs` to a resource. */
export function applySpecs(
  r: Resource,
  specs: FieldSpec[],
  makeLeaf: () => Json,
  fn: (parent: JsonObject, key: string, spec: FieldSpec) => void,
): void {
  const seen = new Set<string>();
  for (const fs of specs) {
    if (!specSelects(fs, r) || seen.has(fs.path)) continue;
    seen.add(fs.path);
    visitFields(r.obj, splitFieldPathMarked(fs.path), fs.create === true, makeLeaf, (p, k) => fn(p, k, fs));
  }
}
