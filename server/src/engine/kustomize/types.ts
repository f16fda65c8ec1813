// The renderer's public types: the file access it needs from its caller, and what it returns.
import type { Finding } from '../model/types';

/** Read-only file access supplied by the caller (CLI, server, tests): the engine itself has no file system. */
export interface KustomizeFs {
  /** the file's text, or undefined when it does not exist or cannot be read */
  readFile(path: string): string | undefined;
  /** the names (not paths) in a directory, or undefined when it is not one */
  listDir(path: string): string[] | undefined;
  isDir(path: string): boolean;
}

export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

/** Where a rendered object came from. */
export interface ObjectOrigin {
  /** the resource file that declared it, or the kustomization whose generator made it */
  file: string;
  /** its document index in that file (0 for generated objects) */
  index: number;
  /** set for objects made by a configMapGenerator or secretGenerator */
  generator?: 'configMapGenerator' | 'secretGenerator';
  /** the kustomization files it passed through, innermost (the one that loaded it) first */
  kustomizations: string[];
  /** patch files (or `kustomization#patches[i]` for inline ones) applied to it, in order */
  patches: string[];
}

export interface RenderedObject {
  /** one YAML document, keys sorted as `kubectl kustomize` prints them */
  yaml: string;
  origin: ObjectOrigin;
}

export interface RenderResult {
  objects: RenderedObject[];
  /** errors and unsupported features, each on the kustomization line that caused it; never thrown */
  findings: Finding[];
}
