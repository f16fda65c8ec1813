// fastCompose against yaml's Composer: for every fixture file, a set of edge cases and seeded random
// edits of both, each document the fast path composes must be the Composer's tree (node classes,
// values, scalar types and formats, the range of every node, the document range) of a document
// without errors or warnings; and the fast path must decline what it does not handle (tags, anchors,
// aliases, duplicate keys, errors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Composer, Parser, YAMLMap, YAMLSeq, isDocument, isMap, isPair, isScalar, isSeq, type CST, type Document } from 'yaml';
import { TOO_DEEP, fastCompose, fastDocEnd, type LightDoc } from '../../server/src/engine/parse/fastCompose';
import { MAX_YAML_DEPTH, parseYaml } from '../../server/src/engine/parse/documents';
import { fixturePath } from '../support/paths';
import { below, lcg31, mulberry32 } from '../support/random';

const OPTIONS = { prettyErrors: false, strict: false, uniqueKeys: true } as const;

interface Outcome {
  /** per document: composed by the fast path (true) or declined (false) */
  fast: boolean[];
  /** directives, stray errors or too deep: the caller composes (or refuses) the whole file without the fast path */
  streamFallback: boolean;
}

/** Composes the text both ways and asserts that every fast-composed document equals Composer's. */
function check(text: string, name: string): Outcome {
  const tokens = Array.from(new Parser().parse(text));
  if (tokens.some((t) => t.type === 'document' && depth(t) > MAX_YAML_DEPTH)) return { fast: [], streamFallback: true };
  let streamFallback = tokens.some((t) => t.type === 'directive' || t.type === 'error');
  const expected = Array.from(new Composer(OPTIONS).compose(tokens));
  // What the caller does: fastCompose each document, then apply a following `...`.
  const got: (LightDoc | undefined)[] = [];
  for (const t of tokens) {
    if (t.type === 'document') {
      const d = fastCompose(t, MAX_YAML_DEPTH, text.includes('\t')); // as parseYaml calls it
      assert.notEqual(d, TOO_DEEP, `${name}: too deep, at most ${MAX_YAML_DEPTH} levels`);
      got.push(d === TOO_DEEP ? undefined : d);
    } else if (t.type === 'doc-end') {
      const last = got[got.length - 1];
      if (got.length === 0)
        streamFallback = true; // Composer: "Unexpected doc-end", into the next document
      else if (last && !fastDocEnd(last, t)) got[got.length - 1] = undefined;
    }
  }
  assert.equal(got.length, expected.length, `${name}: document count`);
  if (!streamFallback) {
    got.forEach((doc, i) => {
      if (doc) compareDoc(doc, expected[i], `${name} doc ${i + 1}`);
    });
  }
  return { fast: got.map((d) => d !== undefined), streamFallback };
}

function compareDoc(got: LightDoc, want: Document.Parsed, where: string): void {
  assert.deepEqual(
    want.errors.map((e) => `${e.code} ${e.message}`),
    [],
    `${where}: fast path taken, but Composer reports errors`,
  );
  assert.deepEqual(
    want.warnings.map((e) => `${e.code} ${e.message}`),
    [],
    `${where}: fast path taken, but Composer reports warnings`,
  );
  assert.deepEqual(got.errors, [], where);
  assert.deepEqual(got.warnings, [], where);
  assert.deepEqual(got.range, want.range, `${where}: document range`);
  compareNode(got.contents, want.contents, `${where} /`);
}

function compareNode(got: unknown, want: unknown, where: string): void {
  if (want === null || want === undefined) {
    assert.equal(got, want, where);
    return;
  }
  assert.ok(got && typeof got === 'object', `${where}: missing node`);
  assert.equal(got.constructor, (want as object).constructor, `${where}: node class`);
  if (isPair(want)) {
    assert.ok(isPair(got), where);
    compareNode(got.key, want.key, `${where} key`);
    compareNode(got.value, want.value, `${where}${isScalar(want.key) ? String(want.key.value) : '?'}/`);
    return;
  }
  const g = got as Record<string, unknown>;
  const w = want as Record<string, unknown>;
  assert.deepEqual(g.range, w.range, `${where}: range`);
  for (const prop of ['tag', 'anchor', 'flow']) assert.equal(g[prop], w[prop], `${where}: ${prop}`);
  if (isScalar(want)) {
    assert.ok(isScalar(got), where);
    assert.ok(
      Object.is(got.value, want.value),
      `${where}: value ${String(got.value)} (${typeof got.value}) != ${String(want.value)} (${typeof want.value})`,
    );
    for (const prop of ['type', 'source', 'format', 'minFractionDigits']) assert.equal(g[prop], w[prop], `${where}: ${prop}`);
  } else if (isMap(want) || isSeq(want)) {
    assert.ok(got instanceof YAMLMap || got instanceof YAMLSeq, where);
    const gi = (got as YAMLMap | YAMLSeq).items as unknown[];
    const wi = want.items as unknown[];
    assert.equal(gi.length, wi.length, `${where}: item count`);
    wi.forEach((it, i) => compareNode(gi[i], it, isSeq(want) ? `${where}${i}/` : where));
  } else assert.fail(`${where}: unexpected node ${String(want)}`);
}

/** Nesting depth of a CST document's collections (the caller refuses deeper ones), or limit + 1 for deeper ones. */
function depth(doc: CST.Document, limit = MAX_YAML_DEPTH): number {
  let max = 0;
  const stack: [CST.Token | null | undefined, number][] = [[doc.value, 0]];
  while (stack.length > 0) {
    const [t, d] = stack.pop()!;
    if (t && (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection')) {
      if (d + 1 > max && (max = d + 1) > limit) return max;
      for (const it of t.items as CST.CollectionItem[]) stack.push([it.key, d + 1], [it.value, d + 1]);
    }
  }
  return max;
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

test('fixtures: fast-composed documents equal Composer, and the fast path is taken for 90% of them', () => {
  let docs = 0;
  let fast = 0;
  const declined: string[] = [];
  for (const file of yamlFiles(fixturePath())) {
    const rel = path.relative(fixturePath(), file);
    const o = check(readFileSync(file, 'utf8'), rel);
    o.fast.forEach((f, i) => {
      docs++;
      if (f && !o.streamFallback) fast++;
      else declined.push(`${rel}#${i + 1}${o.streamFallback ? ' (stream)' : ''}`);
    });
  }
  console.log(`fast path: ${fast}/${docs} fixture documents (${((100 * fast) / docs).toFixed(1)}%); declined: ${declined.join(', ')}`);
  assert.ok(fast >= 0.9 * docs, `fast path taken for ${fast} of ${docs} documents`);
});

// Inputs the fast path must compose (and equal Composer on).
const FAST: Record<string, string> = {
  'block map and seq':
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    app: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n    ports:\n    - containerPort: 80\n',
  'seq at the key indent': 'a:\n- 1\n- 2\nb: x\n',
  'nested seqs': '- - a\n  - b\n- - c\n',
  'literal block': 'a: |\n  line 1\n   more\n\n  line 3\nb: 1\n',
  'literal strip': 'a: |-\n  x\n  y\n\n\nb: 1\n',
  'literal keep': 'a: |+\n  x\n\n\nb: 1\n',
  folded: 'a: >\n  one\n  two\n\n  three\n    indented\n  four\n',
  'folded keep': 'a: >+\n  x\n\n',
  'folded strip at end': 'a: >-\n  x\n  y',
  'indentation indicator': 'a: |2\n    four\n  two\nb: >1-\n  x\n',
  'block scalar with comment': 'a: | # note\n  x\nb: 2\n',
  'empty block scalar': 'a: |\nb: >-\n\nc: |+\n\n\n',
  'quoted keys': '"a b": 1\n\'c d\': 2\n"": empty\nkey with spaces: 3\n',
  'double-quoted escapes': 'a: "tab\\tnl\\nq\\"bs\\\\ \\x41\\u00e9\\U0001F600 \\/ \\0"\n',
  'single-quoted quote': "a: 'it''s'\nb: ''''\nc: ''\n",
  'multi-line plain': 'a: one\n  two\n\n  three\nb: x\n',
  'multi-line quoted': 'a: "one\n  two\n\n  three \\\n  four"\nb: \'x\n  y\'\n',
  'empty values': 'a:\nb: \nc:   # comment\nd:\n# tail\n',
  'empty seq items': '- \n-\n- # c\n-   \n- x\n',
  'empty flow collections': 'podSelector: {}\ningress: []\nx: { }\ny: [ ]  # c\nz:\n- {}\n- []\n',
  'flow seq and map': 'args: ["--a", \'b\', c, 1, true, null]\nlabels: {app: web, "tier": db, n: 1}\nnested: [[1, 2], {a: [x]}]\n',
  'multi-line flow': 'a: [\n  1,\n  2, # two\n  3,\n]\nb: {\n  x: 1,\n  y: 2\n}\n',
  'flow empty value': 'a: {x: , y: }\n',
  json: '{\n  "apiVersion": "v1",\n  "kind": "Pod",\n  "spec": {"containers": [{"name": "a", "ports": [{"containerPort": 80}]}]},\n  "n": -1.5e3, "t": true, "z": null\n}\n',
  'json compact': '{"a":1,"b":[1,2,{"c":"d"}],"e":{}}',
  nulls: 'a: null\nb: Null\nc: NULL\nd: ~\ne:\nf: nULL\ng: "null"\n',
  booleans: 'a: true\nb: True\nc: TRUE\nd: false\ne: False\nf: FALSE\ng: tRUE\nh: yes\ni: no\nj: on\nk: off\nl: y\n',
  ints: 'a: 0\nb: -0\nc: +12\nd: 0o17\ne: 0x1F\nf: 0xff\ng: 007\nh: 1_000\ni: 0o8\nj: 0b101\nk: 123456789012345678901234567890\nl: "80"\nm: \'80\'\n',
  floats:
    'a: 1.5\nb: .5\nc: -.5\nd: 1.\ne: 1e3\nf: 1E-3\ng: -1.5e+3\nh: .inf\ni: -.Inf\nj: +.INF\nk: .nan\nl: .NaN\nm: .NAN\nn: 1.50\no: 2.000\np: .e3\nq: 1.5e\nr: .\ns: nan\n',
  'numeric keys': '1: a\n0x1F: b\ntrue: c\nnull: d\n1.5: e\n',
  'timestamps and versions': 'a: 2001-12-14t21:59:43.10-05:00\nb: 2002-12-14\nc: 1.2.3\nd: v1\ne: 10:30\nf: 1:2:3\n',
  'odd plain strings': 'a: -x\nb: ?x\nc: :x\nd: x:y\ne: x#y\nf: a b  c\ng: http://x/y?z=1#f\nh: "#"\ni: -1-\n',
  'comments everywhere':
    '# head\n\na: 1 # one\n# between\nb: # after key\n  c: 2\n  # inside\n  d:\n  - x # in seq\n  # between items\n  - y\n# tail\n\n',
  'comment-only document': '# only a comment\n',
  'start and end markers': '---\na: 1\n...\n---\nb: 2\n',
  'marker with comment': '--- # c\na: 1\n',
  'scalar on the marker line': '--- text\n--- |\n  block\n--- "q"\n--- {}\n',
  'empty documents': '---\n---\n# c\n---\n...\n',
  'document end with comment': 'a: 1\n... # done\n# x\n---\nb: 2\n...\n',
  'root scalars': 'just text\n',
  'root seq': '- a\n- b\n',
  crlf: 'a: 1\r\nb:\r\n  - x\r\n  - "y\r\n    z"\r\nc: |\r\n  l1\r\n  l2\r\nd: >-\r\n  f1\r\n  f2\r\n',
  'trailing spaces': 'a: 1   \nb:    \nc: x y  \nd: "q"  \n',
  'no final newline': 'a:\n  b: c',
  'key with trailing space before colon': 'a   : 1\n"b" : 2\n',
  'deep indentation': 'a:\n      b:\n          c: 1\n      d: 2\n',
  unicode: 'name: ünïcødé\n"ключ": 値\nemoji: 😀\n',
  'comment right after a quoted scalar': 'a: "x"#c\n',
  // one-line quoted scalars without escapes are their source without the quotes
  'quoted spaces and tabs': 'a: "  x \t y  "\nb: \'  x \t y  \'\nc: " "\nd: \' \'\ne: "\t"\n',
  'quoted look-alikes':
    'a: "#x"\nb: \'#x\'\nc: "a: b"\nd: \'- x\'\ne: "it\'s"\nf: \'say "hi"\'\ng: "{x}"\nh: \'[y]\'\ni: "true"\nj: \'007\'\nk: "~"\n',
  'quoted keys and values with escapes or quotes': '"a\\tb": "c\\"d"\n\'it\'\'s\': \'\'\'\'\n"\\\\": "\\\\"\n"x\\"": 1\n',
  'quoted with a carriage return': 'a: "x\ry"\nb: \'x\ry\'\n',
  'quoted unicode': "a: \"ünï 😀\"\n'ключ': '値'\n",
  'quoted in flow': '{"a": \'b\', \'c\': "d", "e f": [" g ", \'h\', ""]}\n',
  'quoted then comment and spaces': 'a: "x"   # c\nb: \'y\'\t\n',
  'tabs after indicators and at line ends': 'apiVersion:\tv1\nkind: Pod\t\nl: {app:\ta,\tb: c}\ns:\t# c\n  - \tx\n  -\t\n',
  'tab before a nested map': 'a:\t\n  b: 1\n',
  'spaces before first item': '\n\n   \na: 1\n',
  // duplicate keys: the Composer compares values with ===, so NaN keys are not duplicates
  'nan keys': '.nan: a\n.NaN: b\n',
  'many keys':
    'k0: 0\nk1: 1\nk2: 2\nk3: 3\nk4: 4\nk5: 5\nk6: 6\nk7: 7\nk8: 8\nk9: 9\nk10: 10\nk11: 11\nk12: 12\nk13: 13\nk14: 14\nk15: 15\nk16: 16\nk17: 17\nk18: 18\nk19: 19\n1: a\n0x2: b\n0o3: c\n4.5: d\ntrue: e\nnull: f\n"1": g\n-1: h\n',
  'many keys in flow':
    '{k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9, k10: 10, k11: 11, k12: 12, k13: 13, k14: 14, k15: 15, k16: 16, k17: 17, k18: 18, k19: 19, 1: a, "1": b, 0x2: c}\n',
  'keys alike but not equal': 'a: 1\n"a ": 2\n" a": 3\nA: 4\n1: 5\n"1": 6\n1.5: 7\n',
};

test('edge cases: composed by the fast path, equal to Composer', () => {
  for (const [name, text] of Object.entries(FAST)) {
    const o = check(text, name);
    assert.ok(!o.streamFallback, `${name}: stream-level fallback`);
    assert.ok(o.fast.every(Boolean), `${name}: declined document ${o.fast.indexOf(false) + 1}`);
  }
});

// Plain scalars that fastCompose's typed() decides itself (digits only, a letter first, no typed
// first character, a digit and then a non-numeric character) and those next to them that it leaves
// to the core schema's tests: each as a value, a key, a flow item and a document, against Composer.
const PLAIN_SCALARS = [
  // decimal ints: leading zeros, signs, huge values, beyond 2^53
  '0',
  '00',
  '007',
  '0800',
  '-0',
  '+0',
  '-12',
  '+12',
  '80',
  '443',
  '65535',
  '4294967296',
  '9007199254740993',
  '123456789012345678901234567890',
  '1'.repeat(400),
  // other ints and near misses
  '0o17',
  '0o8',
  '0O17',
  '0o',
  '0x1F',
  '0xff',
  '0xG',
  '0X1F',
  '0x',
  '0b101',
  '1_000',
  '12ef',
  '1a',
  '0xdeadbeef',
  '-0x1F',
  '+0o7',
  // floats
  '1.5',
  '1.',
  '.5',
  '-.5',
  '+.5',
  '1.50',
  '2.000',
  '0.0',
  '1e3',
  '1E3',
  '1e-3',
  '-1.5e+3',
  '.5e3',
  '1.e3',
  '1e',
  'e3',
  '.e3',
  '1e+',
  '1.2.3',
  '.',
  '..',
  '+',
  '--',
  '-x',
  '-1-',
  '+-1',
  // .inf and .nan
  '.inf',
  '.Inf',
  '.INF',
  '-.inf',
  '+.INF',
  '.iNf',
  'inf',
  '-inf',
  '.nan',
  '.NaN',
  '.NAN',
  '.nAn',
  'nan',
  'NaN',
  '-.nan',
  // null and bool, and words that look like them
  '~',
  '~~',
  '~x',
  'null',
  'Null',
  'NULL',
  'nULL',
  'nulL',
  'nul',
  'nulls',
  'Nulls',
  'true',
  'True',
  'TRUE',
  'tRUE',
  'truE',
  'tru',
  'truee',
  'false',
  'False',
  'FALSE',
  'fALSE',
  'falsE',
  'fals',
  'falsey',
  'y',
  'Y',
  'n',
  'N',
  't',
  'T',
  'f',
  'F',
  'yes',
  'no',
  'on',
  'off',
  'none',
  'None',
  'nope',
  'trap',
  'fault',
  'Tabs',
  'Nodes',
  'FALSy',
  'NuLL',
  'nuLL',
  'NULl',
  'Nope',
  'TRUe',
  'TrUE',
  'tree',
  'Tree',
  'FaLSE',
  'FALSe',
  'fAlSe',
  'Fals',
  'FALS',
  'false!',
  'True1',
  'null0',
  // strings after a digit, a letter or anything else
  '100Mi',
  '10m',
  '1Gi',
  '10:30',
  '1:2:3',
  '2001-12-14',
  '1-2',
  '1+2',
  '12 34',
  '0x1F x',
  '1.5 GB',
  'v1',
  'apps/v1',
  'nginx:1.25',
  'TCP',
  'UDP',
  'name',
  'e',
  'E',
  'x',
  'Z',
  'true false',
  'null x',
  'a b',
  '/path',
  '_x',
  '$x',
  '(x)',
  '=',
  'ü',
  'ñull',
  '١٢',
  '１２',
  '😀',
  '\\x',
  '^x',
  '<x>',
  '8080/TCP',
];

test('plain scalars: typed() and the core schema agree (fast path taken, equal to Composer)', () => {
  for (const s of PLAIN_SCALARS) {
    for (const text of [
      `a: ${s}\n`,
      `${s}: a\n`,
      `- ${s}\n`,
      `[${s}, x]\n`,
      `{${s}: ${s}}\n`,
      `${s}\n`,
      `--- ${s}\n...\n`,
      `a: ${s} # c\n`,
    ]) {
      const o = check(text, `${JSON.stringify(s)} in ${JSON.stringify(text)}`);
      assert.ok(!o.streamFallback && o.fast.every(Boolean), `${JSON.stringify(text)}: declined`);
    }
  }
});

// Random short plain scalars over the characters of typed scalars (seeded): wherever the fast path
// composes them, as values and keys, it equals Composer.
test('random numeric-looking plain scalars equal Composer', () => {
  const chars = '0123456789000111+-._eExXoOabcdfABCDFnNuUlLtTrRfFsSiIaA~ :';
  const next = lcg31(1234);
  const random = (n: number) => next() % n;
  let fast = 0;
  for (let k = 0; k < 4000; k++) {
    let s = '';
    for (let len = 1 + random(6); len > 0; len--) s += chars[random(chars.length)];
    for (const text of [`a: ${s}\n`, `${s}: a\n`]) fast += check(text, JSON.stringify(text)).fast.filter(Boolean).length;
  }
  assert.ok(fast > 5000, `only ${fast} fast documents`);
});

// Inputs the fast path must decline (Composer gives errors, or features outside the fast path).
const DECLINED: Record<string, string> = {
  tag: 'a: !foo x\n',
  'standard tag': 'a: !!str 1\n',
  'tag on collection': 'a: !!map\n  b: 1\n',
  anchor: 'a: &x 1\n',
  'anchor and alias': 'a: &x 1\nb: *x\n',
  'alias only': 'a: *x\n',
  'merge key with alias': 'base: &b {x: 1}\nd:\n  <<: *b\n',
  'duplicate key': 'a: 1\na: 2\n',
  'duplicate key by value': '1: a\n0x1: b\n',
  'duplicate null keys': 'null: a\n~: b\n',
  'duplicate flow key': 'a: {x: 1, x: 2}\n',
  'duplicate zero keys': '0: a\n-0: b\n',
  'duplicate bool keys': 'true: a\nTrue: b\n',
  'duplicate int and float key': '1: a\n1.0: b\n',
  'duplicate quoted and plain key': 'a: 1\n"a": 2\n',
  ...Object.fromEntries(
    [2, 7, 8, 9, 12, 30].map((n) => [
      `duplicate key after ${n} keys`,
      `${Array.from({ length: n }, (_, i) => `k${i}: ${i}\n`).join('')}k${n >> 1}: again\n`,
    ]),
  ),
  ...Object.fromEntries(
    [2, 7, 8, 9, 12, 30].map((n) => [
      `duplicate key by value after ${n} keys`,
      `${Array.from({ length: n }, (_, i) => `${i}: ${i}\n`).join('')}0x${(n >> 1).toString(16)}: again\n`,
    ]),
  ),
  ...Object.fromEntries(
    [7, 8, 9, 20].map((n) => [
      `duplicate flow key after ${n} keys`,
      `{${Array.from({ length: n }, (_, i) => `k${i}: ${i}`).join(', ')}, "k${n - 1}": again}\n`,
    ]),
  ),
  'duplicate zero keys after 10 keys': `${Array.from({ length: 10 }, (_, i) => `k${i}: ${i}\n`).join('')}0: a\n-0: b\n`,
  'explicit key': '? a\n: 1\n',
  'bad indent': 'a:\n  b: 1\n c: 2\n',
  'missing colon': 'a: 1\nb\n',
  'missing colon at end': 'a: 1\nb',
  'multi-line implicit key': 'a\nb: 1\n',
  'tab indentation': 'a:\n\tb: 1\n',
  'tab before a block map value': 'a:\t b: 1\n',
  'tab indenting a seq': 'a:\n \t- x\n',
  'tab indenting a seq item': '- - a\n  \t- b\n',
  'tab before a seq item': 'z:\n- {}\n\t- []\n',
  'unclosed quote': 'a: "x\n',
  'unclosed quote at the end': 'a: "x',
  'unclosed single quote': "a: 'x\n",
  'unclosed single quote at the end': "a: 'x",
  'lone double quote': 'a: "',
  'lone single quote': "a: '",
  'escaped closing quote': 'a: "x\\"\n',
  'unclosed flow': 'a: [1, 2\n',
  'bad escape': 'a: "\\q"\n',
  'bad scalar start': 'a: @x\n',
  'nested compact map': 'a: b: c\n',
  'block map on the marker line': '--- a: 1\n',
  'block in flow': 'a: [\n- x]\n',
  'key without value in flow': 'a: {x}\n',
  'pair in flow seq': 'a: [x: 1]\n',
  'missing comma': 'a: [x y, "a" "b"]\n',
  'leading comma': 'a: [, x]\n',
  'empty item in flow': 'a: [x, , y]\n',
  'dash as value': 'n: -\n',
  'root block scalar without indent': '--- |\nx\n',
  ...Object.fromEntries([...',%|>@`'].map((c) => [`plain scalar starting with ${JSON.stringify(c)}`, `a: b\nc: ${c}x\n`])),
};

test('edge cases: declined, and Composer agrees where the fast path composes', () => {
  for (const [name, text] of Object.entries(DECLINED)) {
    const o = check(text, name);
    assert.ok(o.streamFallback || o.fast.some((f) => !f), `${name}: fast path taken`);
  }
});

// Random edits (seeded) of the edge cases and small fixtures: wherever the fast path composes, it equals Composer.
test('mutated inputs: fast-composed documents equal Composer', () => {
  const small = yamlFiles(fixturePath())
    .map((f) => readFileSync(f, 'utf8'))
    .filter((t) => t.length < 3000);
  const bases = [...Object.values(FAST), ...Object.values(DECLINED), ...small];
  const pieces = [
    ' ',
    '\t',
    '\n',
    '\r\n',
    '# c',
    '#',
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
    '>-',
    '?',
    '&a',
    '*a',
    '!t',
    '---',
    '...',
    '\\',
    '0',
    '.5',
    '~',
    'k: v',
    '\n  ',
    '\n- ',
  ];
  // seeded, so a failure can be replayed
  const rng = mulberry32(42);
  const random = (n: number) => below(rng, n);
  let fast = 0;
  for (let k = 0; k < 2000; k++) {
    let text = bases[random(bases.length)];
    for (let edits = 1 + random(4); edits > 0; edits--) {
      const at = random(text.length + 1);
      text =
        random(3) === 0
          ? text.slice(0, at) + text.slice(at + 1 + random(3))
          : text.slice(0, at) + pieces[random(pieces.length)] + text.slice(at);
    }
    fast += check(text, `mutant ${k} ${JSON.stringify(text)}`).fast.filter(Boolean).length;
  }
  assert.ok(fast > 700, `only ${fast} fast documents among the mutants`);
});

test('directives fall back at stream level', () => {
  const o = check('%YAML 1.1\n---\na: yes\n', 'yaml 1.1');
  assert.ok(o.streamFallback);
});

// The fast path counts levels as it composes (parseYaml walks the CST only before the Composer):
// TOO_DEEP exactly when a document nests deeper than the limit, and parseYaml refuses a file with
// such a document wherever it is (after or before documents the fast path declines, in keys).
test('depth: fastCompose says TOO_DEEP past the limit, parseYaml refuses the file whoever composes', () => {
  const shapes: Record<string, (n: number) => string> = {
    'block maps': (n) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n',
    'block seqs': (n) => `${'- '.repeat(n)}x\n`,
    'flow seqs': (n) => `${'['.repeat(n)}${']'.repeat(n)}\n`,
    'flow maps': (n) => `${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`,
    'block map of flow': (n) => `a: ${'['.repeat(n - 1)}${']'.repeat(n - 1)}\n`,
    'seqs of maps': (n) => Array.from({ length: n >> 1 }, (_, i) => `${'  '.repeat(i)}- k${i}:`).join('\n') + ' x\n',
  };
  for (const [shape, make] of Object.entries(shapes)) {
    for (const n of [2, 3, MAX_YAML_DEPTH - 1, MAX_YAML_DEPTH, MAX_YAML_DEPTH + 1, MAX_YAML_DEPTH + 2, 600]) {
      const deep = make(n);
      const where = `${shape}, ${n} levels`;
      const [doc] = Array.from(new Parser().parse(deep)).filter((t): t is CST.Document => t.type === 'document');
      const want = depth(doc, Infinity);
      assert.ok(want >= n - 1 && want <= n, `${where}: the CST has ${want} levels`); // make(n) nests n levels, or n - 1
      const got = fastCompose(doc, MAX_YAML_DEPTH);
      if (want > MAX_YAML_DEPTH) assert.equal(got, TOO_DEEP, where);
      else assert.ok(got && got !== TOO_DEEP, `${where}: ${String(got)}`);
      // and a limit of exactly the depth, or one below it
      assert.ok(fastCompose(doc, want) !== TOO_DEEP && fastCompose(doc, want - 1) === TOO_DEEP, `${where}: limit`);
      const refused = want > MAX_YAML_DEPTH;
      const declined = 'a: !tag x\n';
      for (const [name, text] of Object.entries({
        alone: deep,
        'after a fast document': `a: 1\n---\n${deep}`,
        'before a fast document': `${deep}---\na: 1\n`,
        'after a declined document': `${declined}---\n${deep}`,
        'before a declined document': `${deep}---\n${declined}`,
        'before a directive': `${deep}...\n%YAML 1.2\n---\na: 1\n`,
        'in a flow key': `? ${'['.repeat(want)}${']'.repeat(want)}\n: 1\n`,
      })) {
        const docs = parseYaml(text);
        assert.equal(docs === undefined, name === 'in a flow key' ? want + 1 > MAX_YAML_DEPTH : refused, `${where}, ${name}`);
      }
    }
  }
});

// What documents.ts does with a whole file (fast path per file, Composer for the rest): the same
// documents, ranges, errors and nodes as yaml's Composer, on every fixture and on mutants of them.
test('parseYaml (the file-level caller) equals Composer on fixtures and mutants', () => {
  const texts = yamlFiles(fixturePath()).map((f) => readFileSync(f, 'utf8'));
  const small = texts.filter((t) => t.length < 3000);
  const next = lcg31(7);
  const random = (n: number) => next() % n;
  for (let k = 0; k < 500; k++) {
    let t = small[random(small.length)];
    const at = random(t.length + 1);
    t = t.slice(0, at) + ['\n...\n', '\n---\n', '%YAML 1.2\n', '# c\n', ' ', '\t', ']'][random(7)] + t.slice(at);
    texts.push(t);
  }
  let compared = 0;
  for (const [i, text] of texts.entries()) {
    const got = parseYaml(text);
    if (!got) continue; // nested too deep: refused before composing
    const want = Array.from(new Composer(OPTIONS).compose(new Parser().parse(text)));
    assert.equal(got.length, want.length, `text ${i}: document count`);
    got.forEach((d, j) => {
      const where = `text ${i} doc ${j + 1}`;
      assert.deepEqual(d.range, want[j].range, `${where}: range`);
      assert.deepEqual(
        d.errors.map((e) => e.code),
        want[j].errors.map((e) => e.code),
        `${where}: errors`,
      );
      if (isDocument(d)) return; // composed by yaml itself
      compareNode(d.contents, want[j].contents, where);
      compared++;
    });
  }
  assert.ok(compared > 2000, `${compared} fast-composed documents compared`);
});
