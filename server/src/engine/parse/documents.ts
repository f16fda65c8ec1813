// Splits a manifest file into Kubernetes objects (multi-document YAML, JSON, `kind: List`,
// typed lists such as PodList whose items may lack `kind`), keeping the AST for source ranges.
// Whatever cannot be used becomes a Skip (with a reason) or a Finding (with a range); never an exception.
import { Composer, Parser, isAlias, isDocument, isMap, isScalar, isSeq, visit, type CST, type Document, type YAMLMap } from 'yaml';
import { TOO_DEEP, fastCompose, fastDocEnd, type LightDoc } from './fastCompose';
import { fastScan } from './fastScan';
import type { CniInfo, DnsConfigSource, Finding, Skip, SourceRef } from '../model/types';
import { get, items, refOf, str } from './yamlNodes';

/** A composed YAML document: yaml's own, or the fast path's (which never holds aliases). */
export type ParsedDoc = Document.Parsed | LightDoc;

export interface ManifestObject {
  uri: string;
  apiVersion: string;
  kind: string;
  node: YAMLMap;
  doc: ParsedDoc;
  ref: SourceRef;
}

export interface ParsedFile {
  uri: string;
  objects: ManifestObject[];
  skipped: Skip[];
  findings: Finding[];
  /** zones served by a standalone Corefile */
  corefiles?: { zone: string; ref: SourceRef }[];
  /** a standalone Corefile, read */
  dnsConfigs?: DnsConfigSource[];
  /** the text the objects' offsets refer to (to map offsets inside block scalars) */
  text?: string;
  /** a CNI config file's plugin */
  cni?: CniInfo;
}

// Go/Helm template actions: `{{ .Values.x }}`, `{{- if ... }}`.
const TEMPLATE = /\{\{-?\s*[^}]*\}\}/;
// Jinja statements: `{% for x in y %}`, `{%- endif -%}` (their `{{ }}` expressions match TEMPLATE).
const JINJA = /\{%-?\s*[^%]*%\}/;
// Kinds whose string values may legitimately hold template text for some other program.
const DATA_KINDS = new Set(['ConfigMap', 'Secret']);
export const MAX_FILE_CHARS = 20_000_000;
const YAML_OPTIONS = { prettyErrors: false, strict: false, uniqueKeys: true } as const;
/**
 * The yaml package composes nested collections recursively. Near the stack limit V8 can abort the
 * whole process (a fatal "RegExpCompiler Allocation failed", not a catchable RangeError; from about
 * 1,000 levels on Node 20), so deeper input is refused before it is composed. No manifest nests this deep.
 */
export const MAX_YAML_DEPTH = 256;

/** What the caller knows about the file's place (the engine has no file system). */
export interface ParseOptions {
  /** the file is under the `templates/` folder of this Helm chart (a `Chart.yaml` in a parent folder): its `{{ … }}` are Helm's */
  chart?: string;
}

export function parseManifestFile(uri: string, text: string, opts: ParseOptions = {}): ParsedFile {
  const out: ParsedFile = { uri, objects: [], skipped: [], findings: [] };
  if (text.length > MAX_FILE_CHARS) {
    out.skipped.push({ uri, reason: `file is larger than ${MAX_FILE_CHARS / 1_000_000} M characters` });
    return out;
  }
  if (text.includes('\u0000')) {
    out.skipped.push({ uri, reason: 'binary file (contains NUL bytes)' });
    return out;
  }
  const bad = text.indexOf('\uFFFD');
  if (bad >= 0) {
    out.findings.push({
      code: 'encoding',
      severity: 'warning',
      message: 'the file is not valid UTF-8 (U+FFFD replacement character here); Kubernetes reads manifests as UTF-8, so save it as UTF-8',
      ref: { uri, start: bad, end: bad + 1 },
    });
  }
  // A lone CR ends a line in YAML (and in the editor's LineIndex), but the yaml package only breaks
  // lines at LF: make CR-only files readable without moving any offset (includes() first: it is
  // about 10 times quicker than the regex on the files without any CR).
  if (text.includes('\r') && /\r(?!\n)/.test(text)) text = text.replace(/\r(?!\n)/g, '\n');
  let docs: ParsedDoc[] | undefined;
  try {
    docs = parseYaml(text);
  } catch (e) {
    out.skipped.push({ uri, reason: `cannot parse: ${(e as Error).message}` });
    return out;
  }
  if (!docs) {
    out.skipped.push({ uri, reason: `YAML nested more than ${MAX_YAML_DEPTH} levels deep; NetLens does not read it` });
    return out;
  }
  const retried = tabsAsSpaces(text, docs);
  if (retried) {
    docs = retried;
    out.findings.push({
      code: 'yaml-tabs',
      severity: 'warning',
      message:
        'tab characters in this file are invalid in strict YAML here; NetLens reads each as a space (as Go YAML readers accept tabs inside flow collections); replace them with spaces',
      ref: { uri, start: text.indexOf('\t'), end: text.indexOf('\t') + 1 },
    });
  }
  out.text = text;
  docs.forEach((doc, index) => readDocument(out, text, doc, index, opts));
  return out;
}

const fatalCount = (docs: ParsedDoc[]) => docs.reduce((n, d) => n + d.errors.filter((e) => e.code !== 'DUPLICATE_KEY').length, 0);

/**
 * Go's YAML reader (kubectl's) accepts tabs where strict YAML does not. When a file with tabs has
 * errors, read it again with each tab as one space (offsets stay the same) and keep that reading
 * if it has no errors.
 */
function tabsAsSpaces(text: string, docs: ParsedDoc[]): ParsedDoc[] | undefined {
  if (!text.includes('\t') || fatalCount(docs) === 0) return undefined;
  try {
    const list = parseYaml(text.replace(/\t/g, ' '));
    return list && fatalCount(list) === 0 ? list : undefined;
  } catch {
    return undefined;
  }
}

/** All YAML documents of the text (as parseAllDocuments), or undefined when it nests deeper than MAX_YAML_DEPTH. */
export function parseYaml(text: string): ParsedDoc[] | undefined {
  // The fast scan (parse/fastScan.ts) reads the plain block YAML of most manifests straight from the
  // text, into the nodes the CST path would build; it declines the whole text on anything else.
  return fastScan(text, MAX_YAML_DEPTH) ?? parseYamlCst(text);
}

/** parseYaml() through yaml's CST: the path for every text, and the fast scan's reference in tests. */
export function parseYamlCst(text: string): ParsedDoc[] | undefined {
  // The CST parser is iterative, so it is safe at any depth. The fast path (parse/fastCompose.ts)
  // composes each document as the parser yields it (the parser is done with a token it yields), and
  // counts levels as it goes. When it declines a document, or anything between documents (directives,
  // errors) needs yaml's Composer, the whole file goes there.
  const tabs = text.includes('\t');
  const tokens: CST.Token[] = [];
  let docs: LightDoc[] | undefined = [];
  for (const t of new Parser().parse(text)) {
    tokens.push(t);
    if (!docs) continue;
    if (t.type === 'document') {
      const d = fastCompose(t, MAX_YAML_DEPTH, tabs);
      if (d === TOO_DEEP) return undefined;
      if (d) docs.push(d);
      else docs = undefined;
    } else if (t.type === 'doc-end') {
      if (docs.length === 0 || !fastDocEnd(docs[docs.length - 1], t)) docs = undefined;
    } else if (t.type !== 'comment' && t.type !== 'newline' && t.type !== 'space' && t.type !== 'byte-order-mark') docs = undefined;
  }
  if (docs) return docs;
  // The Composer recurses: check each document's CST before composing it (the fast path stops at
  // the first thing it declines, so it may not have seen them all).
  for (const t of tokens) if (nestingDepth(t) > MAX_YAML_DEPTH) return undefined;
  return Array.from(new Composer(YAML_OPTIONS).compose(tokens)) as Document.Parsed[];
}

/** Levels of nested collections in a CST token (walked without recursion), stopping once past the limit. */
function nestingDepth(token: CST.Token): number {
  let max = 0;
  // each entry: a token and the number of collections around it
  const stack: [CST.Token, number][] = [[token, 0]];
  while (stack.length > 0) {
    const [t, outer] = stack.pop()!;
    if (t.type === 'document') {
      if (t.value) stack.push([t.value, outer]);
    } else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      const level = outer + 1;
      if (level > max && (max = level) > MAX_YAML_DEPTH) return max;
      for (const item of t.items as { key?: CST.Token | null; value?: CST.Token }[]) {
        if (item.key) stack.push([item.key, level]);
        if (item.value) stack.push([item.value, level]);
      }
    }
  }
  return max;
}

function readDocument(out: ParsedFile, text: string, doc: ParsedDoc, index: number, opts: ParseOptions): void {
  const uri = out.uri;
  const [start, , end] = doc.range;
  const docRef: SourceRef = { uri, start, end: Math.max(start, end) };
  const source = text.slice(start, end);
  const contents = doc.contents;
  const kind = isMap(contents) ? str(get(contents, 'kind')) : undefined;
  const templated = hasTemplate(source);
  if (templated && opts.chart) {
    const reason = `document ${index + 1} is a template of the Helm chart ${opts.chart} (templates/); render it (helm template) to analyse it`;
    out.skipped.push({ uri, reason, ref: docRef });
    return;
  }
  // `{{ … }}` inside a string that parses is data (an annotation, an alert text for Prometheus):
  // only template syntax that breaks the YAML or builds its structure makes a template.
  if (templated && !(kind && DATA_KINDS.has(kind) && doc.errors.length === 0) && !(doc.errors.length === 0 && onlyInStrings(doc, text))) {
    const reason =
      templated === 'jinja'
        ? `document ${index + 1} is a Jinja template ({% … %}); render it to analyse it`
        : `document ${index + 1} is a Helm/Go template ({{ … }}); render it (helm template) to analyse it`;
    out.skipped.push({ uri, reason, ref: docRef });
    return;
  }
  const fatal = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  for (const e of doc.errors) {
    // errors at the end of the text (an unclosed quote or bracket) point one past it: clamp
    const s = Math.min(e.pos?.[0] ?? start, text.length);
    const t = Math.min(Math.max(e.pos?.[1] ?? s, s + 1), text.length);
    out.findings.push({
      code: e.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'yaml-syntax',
      severity: e.code === 'DUPLICATE_KEY' ? 'warning' : 'error',
      message: firstLine(e.message),
      ref: { uri, start: s, end: t },
    });
  }
  if (fatal.length > 0) {
    out.skipped.push({ uri, reason: `document ${index + 1} has YAML errors: ${firstLine(fatal[0].message)}`, ref: docRef });
    return;
  }
  if (contents === null || contents === undefined || (isScalar(contents) && isEmptyScalar(contents))) return; // empty document
  if (!isMap(contents)) {
    const what = isSeq(contents) ? 'a list, e.g. a JSON array or a JSON 6902 patch' : 'not a map';
    out.skipped.push({ uri, reason: `document ${index + 1} is not a Kubernetes object (${what})`, ref: docRef });
    return;
  }
  if (isDocument(doc)) resolveAliases(doc, source); // the fast path declines documents with aliases
  readObject(out, doc, contents, undefined, `document ${index + 1}`);
}

// More aliases than this in one document (an "alias bomb") are left unresolved.
const MAX_ALIASES = 200;

// Resolving aliases must not let readers walk more nodes than this (a "billion laughs" stays unresolved).
const MAX_EXPANDED_NODES = 20_000;

/** How many nodes the document would have with every alias expanded (memoized, so cheap on bombs). */
function expandedSize(doc: Document.Parsed): number {
  const memo = new Map<unknown, number>();
  const size = (n: unknown, depth: number): number => {
    if (depth > 64) return MAX_EXPANDED_NODES + 1;
    const node = isAlias(n) ? n.resolve(doc) : n;
    if (!node || typeof node !== 'object') return 1;
    const known = memo.get(node);
    if (known !== undefined) return known;
    memo.set(node, MAX_EXPANDED_NODES + 1); // a cycle counts as too big
    let total = 1;
    if (isMap(node)) for (const p of node.items) total += size(p.value, depth + 1);
    else if (isSeq(node)) for (const it of node.items) total += size(it, depth + 1);
    total = Math.min(total, MAX_EXPANDED_NODES + 1);
    memo.set(node, total);
    return total;
  };
  return size(doc.contents, 0);
}

/** Replaces `*alias` nodes by the nodes they name, so readers see the values (shared, never copied). */
function resolveAliases(doc: Document.Parsed, source: string): void {
  if (!source.includes('*')) return;
  // Every alias's target is found in one walk before anything is replaced: Alias.resolve(doc) walks the
  // whole document on each call, and once aliases are replaced that walk expands the shared nodes (nested
  // aliases under MAX_ALIASES took seconds). Same rule as resolve(): the last anchor before the alias.
  let count = 0;
  const anchors = new Map<string, unknown>();
  const targets = new Map<unknown, unknown>();
  visit(doc, {
    Node: (_key, n) => {
      if (isAlias(n)) {
        count++;
        if (anchors.has(n.source)) targets.set(n, anchors.get(n.source));
      } else if (n.anchor) anchors.set(n.anchor, n);
    },
  });
  if (count === 0 || count > MAX_ALIASES || expandedSize(doc) > MAX_EXPANDED_NODES) return;
  // Each node is walked once: after replacement the tree is a DAG, which a plain walk would expand.
  const seen = new Set<unknown>();
  const target = (n: unknown) => (isAlias(n) ? (targets.get(n) ?? n) : n);
  const walk = (node: unknown): void => {
    if (!node || seen.has(node)) return;
    seen.add(node);
    if (isMap(node)) {
      for (const p of node.items) {
        p.value = target(p.value) as typeof p.value;
        walk(p.value);
      }
    } else if (isSeq(node)) {
      node.items.forEach((it, i) => {
        node.items[i] = target(it);
        walk(node.items[i]);
      });
    }
  };
  walk(doc.contents);
}

function readObject(
  out: ParsedFile,
  doc: ParsedDoc,
  node: YAMLMap,
  inherited: { apiVersion?: string; kind?: string } | undefined,
  where: string,
): void {
  const uri = out.uri;
  const ref = refOf(uri, node, { uri, start: 0, end: 0 });
  const kind = str(get(node, 'kind')) ?? inherited?.kind;
  const apiVersion = str(get(node, 'apiVersion')) ?? inherited?.apiVersion;
  if (!kind || !apiVersion) {
    out.skipped.push({ uri, reason: `${where} is not a Kubernetes object (no apiVersion and kind)`, ref });
    return;
  }
  if (kind.endsWith('List') && get(node, 'items') !== undefined) {
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    items(get(node, 'items')).forEach((item, i) => {
      if (item && isMap(item)) readObject(out, doc, item, { apiVersion, kind: itemKind }, `${kind} item ${i + 1}`);
      else out.skipped.push({ uri, reason: `${kind} item ${i + 1} is not an object`, ref: refOf(uri, item, ref) });
    });
    return;
  }
  out.objects.push({ uri, apiVersion, kind, node, doc, ref });
}

const TEMPLATE_ALL = /\{\{-?\s*[^}]*\}\}|\{%-?\s*[^%]*%\}/g;

/** Every template action of the document (outside comments) lies inside a string scalar's value. */
function onlyInStrings(doc: ParsedDoc, text: string): boolean {
  const strings: [number, number][] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length) {
    const n = stack.pop();
    if (isScalar(n)) {
      if (typeof n.value === 'string' && n.range) strings.push([n.range[0], n.range[1]]);
    } else if (isMap(n) || isSeq(n)) {
      for (const it of n.items as unknown[]) {
        const pair = it as { key?: unknown; value?: unknown };
        if (pair && typeof pair === 'object' && 'key' in pair) stack.push(pair.key, pair.value);
        else stack.push(it);
      }
    }
  }
  const [start, , end] = doc.range;
  const source = text.slice(start, end);
  for (const m of source.matchAll(TEMPLATE_ALL)) {
    const at = start + m.index;
    const lineStart = text.lastIndexOf('\n', at - 1) + 1;
    if (text.slice(lineStart, at).trimStart().startsWith('#')) continue;
    if (!strings.some(([a, b]) => a <= at && at + m[0].length <= b)) return false;
  }
  return true;
}

function hasTemplate(source: string): 'helm' | 'jinja' | undefined {
  if (!source.includes('{{') && !source.includes('{%')) return undefined;
  let found: 'helm' | undefined;
  for (const line of source.split('\n')) {
    if (line.trimStart().startsWith('#')) continue;
    if (JINJA.test(line)) return 'jinja';
    if (TEMPLATE.test(line)) found = 'helm';
  }
  return found;
}

function isEmptyScalar(node: unknown): boolean {
  const v = (node as { value?: unknown }).value;
  return v === null || v === undefined || v === '';
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}
