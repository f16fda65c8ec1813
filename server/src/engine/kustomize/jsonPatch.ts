// JSON patches (RFC 6902: add, remove, replace, move, copy, test) on plain JSON values.
import { deepCopy, isObject } from './resource';
import type { Json } from './types';

export class PatchError extends Error {}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) throw new PatchError(`path '${pointer}' does not start with '/'`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, toks: string[], pointer: string): Json {
  let cur: Json = doc;
  for (const t of toks.slice(0, -1)) {
    if (Array.isArray(cur)) {
      const i = Number(t);
      if (!/^\d+$/.test(t) || i >= cur.length) throw new PatchError(`path '${pointer}' does not exist`);
      cur = cur[i];
    } else if (isObject(cur) && t in cur) cur = cur[t];
    else throw new PatchError(`path '${pointer}' does not exist`);
  }
  return cur;
}

function getAt(doc: Json, pointer: string): Json {
  const toks = tokens(pointer);
  if (toks.length === 0) return doc;
  const parent = parentOf(doc, toks, pointer);
  const last = toks[toks.length - 1];
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!/^\d+$/.test(last) || i >= parent.length) throw new PatchError(`path '${pointer}' does not exist`);
    return parent[i];
  }
  if (isObject(parent) && last in parent) return parent[last];
  throw new PatchError(`path '${pointer}' does not exist`);
}

function remove(doc: Json, pointer: string): Json {
  const toks = tokens(pointer);
  const parent = parentOf(doc, toks, pointer);
  const last = toks[toks.length - 1];
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!/^\d+$/.test(last) || i >= parent.length) throw new PatchError(`path '${pointer}' does not exist`);
    return parent.splice(i, 1)[0];
  }
  if (isObject(parent) && last in parent) {
    const v = parent[last];
    delete parent[last];
    return v;
  }
  throw new PatchError(`path '${pointer}' does not exist`);
}

function add(doc: Json, pointer: string, value: Json, replace: boolean): Json {
  const toks = tokens(pointer);
  if (toks.length === 0) return value;
  const parent = parentOf(doc, toks, pointer);
  const last = toks[toks.length - 1];
  if (Array.isArray(parent)) {
    if (last === '-' && !replace) parent.push(value);
    else {
      const i = Number(last);
      if (!/^\d+$/.test(last) || i > parent.length || (replace && i >= parent.length))
        throw new PatchError(`path '${pointer}' does not exist`);
      parent.splice(i, replace ? 1 : 0, value);
    }
  } else if (isObject(parent)) {
    // kustomize's JSON patch library lets `replace` add a missing key of an object (checked against kubectl)
    parent[last] = value;
  } else throw new PatchError(`path '${pointer}' does not exist`);
  return doc;
}

/** Applies the operations in order to a copy of `doc`. */
export function applyJsonPatch(doc: Json, ops: Json): Json {
  if (!Array.isArray(ops)) throw new PatchError('a JSON patch must be a list of operations');
  let out = deepCopy(doc);
  for (const op of ops) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string')
      throw new PatchError('each operation needs `op` and `path`');
    const path = op.path;
    switch (op.op) {
      case 'add':
        out = add(out, path, deepCopy(op.value ?? null), false);
        break;
      case 'remove':
        remove(out, path);
        break;
      case 'replace':
        out = add(out, path, deepCopy(op.value ?? null), true);
        break;
      case 'move': {
        if (typeof op.from !== 'string') throw new PatchError('`move` needs `from`');
        const v = remove(out, op.from);
        out = add(out, path, v, false);
        break;
      }
      case 'copy': {
        if (typeof op.from !== 'string') throw new PatchError('`copy` needs `from`');
        out = add(out, path, deepCopy(getAt(out, op.from)), false);
        break;
      }
      case 'test':
        if (JSON.stringify(getAt(out, path)) !== JSON.stringify(op.value ?? null)) throw new PatchError(`test failed at '${path}'`);
        break;
      default:
        throw new PatchError(`unknown operation '${op.op}'`);
    }
  }
  return out;
}
