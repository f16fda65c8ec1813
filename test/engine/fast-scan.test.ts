// The fast scan (parse/fastScan.ts) against the CST path it short-cuts (documents.ts parseYamlCst: yaml's
// Parser, then fastCompose or yaml's Composer): wherever the fast scan reads a text, it must give the
// same documents (count, ranges, no errors or warnings) and the same nodes (classes, values, scalar
// types, sources and formats, flow flags, every range), or decline. On every fixture YAML under test/
// and examples/, a generated benchmark workspace (S), edge cases, a seeded fuzz of manifest-shaped YAML
// and mutants of all of these.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isDocument, isMap, isPair, isScalar, isSeq } from 'yaml';
import { fastScan } from '../../server/src/engine/parse/fastScan';
import { MAX_YAML_DEPTH, parseYaml, parseYamlCst, type ParsedDoc } from '../../server/src/engine/parse/documents';
import { repoRoot } from '../support/paths';
import { below, mulberry32, pick, type Rng } from '../support/random';
import { generate } from '../bench/generate';

// Own properties a node may have (comments are not read, and neither path keeps them on the nodes it
// composes; yaml's Composer, when the CST path falls back to it, does).
const IGNORED = new Set(['comment', 'commentBefore', 'spaceBefore']);

/** Every node of a document as plain data: class, own properties, children (in order). */
function shape(node: unknown): unknown {
  if (node === null || node === undefined || typeof node !== 'object') return node;
  const out: Record<string, unknown> = { class: (node as object).constructor.name };
  if (isPair(node)) {
    out.key = shape(node.key);
    out.value = shape(node.value);
    return out;
  }
  for (const [k, v] of Object.entries(node)) {
    if (IGNORED.has(k)) continue;
    if (k === 'items') out.items = (v as unknown[]).map(shape);
    else if (k === 'value' && typeof v === 'number' && Number.isNaN(v)) out.value = 'NaN';
    else if (k === 'value' && typeof v === 'bigint') out.value = `${v}n`;
    else if (k === 'value' && Object.is(v, -0)) out.value = '-0';
    else out[k] = v;
  }
  out.isScalar = isScalar(node);
  out.isMap = isMap(node);
  out.isSeq = isSeq(node);
  return out;
}

interface Tally {
  texts: number;
  fast: number;
  /** documents the fast scan read where the CST path used yaml's Composer (fastCompose declined) */
  composerDocs: number;
}
const tally = (): Tally => ({ texts: 0, fast: 0, composerDocs: 0 });

/** Reads `text` both ways; where the fast scan reads it, asserts the same documents and nodes. */
function check(text: string, name: string, t: Tally): boolean {
  t.texts++;
  const got = fastScan(text, MAX_YAML_DEPTH);
  if (!got) return false;
  t.fast++;
  const want = parseYamlCst(text);
  assert.ok(want, `${name}: the CST path refuses it (too deep), the fast scan read it`);
  assert.equal(got.length, want.length, `${name}: document count`);
  want.forEach((w: ParsedDoc, i) => {
    const where = `${name} doc ${i + 1}`;
    const g = got[i];
    assert.deepEqual(
      w.errors.map((e) => `${e.code} ${e.message}`),
      [],
      `${where}: the fast scan read a document with errors`,
    );
    assert.deepEqual(
      w.warnings.map((e) => `${e.code} ${e.message}`),
      [],
      `${where}: the fast scan read a document with warnings`,
    );
    assert.deepEqual(g.errors, [], where);
    assert.deepEqual(g.warnings, [], where);
    assert.deepEqual(g.range, w.range, `${where}: document range`);
    if (isDocument(w)) t.composerDocs++;
    assert.deepEqual(shape(g.contents), shape(w.contents), `${where}: nodes`);
  });
  // and parseYaml (what the engine calls) gives the fast scan's documents
  const viaEngine = parseYaml(text);
  assert.deepEqual(
    viaEngine?.map((d) => shape(d.contents)),
    got.map((d) => shape(d.contents)),
    `${name}: parseYaml`,
  );
  return true;
}

function yamlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...yamlFiles(p));
    else if (/\.(ya?ml|json)$/.test(name)) out.push(p);
  }
  return out;
}

const fixtureTexts = (): { name: string; text: string }[] =>
  ['test', 'examples'].flatMap((d) =>
    yamlFiles(path.join(repoRoot(), d)).map((f) => ({ name: path.relative(repoRoot(), f), text: readFileSync(f, 'utf8') })),
  );

test('fixtures under test/ and examples/: the fast scan equals the CST path where it reads', () => {
  const t = tally();
  const declined: string[] = [];
  for (const { name, text } of fixtureTexts()) if (!check(text, name, t)) declined.push(name);
  console.log(
    `fast scan: ${t.fast}/${t.texts} fixture files (${t.composerDocs} of their documents composed by yaml's Composer on the CST path)`,
  );
  assert.ok(t.fast >= 0.4 * t.texts, `fast scan took only ${t.fast} of ${t.texts} fixture files`);
});

test('a generated benchmark workspace (S): every file read by the fast scan, equal to the CST path', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'netlens-fastscan-'));
  try {
    const g = generate('S', 3, dir);
    const t = tally();
    const declined: string[] = [];
    for (const f of g.files) {
      if (!/\.ya?ml$/.test(f)) continue;
      if (!check(readFileSync(f, 'utf8'), path.relative(dir, f), t)) declined.push(path.relative(dir, f));
    }
    console.log(`fast scan: ${t.fast}/${t.texts} generated files; declined: ${declined.join(', ')}`);
    assert.equal(t.fast, t.texts, `declined: ${declined.join(', ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Texts the fast scan must read (and equal the CST path on).
const FAST: Record<string, string> = {
  manifest:
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    app: web\nspec:\n  containers:\n  - name: c\n    image: nginx:1.25\n    ports:\n    - containerPort: 80\n      protocol: TCP\n',
  'seq at the key indent': 'a:\n- 1\n- 2\nb: x\n',
  'indented seq': 'a:\n  - 1\n  - x: y\n    z: w\nb: x\n',
  'empty values': 'a:\nb: \nc:\n  d:\ne: 1\n',
  'empty seq items': '- \n-\n-   \n- x\n',
  'empty at the end': 'a: 1\nb:\n',
  'empty item at the end': '- 1\n-\n\n\n',
  flow: 'podSelector: {}\ningress: []\nt: [Ingress, Egress]\nl: {app: web, "tier": db, n: 1}\nn: [[1, 2], {a: [x]}]\nj: {"a":1,"b":[1,2]}\n',
  'flow with comment': 'a: [x]  # c\nb: {} # d\n',
  quoted: 'a: "x y"\nb: \'it\'\nc: ""\nd: \'\'\n"k": 1\n\'l m\': 2\ne: "#x"\n',
  typed: 'a: 1\nb: -1\nc: 1.5\nd: true\ne: null\nf: ~\ng: 0x1F\nh: .inf\ni: 1e3\nj: 007\nk: 100Mi\n1: x\ntrue: y\n',
  'trailing comments': 'a: 1 # one\nb: x   # two\nc: # nested\n  d: 2\ne:\n- # item\n  f: 3\n',
  'column-0 comments': 'a: 1\n# c\nb:\n  c: 2\n# d\n  e: 3\n# f\nf:\n- x\n# g\n- y\n# tail\n',
  'blank lines': '\n\na: 1\n\nb:\n\n  c: 2\n\n\nd: 3\n\n  \n',
  documents: '---\na: 1\n---\n# c\nb: 2\n---\n\n---\n',
  'leading comments': '# head\n\n  # indented\na: 1\n',
  'comments after a marker': '---\n# Source: x\n  # y\na: 1\n---   \n# only\n',
  'empty documents': '---\n---\n# c\n---\n',
  'no final newline': 'a:\n  b: c',
  'no final newline after spaces': 'a: 1\n  ',
  'odd plain strings': 'a: -x\nb: ?x\nc: :x\nd: x:y\ne: x#y\nf: a b  c\ng: http://x/y?z=1#f\ni: -1-\nj: ---\n',
  unicode: 'name: ünïcødé\n"ключ": 値\nemoji: 😀\n',
  'deep indentation': 'a:\n      b:\n          c: 1\n      d: 2\n',
  'compact maps': '- name: a\n  value: "1"\n-   name: b\n    x:\n    - 1\n- c: {}\n',
  'seq of seqs on the next line': '-\n  - a\n  - b\n-\n  - c\n',
  'keys alike': 'a: 1\n"a ": 2\nA: 3\n1: 4\n"1": 5\n',
  'literal block': 'a: |\n  line 1\n   more\n\n  line 3\nb: 1\n',
  'literal strip': 'a: |-\n  x\n  y\n\n\nb: 1\n',
  'literal keep': 'a: |+\n  x\n\n\nb: 1\n',
  folded: 'a: >\n  one\n  two\n\n  three\n    indented\n  four\n',
  'folded keep at the end': 'a: >+\n  x\n\n',
  'folded strip without final newline': 'a: >-\n  x\n  y',
  'block scalar with comment': 'a: | # note\n  x\nb: 2\n',
  'empty block scalars': 'a: |\nb: >-\n\nc: |+\n\n\n',
  'block scalars in a sequence': '- |\n  x\n- >-\n  y\n  z\n- name: a\n  data: |\n    k=v\n\n    l=w\n  n: 1\n',
  'block scalar before a marker': 'data:\n  Corefile: |\n    .:53 {\n        errors\n    }\n  \n---\na: 1\n',
  'block scalar with trailing spaces': 'a: |\n  x\n    \n  \nb: 1\n',
  'spaces in flow': 'a: [ x ]\nb: { }\nc: [ ]\nd: {  k : v ,  l: [ 1 , "2" ]  }  # c\ne: [a , b,c]\nf: {"j":1 , "k" : "v"}\n',
  escapes: 'a: "x\\ty\\"z"\nb: \'it\'\'s\'\n"k\\u00e9": [ "\\x41" , \'\'\'\' ]\nc: "\\\\"\n',
  'spaces before colons': 'a : 1\n"b"  : 2\nc   :\n  d : [x]\ne:\n- f : 1\n',
  crlf: 'a: 1\r\nb:\r\n  - x # c\r\n  - "y"\r\n# c\r\n    # d\r\nc: |\r\n  l1\r\n\r\n  l2\r\n  \r\nd: >-\r\n  f1\r\n  f2\r\ne: [ 1 ]\r\nf:\r\n---\r\n# e\r\n',
  'block scalar then a comment': 'a: |\n  x\n# c\nb: 1\n',
  'block scalar then an indented comment': 'a: |\n  x\n # c\nb: 1\n',
  'indented comments':
    'a: 1\n  # joins 1\n\n    # and this\nb:\n  c: x\n  # kept by b\nd:\n  - y\n      # joins y\n  # kept\ne: [1]\n   # joins\n',
};

test('edge cases: read by the fast scan, equal to the CST path', () => {
  const t = tally();
  for (const [name, text] of Object.entries(FAST)) assert.ok(check(text, name, t), `${name}: declined`);
});

// Texts the fast scan must leave to the CST path.
const DECLINED: Record<string, string> = {
  tabs: 'a:\tb\n',
  'lone carriage return': 'a: 1\rb: 2\n',
  bom: '\uFEFFa: 1\n',
  directive: '%YAML 1.2\n---\na: 1\n',
  'document end': 'a: 1\n...\n',
  anchor: 'a: &x 1\nb: *x\n',
  tag: 'a: !!str 1\n',
  'explicit key': '? a\n: 1\n',
  'block scalar indentation indicator': 'a: |2\n   x\n',
  'multi-line plain': 'a: one\n  two\n',
  'multi-line quoted': 'a: "one\n  two"\n',
  'duplicate key': 'a: 1\na: 2\n',
  'duplicate key by value': '1: a\n0x1: b\n',
  'duplicate flow key': 'a: {x: 1, x: 2}\n',
  'comment before an empty item': '- x\n# c\n-\n',
  'comment after an empty value': 'a:\n# c\nb: 1\n',
  'comment on an empty value': 'a: # c\nb: 1\n',
  'root scalar': 'text\n',
  'root flow': '{"a": 1}\n',
  'indented root': '  a: 1\n',
  'content on the marker line': '--- a\n',
  'nested compact map': 'a: b: c\n',
  'bad indent': 'a:\n  b: 1\n c: 2\n',
  'escaped line break': 'a: "x\\\n  y"\n',
  'bad escape': 'a: "\\q"\n',
  'comment in flow': 'a: [x #c\n]\n',
  'multi-line flow': 'a: [1,\n  2]\n',
  'trailing comma': 'a: [x, ]\n',
  'seq in seq': '- - a\n',
  'seq after a pair': 'a: 1\n- x\n',
  'missing colon': 'a: 1\nb\n',
  'too deep': `a: ${'['.repeat(300)}${']'.repeat(300)}\n`,
};

test('edge cases: declined by the fast scan', () => {
  for (const [name, text] of Object.entries(DECLINED)) assert.equal(fastScan(text, MAX_YAML_DEPTH), undefined, name);
});

// Manifest-shaped YAML, seeded: maps, sequences (at the key's indent or deeper, compact maps), scalars of
// every type and quoting, flow collections, empty values, blank lines, comments of every kind, markers.
const WORDS = [
  'app',
  'name',
  'web',
  'v1',
  'apps/v1',
  'nginx:1.25',
  'a b',
  'x#y',
  '-x',
  ':x',
  'http://a:80/b',
  '10.0.0.0/8',
  'ü',
  '😀',
  '---',
];
const SCALARS = [
  ...WORDS,
  '1',
  '0',
  '-1',
  '+2',
  '007',
  '0x1F',
  '0o17',
  '1.5',
  '.5',
  '1e3',
  '.inf',
  '-.Inf',
  '.nan',
  'true',
  'False',
  'NULL',
  'null',
  '~',
  'yes',
  '100Mi',
  '250m',
  '8080',
  '65535',
  '2001-12-14',
  '1.2.3',
  '"x"',
  '"a b"',
  '""',
  '"#c"',
  '"1"',
  '"true"',
  "'y'",
  "''",
  "'a: b'",
  '"ü"',
  '[]',
  '{}',
  '[a, b]',
  '[1, "2", \'3\']',
  '{a: 1, b: [x]}',
  '{"k": "v"}',
  '[[1], {}]',
  '{ }',
  '[ ]',
  '[ a, b ]',
  '{ a: 1 , b: [ x ] }',
  '["a" , \'b\']',
  '"a\\tb"',
  "'it''s'",
  '"\\u00e9"',
  '[ "\\x41" ]',
];
// scalars the fast scan leaves to yaml (a bad escape, an escaped line break, anchors, aliases, tags), now and then
const RARE = ['"\\q"', '"a\\\n  b"', '&a x', '*a', '!t x'];
const scalar = (rng: Rng) => (below(rng, 100) === 0 ? pick(rng, RARE) : pick(rng, SCALARS));
const KEYS = [
  'k ',
  '"q" ',
  'name',
  'app',
  'port',
  'spec',
  'kind',
  'a b',
  '"q"',
  "'s'",
  '1',
  'true',
  'null',
  'x.y/z',
  '-k',
  'k-2',
  'app.kubernetes.io/name',
];

function manifest(rng: Rng): string {
  const out: string[] = [];
  const line = (s: string) => out.push(s);
  const trivia = (indent: number) => {
    const r = below(rng, 30);
    if (r === 0) line('');
    else if (r === 1) line('# note');
    else if (r === 2) line(`${' '.repeat(indent + 2)}# indented`);
    else if (r === 3) line('  ');
  };
  const comment = () => (below(rng, 12) === 0 ? pick(rng, [' # c', '   # c', ' # c', '#c']) : '');
  const map = (indent: number, depth: number, first?: string) => {
    const n = 1 + below(rng, 4);
    for (let i = 0; i < n; i++) {
      const pad = i === 0 && first !== undefined ? first : ' '.repeat(indent);
      const k = pick(rng, KEYS);
      const suffix = below(rng, 3) === 0 ? String(below(rng, 50)) : String(i);
      // quoted keys keep their quotes around the suffix; `k ` and `"q" ` keep their space before the colon
      const bare = k.trimEnd();
      const space = k.slice(bare.length);
      const key = (/^["']/.test(bare) ? `${bare[0]}${bare.slice(1, -1)}${suffix}${bare[0]}` : bare + suffix) + space;
      value(`${pad}${key}:`, indent, depth);
      trivia(indent);
    }
  };
  const seq = (indent: number, depth: number) => {
    const n = 1 + below(rng, 3);
    for (let i = 0; i < n; i++) {
      const pad = ' '.repeat(indent);
      const r = below(rng, 6);
      if (r < 2 && depth > 0) map(indent + 2, depth - 1, `${pad}- `);
      else if (r === 2 && depth > 0) {
        line(`${pad}-${comment()}`);
        if (below(rng, 2)) map(indent + 2, depth - 1);
        else seq(indent + 2, depth - 1);
      } else if (r === 3) line(`${pad}-${pick(rng, ['', ' ', '  '])}`);
      else line(`${pad}- ${scalar(rng)}${comment()}`);
      trivia(indent);
    }
  };
  const value = (head: string, indent: number, depth: number) => {
    const r = below(rng, 10);
    if (r < 5 || depth === 0) line(`${head} ${scalar(rng)}${comment()}`);
    else if (r === 5 && below(rng, 3) === 0) {
      line(`${head} ${pick(rng, ['|', '|-', '|+', '>', '>-', '>+', '| # c'])}`);
      const pad = ' '.repeat(indent + pick(rng, [1, 2, 4]));
      for (let n = below(rng, 4); n >= 0; n--)
        line(pick(rng, [`${pad}text ${n}`, '', `${pad}  more`, `${pad}# not a comment`, ' '.repeat(indent + 1)]));
    } else if (r === 5) line(`${head}${pick(rng, ['', ' ', comment()])}`);
    else if (r < 8) {
      line(`${head}${comment()}`);
      map(indent + pick(rng, [2, 2, 4, 1]), depth - 1);
    } else {
      line(`${head}${comment()}`);
      seq(indent + pick(rng, [0, 2]), depth - 1);
    }
  };
  const docs = 1 + below(rng, 3);
  if (below(rng, 4) === 0) line('# head');
  for (let d = 0; d < docs; d++) {
    if (d > 0 || below(rng, 2)) line(pick(rng, ['---', '---', '--- ', '---\n# Source: x']));
    if (below(rng, 8) === 0) continue; // empty document
    if (below(rng, 6) === 0) seq(0, 3);
    else map(0, 3);
  }
  if (below(rng, 6) === 0) line('---');
  const text = out.join('\n');
  return below(rng, 8) === 0 ? text : `${text}\n`;
}

const PIECES = [
  ' ',
  '\n',
  '# c',
  ' #',
  ':',
  ': ',
  '- ',
  '-',
  '"',
  "'",
  '{',
  '}',
  '[',
  ']',
  ',',
  '|',
  '&a',
  '*a',
  '!t',
  '---',
  '...',
  '\\',
  '0',
  '~',
  'k: v',
  '\n  ',
  '\n- ',
  '\t',
  '\r',
];

function mutate(rng: Rng, text: string): string {
  for (let edits = 1 + below(rng, 3); edits > 0; edits--) {
    const at = below(rng, text.length + 1);
    text =
      below(rng, 3) === 0 ? text.slice(0, at) + text.slice(at + 1 + below(rng, 3)) : text.slice(0, at) + pick(rng, PIECES) + text.slice(at);
  }
  return text;
}

test('seeded fuzz: manifest-shaped YAML and its mutants, equal to the CST path wherever the fast scan reads', () => {
  const rng = mulberry32(19);
  const t = tally();
  const m = tally();
  const crlf = tally();
  for (let k = 0; k < 3000; k++) {
    const text = manifest(rng);
    check(text, `manifest ${k} ${JSON.stringify(text)}`, t);
    check(text.replace(/\n/g, '\r\n'), `manifest ${k} with CR LF`, crlf);
    for (let j = 0; j < 2; j++) {
      const mutant = mutate(rng, text);
      check(mutant, `mutant ${k}.${j} ${JSON.stringify(mutant)}`, m);
    }
  }
  console.log(`fast scan: ${t.fast}/${t.texts} generated manifests (${crlf.fast} with CR LF), ${m.fast}/${m.texts} mutants`);
  assert.ok(t.fast > 0.5 * t.texts && crlf.fast === t.fast && m.fast > 0.15 * m.texts, `too few read: ${t.fast}, ${crlf.fast}, ${m.fast}`);
});

test('mutants of the fixtures and edge cases, equal to the CST path wherever the fast scan reads', () => {
  const rng = mulberry32(20);
  const bases = [
    ...fixtureTexts()
      .map((f) => f.text)
      .filter((s) => s.length < 4000),
    ...Object.values(FAST),
    ...Object.values(DECLINED),
  ];
  const t = tally();
  for (let k = 0; k < 3000; k++) {
    const text = mutate(rng, pick(rng, bases));
    check(text, `mutant ${k} ${JSON.stringify(text)}`, t);
  }
  console.log(`fast scan: ${t.fast}/${t.texts} mutants of fixtures`);
  assert.ok(t.fast > 300, `only ${t.fast} read`);
});

// By hand, over other trees (not part of `npm test`, which stays independent of ../shared):
// NETLENS_FASTSCAN_DIRS=../shared/corpora node --test out/test/engine/fast-scan.test.js
const EXTRA = process.env.NETLENS_FASTSCAN_DIRS;
test('the fast scan over NETLENS_FASTSCAN_DIRS, equal to the CST path', { skip: !EXTRA && 'NETLENS_FASTSCAN_DIRS is not set' }, () => {
  const t = tally();
  for (const dir of (EXTRA ?? '').split(path.delimiter).filter(Boolean)) {
    for (const f of yamlFiles(dir)) {
      const text = readFileSync(f, 'utf8');
      if (text.includes('\u0000')) continue; // parseManifestFile skips binary files before parsing
      check(text, f, t);
    }
  }
  console.log(`fast scan: ${t.fast}/${t.texts} files (${t.composerDocs} documents composed by yaml's Composer on the CST path)`);
});
