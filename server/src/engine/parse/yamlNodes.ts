// Small accessors over the `yaml` AST, so the model builder reads manifests without
// converting whole documents to plain objects (which would lose the source ranges).
import { isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { SourceRef } from '../model/types';

export type YNode = Node | null | undefined;

export function keyOf(pair: Pair): string | undefined {
  const k = pair.key;
  if (isScalar(k)) return k.value === null ? undefined : String(k.value);
  return typeof k === 'string' ? k : undefined;
}

export function pairOf(map: YNode, key: string): Pair | undefined {
  if (!map || !isMap(map)) return undefined;
  for (const p of map.items) if (keyOf(p) === key) return p;
  return undefined;
}

/** The value node under `key`, or under a path of keys. */
export function get(node: YNode, ...path: string[]): YNode {
  let n: YNode = node;
  for (const k of path) {
    const p = pairOf(n, k);
    if (!p) return undefined;
    n = p.value as YNode;
    if (n === null) return null;
  }
  return n;
}

export function asMap(node: YNode): YAMLMap | undefined {
  return node && isMap(node) ? node : undefined;
}

export function items(node: YNode): YNode[] {
  return node && isSeq(node) ? (node.items as YNode[]) : [];
}

/** Scalar value (string, number, boolean or null); undefined for collections or absence. */
export function scalar(node: YNode): string | number | boolean | null | undefined {
  if (node === null) return null;
  if (!node || !isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  return undefined;
}

/** A string scalar; numbers and booleans are accepted as written only where Kubernetes would too. */
export function str(node: YNode): string | undefined {
  const v = scalar(node);
  return typeof v === 'string' ? v : undefined;
}

export function isNullish(node: YNode): boolean {
  return node === undefined || node === null || (isScalar(node) && node.value === null);
}

export function kindName(node: YNode): string {
  if (node === undefined) return 'nothing';
  if (node === null || (isScalar(node) && node.value === null)) return 'null';
  if (isMap(node)) return 'a map';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) return typeof node.value === 'string' ? 'a string' : `a ${typeof node.value}`;
  return 'an alias';
}

export function refOf(uri: string, node: YNode, fallback: SourceRef): SourceRef {
  const r = node && (node as Node).range;
  return r ? { uri, start: r[0], end: r[1] } : fallback;
}

/** From the key of `key` to the end of its value (what a hover or a diagnostic on that field covers). */
export function pairRef(uri: string, map: YNode, key: string, fallback: SourceRef): SourceRef {
  const p = pairOf(map, key);
  if (!p) return fallback;
  const k = p.key as Node | null;
  const v = p.value as Node | null;
  const start = k?.range?.[0] ?? v?.range?.[0];
  const end = v?.range?.[1] ?? k?.range?.[1];
  return start !== undefined && end !== undefined ? { uri, start, end } : fallback;
}
