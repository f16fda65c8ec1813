// Recursive-descent parser of Calico selectors: `||` binds loosest, then `&&`, then prefix `!`, then
// terms and parentheses. Accepts exactly what Calico's parser accepts; errors carry the offending range.
import type { CalicoCompareOp, CalicoParseError, CalicoParseResult, CalicoSelector, CalicoSpan } from './ast';
import { tokenize, type Token, type TokenKind } from './tokenizer';

const COMPARE_OPS = new Set<TokenKind>(['==', '!=', 'contains', 'starts with', 'ends with']);
const OPERATOR_LIST = '==, !=, in, not in, contains, starts with, ends with';

/** Thrown inside the parser only; parseCalicoSelector turns it into a result. */
class ParseFailure extends Error {
  constructor(readonly detail: CalicoParseError) {
    super(detail.message);
  }
}

/** Parses a selector. Never throws: bad input gives `{ ok: false, error }` with the offending range. */
export function parseCalicoSelector(text: string): CalicoParseResult {
  try {
    return new Parser(text).parseRoot();
  } catch (e) {
    if (e instanceof ParseFailure) return { ok: false, error: e.detail };
    // A bug here must not take the caller down; report it on the whole text.
    return { ok: false, error: { message: `internal error while parsing the selector: ${String(e)}`, start: 0, end: text.length } };
  }
}

/** Shows a token in a message the way the user wrote it. */
function shown(text: string, t: Token): string {
  if (t.kind === 'eof') return 'the end of the selector';
  return `'${text.slice(t.start, t.end)}'`;
}

class Parser {
  private readonly tokens: Token[];
  private pos = 0;
  private readonly spans = new Map<CalicoSelector, CalicoSpan>();

  constructor(private readonly text: string) {
    this.tokens = tokenize(text);
  }

  parseRoot(): CalicoParseResult {
    if (this.peek().kind === 'eof') {
      const ast: CalicoSelector = { kind: 'all' };
      this.spans.set(ast, { start: 0, end: this.text.length });
      return { ok: true, ast, empty: true, spans: this.spans };
    }
    const { node } = this.parseOr();
    const t = this.peek();
    if (t.kind !== 'eof') {
      if (t.kind === ')') this.fail("unmatched ')'", t);
      this.fail(`unexpected ${shown(this.text, t)} after a complete selector; join terms with && or ||`, t);
    }
    return { ok: true, ast: node, empty: false, spans: this.spans };
  }

  private peek(): Token {
    const t = this.tokens[this.pos];
    // The tokenizer stopped here: its error is the first one in the text.
    if (t.kind === 'error' && t.error) throw new ParseFailure(t.error);
    return t;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }

  private fail(message: string, at: CalicoSpan): never {
    throw new ParseFailure({ message, start: at.start, end: at.end });
  }

  private made(node: CalicoSelector, start: number, end: number): Parsed {
    this.spans.set(node, { start, end });
    return { node, start, end };
  }

  /** `after`: the token before this expression, named when the expression is missing. */
  private parseOr(after?: Token): Parsed {
    const first = this.parseAnd(after);
    const parts = [first];
    while (this.peek().kind === '||') {
      const op = this.next();
      parts.push(this.parseAnd(op));
    }
    if (parts.length === 1) return first;
    return this.made({ kind: 'or', operands: parts.map((p) => p.node) }, first.start, parts[parts.length - 1].end);
  }

  private parseAnd(after?: Token): Parsed {
    const first = this.parseUnary(after);
    const parts = [first];
    while (this.peek().kind === '&&') {
      const op = this.next();
      parts.push(this.parseUnary(op));
    }
    if (parts.length === 1) return first;
    return this.made({ kind: 'and', operands: parts.map((p) => p.node) }, first.start, parts[parts.length - 1].end);
  }

  /** Any run of `!` collapses to one negation or none, as in Calico. */
  private parseUnary(after?: Token): Parsed {
    let negated = false;
    let bang: Token | undefined;
    while (this.peek().kind === '!') {
      bang ??= this.peek();
      after = this.next();
      negated = !negated;
    }
    const inner = this.parsePrimary(after);
    if (!bang) return inner;
    if (!negated) return { node: inner.node, start: bang.start, end: inner.end };
    // `!(!x)` is x: keeping the AST free of double negations makes format/parse round-trip exactly.
    if (inner.node.kind === 'not') return { node: inner.node.operand, start: bang.start, end: inner.end };
    return this.made({ kind: 'not', operand: inner.node }, bang.start, inner.end);
  }

  private parsePrimary(after?: Token): Parsed {
    const t = this.peek();
    switch (t.kind) {
      case 'all':
      case 'global':
        this.next();
        return this.made({ kind: t.kind }, t.start, t.end);
      case 'has':
        this.next();
        return this.made({ kind: 'has', key: t.value }, t.start, t.end);
      case '(': {
        this.next();
        const inner = this.parseOr(t);
        const close = this.peek();
        if (close.kind === 'eof') this.fail("missing ')' to close this '('", t);
        if (close.kind !== ')') this.fail(`expected ')' or an operator (&&, ||), found ${shown(this.text, close)}`, close);
        this.next();
        return { node: inner.node, start: t.start, end: close.end };
      }
      case 'label':
        return this.parseLabelTerm();
      case 'eof':
        if (after) return this.fail(`'${this.text.slice(after.start, after.end)}' must be followed by a selector`, after);
        return this.fail('expected a selector', t);
      case 'string':
        return this.fail('a quoted string cannot start a term: put the label key first, as in key == "value"', t);
      default:
        return this.fail(`expected a selector, found ${shown(this.text, t)}`, t);
    }
  }

  /** `key == "v"`, `key in {...}` and the other label operators. */
  private parseLabelTerm(): Parsed {
    const label = this.next();
    const key = label.value;
    const op = this.peek();
    if (COMPARE_OPS.has(op.kind)) {
      this.next();
      const value = this.peek();
      if (value.kind !== 'string') {
        if (value.kind === 'eof') this.fail(`'${op.kind}' must be followed by a quoted string`, op);
        this.fail(`expected a quoted string after '${op.kind}', found ${shown(this.text, value)}`, value);
      }
      this.next();
      const node: CalicoSelector = { kind: 'compare', op: op.kind as CalicoCompareOp, key, value: value.value };
      return this.made(node, label.start, value.end);
    }
    if (op.kind === 'in' || op.kind === 'not in') {
      this.next();
      const open = this.peek();
      if (open.kind !== '{') {
        if (open.kind === 'eof') this.fail(`'${op.kind}' must be followed by a set such as {"a", "b"}`, op);
        this.fail(`expected '{' after '${op.kind}' (a set such as {"a", "b"}), found ${shown(this.text, open)}`, open);
      }
      this.next();
      const values: string[] = [];
      // Calico's grammar: strings separated by commas; an empty set and a trailing comma are accepted.
      while (this.peek().kind === 'string') {
        values.push(this.next().value);
        if (this.peek().kind !== ',') break;
        this.next();
      }
      const close = this.peek();
      if (close.kind !== '}') {
        if (close.kind === 'eof') this.fail("missing '}' to close this set", open);
        this.fail(`expected a quoted string, ',' or '}' in the set, found ${shown(this.text, close)}`, close);
      }
      this.next();
      return this.made({ kind: 'set', op: op.kind, key, values: normalizeSet(values) }, label.start, close.end);
    }
    if (op.kind === '(') {
      // has (x), all (): Calico wants the name and '(' together; foo(x): no such function.
      if (key === 'has' || key === 'all' || key === 'global') {
        return this.fail(`write ${key}(...) with no space before '('`, { start: label.start, end: op.end });
      }
      if (op.start === label.end) {
        return this.fail(`unknown function '${key}()': Calico selectors have all(), global() and has(key)`, {
          start: label.start,
          end: op.end,
        });
      }
    }
    if (op.kind === 'eof') return this.fail(`expected an operator after label '${key}' (${OPERATOR_LIST})`, label);
    return this.fail(`expected an operator after label '${key}' (${OPERATOR_LIST}), found ${shown(this.text, op)}`, op);
  }
}

interface Parsed {
  readonly node: CalicoSelector;
  /** Extent in the text including any parentheses around the node. */
  readonly start: number;
  readonly end: number;
}

/** Sorted by code point (Go's byte order for UTF-8) and without duplicates, as Calico stores sets. */
export function normalizeSet(values: readonly string[]): string[] {
  return [...new Set(values)].sort(compareCodePoints);
}

function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) {
    const d = (x[i].codePointAt(0) ?? 0) - (y[i].codePointAt(0) ?? 0);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}
