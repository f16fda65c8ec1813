// A fast path for yaml's Composer: builds the node tree of one CST document directly, for the plain
// YAML that manifests use (block and flow collections, plain/quoted/block scalars, comments), and
// gives up (undefined) on everything else, so the caller composes that document with yaml's Composer.
//
// The tree is what `new Composer({ strict: false, uniqueKeys: true })` builds for the same document:
// the same classes, scalar values, types, formats and sources, the same `range` on every node and
// the same document range. It mirrors yaml 2.9.1's compose/*.js (resolve-props, resolve-block-map,
// resolve-block-seq, resolve-flow-collection, compose-scalar, resolve-end); each check that raises
// an error or warning there makes this decline instead, so a composed document never has any.
// Comments are not attached to nodes (commentBefore, comment, spaceBefore): nothing reads them.
//
// What the caller still does, at stream level (tokens outside documents):
// - falls back for the whole stream on any `directive` or `error` token (directives change the
//   schema and the Composer reports errors into the neighbouring document);
// - applies a following `...` marker with fastDocEnd(), as the Composer extends the document to it.
import { CST, Pair, Scalar, Schema, YAMLMap, YAMLSeq, isScalar, type Node, type ScalarTag, type YAMLError, type YAMLWarning } from 'yaml';

export interface LightDoc {
  contents: Node | null;
  range: [number, number, number];
  errors: YAMLError[];
  warnings: YAMLWarning[];
}

type SourceToken = CST.SourceToken;

/** Thrown where the fast path ends; fastCompose() turns it into undefined. */
class Decline extends Error {}
const decline = (): never => {
  throw new Decline();
};

// The YAML 1.2 core schema the default Document uses, and its typed scalars in Composer's test order
// (null, bool, int in octal/decimal/hex, .inf/.nan, exponent, float); anything else is a string.
const SCHEMA = new Schema({});
const TYPED = SCHEMA.tags.filter((t): t is ScalarTag => !t.collection && t.default === true && !!t.test);

/** The document composed from its CST, or undefined when it uses anything outside the fast path. */
export function fastCompose(doc: CST.Document, _text: string): LightDoc | undefined {
  try {
    const value = doc.value;
    const p = props(doc.start, { indicator: 'doc-start', offset: doc.offset, startOnNewline: true, flow: false, parentIndent: 0, next: value ?? doc.end?.[0] });
    // `--- key: v` (a block collection on the marker's line) is an error.
    if (p.found && !p.newline && (value?.type === 'block-map' || value?.type === 'block-seq')) decline();
    const contents = value ? node(value) : empty(p, doc.start);
    const contentEnd = contents.range![2];
    return { contents, range: [doc.offset, contentEnd, end(doc.end, contentEnd)], errors: [], warnings: [] };
  } catch {
    // Decline, or a CST shape this code does not expect: either way yaml's Composer knows better.
    return undefined;
  }
}

/**
 * Extends a fast-composed document to the `...` marker that follows it, as the Composer does.
 * False when the Composer would report an error there (fall back).
 */
export function fastDocEnd(doc: LightDoc, token: CST.DocumentEnd): boolean {
  try {
    doc.range[2] = end(token.end, token.offset + token.source.length);
    return true;
  } catch {
    return false;
  }
}

interface Props {
  /** the indicator (`---`, `-`, `:`) was there */
  found: boolean;
  comma: boolean;
  comment: boolean;
  newline: boolean;
  /** where the tokens end */
  end: number;
}

interface PropsContext {
  indicator: 'doc-start' | 'explicit-key-ind' | 'map-value-ind' | 'seq-item-ind';
  /** where the tokens start */
  offset: number;
  /** the tokens start a line, so a comment may come first */
  startOnNewline: boolean;
  flow: boolean;
  parentIndent: number;
  /** the node after the tokens */
  next: CST.Token | null | undefined;
}

/** resolveProps() for the tokens before a node, declining anchors, tags and everything it reports. */
function props(tokens: SourceToken[], { indicator, offset, startOnNewline, flow, parentIndent, next }: PropsContext): Props {
  const p: Props = { found: false, comma: false, comment: false, newline: false, end: offset };
  let hasSpace = startOnNewline;
  let atNewline = startOnNewline;
  // A tab is fine after a token on the same line (`key:\tvalue`), not as indentation (TAB_AS_INDENT).
  const tabsMatter = !flow && (indicator !== 'doc-start' || next?.type !== 'flow-collection');
  let tab: SourceToken | null = null;
  for (const t of tokens) {
    if (tab && atNewline && t.type !== 'comment' && t.type !== 'newline') decline();
    tab = null;
    switch (t.type) {
      case 'space':
        if (tabsMatter && t.source.includes('\t')) tab = t;
        hasSpace = true;
        break;
      case 'newline':
        p.newline = hasSpace = atNewline = true;
        break;
      case 'comment':
        if (!hasSpace) decline(); // MISSING_CHAR: a comment must follow white space
        p.comment = true;
        atNewline = false;
        break;
      case 'comma':
        if (!flow || p.comma) decline();
        p.comma = true;
        hasSpace = atNewline = false;
        break;
      default:
        if (t.type !== indicator || p.found) decline(); // anchors, tags, `?`, a second indicator
        p.found = true;
        hasSpace = false;
        atNewline = indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
    }
    p.end = t.offset + t.source.length;
  }
  if (tab && ((atNewline && tab.indent <= parentIndent) || next?.type === 'block-map' || next?.type === 'block-seq')) decline();
  return p;
}

/** resolveEnd(): the offset after the spaces, comments and newlines that end a node. */
function end(tokens: SourceToken[] | undefined, offset: number): number {
  if (tokens) {
    for (const t of tokens) {
      if (t.type !== 'space' && t.type !== 'comment' && t.type !== 'newline') decline();
      offset += t.source.length;
    }
  }
  return offset;
}

function node(token: CST.Token): Node {
  switch (token.type) {
    case 'scalar':
    case 'single-quoted-scalar':
    case 'double-quoted-scalar':
    case 'block-scalar':
      return scalar(token);
    case 'block-map':
      return blockMap(token);
    case 'block-seq':
      return blockSeq(token);
    case 'flow-collection':
      return flowCollection(token);
    default:
      return decline(); // aliases, errors
  }
}

// plainValue() reports a plain scalar starting with one of these (BAD_SCALAR_START).
const BAD_PLAIN_START = /^[\t,%|>@`]/;

function scalar(token: CST.FlowScalar | CST.BlockScalar): Scalar {
  // Most scalars are plain and on one line: their source is their value.
  if (token.type === 'scalar' && !token.source.includes('\n') && !BAD_PLAIN_START.test(token.source)) {
    const s = typed(token.source);
    const valueEnd = token.offset + token.source.length;
    s.range = [token.offset, valueEnd, end(token.end, valueEnd)];
    s.source = token.source;
    s.type = Scalar.PLAIN;
    if (typedFormat) s.format = typedFormat;
    return s;
  }
  // Others get yaml's own resolution (line folding, escapes, block chomping) and ranges. Unlike the
  // Composer it treats every block scalar as nested, so it rejects (declines) an unindented one at the root.
  const { value, type, range } = CST.resolveAsScalar(token, false, decline);
  const plain = token.type === 'scalar';
  const s = plain ? typed(value) : new Scalar(value);
  s.range = range;
  s.source = value;
  if (type) s.type = type;
  if (plain && typedFormat) s.format = typedFormat;
  return s;
}

// Characters of the plain scalars starting with a digit that the core schema may type: decimal,
// `0o` octal and `0x` hex ints, floats with `.`, exponents with `e`/`E` and a sign. A scalar starting
// with a digit and holding any other character (`100Mi`, `10:30`, `1.2.3-beta`) is a string.
const NUMERIC = new Uint8Array(128);
for (const c of '0123456789abcdefABCDEFox.+-') NUMERIC[c.charCodeAt(0)] = 1;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
/** The format of the tag typed() took (`HEX`, `OCT`, `EXP`), if any. */
let typedFormat: string | undefined;

/**
 * A plain scalar's value as the core schema reads it: null, bool, int, float or string. The common
 * cases are decided here without the schema's regular expressions, with the same results:
 * - only decimal digits: the int tag (`[-+]?[0-9]+`, tested after null, bool and `0o` octal, which
 *   none of them matches), whose resolve is parseInt(value, 10) (leading zeros, huge values alike);
 * - an ASCII letter first: only null (`null`, `Null`, `NULL`) and bool (`true`, `True`, `TRUE`,
 *   `false`, `False`, `FALSE`) start with a letter, anything else is a string;
 * - neither a digit, a letter nor one of `-+.~` first, and not empty: a string (no test matches);
 * - a digit first and then a character outside NUMERIC: a string.
 * The rest (signs, `.5`, `.inf`, `~`, `0x1F`, `1.5`, `1e3`, empty) go through the schema's tests in
 * the Composer's order. The tag's format is left in typedFormat, for the caller to set after type
 * (the Composer's order of properties).
 */
function typed(value: string): Scalar {
  typedFormat = undefined;
  const n = value.length;
  const c = value.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) {
    let i = 1;
    while (i < n && isDigit(value.charCodeAt(i))) i++;
    if (i === n) return new Scalar(parseInt(value, 10));
    for (; i < n; i++) if (NUMERIC[value.charCodeAt(i)] !== 1) return new Scalar(value);
  } else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) {
    if (n === 4 || n === 5) {
      switch (value) {
        case 'null': case 'Null': case 'NULL': return new Scalar(null);
        case 'true': case 'True': case 'TRUE': return new Scalar(true);
        case 'false': case 'False': case 'FALSE': return new Scalar(false);
      }
    }
    return new Scalar(value);
  } else if (n > 0 && c !== 0x2d && c !== 0x2b && c !== 0x2e && c !== 0x7e) return new Scalar(value); // not - + . ~
  for (const tag of TYPED) {
    if (!tag.test!.test(value)) continue;
    const res = tag.resolve(value, decline, {});
    typedFormat = tag.format;
    return isScalar(res) ? res : new Scalar(res);
  }
  return new Scalar(value);
}

/** composeEmptyNode(): the null scalar of `key:`, `- ` or an empty document. */
function empty(p: Props, before: SourceToken[]): Scalar {
  // emptyScalarPosition(): right after the last indicator and the spaces that follow it
  let pos = p.end;
  let i = before.length - 1;
  while (i >= 0 && (before[i].type === 'space' || before[i].type === 'comment' || before[i].type === 'newline')) pos -= before[i--].source.length;
  if (i >= 0) while (before[++i]?.type === 'space') pos += before[i].source.length;
  const s = new Scalar(null); // the null tag's
  s.range = [pos, pos, p.comment ? p.end : pos];
  s.source = '';
  s.type = Scalar.PLAIN;
  return s;
}

/** A key as Composer takes it without complaint: a plain or quoted scalar on one line. */
function key(token: CST.Token | null | undefined, seen: Set<unknown>): Scalar {
  if (token?.type !== 'scalar' && token?.type !== 'single-quoted-scalar' && token?.type !== 'double-quoted-scalar') return decline();
  if (token.source.includes('\n') || token.end?.some((t) => t.type === 'newline')) decline();
  const k = scalar(token);
  // DUPLICATE_KEY is an error the caller reports (by value; a second .nan key also declines, harmlessly)
  if (seen.has(k.value)) decline();
  seen.add(k.value);
  return k;
}

function blockMap(bm: CST.BlockMap): YAMLMap {
  const map = new YAMLMap(SCHEMA);
  const seen = new Set<unknown>();
  let offset = bm.offset;
  let commentEnd: number | undefined;
  for (const item of bm.items) {
    const kp = props(item.start, { indicator: 'explicit-key-ind', offset, startOnNewline: true, flow: false, parentIndent: bm.indent, next: item.key ?? item.sep?.[0] });
    if (kp.found || item.explicitKey) decline();
    if (!item.sep) {
      if (item.key) decline();
      commentEnd = kp.end; // comment lines after the last pair
      continue;
    }
    if (!item.key || !('indent' in item.key) || item.key.indent !== bm.indent) decline();
    const k = key(item.key, seen);
    const vp = props(item.sep, { indicator: 'map-value-ind', offset: k.range![2], startOnNewline: false, flow: false, parentIndent: bm.indent, next: item.value });
    if (!vp.found) decline(); // `key` without `:`
    // `a: b: c` (a map on its parent key's line) is an error
    if (item.value?.type === 'block-map' && !vp.newline) decline();
    const v = item.value ? node(item.value) : empty(vp, item.sep);
    offset = v.range![2];
    map.items.push(new Pair(k, v));
  }
  if (commentEnd !== undefined && commentEnd < offset) decline();
  map.range = [bm.offset, offset, commentEnd ?? offset];
  return map;
}

function blockSeq(bs: CST.BlockSequence): YAMLSeq {
  const seq = new YAMLSeq(SCHEMA);
  let offset = bs.offset;
  let commentEnd: number | undefined;
  for (const { start, value } of bs.items) {
    const p = props(start, { indicator: 'seq-item-ind', offset, startOnNewline: true, flow: false, parentIndent: bs.indent, next: value });
    if (!p.found) {
      if (value) decline(); // an item without `-`
      commentEnd = p.end;
      continue;
    }
    const v = value ? node(value) : empty(p, start);
    offset = v.range![2];
    seq.items.push(v);
  }
  seq.range = [bs.offset, offset, commentEnd ?? offset];
  return seq;
}

const isBlock = (t: CST.Token | undefined) => t?.type === 'block-map' || t?.type === 'block-seq';

/** `{}`, `[]`, `[a, "b"]`, `{k: v}` and JSON; not `{a}` (a key without value) nor `[k: v]` (pairs in a sequence). */
function flowCollection(fc: CST.FlowCollection): YAMLMap | YAMLSeq {
  const isMap = fc.start.source === '{';
  const coll = isMap ? new YAMLMap(SCHEMA) : new YAMLSeq(SCHEMA);
  coll.flow = true;
  const seen = new Set<unknown>();
  let offset = fc.offset + fc.start.source.length;
  fc.items.forEach(({ start, key: k, sep, value }, i) => {
    const p = props(start, { indicator: 'explicit-key-ind', offset, startOnNewline: false, flow: true, parentIndent: fc.indent, next: k ?? sep?.[0] });
    if (p.found) decline();
    if (!sep && !value) {
      // nothing but a trailing comma and comments before the end
      if (k || i < fc.items.length - 1 || (i === 0 && p.comma)) decline();
      offset = p.end;
      return;
    }
    if (p.comma !== i > 0 || isBlock(value)) decline(); // a missing or extra comma; a block collection in flow
    let v: Node;
    if (isMap) {
      const kn = key(k, seen);
      const vp = props(sep ?? [], { indicator: 'map-value-ind', offset: kn.range![2], startOnNewline: false, flow: true, parentIndent: fc.indent, next: value });
      if (!vp.found) decline();
      v = value ? node(value) : empty(vp, sep!);
      (coll as YAMLMap).items.push(new Pair(kn, v));
    } else {
      if (k || sep) decline();
      v = node(value!);
      (coll as YAMLSeq).items.push(v);
    }
    offset = v.range![2];
  });
  const [ce, ...rest] = fc.end;
  if (ce?.source !== (isMap ? '}' : ']')) decline();
  const cePos = ce.offset + ce.source.length;
  coll.range = [fc.offset, cePos, end(rest, cePos)];
  return coll;
}
