// Prints rendered objects as YAML documents in the shape `kubectl kustomize` prints them (keys sorted,
// lists not indented under their key).
import { stringify } from 'yaml';
import type { Finding } from '../model/types';
import type { KustomizationFile, LoadResult } from './kustomizationFile';
import type { Resource } from './resource';
import type { SortKey } from './sort';
import type { StepMemo } from './steps';
import type { Json, JsonObject, RenderedObject } from './types';

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
 * parsed documents by text (cloned for each use by the in-place renders, as they change them) and each
 * printed object by its JSON. Overlays of one base parse its files once, and re-rendering an overlay after
 * an edit parses and prints only what changed. The incremental pipeline (steps.ts) keeps more: each
 * resource file's resources and each kustomization file by path and text, each kustomization's step
 * results, and the printed text of each object it made.
 */
export interface RenderMemo {
  parsed: Map<string, { docs: Json[]; indexes: number[] }>;
  printed: Map<string, string>;
  /** a resource file's resources (never changed: steps copy what they change) and findings, by path */
  files: Map<string, { text: string; resources: Resource[]; findings: Finding[] }>;
  /** loaded kustomization files by path and text */
  kustomizations: Map<string, { text: string; loaded: LoadResult }>;
  /** each kustomization's step results, by its path */
  steps: Map<string, StepMemo>;
  /** the printed text of an object the steps made */
  byObject: WeakMap<JsonObject, string>;
  /** the output object (text and origin) of a resource the steps made */
  outputs: WeakMap<Resource, RenderedObject>;
  /** a resource without its empty labels and annotations (the last step of a render) */
  cleaned: WeakMap<Resource, Resource>;
  /** each resource's place in kustomize's output order */
  sortKeys: WeakMap<Resource, SortKey>;
  /** each kustomization's last joined resources list (render.ts joinParts), by its path, while it had no duplicate */
  joined: Map<string, Joined>;
  /** each root's last output through the steps (render.ts finishShared), while it kept every resource */
  finished: Map<string, Finished>;
  /** set by the render cache around each render */
  session?: MemoSession;
}

/** A kustomization's resources entries' lists, joined, and the ids in it. */
export interface Joined {
  parts: Resource[][];
  list: Resource[];
  ids: Set<string>;
  /** the kustomization file it was made from, in which session (RenderMemo.session), and its resource files' resources by entry */
  k: KustomizationFile;
  epoch: number | undefined;
  files: (Resource[] | undefined)[];
}

/**
 * The render cache's session (engine/scopes/renderCache.ts) during a render: its number, and when the render
 * keeps the last render's reads, whether a path answers as it did in the last session (the renderer may then
 * leave its question out).
 */
export interface MemoSession {
  epoch: number;
  sinceLast?: (path: string) => boolean;
}

/** A render's last resources, as output (`kept`: cleaned, position for position), each one's place in the sorted output, and the output. */
export interface Finished {
  resources: Resource[];
  kept: Resource[];
  place: Int32Array;
  objects: RenderedObject[];
}

export function newRenderMemo(): RenderMemo {
  return {
    parsed: new Map(),
    printed: new Map(),
    files: new Map(),
    kustomizations: new Map(),
    steps: new Map(),
    byObject: new WeakMap(),
    outputs: new WeakMap(),
    cleaned: new WeakMap(),
    sortKeys: new WeakMap(),
    joined: new Map(),
    finished: new Map(),
  };
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
