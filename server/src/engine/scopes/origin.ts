// Maps places in a scope's rendered YAML back to the files a person edits: the patch that set the field,
// the base document that declared it, or the kustomization line that added a label, prefix or namespace.
// Where no file holds the field, the nearest enclosing field of the source is given, marked approximate.
import { parseAllDocuments, type Document } from 'yaml';
import type { Finding, SourceRef } from '../model/types';
import { pathAt, rangeAt, type YamlPath } from './yamlPath';
import type { MappedRef, SourceOrigin } from './types';

interface Doc {
  /** its place in the whole rendered text (it ends at start + text.length) */
  start: number;
  /** its text (the whole text from start to its end) */
  text: string;
  /** its own URI when the analysis read it as a source of its own (RenderedObject) */
  uri?: string;
  origin?: SourceOrigin;
}

/** Kustomization fields that write a field of every object: the field's path tail -> where it is set. */
function kustomizationFieldsFor(path: YamlPath): YamlPath[] {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  if (path.length === 2 && path[0] === 'metadata' && last === 'name') return [['namePrefix'], ['nameSuffix']];
  if (path.length === 2 && path[0] === 'metadata' && last === 'namespace') return [['namespace']];
  if (typeof last === 'string' && path[0] === 'metadata' && parent === 'annotations') return [['commonAnnotations', last]];
  if (typeof last === 'string' && (parent === 'labels' || parent === 'matchLabels' || parent === 'selector' || parent === 'podSelector'))
    return [['commonLabels', last], ...[0, 1, 2, 3, 4, 5, 6, 7].map((i): YamlPath => ['labels', i, 'pairs', last])];
  return [];
}

export class OriginMap {
  /** rendered documents parsed so far, each on its own (a mapping parses only the objects it is asked about) */
  private readonly rendered = new Map<number, Document | undefined>();
  private readonly parsed = new Map<string, Document[] | undefined>();
  /** the document read under its own URI -> its index (shared with the next render's map when the URIs are the same) */

  private readonly byUri: Map<string, number>;

  /**
   * `carry`: the map of the previous render of the same scope, whose documents are these but for the ones at
   * `changed` (each under the same URI as before): its index by URI is shared, and so is its index by
   * source while the changed documents come from the same places.
   */
  constructor(
    readonly virtualUri: string,
    private readonly docs: readonly Doc[],
    /** the current text of a source file */
    private readonly textOf: (uri: string) => string | undefined,
    carry?: { from: OriginMap; changed: readonly number[] },
  ) {
    if (carry && carry.from.docs.length === docs.length) {
      this.byUri = carry.from.byUri;
      const was = carry.from.docs;
      if (carry.changed.every((k) => sameSources(was[k].origin, docs[k].origin))) {
        // the same index by source: the earlier map's, now or once it (or the first map it came from) makes one
        if (carry.from.bySource) this.bySource = carry.from.bySource;
        else this.sourcesFrom = carry.from.sourcesFrom ?? carry.from;
      }
      return;
    }
    this.byUri = new Map();
    docs.forEach((d, k) => {
      if (d.uri !== undefined) this.byUri.set(d.uri, k);
    });
  }

  /** Rendered document k, parsed alone: its places are relative to its start. */
  private renderedDoc(k: number): Document | undefined {
    if (!this.rendered.has(k)) {
      let doc: Document | undefined;
      try {
        doc = parseAllDocuments(this.docs[k].text)[0] as Document | undefined;
      } catch {
        doc = undefined;
      }
      this.rendered.set(k, doc);
    }
    return this.rendered.get(k);
  }

  /** The rendered document a place is in (in the whole text or in one object's source), and the offset in it. */
  private locate(ref: SourceRef): { k: number; offset: number } | undefined {
    const own = this.byUri.get(ref.uri);
    if (own !== undefined) return { k: own, offset: ref.start };
    if (ref.uri !== this.virtualUri) return undefined;
    const k = this.docIndexAt(ref.start);
    return k < 0 ? undefined : { k, offset: ref.start - this.docs[k].start };
  }

  /** The document holding an offset of the whole text (binary search: documents are in text order). */
  private docIndexAt(offset: number): number {
    let lo = 0;
    let hi = this.docs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const d = this.docs[mid];
      if (offset < d.start) hi = mid - 1;
      else if (offset >= d.start + d.text.length) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  /** Whether a URI is the whole rendered text or one of its objects read as a source of its own. */
  owns(uri: string): boolean {
    return uri === this.virtualUri || this.byUri.has(uri);
  }

  /** A place in one object's own source as the same place in the whole rendered text; other places unchanged. */
  toWhole(ref: SourceRef): SourceRef {
    const k = this.byUri.get(ref.uri);
    if (k === undefined) return ref;
    const s = this.docs[k].start;
    return { uri: this.virtualUri, start: s + ref.start, end: s + ref.end };
  }

  private sourceDocs(uri: string): Document[] | undefined {
    if (!this.parsed.has(uri)) {
      const t = this.textOf(uri);
      let docs: Document[] | undefined;
      try {
        docs = t === undefined ? undefined : (parseAllDocuments(t) as Document[]);
      } catch {
        docs = undefined;
      }
      this.parsed.set(uri, docs);
    }
    return this.parsed.get(uri);
  }

  /** The origin of the rendered object at an offset of the virtual text. */
  originAt(offset: number): SourceOrigin | undefined {
    const k = this.docIndexAt(offset);
    return k < 0 ? undefined : this.docs[k].origin;
  }

  /** A place in the rendered text (or in one rendered object's own source) mapped to its source; other URIs unchanged. */
  map(ref: SourceRef): MappedRef {
    if (!this.owns(ref.uri)) return ref;
    const at = this.locate(ref);
    const origin = at ? this.docs[at.k].origin : undefined;
    if (!at || !origin) return { ...this.toWhole(ref), approximate: true };
    const doc = this.renderedDoc(at.k);
    const { path, onKey } = doc ? pathAt(doc, at.offset) : { path: [], onKey: false };
    if (origin.template) return this.inTemplate(origin, path, onKey);
    // the last patch that holds the field set it
    for (const p of [...origin.patches].reverse()) {
      if (p.includes('#')) continue;
      const hit = this.inPatch(p, path, onKey);
      if (hit) return hit;
    }
    const base = origin.generator ? undefined : this.sourceDocs(origin.uri)?.[origin.index];
    const inBase = base ? rangeAt(base, path, onKey) : undefined;
    if (inBase?.found) return { uri: origin.uri, start: inBase.start, end: inBase.end };
    for (const kz of origin.kustomizations) {
      const kdoc = this.sourceDocs(kz)?.[0];
      if (!kdoc) continue;
      for (const field of kustomizationFieldsFor(path)) {
        const r = rangeAt(kdoc, field, field.length === 1 ? false : true);
        if (r?.found) return { uri: kz, start: r.start, end: r.end };
      }
    }
    if (origin.generator) {
      const kdoc = this.sourceDocs(origin.uri)?.[0];
      const r = kdoc ? rangeAt(kdoc, [origin.generator], true) : undefined;
      return { uri: origin.uri, start: r?.start ?? 0, end: r?.end ?? 0, approximate: true };
    }
    if (inBase) return { uri: origin.uri, start: inBase.start, end: inBase.end, approximate: true };
    return { uri: origin.uri, start: 0, end: 0, approximate: true };
  }

  /** The same field in the Helm template that printed the object (or the template's start); always approximate. */
  private inTemplate(origin: SourceOrigin, path: YamlPath, onKey: boolean): MappedRef {
    const text = this.textOf(origin.uri) ?? '';
    const kind = origin.template?.kind;
    const says = new RegExp(`^kind:\\s*["']?${kind}["']?\\s*$`, 'm');
    const pick = <T>(all: T[], body: (x: T) => string): T | undefined => {
      const ofKind = kind ? all.filter((x) => says.test(body(x))) : all;
      return ofKind[origin.index] ?? ofKind[0] ?? all[0];
    };
    const docs = this.sourceDocs(origin.uri) ?? [];
    if (docs.every((d) => d.errors.length === 0)) {
      const d = pick(docs, (x) => text.slice(x.range?.[0] ?? 0, x.range?.[2] ?? 0));
      const r = d ? rangeAt(d, path, onKey) : undefined;
      if (r?.found) return { uri: origin.uri, start: r.start, end: r.end, approximate: true };
    }
    // template directives often keep the YAML parser from reading it: the field's key as a line of its text
    const chunks: { from: number; body: string }[] = [];
    const sep = /^---.*$/gm;
    let from = 0;
    for (let m = sep.exec(text); m; m = sep.exec(text)) {
      chunks.push({ from, body: text.slice(from, m.index) });
      from = m.index + m[0].length;
    }
    chunks.push({ from, body: text.slice(from) });
    const chunk = pick(chunks, (c) => c.body) ?? { from: 0, body: text };
    for (const k of path.filter((x): x is string => typeof x === 'string').reverse()) {
      const m = new RegExp(`^[ \\t-]*(${k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}):`, 'm').exec(chunk.body);
      if (m) {
        const start = chunk.from + m.index + m[0].length - k.length - 1;
        return { uri: origin.uri, start, end: start + k.length, approximate: true };
      }
    }
    return { uri: origin.uri, start: chunk.from, end: chunk.from, approximate: true };
  }

  private inPatch(uri: string, path: YamlPath, onKey: boolean): MappedRef | undefined {
    for (const d of this.sourceDocs(uri) ?? []) {
      const js = d.toJS() as unknown;
      if (Array.isArray(js)) {
        // JSON 6902: the operation whose path is the field or one of its parents
        const pointer = '/' + path.map((s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
        for (let i = js.length - 1; i >= 0; i--) {
          const op = js[i] as { path?: unknown; op?: unknown };
          if (typeof op?.path !== 'string' || op.op === 'remove' || op.op === 'test') continue;
          if (pointer === op.path || pointer.startsWith(op.path + '/')) {
            const r = rangeAt(d, [i, 'value'], false) ?? rangeAt(d, [i], false);
            if (r) return { uri, start: r.start, end: r.end };
          }
        }
        continue;
      }
      const r = rangeAt(d, path, onKey);
      if (r?.found && path.length > 0 && !(path.length <= 2 && path[0] === 'metadata' && (path[1] === 'name' || path.length === 1)))
        return { uri, start: r.start, end: r.end };
    }
    return undefined;
  }

  /**
   * A place in a source file (a base, a patch) as a place in the rendered text: the same field of the
   * first rendered object that came from that document. Undefined when no rendered object came from it.
   */
  toRendered(uri: string, offset: number): number | undefined {
    const src = this.sourceDocs(uri);
    if (!src) return undefined;
    const index = src.findIndex((d) => {
      const r = (d as { range?: [number, number, number] }).range;
      return r !== undefined && offset >= r[0] && offset <= r[2];
    });
    if (index < 0) return undefined;
    const { path, onKey } = pathAt(src[index], offset);
    for (let k = 0; k < this.docs.length; k++) {
      const o = this.docs[k].origin;
      if (!o) continue;
      const fromBase = o.uri === uri && o.index === index && !o.generator;
      if (!fromBase && !o.patches.includes(uri)) continue;
      const doc = this.renderedDoc(k);
      const r = doc ? rangeAt(doc, path, onKey) : undefined;
      if (r?.found) return this.docs[k].start + r.start;
    }
    return undefined;
  }

  /** The same as toRendered, as a place in the rendered object's own source (RenderedObject). */
  toObject(uri: string, offset: number): { uri: string; offset: number } | undefined {
    const at = this.toRendered(uri, offset);
    if (at === undefined) return undefined;
    const k = this.docIndexAt(at);
    const own = k < 0 ? undefined : this.docs[k].uri;
    return own === undefined ? { uri: this.virtualUri, offset: at } : { uri: own, offset: at - this.docs[k].start };
  }

  /**
   * The rendered documents whose places can map to a source file: those from its documents, patched by it,
   * or passing through it as a kustomization (the URIs `map` answers with); for the whole text's URI, those
   * with no origin. Indexes into the documents, in order.
   */
  docsMappingTo(uri: string): number[] {
    return this.sources().get(uri) ?? [];
  }

  private bySource?: Map<string, number[]>;
  /** an earlier map of the same scope whose documents come from the same sources, position for position */
  private sourcesFrom?: OriginMap;

  private sources(): Map<string, number[]> {
    if (!this.bySource) {
      this.bySource = this.sourcesFrom ? this.sourcesFrom.sources() : this.indexSources();
      this.sourcesFrom = undefined;
    }
    return this.bySource;
  }

  private indexSources(): Map<string, number[]> {
    const out = new Map<string, number[]>();
    const add = (u: string, k: number) => {
      const list = out.get(u);
      if (!list) out.set(u, [k]);
      else if (list[list.length - 1] !== k) list.push(k);
    };
    this.docs.forEach((d, k) => {
      const o = d.origin;
      if (!o) return add(this.virtualUri, k);
      add(o.uri, k);
      for (const p of o.patches) if (!p.includes('#')) add(p, k);
      for (const kz of o.kustomizations) add(kz, k);
    });
    return out;
  }

  /** The URI document k is read under (its own, else the whole text's). */
  uriOfDoc(k: number): string {
    return this.docs[k].uri ?? this.virtualUri;
  }

  get docCount(): number {
    return this.docs.length;
  }

  /** A finding with its places (and related places) mapped. */
  mapFinding(f: Finding): Finding {
    const ref = this.map(f.ref);
    const related = f.related?.map((r) => ({ ...r, ref: this.map(r.ref) }));
    const out: Finding = { ...f, ref: stripApprox(ref), ...(related ? { related } : {}) };
    if (ref.approximate) out.message = `${f.message} (found in the rendered object; this place is approximate)`;
    return out;
  }
}

/** Whether two origins put a document under the same sources (docsMappingTo). */
function sameSources(a: SourceOrigin | undefined, b: SourceOrigin | undefined): boolean {
  if (!a || !b) return a === b;
  const same = (x: readonly string[], y: readonly string[]) => x.length === y.length && x.every((v, i) => v === y[i]);
  return a.uri === b.uri && same(a.patches, b.patches) && same(a.kustomizations, b.kustomizations);
}

function stripApprox(r: MappedRef): SourceRef {
  return { uri: r.uri, start: r.start, end: r.end };
}
