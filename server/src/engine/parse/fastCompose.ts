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
// It also counts the levels of nested collections as it composes, and stops (TOO_DEEP) past the
// caller's limit, so the caller walks a CST for its depth only before giving it to the Composer.
//
// What the caller still does, at stream level (tokens outside documents):
// - falls back for the whole stream on any `directive` or `error` token (directives change the
//   schema and the Composer reports errors into the neighbouring document);
// - applies a following `...` marker with fastDocEnd(), as the Composer extends the document to it;
// - checks the depth of every document before the Composer sees any (the fast path may have
//   declined before reaching the deep part).
import { CST, Pair, Scalar, Schema, YAMLMap, YAMLSeq, isScalar, type Node, type ScalarTag, type YAMLError, type YAMLWarning } from 'yaml';

export interface LightDoc {
  contents: Node | null;
  range: [number, number, number];
  errors: YAMLError[];
  warnings: YAMLWarning[];
}

type SourceToken = CST.SourceToken;

/** Thrown where the fast path ends; fastCompose() turns it into undefined (TOO_DEEP for DEEPER). */
class Decline extends Error {}
// Made once: a throw per declined document does not capture a stack.
const DECLINE = new Decline('declined');
const DEEPER = new Decline('nested too deep');
const decline = (): never => {
  throw DECLINE;
};

/** What fastCompose() returns for a document nested deeper than its maxDepth. */
export const TOO_DEEP = 'too deep';

// The YAML 1.2 core schema the default Document uses, and its typed scalars in Composer's test order
// (null, bool, int in octal/decimal/hex, .inf/.nan, exponent, float); anything else is a string.
const SCHEMA = new Schema({});
const TYPED = SCHEMA.tags.filter((t): t is ScalarTag => !t.collection && t.default === true && !!t.test);

/**
 * The document composed from its CST, or undefined when it uses anything outside the fast path, or
 * TOO_DEEP when it nests collections more than maxDepth levels deep (the document's value is level 1).
 * This is seen while composing, so TOO_DEEP is certain only for documents the fast path gets that
 * far in: the caller checks the depth of a document it gives to the Composer.
 * `tabs`: false when the text has no tab at all, which spares looking for tabs in each space token.
 */
export function fastCompose(doc: CST.Document, maxDepth: number, tabs = true): LightDoc | typeof TOO_DEEP | undefined {
  depth = 0;
  depthLimit = maxDepth;
  mayHaveTabs = tabs;
  try {
    const value = doc.value;
    props(doc.start, 'doc-start', doc.offset, true, false, 0, value ?? doc.end?.[0]);
    // `--- key: v` (a block collection on the marker's line) is an error.
    if (found && !newline && (value?.type === 'block-map' || value?.type === 'block-seq')) decline();
    const contents = value ? node(value) : empty(doc.start);
    const contentEnd = contents.range![2];
    return { contents, range: [doc.offset, contentEnd, end(doc.end, contentEnd, 0)], errors: [], warnings: [] };
  } catch (e) {
    // Decline, or a CST shape this code does not expect: either way yaml's Composer knows better.
    return e === DEEPER ? TOO_DEEP : undefined;
  }
}

// The nodes are yaml's classes, made without their constructors: each constructor defines the node's
// type (a non-enumerable symbol yaml's isScalar/isMap/isSeq/isPair read) with Object.defineProperty,
// and collections their schema likewise, a slow call per node (about 0.3 s on the 16 MB benchmark
// workspace). Here the type and schema sit on a prototype between the node and its class, made once:
// the nodes read the same (`isScalar`, `instanceof`, `constructor`, `schema`) and have the same own
// enumerable properties as the constructors give.
function nodeProto<T extends object>(sample: T, extra: PropertyDescriptorMap = {}): T {
  const proto = Object.create(Object.getPrototypeOf(sample) as object) as T;
  for (const sym of Object.getOwnPropertySymbols(sample))
    Object.defineProperty(proto, sym, { value: (sample as Record<symbol, unknown>)[sym] });
  Object.defineProperties(proto, extra);
  return proto;
}
const SCALAR_PROTO = nodeProto(new Scalar(null));
const PAIR_PROTO = nodeProto(new Pair(null));
const SCHEMA_PROP: PropertyDescriptorMap = { schema: { value: SCHEMA, configurable: true, enumerable: false, writable: true } };
const MAP_PROTO = nodeProto(new YAMLMap(SCHEMA), SCHEMA_PROP);
const SEQ_PROTO = nodeProto(new YAMLSeq(SCHEMA), SCHEMA_PROP);

/** new Scalar(value) */
function newScalar(value: unknown): Scalar {
  const s = Object.create(SCALAR_PROTO) as Scalar;
  s.value = value;
  return s;
}
/** new Pair(key, value) */
export function newPair(key: Node, value: Node): Pair {
  const p = Object.create(PAIR_PROTO) as Pair;
  p.key = key;
  p.value = value;
  return p;
}
/** new YAMLMap(SCHEMA) */
export function newMap(): YAMLMap {
  const m = Object.create(MAP_PROTO) as YAMLMap;
  m.items = [];
  return m;
}
/** new YAMLSeq(SCHEMA) */
export function newSeq(): YAMLSeq {
  const q = Object.create(SEQ_PROTO) as YAMLSeq;
  q.items = [];
  return q;
}

/** fastCompose()'s `tabs`: false when the text has no tab at all */
let mayHaveTabs = true;
// Levels of collections around the node being composed, and the most allowed.
let depth = 0;
let depthLimit = 0;
/** Called as each collection starts (and `depth--` as it ends): throws DEEPER past the limit. */
const deeper = () => {
  if (++depth > depthLimit) throw DEEPER;
};

/**
 * Extends a fast-composed document to the `...` marker that follows it, as the Composer does.
 * False when the Composer would report an error there (fall back).
 */
export function fastDocEnd(doc: LightDoc, token: CST.DocumentEnd): boolean {
  try {
    doc.range[2] = end(token.end, token.offset + token.source.length, 0);
    return true;
  } catch {
    return false;
  }
}

type Indicator = 'doc-start' | 'explicit-key-ind' | 'map-value-ind' | 'seq-item-ind';
const NO_TOKENS: SourceToken[] = [];

// What props() found, read right after each call (instead of an object per call):
/** the indicator (`---`, `-`, `:`) was there */
let found = false;
let comma = false;
let comment = false;
let newline = false;
/** where the tokens end */
let propsEnd = 0;

/**
 * resolveProps() for the tokens before a node, declining anchors, tags and everything it reports.
 * `offset`: where the tokens start; `startOnNewline`: they start a line, so a comment may come first;
 * `next`: the node after them.
 */
function props(
  tokens: SourceToken[],
  indicator: Indicator,
  offset: number,
  startOnNewline: boolean,
  flow: boolean,
  parentIndent: number,
  next: CST.Token | null | undefined,
): void {
  found = comma = comment = newline = false;
  propsEnd = offset;
  const n = tokens.length;
  if (n === 0) return;
  let hasSpace = startOnNewline;
  let atNewline = startOnNewline;
  // A tab is fine after a token on the same line (`key:\tvalue`), not as indentation (TAB_AS_INDENT).
  const tabsMatter = mayHaveTabs && !flow && (indicator !== 'doc-start' || next?.type !== 'flow-collection');
  let tab: SourceToken | null = null;
  for (let i = 0; i < n; i++) {
    const t = tokens[i];
    if (tab && atNewline && t.type !== 'comment' && t.type !== 'newline') decline();
    tab = null;
    switch (t.type) {
      case 'space':
        if (tabsMatter && t.source.includes('\t')) tab = t;
        hasSpace = true;
        break;
      case 'newline':
        newline = hasSpace = atNewline = true;
        break;
      case 'comment':
        if (!hasSpace) decline(); // MISSING_CHAR: a comment must follow white space
        comment = true;
        atNewline = false;
        break;
      case 'comma':
        if (!flow || comma) decline();
        comma = true;
        hasSpace = atNewline = false;
        break;
      default:
        if (t.type !== indicator || found) decline(); // anchors, tags, `?`, a second indicator
        found = true;
        hasSpace = false;
        atNewline = indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
    }
  }
  const last = tokens[n - 1];
  propsEnd = last.offset + last.source.length;
  if (tab && ((atNewline && tab.indent <= parentIndent) || next?.type === 'block-map' || next?.type === 'block-seq')) decline();
}

/** resolveEnd(): the offset after the spaces, comments and newlines that end a node (tokens from `from` on). */
function end(tokens: SourceToken[] | undefined, offset: number, from: number): number {
  if (tokens) {
    for (let i = from; i < tokens.length; i++) {
      const t = tokens[i];
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

/** plainValue() reports a plain scalar starting with one of `\t , % | > @ \`` (BAD_SCALAR_START). */
const badPlainStart = (c: number) => c === 0x09 || c === 0x2c || c === 0x25 || c === 0x7c || c === 0x3e || c === 0x40 || c === 0x60;

function scalar(token: CST.FlowScalar | CST.BlockScalar): Scalar {
  return token.type !== 'block-scalar' && !token.source.includes('\n') ? oneLine(token) : resolved(token);
}

/**
 * A flow scalar whose source has no line break. Most are plain, or quoted without escapes: their
 * value is their source (without the quotes), as plainValue(), singleQuotedValue() and
 * doubleQuotedValue() find (these change a line's text only at escapes, `''` and line breaks).
 */
function oneLine(token: CST.FlowScalar): Scalar {
  const src = token.source;
  const last = src.length - 1;
  switch (token.type) {
    case 'scalar':
      if (!badPlainStart(src.charCodeAt(0))) return plainLine(token);
      break;
    case 'double-quoted-scalar':
      // closed (MISSING_CHAR otherwise), without escapes
      if (last > 0 && src.charCodeAt(last) === 0x22 && !src.includes('\\'))
        return quotedLine(token, src.slice(1, last), Scalar.QUOTE_DOUBLE);
      break;
    case 'single-quoted-scalar':
      // closed, and no `''` inside
      if (last > 0 && src.indexOf("'", 1) === last) return quotedLine(token, src.slice(1, last), Scalar.QUOTE_SINGLE);
      break;
  }
  return resolved(token);
}

/** A plain scalar on one line, with a good first character. */
function plainLine(token: CST.FlowScalar): Scalar {
  const src = token.source;
  const s = typed(src);
  const valueEnd = token.offset + src.length;
  s.range = [token.offset, valueEnd, end(token.end, valueEnd, 0)];
  s.source = src;
  s.type = Scalar.PLAIN;
  if (typedFormat) s.format = typedFormat;
  return s;
}

// The scalars of the fast scan (fastScan.ts), which reads the text without a CST: the same nodes as
// plainLine(), quotedLine() and empty() make, from offsets.

/** plainLine()'s node: a plain scalar `source` on one line, at [start, end), ending at nodeEnd. */
export function plainScalar(source: string, start: number, end: number, nodeEnd: number): Scalar {
  const s = typed(source);
  s.range = [start, end, nodeEnd];
  s.source = source;
  s.type = Scalar.PLAIN;
  if (typedFormat) s.format = typedFormat;
  return s;
}

/** quotedLine()'s node: a quoted scalar of `value` (double or single quotes) at [start, end), ending at nodeEnd. */
export function quotedScalar(value: string, double: boolean, start: number, end: number, nodeEnd: number): Scalar {
  const s = newScalar(value);
  s.range = [start, end, nodeEnd];
  s.source = value;
  s.type = double ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
  return s;
}

/** empty()'s node: the null scalar of an empty value at `pos`, ending at nodeEnd. */
export function nullScalar(pos: number, nodeEnd: number): Scalar {
  const s = newScalar(null);
  s.range = [pos, pos, nodeEnd];
  s.source = '';
  s.type = Scalar.PLAIN;
  return s;
}

/** resolved(): a block scalar (or any flow scalar), resolved by yaml itself. */
export function resolvedScalar(token: CST.FlowScalar | CST.BlockScalar): Scalar {
  return resolved(token);
}

/** A quoted scalar of `value` (the core schema's string tag, which has no format). */
function quotedLine(token: CST.FlowScalar, value: string, type: Scalar.Type): Scalar {
  const s = newScalar(value);
  const valueEnd = token.offset + token.source.length;
  s.range = [token.offset, valueEnd, end(token.end, valueEnd, 0)];
  s.source = value;
  s.type = type;
  return s;
}

/**
 * Other scalars get yaml's own resolution (line folding, escapes, block chomping) and ranges. Unlike
 * the Composer it treats every block scalar as nested, so it rejects (declines) an unindented one at the root.
 */
function resolved(token: CST.FlowScalar | CST.BlockScalar): Scalar {
  const { value, type, range } = CST.resolveAsScalar(token, false, decline);
  const plain = token.type === 'scalar';
  const s = plain ? typed(value) : newScalar(value);
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
    if (i === n) return newScalar(parseInt(value, 10));
    for (; i < n; i++) if (NUMERIC[value.charCodeAt(i)] !== 1) return newScalar(value);
  } else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) {
    if (n === 4) {
      if (c === 0x6e ? value === 'null' : c === 0x4e && (value === 'Null' || value === 'NULL')) return newScalar(null);
      if (c === 0x74 ? value === 'true' : c === 0x54 && (value === 'True' || value === 'TRUE')) return newScalar(true);
    } else if (n === 5 && (c === 0x66 ? value === 'false' : c === 0x46 && (value === 'False' || value === 'FALSE')))
      return newScalar(false);
    return newScalar(value);
  } else if (n > 0 && c !== 0x2d && c !== 0x2b && c !== 0x2e && c !== 0x7e) return newScalar(value); // not - + . ~
  for (const tag of TYPED) {
    if (!tag.test!.test(value)) continue;
    const res = tag.resolve(value, decline, {});
    typedFormat = tag.format;
    return isScalar(res) ? res : newScalar(res);
  }
  return newScalar(value);
}

/** composeEmptyNode(): the null scalar of `key:`, `- ` or an empty document, after props() of `before`. */
function empty(before: SourceToken[]): Scalar {
  // emptyScalarPosition(): right after the last indicator and the spaces that follow it
  let pos = propsEnd;
  let i = before.length - 1;
  while (i >= 0 && (before[i].type === 'space' || before[i].type === 'comment' || before[i].type === 'newline'))
    pos -= before[i--].source.length;
  if (i >= 0) while (before[++i]?.type === 'space') pos += before[i].source.length;
  const s = newScalar(null); // the null tag's
  s.range = [pos, pos, comment ? propsEnd : pos];
  s.source = '';
  s.type = Scalar.PLAIN;
  return s;
}

/** A key as Composer takes it without complaint: a plain or quoted scalar on one line. */
function key(token: CST.Token | null | undefined): Scalar {
  const type = token?.type;
  if (type !== 'scalar' && type !== 'single-quoted-scalar' && type !== 'double-quoted-scalar') return decline();
  const flowScalar = token as CST.FlowScalar;
  if (flowScalar.source.includes('\n')) decline();
  const e = flowScalar.end;
  if (e) for (let i = 0; i < e.length; i++) if (e[i].type === 'newline') decline();
  return oneLine(flowScalar);
}

/** Maps with up to this many keys look for a duplicate among their pairs; larger ones keep a Set. */
const SCAN_KEYS = 8;

/**
 * Declines a key equal to one before it in the map (DUPLICATE_KEY, an error the caller reports). The
 * Composer compares values with `===`, as the scan does; the Set also takes a second `.nan` for a
 * duplicate and declines, harmlessly. Returns the Set once the map has one.
 */
export function unique(pairs: Pair[], k: Scalar, seen: Set<unknown> | undefined): Set<unknown> | undefined {
  const v = k.value;
  if (seen) {
    if (seen.has(v)) decline();
    seen.add(v);
    return seen;
  }
  const n = pairs.length;
  for (let i = 0; i < n; i++) if ((pairs[i].key as Scalar).value === v) decline();
  if (n < SCAN_KEYS) return undefined;
  seen = new Set([v]);
  for (let i = 0; i < n; i++) seen.add((pairs[i].key as Scalar).value);
  return seen;
}

function blockMap(bm: CST.BlockMap): YAMLMap {
  deeper();
  const map = newMap();
  const pairs = map.items as Pair[];
  const indent = bm.indent;
  let seen: Set<unknown> | undefined;
  let offset = bm.offset;
  let commentEnd = -1;
  const items = bm.items;
  for (let i = 0; i < items.length; i++) {
    const { start, explicitKey, key: k, sep, value } = items[i];
    props(start, 'explicit-key-ind', offset, true, false, indent, k ?? sep?.[0]);
    if (found || explicitKey) decline();
    if (!sep) {
      if (k || value) decline();
      commentEnd = propsEnd; // comment lines after the last pair
      continue;
    }
    if (!k || !('indent' in k) || k.indent !== indent) decline();
    const kn = key(k);
    seen = unique(pairs, kn, seen);
    props(sep, 'map-value-ind', kn.range![2], false, false, indent, value);
    if (!found) decline(); // `key` without `:`
    // `a: b: c` (a map on its parent key's line) is an error
    if (value?.type === 'block-map' && !newline) decline();
    const v = value ? node(value) : empty(sep);
    offset = v.range![2];
    pairs.push(newPair(kn, v));
  }
  if (commentEnd >= 0 && commentEnd < offset) decline();
  map.range = [bm.offset, offset, commentEnd >= 0 ? commentEnd : offset];
  depth--;
  return map;
}

function blockSeq(bs: CST.BlockSequence): YAMLSeq {
  deeper();
  const seq = newSeq();
  const values = seq.items;
  let offset = bs.offset;
  let commentEnd = -1;
  const items = bs.items;
  for (let i = 0; i < items.length; i++) {
    const { start, value } = items[i];
    props(start, 'seq-item-ind', offset, true, false, bs.indent, value);
    if (!found) {
      if (value) decline(); // an item without `-`
      commentEnd = propsEnd;
      continue;
    }
    const v = value ? node(value) : empty(start);
    offset = v.range![2];
    values.push(v);
  }
  seq.range = [bs.offset, offset, commentEnd >= 0 ? commentEnd : offset];
  depth--;
  return seq;
}

const isBlock = (t: CST.Token | undefined) => t?.type === 'block-map' || t?.type === 'block-seq';

/** `{}`, `[]`, `[a, "b"]`, `{k: v}` and JSON; not `{a}` (a key without value) nor `[k: v]` (pairs in a sequence). */
function flowCollection(fc: CST.FlowCollection): YAMLMap | YAMLSeq {
  deeper();
  const isMap = fc.start.source === '{';
  const map = isMap ? newMap() : undefined;
  const seq = isMap ? undefined : newSeq();
  const coll = (map ?? seq)!;
  coll.flow = true;
  let seen: Set<unknown> | undefined;
  let offset = fc.offset + fc.start.source.length;
  const items = fc.items;
  const n = items.length;
  for (let i = 0; i < n; i++) {
    const { start, key: k, sep, value } = items[i];
    props(start, 'explicit-key-ind', offset, false, true, fc.indent, k ?? sep?.[0]);
    if (found) decline();
    if (!sep && !value) {
      // nothing but a trailing comma and comments before the end
      if (k || i < n - 1 || (i === 0 && comma)) decline();
      offset = propsEnd;
      continue;
    }
    if (comma !== i > 0 || isBlock(value)) decline(); // a missing or extra comma; a block collection in flow
    let v: Node;
    if (map) {
      const kn = key(k);
      seen = unique(map.items as Pair[], kn, seen);
      const before = sep ?? NO_TOKENS;
      props(before, 'map-value-ind', kn.range![2], false, true, fc.indent, value);
      if (!found) decline();
      v = value ? node(value) : empty(before);
      map.items.push(newPair(kn, v));
    } else {
      if (k || sep) decline();
      v = node(value!);
      seq!.items.push(v);
    }
    offset = v.range![2];
  }
  const fe = fc.end;
  const ce = fe[0];
  if (ce?.source !== (isMap ? '}' : ']')) decline();
  const cePos = ce.offset + ce.source.length;
  coll.range = [fc.offset, cePos, end(fe, cePos, 1)];
  depth--;
  return coll;
}
