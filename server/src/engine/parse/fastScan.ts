// A fast path for the whole parse (issue 19): reads the block YAML that Kubernetes manifests almost
// always are straight from the text into the nodes that yaml's Lexer + Parser (CST) + fastCompose
// build for it, without the CST. It takes a whole file or nothing: on anything outside its subset it
// declines (undefined) and the caller parses the file the usual way (documents.ts parseYamlCst).
//
// The subset, per line (anything else declines):
// - documents: `---` alone on its line (spaces after it allowed), or one document without a marker;
//   blank lines and comment lines before a document's first content line; no `...`, no directives;
// - block maps `key: value` and block sequences `- value`, the root at column 0; a sequence may sit at
//   its parent key's indentation; a sequence item may hold a compact map (`- name: x`);
// - keys: a plain scalar (not starting with an indicator) or a quoted one, on one line, then `:`
//   (spaces before it allowed);
// - values on the key's line: a plain scalar on one line (not continued on the next lines), a quoted
//   scalar on one line (with escapes or `''`, yaml resolves its value), or a flow collection on one line
//   (`[]`, `{ }`, `[a, "b", 1]`, `{k: v}`, nested, spaces between the tokens), then optionally
//   ` # comment`;
//   or a block scalar (`|`, `>`, with `-` or `+`, no indentation indicator) whose lines are cut where
//   yaml's Lexer cuts them, and whose value yaml itself resolves (CST.resolveAsScalar, as fastCompose);
// - comment lines anywhere, but not after an empty value (`key:` or `-` with nothing under it);
// - line breaks LF or CR LF (a lone CR declines);
// - no tabs, no byte order mark (the text as a whole), no anchors, aliases, tags,
//   explicit keys, multi-line flow scalars or collections, comments inside flow collections, trailing
//   commas; no duplicate keys.
//
// The nodes, ranges and document ranges are exactly those of the CST path (yaml's Parser, then
// fastCompose; the same as yaml's Composer): test/engine/fast-scan.test.ts compares them node for node
// on every fixture, generated workspaces and a seeded fuzz of manifest-shaped YAML and its mutants.
// Where yaml's Parser puts the spaces, comments and blank lines that follow a node matters for the
// ranges' third offsets (yaml's resolveEnd). After a value written on its line (which ends after its
// line break and comment), they go to the innermost collection open there, as a trailing item: a
// comment indented deeper than that collection, with only blank lines before it in the item, joins
// the value itself (Parser.atIndentedComment: the value's range then ends after that comment's line);
// the others stay in the trailing item, which each collection that ends there (Parser.pop) hands to
// its parent unless the collection is indented and one of the comments is at least as deep as it:
// then the collection keeps it and its range ends where the item does (at the next content, or at
// the document's end). What reaches the document ends its range. After a block scalar (no end
// tokens) every comment goes to the trailing item. After an empty value they are that value's tokens
// and, with a comment among them, would move its range: those decline.
import type { CST, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { newMap, newPair, newSeq, nullScalar, plainScalar, quotedScalar, resolvedScalar, unique, type LightDoc } from './fastCompose';

class Decline extends Error {}
const DECLINE = new Decline('declined');
const decline = (): never => {
  throw DECLINE;
};

const NL = 10;
/** always before a line feed here (a lone CR declines) */
const CR = 13;
const SP = 32;
const HASH = 35;
const DASH = 45;
const COLON = 58;
const DQUOTE = 34;
const SQUOTE = 39;
const COMMA = 44;
const LBRACKET = 91;
const RBRACKET = 93;
const LBRACE = 123;
const RBRACE = 125;
const BACKSLASH = 92;

// The scanner's state (module-level, as fastCompose's: one scan at a time, never re-entered).
let src = '';
let len = 0;
/** where the scan is: a line start between lines */
let pos = 0;
/** the next content line, as peek() found it: offset of its first non-space character (-1: none before the document ends) */
let nextAt = -1;
/** its column */
let nextCol = 0;
/** where the document ends when nextAt is -1: a `---` line's start, or the text's end */
let boundary = 0;
/** the end of the last content line read (after its line break) */
let lastLineEnd = 0;
/** the last node read was a value on its line (a scalar, flow collection or block scalar), not an empty value */
let lastHasEnd = false;
/** that value, when it is a scalar or flow collection (whose end tokens take indented comments) */
let leaf: Node | null = null;
/** the column of the collection that value is in */
let leafIndent = 0;
/** the deepest comment in the trailing item after the last value (-1: none) */
let trailComment = -1;
/** in a document's content, where comment lines are read at column 0 only (before it, at any column) */
let inBody = false;
/** peek() skipped a comment line */
let commentSeen = false;
let depth = 0;
let depthLimit = 0;

const code = (i: number): number => (i < len ? src.charCodeAt(i) : -1);
/** end of line or text */
const isEnd = (c: number) => c === NL || c === CR || c === -1;
const isBlank = (c: number) => c === SP || c === NL || c === CR || c === -1;

/**
 * The documents of `text`, or undefined where the fast path declines (the caller parses it with yaml).
 * `maxDepth`: nested collections allowed (deeper declines, for the caller to refuse).
 */
export function fastScan(text: string, maxDepth: number): LightDoc[] | undefined {
  if (text.includes('\t') || text.charCodeAt(0) === 0xfeff) return undefined;
  if (text.includes('\r') && /\r(?!\n)/.test(text)) return undefined; // CR LF line breaks are read, a lone CR is not
  src = text;
  len = text.length;
  depthLimit = maxDepth;
  try {
    return stream();
  } catch {
    // Decline, or a scalar the core schema's tags refuse: yaml's own path knows better.
    return undefined;
  } finally {
    src = '';
    leaf = null; // keep no node of the last text alive
  }
}

function stream(): LightDoc[] {
  const docs: LightDoc[] = [];
  pos = 0;
  inBody = false;
  peek(); // comment lines and blank lines before the first document are outside it
  for (;;) {
    let docStart: number;
    if (nextAt < 0) {
      if (boundary >= len) break;
      // `---`: an explicit document; nothing else on the marker's line
      docStart = boundary;
      let i = docStart + 3;
      while (code(i) === SP) i++;
      if (!isEnd(code(i))) decline();
      const markerEnd = i;
      pos = code(i) === CR ? i + 2 : i < len ? i + 1 : len;
      commentSeen = false;
      peek();
      if (nextAt < 0) {
        // empty document: a null scalar after the marker, ending after the comments if any
        const end = commentSeen ? boundary : markerEnd;
        docs.push({ contents: nullScalar(markerEnd, end), range: [docStart, end, end], errors: [], warnings: [] });
        continue;
      }
    } else {
      if (docs.length > 0) decline(); // (not reached: a document ends at a marker or the end)
      docStart = nextAt - nextCol;
    }
    if (nextCol !== 0) decline();
    depth = 0;
    trailComment = -1;
    inBody = true;
    const contents = blockNode(nextAt, 0);
    inBody = false;
    if (nextAt >= 0) decline(); // a line the root did not take (`- x` after a root map)
    const contentEnd = contents.range![2];
    // The trailing item after a value on its line ends the document; after an empty value, or kept by
    // a collection, there is none.
    const end = lastHasEnd ? contentEnd + (boundary - lastLineEnd) : contentEnd;
    docs.push({ contents, range: [docStart, contentEnd, end], errors: [], warnings: [] });
  }
  return docs;
}

/**
 * From `pos` (a line start), skips blank lines and the comment lines allowed here, and finds the next
 * content line (nextAt, nextCol), or the document's end (nextAt = -1, boundary). Does not move `pos`.
 */
function peek(): void {
  let i = pos;
  for (;;) {
    let j = i;
    while (code(j) === SP) j++;
    const c = code(j);
    if (c === -1) {
      nextAt = -1;
      boundary = len;
      return;
    }
    if (c === NL || c === CR) {
      i = j + (c === CR ? 2 : 1);
      continue;
    }
    if (c === HASH) {
      commentSeen = true;
      const nl = src.indexOf('\n', j);
      const next = nl < 0 ? len : nl + 1;
      if (inBody) {
        const indent = j - i;
        if (leaf && trailComment < 0 && indent > leafIndent) {
          // joins the value (with the blank lines before it, and its line break)
          leaf.range![2] = lastLineEnd = next;
        } else if (indent > trailComment) trailComment = indent;
      }
      if (nl < 0) {
        nextAt = -1;
        boundary = len;
        return;
      }
      i = next;
      continue;
    }
    if (j === i && (c === DASH || c === 0x2e) && code(i + 1) === c && code(i + 2) === c && isBlank(code(i + 3))) {
      if (c !== DASH) decline(); // `...`
      nextAt = -1;
      boundary = i;
      return;
    }
    nextAt = j;
    nextCol = j - i;
    return;
  }
}

/** Moves `pos` past the rest of the line from `i` (spaces, then an optional comment after a space). */
function lineEnd(i: number): number {
  const start = i;
  while (code(i) === SP) i++;
  let c = code(i);
  if (c === HASH) {
    if (i === start) decline(); // a comment must follow a space
    const nl = src.indexOf('\n', i);
    i = nl < 0 ? len : nl;
    c = code(i);
  }
  if (c === NL) i++;
  else if (c === CR) i += 2;
  else if (c !== -1) decline();
  pos = i;
  return i;
}

const deeper = () => {
  if (++depth > depthLimit) decline();
};

const isSeqItem = (at: number) => code(at) === DASH && isBlank(code(at + 1));

/** A block map or sequence starting at `at` (column `col`). */
function blockNode(at: number, col: number): YAMLMap | YAMLSeq {
  return isSeqItem(at) ? blockSeq(at, col) : blockMap(at, col);
}

/** A plain scalar may not start with an indicator (nor `-`, `?`, `:` before a space). */
function plainStart(at: number): boolean {
  const c = code(at);
  switch (c) {
    case DASH:
    case 0x3f: // ?
    case COLON:
      return !isBlank(code(at + 1));
    case COMMA:
    case LBRACKET:
    case RBRACKET:
    case LBRACE:
    case RBRACE:
    case HASH:
    case 0x26: // &
    case 0x2a: // *
    case 0x21: // !
    case 0x7c: // |
    case 0x3e: // >
    case SQUOTE:
    case DQUOTE:
    case 0x25: // %
    case 0x40: // @
    case 0x60: // `
    case SP:
    case NL:
    case CR:
    case -1:
      return false;
  }
  return true;
}

/** Where the last quoted scalar read ends (after its closing quote). */
let quoteEnd = 0;

/**
 * A quoted scalar on one line at `at` (range [at, quoteEnd, quoteEnd]; the caller moves the third
 * offset where trailing tokens count). Without escapes (`\`, `''`) its value is the text between the
 * quotes (as fastCompose's quotedLine()); with them, yaml resolves it (its escapes and errors).
 */
function quoted(at: number): Scalar {
  const q = code(at);
  let i = at + 1;
  let escapes = false;
  for (;;) {
    const c = code(i);
    if (isEnd(c)) decline(); // multi-line or unclosed: yaml's own
    if (c === q) {
      if (q === SQUOTE && code(i + 1) === SQUOTE) {
        escapes = true;
        i += 2;
        continue;
      }
      break;
    }
    if (c === BACKSLASH && q === DQUOTE) {
      if (isEnd(code(i + 1))) decline(); // an escaped line break
      escapes = true;
      i += 2;
      continue;
    }
    i++;
  }
  quoteEnd = i + 1;
  if (!escapes) return quotedScalar(src.slice(at + 1, i), q === DQUOTE, at, quoteEnd, quoteEnd);
  const source = src.slice(at, quoteEnd);
  return resolvedScalar({ type: q === DQUOTE ? 'double-quoted-scalar' : 'single-quoted-scalar', offset: at, indent: 0, source });
}

/** Where the `:` of the last key blockKey() read is. */
let keyColon = 0;
/** The key of a block map entry at `at`, if the line is one (keyColon is then its `:`). */
function blockKey(at: number): Scalar | undefined {
  const c = code(at);
  if (c === DQUOTE || c === SQUOTE) {
    const key = quoted(at);
    // spaces before the `:` are the pair's tokens, not the key's
    let i = quoteEnd;
    while (code(i) === SP) i++;
    if (code(i) !== COLON || !isBlank(code(i + 1))) return undefined;
    keyColon = i;
    return key;
  }
  if (!plainStart(at)) return undefined;
  let i = at + 1;
  for (;;) {
    const d = code(i);
    if (d === COLON && isBlank(code(i + 1))) break;
    if (isEnd(d) || (d === HASH && code(i - 1) === SP)) return undefined;
    i++;
  }
  if (i - at > 1000) decline(); // over-long implicit keys
  keyColon = i;
  let end = i;
  while (code(end - 1) === SP) end--; // `key :`
  return plainScalar(src.slice(at, end), at, end, end);
}

function blockMap(at: number, col: number): YAMLMap {
  deeper();
  const map = newMap();
  const pairs = map.items as Pair[];
  let seen: Set<unknown> | undefined;
  const start = at;
  let offset = at;
  for (;;) {
    const key = blockKey(at);
    if (!key) decline();
    seen = unique(pairs, key!, seen);
    let i = keyColon + 1;
    while (code(i) === SP) i++;
    const c = code(i);
    let value: Node;
    if (isEnd(c) || c === HASH) {
      // the value is on the next lines, or empty
      const emptyAt = i;
      lineEnd(keyColon + 1);
      nextLines();
      if (nextAt >= 0 && (nextCol > col || (nextCol === col && isSeqItem(nextAt)))) value = blockNode(nextAt, nextCol);
      else {
        // the comments after an empty value are its tokens: its range would end after them
        if (c === HASH || commentSeen) decline();
        value = nullScalar(emptyAt, emptyAt);
        lastHasEnd = false;
        leaf = null;
        trailComment = -1;
      }
    } else {
      value = inlineValue(i, col, col);
      if (nextAt >= 0 && nextCol > col) decline(); // a multi-line scalar, or an error
    }
    pairs.push(newPair(key!, value));
    offset = value.range![2];
    if (nextAt < 0 || nextCol < col) break;
    if (nextCol > col || isSeqItem(nextAt)) decline(); // bad indentation; `- x` after a pair
    at = nextAt;
  }
  map.range = [start, offset, keptTrail(col, offset)];
  depth--;
  return map;
}

function blockSeq(at: number, col: number): YAMLSeq {
  deeper();
  const seq = newSeq();
  const values = seq.items as Node[];
  const start = at;
  let offset = at;
  for (;;) {
    // a comment in the trailing item before this item is in this item's tokens
    const commentBefore = trailComment >= 0;
    let i = at + 1;
    while (code(i) === SP) i++;
    const c = code(i);
    let value: Node;
    if (isEnd(c) || c === HASH) {
      const emptyAt = i;
      lineEnd(at + 1);
      nextLines();
      if (nextAt >= 0 && nextCol > col) value = blockNode(nextAt, nextCol);
      else {
        // an empty item's range ends after its tokens when there is a comment among them
        if (c === HASH || commentSeen || commentBefore) decline();
        value = nullScalar(emptyAt, emptyAt);
        lastHasEnd = false;
        leaf = null;
        trailComment = -1;
      }
    } else if (isSeqItem(i)) {
      return decline(); // `- - x`
    } else if (blockKey(i)) {
      value = blockMap(i, col + (i - at)); // a compact map: `- name: x`
    } else {
      value = inlineValue(i, col, col);
      if (nextAt >= 0 && nextCol > col) decline();
    }
    values.push(value);
    offset = value.range![2];
    if (nextAt < 0 || nextCol < col) break;
    if (nextCol > col) decline();
    if (!isSeqItem(nextAt)) break; // a key of the map this sequence is a value of, at the same indentation
    at = nextAt;
  }
  seq.range = [start, offset, keptTrail(col, offset)];
  depth--;
  return seq;
}

/**
 * A value written on its line from `at` (a scalar or a flow collection), through the line's end, or a
 * block scalar through its last line. `parent`: the column of the collection it is in; `line`: the
 * indentation the Lexer counts for the line (the key's or the `-`'s column).
 */
function inlineValue(at: number, parent: number, line: number): Node {
  const c = code(at);
  let node: Node;
  let end: number;
  if (c === 0x7c || c === 0x3e) {
    node = blockScalar(at, parent, line + 1);
    // no end tokens: comments after it stay in the trailing item
    pos = lastLineEnd = node.range![2];
    valueRead(null, parent);
    return node;
  } else if (c === DQUOTE || c === SQUOTE) {
    node = quoted(at);
    end = quoteEnd;
  } else if (c === LBRACKET || c === LBRACE) {
    node = flow(at);
    end = flowEnd;
  } else {
    if (!plainStart(at)) decline();
    let i = at + 1;
    for (;;) {
      const d = code(i);
      if (isEnd(d) || (d === HASH && code(i - 1) === SP)) break;
      if (d === COLON && isBlank(code(i + 1))) decline(); // `a: b: c`, an error
      i++;
    }
    end = i;
    while (code(end - 1) === SP) end--;
    node = plainScalar(src.slice(at, end), at, end, 0);
  }
  // the node ends after the spaces, comment and line break that follow it
  node.range![2] = lastLineEnd = lineEnd(end);
  valueRead(node, parent);
  return node;
}

/** After `key:` or `-` with nothing after it on the line: the comments until the next content are the value's tokens. */
function nextLines(): void {
  commentSeen = false;
  leaf = null;
  trailComment = -1;
  peek();
  trailComment = -1;
}

/** After a value on its line: what follows is its trailing item's (or its own, see peek()). */
function valueRead(node: Node | null, parent: number): void {
  lastHasEnd = true;
  leaf = node;
  leafIndent = parent;
  trailComment = -1;
  peek();
}

/**
 * Parser.pop() for a collection at column `col` ending here, whose items end at `offset`: the range's
 * third offset is where the trailing item ends when the collection keeps it (see the header).
 */
function keptTrail(col: number, offset: number): number {
  if (col === 0 || trailComment < col) return offset;
  trailComment = -1;
  lastHasEnd = false; // nothing left for the document
  return nextAt >= 0 ? nextAt : boundary;
}

/** Where the last flow collection read closes (after its bracket). */
let flowEnd = 0;

/**
 * A flow collection on one line from `at` (`[` or `{`): items separated by commas, spaces anywhere
 * between the tokens (a value's range then ends after the spaces that follow it, as yaml's Parser puts
 * them in its end tokens; a key's does not).
 */
function flow(at: number): YAMLMap | YAMLSeq {
  deeper();
  const isMap = code(at) === LBRACE;
  const close = isMap ? RBRACE : RBRACKET;
  const coll = isMap ? newMap() : newSeq();
  coll.flow = true;
  let seen: Set<unknown> | undefined;
  let i = at + 1;
  while (code(i) === SP) i++;
  if (code(i) !== close) {
    for (;;) {
      if (isMap) {
        const key = flowScalar(i, true);
        seen = unique(coll.items as Pair[], key, seen);
        i = flowEnd;
        // `: ` after any key; `:` alone after a quoted one (JSON)
        if (code(i) !== COLON) decline();
        i++;
        if (code(i) === SP) while (code(i) === SP) i++;
        else if (key.type === 'PLAIN') decline();
        const value = flowItem(i);
        (coll.items as Pair[]).push(newPair(key, value));
      } else (coll.items as Node[]).push(flowItem(i));
      i = flowEnd;
      const c = code(i);
      if (c === close) break;
      if (c !== COMMA) decline();
      i++;
      while (code(i) === SP) i++;
      const d = code(i);
      if (d === close || d === COMMA) decline(); // a trailing comma, an empty item
    }
  }
  flowEnd = i + 1;
  coll.range = [at, flowEnd, flowEnd];
  depth--;
  return coll;
}

/** A value in a flow collection at `at`: a nested collection or a scalar; flowEnd after it and the spaces after it. */
function flowItem(at: number): Node {
  const c = code(at);
  if (c !== LBRACKET && c !== LBRACE) return flowScalar(at, false);
  const node = flow(at);
  let i = flowEnd;
  while (code(i) === SP) i++;
  node.range![2] = flowEnd = i;
  return node;
}

/**
 * A scalar in a flow collection (quoted, or plain on one line); flowEnd after it and the spaces after
 * it. A value's range ends after those spaces, a key's does not.
 */
function flowScalar(at: number, isKey: boolean): Scalar {
  const c = code(at);
  let node: Scalar;
  let i: number;
  if (c === DQUOTE || c === SQUOTE) {
    node = quoted(at);
    i = quoteEnd;
  } else {
    if (!plainStart(at) || (isIndicatorStart(c) && isFlowStop(code(at + 1)))) decline();
    i = at + 1;
    for (;;) {
      const d = code(i);
      if (d === COMMA || d === RBRACKET || d === RBRACE) break;
      if (d === COLON) {
        const e = code(i + 1);
        if (e === SP || e === COMMA || e === RBRACKET || e === RBRACE) {
          if (isKey) break;
          decline(); // a pair in a sequence, `{a: b: c}`
        }
      }
      // a line break, a comment, a nested collection: yaml's own
      if (isEnd(d) || (d === HASH && code(i - 1) === SP) || d === LBRACKET || d === LBRACE) decline();
      i++;
    }
    let end = i;
    while (code(end - 1) === SP) end--;
    node = plainScalar(src.slice(at, end), at, end, end);
  }
  const end = node.range![1];
  while (code(i) === SP) i++;
  if (!isKey) node.range![2] = i;
  else if (i !== end && code(i) !== COLON) decline();
  flowEnd = i;
  return node;
}

/** `-`, `?`, `:`: a plain scalar may start with them only before a safe character */
const isIndicatorStart = (c: number) => c === DASH || c === 0x3f || c === COLON;
const isFlowStop = (c: number) => c === COMMA || c === RBRACKET || c === RBRACE || c === SP || c === HASH;

/**
 * A block scalar whose header (`|`, `>`, optionally `-` or `+`) is at `at`: its lines are those yaml's
 * Lexer (parseBlockScalar) takes, mirrored step by step; its value and range are yaml's own
 * (CST.resolveAsScalar, through fastCompose). `parentIndent`: the indentation of the collection it is
 * in (the Parser gives it to the token); `indentNext`: the Lexer's minimum indentation for its lines.
 */
function blockScalar(at: number, parentIndent: number, indentNext: number): Scalar {
  let h = at + 1;
  const chomp = code(h);
  if (chomp === DASH || chomp === 0x2b) h++;
  const keep = chomp === 0x2b;
  let i = h;
  while (code(i) === SP) i++;
  const spaces = i - h;
  let comment = 0;
  if (code(i) === HASH) {
    if (spaces === 0) decline();
    let e = i;
    while (!isEnd(code(e))) e++;
    comment = e - i;
    i = e;
  }
  // an indentation indicator, other characters, no line after the header: yaml's own
  const lineBreak = code(i) === NL ? 1 : code(i) === CR ? 2 : decline();
  const bodyStart = i + lineBreak;
  // parseBlockScalar(): the first line with content sets the indentation
  let nl = bodyStart - 1;
  let indent = 0;
  for (let j = bodyStart; j < len; j++) {
    const c = src.charCodeAt(j);
    if (c === SP) indent++;
    else if (c === NL) {
      nl = j;
      indent = 0;
    } else if (c !== CR) break;
  }
  if (indent >= indentNext) {
    do {
      // continueScalar(nl + 1): blank lines, and lines indented at least as much as the first
      const o = nl + 1;
      let k = o;
      while (code(k) === SP) k++;
      const c = code(k);
      if (c !== NL && c !== CR && k - o < indent) break;
      nl = src.indexOf('\n', k);
    } while (nl !== -1);
    if (nl === -1) nl = len;
  }
  if (!keep) {
    // trailing lines of spaces no deeper than the first line's indentation are not the scalar's
    for (;;) {
      let k = nl - 1;
      if (code(k) === CR) k--;
      const lastChar = k;
      while (code(k) === SP) k--;
      if (code(k) === NL && k >= bodyStart && k + 1 + indent > lastChar) nl = k;
      else break;
    }
  }
  const bodyEnd = Math.min(nl + 1, len);
  const props: CST.SourceToken[] = [{ type: 'block-scalar-header', offset: at, indent: parentIndent, source: src.slice(at, h) }];
  if (spaces > 0) props.push({ type: 'space', offset: h, indent: parentIndent, source: src.slice(h, h + spaces) });
  if (comment > 0) props.push({ type: 'comment', offset: i - comment, indent: parentIndent, source: src.slice(i - comment, i) });
  props.push({ type: 'newline', offset: i, indent: parentIndent, source: src.slice(i, bodyStart) });
  const token: CST.BlockScalar = { type: 'block-scalar', offset: at, indent: parentIndent, props, source: src.slice(bodyStart, bodyEnd) };
  return resolvedScalar(token);
}
