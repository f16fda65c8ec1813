// Prints rendered objects as YAML documents in the shape `kubectl kustomize` prints them (keys sorted,
// lists not indented under their key).
import { stringify } from 'yaml';
import type { Json, JsonObject } from './types';

export function printObject(obj: JsonObject, memo?: RenderMemo): string {
  if (!memo) return stringify(obj, { sortMapEntries: true, indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
  const key = JSON.stringify(obj, exactJson);
  const hit = memo.printed.get(key);
  if (hit !== undefined) return hit;
  const text = stringify(obj, { sortMapEntries: true, indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
  remember(memo.printed, key, text);
  return text;
}

/** JSON that tells apart what YAML prints differently (non-finite numbers, undefined). */
function exactJson(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return `\u0000number:${v}`;
  if (v === undefined) return '\u0000undefined';
  return v;
}

/**
 * What renders can share (engine/scopes/renderCache.ts keeps one across renders): each resource file's
 * parsed documents by text (cloned for each use, as renders change them in place) and each printed
 * object by its JSON. Overlays of one base parse its files once, and re-rendering an overlay after an edit
 * parses and prints only what changed.
 */
export interface RenderMemo {
  parsed: Map<string, { docs: Json[]; indexes: number[] }>;
  printed: Map<string, string>;
}

export function newRenderMemo(): RenderMemo {
  return { parsed: new Map(), printed: new Map() };
}

/** Bounded: past 200,000 entries the map starts again (a workspace larger than that re-parses). */
export function remember<V>(map: Map<string, V>, key: string, value: V): void {
  if (map.size >= 200_000) map.clear();
  map.set(key, value);
}

/** All objects as one multi-document stream, as `kubectl kustomize DIR` writes it. */
export function printStream(docs: string[]): string {
  return docs.join('---\n');
}
