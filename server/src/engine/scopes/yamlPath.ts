// A field's path in a YAML document (map keys, list indexes) at an offset, and the range of a path.
import { isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';

export type YamlPath = (string | number)[];

type Ranged = { range?: [number, number, number] | null };

function rangeOf(n: unknown): [number, number] | undefined {
  const r = (n as Ranged | null | undefined)?.range;
  return r ? [r[0], r[1]] : undefined;
}

function keyText(k: unknown): string | undefined {
  if (isScalar(k)) return String(k.value);
  return undefined;
}

/** The path of the deepest node at `offset`; `onKey` when the offset is on a map key. */
export function pathAt(doc: Document, offset: number): { path: YamlPath; onKey: boolean } {
  const path: YamlPath = [];
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node)) {
      let next: unknown;
      for (const p of node.items) {
        if (!isPair(p)) continue;
        const k = keyText(p.key);
        const kr = rangeOf(p.key);
        if (k !== undefined && kr && offset >= kr[0] && offset < kr[1]) return { path: [...path, k], onKey: true };
        const vr = rangeOf(p.value);
        if (k !== undefined && vr && offset >= vr[0] && offset < vr[1]) {
          path.push(k);
          next = p.value;
          break;
        }
      }
      if (next === undefined) return { path, onKey: false };
      node = next;
    } else if (isSeq(node)) {
      const i = node.items.findIndex((it) => {
        const r = rangeOf(it);
        return r !== undefined && offset >= r[0] && offset < r[1];
      });
      if (i < 0) return { path, onKey: false };
      path.push(i);
      node = node.items[i];
    } else return { path, onKey: false };
  }
}

/**
 * The range of `path` in the document (its key when `onKey`, else its value), or of the nearest existing
 * parent with `found` false.
 */
export function rangeAt(doc: Document, path: YamlPath, onKey: boolean): { start: number; end: number; found: boolean } | undefined {
  let node: unknown = doc.contents;
  let best = rangeOf(node);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    let next: unknown;
    let keyNode: unknown;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && keyText(p.key) === String(seg));
      if (pair) {
        next = pair.value;
        keyNode = pair.key;
      }
    } else if (isSeq(node) && typeof seg === 'number') next = node.items[seg];
    if (next === undefined && keyNode === undefined) return best ? { start: best[0], end: best[1], found: false } : undefined;
    const last = i === path.length - 1;
    const r = last && onKey && keyNode ? rangeOf(keyNode) : (rangeOf(next) ?? rangeOf(keyNode));
    if (!r) return best ? { start: best[0], end: best[1], found: false } : undefined;
    best = r;
    node = next as Node;
  }
  return best ? { start: best[0], end: best[1], found: true } : undefined;
}
