// Analysis scopes: one cluster's view of a repository (a Kustomize overlay, a Helm chart with one values
// file, or the loose manifests). The engine sees files as {path, uri, text}: the caller knows the disk.
import type { Finding, SourceRef } from '../model/types';
import type { KustomizeFs } from '../kustomize';

export type ScopeKind = 'kustomize' | 'helm' | 'loose';

export interface Scope {
  /** stable and readable: `kustomize:overlays/prod`, `helm:charts/web@values-prod.yaml`, `loose` */
  id: string;
  kind: ScopeKind;
  /** the overlay's folder, the chart's folder, or the workspace root (a path) */
  root: string;
  /** the paths whose content this scope's objects come from, sorted */
  files: string[];
  /** a display name from the configuration */
  name?: string;
  /** helm: the values file (a path) */
  values?: string;
}

/** A file of the workspace. */
export interface ScopeFile {
  path: string;
  uri: string;
  text: string;
  /** the Helm chart whose templates/ folder holds it (read as a skipped template when loose) */
  chart?: string;
}

/** Where a rendered object came from, in URIs. */
export interface SourceOrigin {
  uri: string;
  /** document index in that file */
  index: number;
  /** set for objects made by a generator: `uri` is then the kustomization */
  generator?: string;
  /** the kustomization files it passed through, innermost first */
  kustomizations: string[];
  /** patch files applied to it in order (inline patches: the kustomization's URI) */
  patches: string[];
  /**
   * a Helm template printed it (places in `uri` are approximate: the template is not the rendered YAML);
   * `index` then counts the template's documents of this kind, since helm sorts its output by kind
   */
  template?: { kind?: string };
}

/** A scope rendered: its objects as YAML documents with their origins, and the renderer's findings. */
export interface ScopeRender {
  objects: { yaml: string; origin?: SourceOrigin }[];
  findings: Finding[];
}

/** Renders a Helm chart with one values file (plugged in by the caller: the engine runs nothing). */
export type HelmRenderer = (req: { scopeId: string; chart: string; values?: string }) => ScopeRender | Promise<ScopeRender>;

/** A place mapped back from a rendered object to its source; `approximate` when no field there set it. */
export type MappedRef = SourceRef & { approximate?: boolean };

/** What detection and rendering read: the workspace's files plus a KustomizeFs over the same content. */
export interface ScopeInput {
  files: readonly ScopeFile[];
  /** reads any file (generator inputs, patches) with open buffers winning over the disk */
  fs: KustomizeFs;
  /** the workspace roots (paths): ids are relative to them */
  roots: readonly string[];
  /** path -> URI for files outside `files` */
  uriOf(path: string): string;
  /**
   * the same object from one input to the next while `files` holds the same paths, URIs and charts (only
   * texts changed): scope detection then redoes only what the texts can change
   */
  filesKey?: object;
}
