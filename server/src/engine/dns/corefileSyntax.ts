// Parses a CoreDNS Corefile (Caddyfile syntax) into server blocks and plugin directives with
// source ranges. Never throws: what it cannot read becomes a problem with a range.
import type { SourceRef } from '../model/types';

export interface CorefileArg {
  text: string;
  ref: SourceRef;
}

/** One plugin line (`forward . 10.0.0.10`), or one line of a plugin's sub-block (`pods verified`). */
export interface CorefileDirective {
  name: string;
  args: CorefileArg[];
  /** the lines inside `{ ... }` after the directive */
  block?: CorefileDirective[];
  ref: SourceRef;
}

/** A server block key: `[scheme://]zone[:port]`, e.g. `.:53`, `example.org`, `dns://cluster.local:53`. */
export interface CorefileKey {
  text: string;
  /** lower-case, without trailing dot; `.` for the root */
  zone: string;
  /** 53 unless written */
  port: number;
  /** `dns` unless written (tls, https, grpc, quic: not plain DNS) */
  scheme: string;
  ref: SourceRef;
}

export interface CorefileServerBlock {
  keys: CorefileKey[];
  directives: CorefileDirective[];
  ref: SourceRef;
}

export interface CorefileProblem {
  message: string;
  ref: SourceRef;
}

export interface ParsedCorefile {
  blocks: CorefileServerBlock[];
  problems: CorefileProblem[];
  /** `import` lines and `(snippet)` definitions: noted, not expanded */
  notAnalysed: { what: string; ref: SourceRef }[];
}

interface Token {
  text: string;
  start: number;
  end: number;
  line: number;
  /** a quoted token is never a brace */
  quoted: boolean;
}

// A Corefile is a handful of lines; anything bigger is not a Corefile worth reading token by token.
const MAX_CHARS = 1_000_000;
const MAX_DEPTH = 32;

/** `at` maps an offset in `text` to an offset in the file (a Corefile inside a YAML block scalar is indented). */
export function parseCorefile(text: string, uri: string, at: (offset: number, isEnd: boolean) => number = (o) => o): ParsedCorefile {
  const out: ParsedCorefile = { blocks: [], problems: [], notAnalysed: [] };
  const ref = (start: number, end: number): SourceRef => ({ uri, start: at(start, false), end: at(Math.max(start, end), true) });
  if (text.length > MAX_CHARS) {
    out.problems.push({ message: `the Corefile is longer than ${MAX_CHARS} characters; not read`, ref: ref(0, 0) });
    return out;
  }
  const tokens = tokenize(text, (message, s, e) => out.problems.push({ message, ref: ref(s, e) }));
  const span = (a: Token, b: Token) => ref(a.start, b.end);
  const isOpen = (t: Token | undefined) => !!t && !t.quoted && t.text === '{';
  const isClose = (t: Token | undefined) => !!t && !t.quoted && t.text === '}';
  let i = 0;

  /** Directives until the closing brace (or the end, for a file without braces); i is left after `}`. */
  const directives = (depth: number, closed: boolean, open: Token): CorefileDirective[] => {
    const list: CorefileDirective[] = [];
    while (i < tokens.length) {
      const first = tokens[i];
      if (isClose(first)) {
        i++;
        if (!closed) out.problems.push({ message: 'unexpected "}"', ref: ref(first.start, first.end) });
        return list;
      }
      if (isOpen(first)) {
        out.problems.push({ message: 'a block "{" must follow a plugin name on the same line', ref: ref(first.start, first.end) });
        i++;
        skipBlock();
        continue;
      }
      const line: Token[] = [];
      while (i < tokens.length && tokens[i].line === first.line && !isOpen(tokens[i]) && !isClose(tokens[i])) line.push(tokens[i++]);
      const d: CorefileDirective = {
        name: first.text.toLowerCase(),
        args: line.slice(1).map((t) => ({ text: t.text, ref: ref(t.start, t.end) })),
        ref: span(first, line[line.length - 1]),
      };
      if (isOpen(tokens[i]) && tokens[i].line === line[line.length - 1].line) {
        const brace = tokens[i++];
        if (depth >= MAX_DEPTH) {
          out.problems.push({ message: `blocks nested deeper than ${MAX_DEPTH} levels are not read`, ref: ref(brace.start, brace.end) });
          skipBlock();
        } else d.block = directives(depth + 1, true, brace);
        const last = tokens[i - 1];
        if (last) d.ref = span(first, last);
      }
      if (d.name === 'import') out.notAnalysed.push({ what: `import ${d.args.map((a) => a.text).join(' ')}`, ref: d.ref });
      list.push(d);
    }
    if (closed) out.problems.push({ message: 'this "{" is never closed', ref: ref(open.start, open.end) });
    return list;
  };
  /** Skips to after the `}` matching an already consumed `{`. */
  const skipBlock = () => {
    let level = 1;
    while (i < tokens.length && level > 0) {
      if (isOpen(tokens[i])) level++;
      else if (isClose(tokens[i])) level--;
      i++;
    }
  };

  while (i < tokens.length) {
    const first = tokens[i];
    if (isOpen(first) || isClose(first)) {
      out.problems.push({ message: `expected a server block's zones before "${first.text}"`, ref: ref(first.start, first.end) });
      i++;
      if (isOpen(first)) skipBlock();
      continue;
    }
    // keys: the first line, continued while a line ends with a comma
    const keyTokens: Token[] = [];
    let line = first.line;
    while (i < tokens.length && !isOpen(tokens[i]) && !isClose(tokens[i]) && tokens[i].line === line) {
      const t = tokens[i++];
      keyTokens.push(t);
      if (t.text.endsWith(',') && tokens[i] && tokens[i].line !== line && !isOpen(tokens[i])) line = tokens[i].line;
    }
    const last = keyTokens[keyTokens.length - 1];
    if (first.text.startsWith('(') && first.text.endsWith(')')) {
      // a snippet: `(name) { ... }`, only used through import
      out.notAnalysed.push({ what: `snippet ${first.text}`, ref: span(first, last) });
      if (isOpen(tokens[i])) {
        i++;
        skipBlock();
      }
      continue;
    }
    if (first.text === 'import') {
      out.notAnalysed.push({
        what: `import ${keyTokens
          .slice(1)
          .map((t) => t.text)
          .join(' ')}`,
        ref: span(first, last),
      });
      continue;
    }
    const keys = keyTokens.flatMap((t) => splitKeys(t)).map((k) => readKey(k.text, ref(k.start, k.end)));
    for (const k of keys) if ('problem' in k) out.problems.push({ message: k.problem, ref: k.ref });
    const good = keys.filter((k): k is CorefileKey => !('problem' in k));
    let block: CorefileDirective[];
    if (isOpen(tokens[i]) && tokens[i].line === line) {
      const brace = tokens[i++];
      block = directives(0, true, brace);
    } else if (out.blocks.length === 0 && i < tokens.length && !isOpen(tokens[i])) {
      // a Corefile with a single server block may leave out the braces
      block = directives(0, false, first);
    } else {
      out.problems.push({ message: `server block ${keyTokens.map((t) => t.text).join(' ')} has no "{ ... }"`, ref: span(first, last) });
      block = [];
      if (isOpen(tokens[i])) {
        i++;
        skipBlock();
      }
    }
    const end = tokens[i - 1] ?? last;
    if (good.length) out.blocks.push({ keys: good, directives: block, ref: span(first, end) });
  }
  return out;
}

function tokenize(text: string, problem: (message: string, start: number, end: number) => void): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    const start = i;
    const startLine = line;
    if (c === '"' || c === '`') {
      let value = '';
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\' && c === '"' && i + 1 < n && (text[i + 1] === '"' || text[i + 1] === '\\')) i++;
        if (text[i] === '\n') line++;
        value += text[i++];
      }
      if (i >= n) problem(`this ${c === '"' ? 'quoted string' : 'back-quoted string'} is never closed`, start, n);
      else i++;
      tokens.push({ text: value, start, end: i, line: startLine, quoted: true });
      continue;
    }
    while (i < n && !/\s/.test(text[i]) && !(text[i] === '#' && /\s/.test(text[i - 1] ?? ' '))) i++;
    tokens.push({ text: text.slice(start, i), start, end: i, line: startLine, quoted: false });
  }
  return tokens;
}

/** `a,b` and `a, b` name two keys. */
function splitKeys(t: Token): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  let at = t.start;
  for (const part of t.text.split(',')) {
    if (part) out.push({ text: part, start: at, end: at + part.length });
    at += part.length + 1;
  }
  return out;
}

const SCHEMES = new Set(['dns', 'tls', 'https', 'grpc', 'quic']);

function readKey(text: string, ref: SourceRef): CorefileKey | { problem: string; ref: SourceRef } {
  let rest = text;
  let scheme = 'dns';
  const m = /^([a-z0-9]+):\/\//i.exec(rest);
  if (m) {
    scheme = m[1].toLowerCase();
    rest = rest.slice(m[0].length);
    if (!SCHEMES.has(scheme)) return { problem: `unknown scheme ${scheme}:// in server block key ${text}`, ref };
  }
  let port = scheme === 'tls' ? 853 : scheme === 'https' ? 443 : scheme === 'grpc' ? 443 : scheme === 'quic' ? 853 : 53;
  const p = /:(\d*)$/.exec(rest);
  if (p && !rest.startsWith('[')) {
    if (!p[1] || Number(p[1]) > 65535) return { problem: `bad port in server block key ${text}`, ref };
    port = Number(p[1]);
    rest = rest.slice(0, -p[0].length);
  }
  const zone = rest.toLowerCase().replace(/\.$/, '') || '.';
  if (/[{}"\s]/.test(zone)) return { problem: `${text} is not a zone`, ref };
  return { text, zone, port, scheme, ref };
}
