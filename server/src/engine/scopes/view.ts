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

/** A Kustomize render with its paths as URIs. */
export function kustomizeScopeRender(result: RenderResult, input: ScopeInput): ScopeRender {
  const byPath = new Map(input.files.map((f) => [f.path, f.uri]));
  const uri = (p: string): string => {
    const hash = p.indexOf('#');
    const file = hash < 0 ? p : p.slice(0, hash);
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
  return {
    objects: result.objects.map((o) => ({ yaml: o.yaml, origin: sourceOrigin(o.origin) })),
    findings: result.findings.map((f) => ({ ...f, ref: { ...f.ref, uri: uri(f.ref.uri) } })),
  };
}

/** The view of a rendered scope: one virtual file, its origin map, the renderer's findings. */
export function renderedView(scope: Scope, render: ScopeRender, textOf: (uri: string) => string | undefined): ScopeView {
  const objects: RenderedObject[] = [];
  const taken = new Map<string, number>();
  const encoded = new Map<string, string>();
  const scopePart = encodeURIComponent(scope.id);
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
  const uri = virtualUriOf(scope.id);
  // the whole text only when asked (the CLI, `netlens render`): the language server reads the objects
  let text: string | undefined;
  const whole = (): string => (text ??= printStream(render.objects.map((o) => o.yaml)));
  return {
    scope,
    get sources() {
      return [{ uri, text: whole() }];
    },
    origins: new OriginMap(
      uri,
      objects.map((o) => ({
        start: o.start,
        end: o.start + o.text.length,
        text: o.text,
        uri: o.uri,
        ...(o.origin ? { origin: o.origin } : {}),
      })),
      textOf,
    ),
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
