// Splits a Calico selector into tokens with their offsets, the way Calico's tokenizer does:
// operator words (in, not in, contains, starts with, ends with) are only words right after a label key.
import type { CalicoParseError } from './ast';

export type TokenKind =
  | 'label'
  | 'string'
  | '('
  | ')'
  | '{'
  | '}'
  | ','
  | '=='
  | '!='
  | '!'
  | '&&'
  | '||'
  | 'in'
  | 'not in'
  | 'contains'
  | 'starts with'
  | 'ends with'
  | 'all'
  | 'global'
  | 'has'
  | 'eof'
  /** The text cannot be split further; the parser reports `error` if it gets this far. */
  | 'error';

export interface Token {
  readonly kind: TokenKind;
  /** label: the key; string: the unquoted value; has: the key inside has(...). Otherwise ''. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
  readonly error?: CalicoParseError;
}

/** Calico rejects longer label keys. */
const MAX_LABEL_LENGTH = 512;

/** Characters of a label key (prefix, slash and name alike), as Calico's tokenizer allows them. */
function isLabelChar(c: string | undefined): boolean {
  if (c === undefined || c.length === 0) return false;
  const x = c.charCodeAt(0);
  return (
    (x >= 97 && x <= 122) || // a-z
    (x >= 65 && x <= 90) || // A-Z
    (x >= 48 && x <= 57) || // 0-9
    c === '_' ||
    c === '.' ||
    c === '/' ||
    c === '-'
  );
}

/** Only spaces and tabs separate tokens in Calico; a line break is an error there too. */
const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** Reads the whole text; the last token is 'eof' or 'error'. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const skipBlanks = (from: number): number => {
    while (isBlank(text[from])) from++;
    return from;
  };
  const labelEnd = (from: number): number => {
    while (isLabelChar(text[from])) from++;
    return from;
  };
  const fail = (message: string, start: number, end: number): Token[] => {
    tokens.push({ kind: 'error', value: '', start, end, error: { message, start, end } });
    return tokens;
  };
  const push = (kind: TokenKind, start: number, end: number, value = ''): void => {
    tokens.push({ kind, value, start, end });
    i = end;
  };
  /** A word operator ends where no label character follows (end of text counts). */
  const wordAt = (at: number, word: string): number | undefined =>
    text.startsWith(word, at) && !isLabelChar(text[at + word.length]) ? at + word.length : undefined;
  /** `starts with`, `startswith`, `starts  with`: the second word may follow directly or after blanks. */
  const twoWordsAt = (at: number, first: string, second: string): number | undefined => {
    if (!text.startsWith(first, at)) return undefined;
    return wordAt(skipBlanks(at + first.length), second);
  };

  for (;;) {
    i = skipBlanks(i);
    if (i >= text.length) {
      tokens.push({ kind: 'eof', value: '', start: text.length, end: text.length });
      return tokens;
    }
    const c = text[i];
    const previous = tokens.length > 0 ? tokens[tokens.length - 1].kind : undefined;
    switch (c) {
      case '(':
      case ')':
      case '{':
      case '}':
      case ',':
        push(c, i, i + 1);
        continue;
      case '"':
      case "'": {
        const close = text.indexOf(c, i + 1);
        if (close < 0) return fail(`unterminated string: no closing ${c}`, i, text.length);
        push('string', i, close + 1, text.slice(i + 1, close));
        continue;
      }
      case '=':
        if (text[i + 1] !== '=') return fail("expected '==' (a single '=' is not an operator)", i, i + 1);
        push('==', i, i + 2);
        continue;
      case '!':
        if (text[i + 1] === '=') push('!=', i, i + 2);
        else push('!', i, i + 1);
        continue;
      case '&':
        if (text[i + 1] !== '&') return fail("expected '&&' (a single '&' is not an operator)", i, i + 1);
        push('&&', i, i + 2);
        continue;
      case '|':
        if (text[i + 1] !== '|') return fail("expected '||' (a single '|' is not an operator)", i, i + 1);
        push('||', i, i + 2);
        continue;
    }

    if (previous === 'label') {
      // After a label key only an operator word may come.
      if (!isLabelChar(c)) return fail(unexpectedCharacter(text, i), i, i + charLength(text, i));
      let end: number | undefined;
      if ((end = wordAt(i, 'contains')) !== undefined) push('contains', i, end);
      else if ((end = twoWordsAt(i, 'starts', 'with')) !== undefined) push('starts with', i, end);
      else if ((end = twoWordsAt(i, 'ends', 'with')) !== undefined) push('ends with', i, end);
      else if ((end = twoWordsAt(i, 'not', 'in')) !== undefined) push('not in', i, end);
      else if ((end = wordAt(i, 'in')) !== undefined) push('in', i, end);
      else {
        const key = tokens[tokens.length - 1].value;
        const wordEnd = labelEnd(i);
        const word = text.slice(i, wordEnd);
        for (const [first, second] of [
          ['starts', 'with'],
          ['ends', 'with'],
          ['not', 'in'],
        ]) {
          if (word === first) {
            const next = skipBlanks(wordEnd);
            const nextEnd = Math.max(labelEnd(next), next + charLength(text, next));
            return next >= text.length
              ? fail(`expected '${second}' after '${first}'`, i, wordEnd)
              : fail(`expected '${second}' after '${first}'`, next, nextEnd);
          }
        }
        return fail(`expected an operator after label '${key}' (==, !=, in, not in, contains, starts with, ends with)`, i, wordEnd);
      }
      continue;
    }

    if (text.startsWith('has(', i)) {
      const open = i + 3;
      const keyStart = skipBlanks(open + 1);
      const keyEnd = labelEnd(keyStart);
      if (keyEnd === keyStart) {
        return keyStart >= text.length
          ? fail('expected a label key inside has(...)', i, text.length)
          : fail('expected a label key inside has(...)', keyStart, keyStart + charLength(text, keyStart));
      }
      if (keyEnd - keyStart > MAX_LABEL_LENGTH) return fail(`label key longer than ${MAX_LABEL_LENGTH} characters`, keyStart, keyEnd);
      const close = skipBlanks(keyEnd);
      if (text[close] !== ')') {
        return close >= text.length
          ? fail("missing ')' to close has(", i, open + 1)
          : fail("expected ')' to close has(", close, close + charLength(text, close));
      }
      push('has', i, close + 1, text.slice(keyStart, keyEnd));
      continue;
    }
    const fn = text.startsWith('all(', i) ? 'all' : text.startsWith('global(', i) ? 'global' : undefined;
    if (fn) {
      const open = i + fn.length;
      const close = skipBlanks(open + 1);
      if (text[close] !== ')') {
        return close >= text.length
          ? fail(`missing ')' to close ${fn}(`, i, open + 1)
          : fail(`${fn}() takes no argument; expected ')'`, close, close + charLength(text, close));
      }
      push(fn, i, close + 1);
      continue;
    }
    const end = labelEnd(i);
    if (end > i) {
      if (end - i > MAX_LABEL_LENGTH) return fail(`label key longer than ${MAX_LABEL_LENGTH} characters`, i, end);
      push('label', i, end, text.slice(i, end));
      continue;
    }
    return fail(unexpectedCharacter(text, i), i, i + charLength(text, i));
  }
}

/** A code point may take two UTF-16 units; a diagnostic should cover it whole. */
function charLength(text: string, at: number): number {
  if (at >= text.length) return 0;
  const cp = text.codePointAt(at) ?? 0;
  return cp > 0xffff ? 2 : 1;
}

function unexpectedCharacter(text: string, at: number): string {
  const c = String.fromCodePoint(text.codePointAt(at) ?? 0);
  if (c === '\n' || c === '\r') return 'line break in a selector: Calico allows only spaces and tabs between tokens';
  if (/\s/.test(c))
    return `unexpected whitespace character U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}: Calico allows only spaces and tabs between tokens`;
  return `unexpected character '${c}'`;
}
