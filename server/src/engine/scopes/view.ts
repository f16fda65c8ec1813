// A scope as the analysis reads it: the loose files themselves, or a rendered scope's objects as one
// virtual YAML file (`netlens-scope:` URI) whose places map back to the sources through an OriginMap.
import type { SourceText } from '../index';
import type { Finding } from '../model/types';
import type { ObjectOrigin, RenderResult } from '../kustomize';
import { printStream } from '../kustomize';
import { OriginMap } from './origin';
import type { HelmRenderer, Scope, ScopeInput, ScopeRender, SourceOrigin } from './types';
import type { KustomizeRenderCache } from './renderCache';

export const SCOPE_URI_SCHEME = 'netlens-scope';
export const HELM_NOT_RENDERED = 'helm-not-rendered';

export interface ScopeView {
  scope: Scope;
  sources: SourceText[];
  /** set for rendered scopes */
  origins?: OriginMap;
  /** the renderer's own findings (bad kustomization lines, a chart not rendered) */
  findings: Finding[];
  /** the rendered objects as `kubectl kustomize` prints them (rendered scopes) */
  rendered?: string;
  /**
   * rendered scopes: each object as its own source (the language server reads them one by one, so an edit
   * re-reads only the objects whose rendered text changed); `sources` is the same objects as one text
   */
  objects?: RenderedObject[];
}

/** One rendered object as a source of its own: a stable URI (scope + where it came from), its text, its place in the whole. */
export interface RenderedObject {
  uri: string;
  text: string;
  /** its offset in the scope's whole rendered text (`sources[0]`) */
  start: number;
  origin?: SourceOrigin;
}

/**
 * The URI of a rendered object: the scope's virtual URI, then the source document it came from (its file and
 * document index, or the generator), so that it stays the same while that object is edited.
 */
function objectUri(scopePart: string, o: SourceOrigin | undefined, k: number, encoded: Map<string, string>): string {
  if (!o) return `${SCOPE_URI_SCHEME}:/${scopePart}/%23${k}`;
  // kept per origin (an unchanged object keeps its SourceOrigin): the same string, hashed once, for the server's maps
  const had = objectUris.get(o);
  if (had?.scopePart === scopePart) return had.uri;
  const uri = objectUriOf(scopePart, o, k, encoded);
  objectUris.set(o, { scopePart, uri });
  return uri;
}

const objectUris = new WeakMap<SourceOrigin, { scopePart: string; uri: string }>();

function objectUriOf(scopePart: string, o: SourceOrigin | undefined, k: number, encoded: Map<string, string>): string {
  let key = `%23${k}`;
  if (o) {
    let uri = encoded.get(o.uri);
    if (uri === undefined) encoded.set(o.uri, (uri = encodeURIComponent(o.uri)));
    key = `${uri}%23${o.index}`;
    if (o.generator !== undefined) key += `%40${encodeURIComponent(o.generator)}`;
    if (o.template?.kind !== undefined) key += `%3A${encodeURIComponent(o.template.kind)}`;
  }
  return `${SCOPE_URI_SCHEME}:/${scopePart}/${key}`;
}

/** `${base}.yaml`, the same string for the same base string while it is kept (an object URI's usual form). */
const withYamlMemo = new Map<string, string>();

function withYaml(base: string): string {
  let out = withYamlMemo.get(base);
  if (out === undefined) {
    if (withYamlMemo.size >= 200_000) withYamlMemo.clear();
    withYamlMemo.set(base, (out = `${base}.yaml`));
  }
  return out;
}

export function virtualUriOf(scopeId: string): string {
  return `${SCOPE_URI_SCHEME}:/${encodeURIComponent(scopeId)}.yaml`;
}

export function isVirtualUri(uri: string): boolean {
  return uri.startsWith(`${SCOPE_URI_SCHEME}:`);
}

/**
 * Each render origin's origin in URIs, kept while the URIs of its paths are the same: the incremental
 * render gives an unchanged object the same origin, so the objects an edit did not change keep their
 * SourceOrigin (and their object URI, below) without new strings.
 */
const sourceOrigins = new WeakMap<ObjectOrigin, SourceOrigin>();

function sameUris(had: string[], paths: string[], uri: (p: string) => string): boolean {
  if (had.length !== paths.length) return false;
  for (let i = 0; i < had.length; i++) if (had[i] !== uri(paths[i])) return false;
  return true;
}

/** Changed objects beyond this many: a render's view is made from the start. */
const MAX_CHANGED = 256;

/**
 * A Kustomize render with its paths as URIs. `last`: the previous render of the same scope and what this
 * gave for it, with the same files (so the same URIs): the objects that are the same come over as they are.
 */
export function kustomizeScopeRender(
  result: RenderResult,
  input: ScopeInput,
  last?: { result: RenderResult; render: ScopeRender },
): ScopeRender {
  let byPath: Map<string, string> | undefined;
  const uri = (p: string): string => {
    const hash = p.indexOf('#');
    const file = hash < 0 ? p : p.slice(0, hash);
    byPath ??= urisByPath(input);
    return (byPath.get(file) ?? input.uriOf(file)) + (hash < 0 ? '' : p.slice(hash));
  };
  const sourceOrigin = (o: ObjectOrigin): SourceOrigin => {
    const had = sourceOrigins.get(o);
    if (had && had.uri === uri(o.file) && sameUris(had.kustomizations, o.kustomizations, uri) && sameUris(had.patches, o.patches, uri))
      return had;
    const made: SourceOrigin = {
      uri: uri(o.file),
      index: o.index,
      ...(o.generator ? { generator: o.generator } : {}),
      kustomizations: o.kustomizations.map(uri),
      patches: o.patches.map(uri),
    };
    sourceOrigins.set(o, made);
    return made;
  };
  const findings = result.findings.map((f) => ({ ...f, ref: { ...f.ref, uri: uri(f.ref.uri) } }));
  const was = last?.result.objects;
  if (was && last.render.objects.length === was.length && was.length === result.objects.length) {
    const changed = changedPositions(result.objects, was);
    if (changed) {
      if (changed.length === 0) return { objects: last.render.objects, findings };
      const objects = last.render.objects.slice();
      for (const i of changed) objects[i] = { yaml: result.objects[i].yaml, origin: sourceOrigin(result.objects[i].origin) };
      return { objects, findings };
    }
  }
  return { objects: result.objects.map((o) => ({ yaml: o.yaml, origin: sourceOrigin(o.origin) })), findings };
}

/** Each file's URI by path; kept while the files are the same (ScopeInput.filesKey). */
function urisByPath(input: ScopeInput): Map<string, string> {
  let m = input.filesKey ? uriMaps.get(input.filesKey) : undefined;
  if (!m) {
    m = new Map(input.files.map((f) => [f.path, f.uri]));
    if (input.filesKey) uriMaps.set(input.filesKey, m);
  }
  return m;
}

const uriMaps = new WeakMap<object, Map<string, string>>();

/** The positions where two lists of the same length hold other objects, or undefined when they are many. */
function changedPositions<T>(now: readonly T[], was: readonly T[]): number[] | undefined {
  const out: number[] = [];
  for (let i = 0; i < now.length; i++)
    if (now[i] !== was[i]) {
      out.push(i);
      if (out.length > MAX_CHANGED) return undefined;
    }
  return out;
}

/**
 * The objects of a render from the previous view of the same scope (`last`), when few objects changed and
 * each keeps its URI; undefined otherwise. `changed` receives the positions redone.
 */
function objectsAfter(
  scopePart: string,
  render: ScopeRender,
  last: { render: ScopeRender; view: ScopeView },
  changed: number[],
): RenderedObject[] | undefined {
  const was = last.view.objects;
  if (!was || was.length !== render.objects.length || last.render.objects.length !== was.length) return undefined;
  const at = changedPositions(render.objects, last.render.objects);
  if (!at) return undefined;
  const objects = was.slice();
  const encoded = new Map<string, string>();
  let from = objects.length;
  for (const k of at) {
    const o = render.objects[k];
    const uri = withYaml(objectUri(scopePart, o.origin, k, encoded));
    if (uri !== was[k].uri) return undefined;
    objects[k] = { uri, text: o.yaml, start: was[k].start, ...(o.origin ? { origin: o.origin } : {}) };
    if (o.yaml.length !== was[k].text.length) from = Math.min(from, k);
    changed.push(k);
  }
  // a text of another length moves the objects after it in the whole text
  for (let k = from; k < objects.length; k++) {
    const start = k === 0 ? 0 : objects[k - 1].start + objects[k - 1].text.length + '---\n'.length;
    if (start !== objects[k].start) objects[k] = { ...objects[k], start };
  }
  return objects;
}

/**
 * The view of a rendered scope: one virtual file, its origin map, the renderer's findings. `last`: the
 * previous render of the same scope and its view (objects that did not change keep their RenderedObject).
 */
export function renderedView(
  scope: Scope,
  render: ScopeRender,
  textOf: (uri: string) => string | undefined,
  last?: { render: ScopeRender; view: ScopeView },
): ScopeView {
  const scopePart = encodeURIComponent(scope.id);
  const changed: number[] = [];
  const carried = last && last.view.scope.id === scope.id ? objectsAfter(scopePart, render, last, changed) : undefined;
  let objects: RenderedObject[];
  if (carried) objects = carried;
  else {
    objects = [];
    const taken = new Map<string, number>();
    const encoded = new Map<string, string>();
    let at = 0;
    render.objects.forEach((o, k) => {
      // two objects from one source document (Helm's output can repeat one): the later ones numbered
      const base = objectUri(scopePart, o.origin, k, encoded);
      const n = taken.get(base) ?? 0;
      taken.set(base, n + 1);
      const uri = n === 0 ? withYaml(base) : `${base}/${n}.yaml`;
      objects.push({ uri, text: o.yaml, start: at, ...(o.origin ? { origin: o.origin } : {}) });
      at += o.yaml.length + '---\n'.length;
    });
  }
  const uri = virtualUriOf(scope.id);
  // the whole text only when asked (the CLI, `netlens render`): the language server reads the objects
  let text: string | undefined;
  const whole = (): string => (text ??= printStream(render.objects.map((o) => o.yaml)));
  return {
    scope,
    get sources() {
      return [{ uri, text: whole() }];
    },
    origins: new OriginMap(uri, objects, textOf, carried && last?.view.origins ? { from: last.view.origins, changed } : undefined),
    findings: render.findings,
    get rendered() {
      return whole();
    },
    objects,
  };
}

/** Renders a scope; a Helm scope without a renderer is one finding on its Chart.yaml. */
export async function viewScope(
  scope: Scope,
  input: ScopeInput,
  cache: KustomizeRenderCache,
  helm: HelmRenderer | undefined,
): Promise<ScopeView> {
  const byPath = new Map(input.files.map((f) => [f.path, f]));
  const textOf = (uri: string): string | undefined => readByUri(input, uri);
  if (scope.kind === 'loose') {
    const sources: SourceText[] = [];
    for (const p of scope.files) {
      const f = byPath.get(p);
      if (f) sources.push({ uri: f.uri, text: f.text, ...(f.chart ? { chart: f.chart } : {}) });
    }
    return { scope, sources, findings: [] };
  }
  if (scope.kind === 'kustomize') return renderedView(scope, kustomizeScopeRender(cache.render(input.fs, scope.root), input), textOf);
  const chartFile = `${scope.root}/Chart.yaml`;
  const chartUri = byPath.get(chartFile)?.uri ?? input.uriOf(chartFile);
  if (!helm)
    return {
      scope,
      sources: [],
      findings: [
        {
          code: HELM_NOT_RENDERED,
          severity: 'info',
          message: `Helm chart not rendered: no Helm renderer is available here (set netlens.helm.path in a trusted workspace), so scope ${scope.id} has no objects`,
          ref: { uri: chartUri, start: 0, end: 0 },
        },
      ],
    };
  let render: ScopeRender;
  try {
    render = await helm({ scopeId: scope.id, chart: scope.root, ...(scope.values ? { values: scope.values } : {}) });
  } catch (e) {
    return {
      scope,
      sources: [],
      findings: [
        {
          code: HELM_NOT_RENDERED,
          severity: 'warning',
          message: `Helm chart not rendered: ${e instanceof Error ? e.message : String(e)}`,
          ref: { uri: chartUri, start: 0, end: 0 },
        },
      ],
    };
  }
  return renderedView(scope, render, textOf);
}

/** A source's text by URI for files outside the walked set (patches, generator inputs). */
function readByUri(input: ScopeInput, uri: string): string | undefined {
  for (const f of input.files) if (f.uri === uri) return f.text;
  const m = /^file:\/\/(.*)$/.exec(uri);
  if (!m) return undefined;
  try {
    return input.fs.readFile(decodeURIComponent(m[1]));
  } catch {
    return undefined;
  }
}
