import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  calicoSelectorKeys,
  calicoSelectorUsesGlobal,
  describeCalicoSelector,
  evaluateCalicoSelector,
  formatCalicoSelector,
  parseCalicoSelector,
  type CalicoSelector,
} from '../../server/src/engine/selectors/calico';
import { lcg31 } from '../support/random';

type Labels = Record<string, string>;

function parsed(text: string): CalicoSelector {
  const r = parseCalicoSelector(text);
  if (!r.ok) assert.fail(`${JSON.stringify(text)} should parse, got: ${r.error.message} at ${r.error.start}-${r.error.end}`);
  return r.ast;
}

// Each selector with label sets it must select and label sets it must not (semantics as in Calico's parser tests).
const matchCases: { sel: string; yes: Labels[]; no: Labels[] }[] = [
  // equality and inequality; a missing label is "not equal"
  { sel: 'app == "web"', yes: [{ app: 'web' }, { app: 'web', tier: 'front' }], no: [{}, { app: 'api' }, { tier: 'web' }] },
  { sel: "app == 'web'", yes: [{ app: 'web' }], no: [{ app: 'Web' }, {}] },
  { sel: 'env != "prod"', yes: [{ env: 'dev' }, {}, { other: 'prod' }], no: [{ env: 'prod' }] },
  { sel: "env != 'prod'", yes: [{}], no: [{ env: 'prod' }] },
  { sel: 'note == ""', yes: [{ note: '' }], no: [{}, { note: 'x' }] },
  { sel: 'note != ""', yes: [{}, { note: 'x' }], no: [{ note: '' }] },
  { sel: 'greeting == "hello world"', yes: [{ greeting: 'hello world' }], no: [{ greeting: 'hello' }] },
  { sel: 'city == "Zürich"', yes: [{ city: 'Zürich' }], no: [{ city: 'Zurich' }] },
  // string operators need the label
  {
    sel: 'team contains "net"',
    yes: [{ team: 'net' }, { team: 'subnets' }, { team: 'netops', x: 'y' }],
    no: [{}, { team: 'ne' }, { other: 'net' }],
  },
  { sel: 'team contains ""', yes: [{ team: '' }, { team: 'a' }], no: [{}] },
  {
    sel: 'ver starts with "v1"',
    yes: [{ ver: 'v1' }, { ver: 'v1.2' }],
    no: [{}, { ver: 'v2' }, { ver: 'xv1' }, { other: 'v1' }],
  },
  { sel: 'ver startswith "v1"', yes: [{ ver: 'v1.0' }], no: [{ ver: '1' }] },
  { sel: 'ver starts  with "v1"', yes: [{ ver: 'v10' }], no: [{}] },
  { sel: 'host ends with ".local"', yes: [{ host: 'db.local' }, { host: '.local' }], no: [{}, { host: 'local' }, { host: 'db.local.' }] },
  { sel: 'host endswith ".local"', yes: [{ host: 'a.local' }], no: [{ host: 'a.loca' }] },
  // sets; quotes of one kind inside strings of the other
  {
    sel: `mark in {"'", '"', "plain"}`,
    yes: [{ mark: "'" }, { mark: '"' }, { mark: 'plain' }],
    no: [{}, { mark: 'other' }],
  },
  {
    sel: `mark not in {"'", '"', "plain"}`,
    yes: [{}, { mark: 'other' }],
    no: [{ mark: "'" }, { mark: '"' }, { mark: 'plain' }],
  },
  { sel: 'tier in {"front"}', yes: [{ tier: 'front' }], no: [{ tier: 'back' }, {}] },
  { sel: 'tier in {"front", "back"}', yes: [{ tier: 'front' }, { tier: 'back' }], no: [{ tier: 'db' }] },
  { sel: 'tier not in {"db", "cache"}', yes: [{ tier: 'front' }, {}], no: [{ tier: 'db' }] },
  { sel: 'tier notin {"db"}', yes: [{ tier: 'front' }], no: [{ tier: 'db' }] },
  { sel: 'tier in {}', yes: [], no: [{}, { tier: '' }, { tier: 'x' }] },
  { sel: 'tier not in {}', yes: [{}, { tier: 'x' }], no: [] },
  { sel: 'tier in {"a",}', yes: [{ tier: 'a' }], no: [{ tier: '' }] },
  // ! binds to the whole term that follows
  { sel: '!tier in {"front"}', yes: [{ tier: 'back' }, {}], no: [{ tier: 'front' }] },
  // has
  { sel: 'has(app)', yes: [{ app: 'x' }, { app: '' }], no: [{}, { other: 'app' }] },
  { sel: '!has(app)', yes: [{}, { other: 'x' }], no: [{ app: 'x' }] },
  { sel: '! has(app)', yes: [{}], no: [{ app: 'x' }] },
  { sel: 'has( app )', yes: [{ app: 'x' }], no: [{}] },
  { sel: '!!has(app)', yes: [{ app: 'x' }], no: [{}] },
  { sel: '!!!has(app)', yes: [{}], no: [{ app: 'x' }] },
  { sel: '!! ! has(app)', yes: [{}], no: [{ app: 'x' }] },
  { sel: '! !!has(app)', yes: [{}], no: [{ app: 'x' }] },
  { sel: '!(!has(app))', yes: [{ app: 'x' }], no: [{}] },
  // empty selector, all(), global()
  { sel: '', yes: [{}, { app: 'x' }], no: [] },
  { sel: ' ', yes: [{}], no: [] },
  { sel: ' \t ', yes: [{ a: 'b' }], no: [] },
  { sel: 'all()', yes: [{}, { a: 'b' }], no: [] },
  { sel: '  all( )  ', yes: [{}], no: [] },
  { sel: 'global()', yes: [{}, { a: 'b' }], no: [] },
  { sel: ' global() ', yes: [{}], no: [] },
  { sel: '!all()', yes: [], no: [{}, { a: 'b' }] },
  // && and ||
  {
    sel: 'app == "web" && tier == "front"',
    yes: [{ app: 'web', tier: 'front' }],
    no: [{}, { app: 'web' }, { tier: 'front' }, { app: 'web', tier: 'back' }, { app: 'api', tier: 'front' }],
  },
  {
    sel: 'app == "web" || tier == "front"',
    yes: [{ app: 'web' }, { tier: 'front' }, { app: 'web', tier: 'front' }],
    no: [{}, { app: 'api', tier: 'back' }, { app: 'api' }],
  },
  { sel: 'x == "1" && y != "2"', yes: [{ x: '1' }, { x: '1', y: '3' }], no: [{ x: '1', y: '2' }] },
  { sel: 'x != "1" && y == "2"', yes: [{ y: '2' }], no: [{ x: '1', y: '2' }] },
  { sel: 'x != "1" && y != "2"', yes: [{}], no: [{ x: '1', y: '2' }, { x: '1' }, { y: '2' }] },
  { sel: 'x != "1" && !y == "2"', yes: [{}], no: [{ x: '1', y: '2' }, { y: '2' }] },
  { sel: '!x == "1" && y == "2"', yes: [{ y: '2' }], no: [{ x: '1', y: '2' }] },
  { sel: 'x == "1" || y != "2"', yes: [{ x: '1', y: '2' }, {}], no: [{ y: '2' }] },
  { sel: 'x != "1" || y != "2"', yes: [{ x: '1' }, {}], no: [{ x: '1', y: '2' }] },
  { sel: '! x == "1" || ! y == "2"', yes: [{ x: '1' }], no: [{ x: '1', y: '2' }] },
  { sel: 'has(x) && !has(y)', yes: [{ x: '1' }], no: [{ x: '1', y: '2' }, {}] },
  { sel: '!has(y) && has(x)', yes: [{ x: '1' }], no: [{ y: '1' }] },
  { sel: '!(!has(x) || has(y))', yes: [{ x: '1' }], no: [{ x: '1', y: '1' }, {}] },
  { sel: '!(has(y) || !has(x))', yes: [{ x: '1' }], no: [{ y: '1' }] },
  // precedence: && before ||, ! before &&; parentheses regroup
  {
    sel: 'a == "1" || b == "2" && c == "3"',
    yes: [{ a: '1' }, { b: '2', c: '3' }],
    no: [{ b: '2' }, { c: '3' }, {}],
  },
  {
    sel: '(a == "1" || b == "2") && c == "3"',
    yes: [
      { a: '1', c: '3' },
      { b: '2', c: '3' },
    ],
    no: [{ a: '1' }, { c: '3' }],
  },
  { sel: 'b == "2" && c == "3" || a == "1"', yes: [{ a: '1' }, { b: '2', c: '3' }], no: [{ b: '2' }] },
  { sel: '!has(a) && has(b) || has(c)', yes: [{ b: '1' }, { a: '1', c: '1' }], no: [{ a: '1', b: '1' }] },
  { sel: '!(has(a) && has(b)) || has(c)', yes: [{ a: '1' }, {}, { a: '1', b: '1', c: '1' }], no: [{ a: '1', b: '1' }] },
  { sel: '((has(a)))', yes: [{ a: '' }], no: [{}] },
  // label keys as Calico allows them: prefixes, slashes, dots, dashes, underscores, leading digits
  { sel: 'app.kubernetes.io/name == "web"', yes: [{ 'app.kubernetes.io/name': 'web' }], no: [{ name: 'web' }] },
  { sel: 'k8s-app in {"kube-dns"}', yes: [{ 'k8s-app': 'kube-dns' }], no: [{ k8s: 'kube-dns' }] },
  { sel: 'has(calico/k8s_NS-.1/role)', yes: [{ 'calico/k8s_NS-.1/role': 'x' }], no: [{}] },
  { sel: '1st == "x"', yes: [{ '1st': 'x' }], no: [{}] },
  { sel: 'projectcalico.org/namespace == "prod"', yes: [{ 'projectcalico.org/namespace': 'prod' }], no: [{}] },
  // keys spelled like keywords
  { sel: 'contains contains "contains"', yes: [{ contains: 'xcontainsx' }], no: [{ contains: 'contain' }] },
  { sel: 'in in {"in"}', yes: [{ in: 'in' }], no: [{}] },
  { sel: 'not not in {"not"}', yes: [{}, { not: 'x' }], no: [{ not: 'not' }] },
  { sel: 'has == "x" && all != "y"', yes: [{ has: 'x' }], no: [{ has: 'x', all: 'y' }] },
  { sel: 'startswith starts with "s"', yes: [{ startswith: 'sx' }], no: [{ startswith: 'xs' }] },
  { sel: 'global == "g"', yes: [{ global: 'g' }], no: [{}] },
  // no blanks at all; tabs as separators
  { sel: 'a=="1"&&!has(b)||c notin{"3"}', yes: [{ a: '1' }, {}], no: [{ a: '1', b: '1', c: '3' }] },
  { sel: 'a in{"1"}', yes: [{ a: '1' }], no: [{ a: '2' }] },
  { sel: 'a contains"1"', yes: [{ a: '010' }], no: [{ a: '2' }] },
  { sel: 'a\t==\t"1"\t&&\thas(b)', yes: [{ a: '1', b: '' }], no: [{ a: '1' }] },
];

for (const c of matchCases) {
  test(`calico selector ${JSON.stringify(c.sel)}: matches`, () => {
    const ast = parsed(c.sel);
    for (const l of c.yes) assert.equal(evaluateCalicoSelector(ast, l), true, `should select ${JSON.stringify(l)}`);
    for (const l of c.no) assert.equal(evaluateCalicoSelector(ast, l), false, `should not select ${JSON.stringify(l)}`);
    // the canonical text selects the same label sets
    const again = parsed(formatCalicoSelector(ast));
    for (const l of [...c.yes, ...c.no]) assert.equal(evaluateCalicoSelector(again, l), evaluateCalicoSelector(ast, l));
  });
}

test('calico selector: the AST shows precedence, folds negations and normalizes sets', () => {
  assert.deepEqual(parsed('a == "1" || b == "2" && !c == "3"'), {
    kind: 'or',
    operands: [
      { kind: 'compare', op: '==', key: 'a', value: '1' },
      {
        kind: 'and',
        operands: [
          { kind: 'compare', op: '==', key: 'b', value: '2' },
          { kind: 'not', operand: { kind: 'compare', op: '==', key: 'c', value: '3' } },
        ],
      },
    ],
  });
  assert.deepEqual(parsed('(a == "1" || b == "2") && has(c)'), {
    kind: 'and',
    operands: [
      {
        kind: 'or',
        operands: [
          { kind: 'compare', op: '==', key: 'a', value: '1' },
          { kind: 'compare', op: '==', key: 'b', value: '2' },
        ],
      },
      { kind: 'has', key: 'c' },
    ],
  });
  // a chain of one operator is one n-ary node; a parenthesized group stays nested
  assert.deepEqual(parsed('has(a) && has(b) && has(c)'), {
    kind: 'and',
    operands: [
      { kind: 'has', key: 'a' },
      { kind: 'has', key: 'b' },
      { kind: 'has', key: 'c' },
    ],
  });
  assert.deepEqual(parsed('(has(a) && has(b)) && has(c)'), {
    kind: 'and',
    operands: [
      {
        kind: 'and',
        operands: [
          { kind: 'has', key: 'a' },
          { kind: 'has', key: 'b' },
        ],
      },
      { kind: 'has', key: 'c' },
    ],
  });
  assert.deepEqual(parsed('!!has(a)'), { kind: 'has', key: 'a' });
  assert.deepEqual(parsed('!(!has(a))'), { kind: 'has', key: 'a' });
  assert.deepEqual(parsed('!!!(has(a))'), { kind: 'not', operand: { kind: 'has', key: 'a' } });
  assert.deepEqual(parsed('(( has(a) ))'), { kind: 'has', key: 'a' });
  assert.deepEqual(parsed('k in {"z", "b", "z", "a"}'), { kind: 'set', op: 'in', key: 'k', values: ['a', 'b', 'z'] });
  assert.deepEqual(parsed('k notin {}'), { kind: 'set', op: 'not in', key: 'k', values: [] });
  // one-word spellings are the same operators
  assert.deepEqual(parsed('k startswith "x"'), parsed('k starts with "x"'));
  assert.deepEqual(parsed('k endswith "x"'), parsed('k ends   with "x"'));
  assert.deepEqual(parsed("k == 'x'"), parsed('k == "x"'));
  // set order is by code point, as Go sorts strings
  assert.deepEqual(parsed('k in {"b", "B", "é", "😀", "ﬀ"}'), { kind: 'set', op: 'in', key: 'k', values: ['B', 'b', 'é', 'ﬀ', '😀'] });
});

test('calico selector: empty and blank selectors are all(), flagged empty', () => {
  for (const text of ['', ' ', '\t  ']) {
    const r = parseCalicoSelector(text);
    assert.ok(r.ok);
    assert.deepEqual(r.ast, { kind: 'all' });
    assert.equal(r.empty, true);
  }
  const r = parseCalicoSelector('all()');
  assert.ok(r.ok);
  assert.equal(r.empty, false);
});

// Invalid selectors: the message names the problem and [start, end) is the offending text.
const errorCases: { sel: string; start: number; end: number; message: RegExp }[] = [
  // strings
  { sel: 'app == "web', start: 7, end: 11, message: /unterminated string: no closing "/ },
  { sel: `app == 'web"`, start: 7, end: 12, message: /unterminated string: no closing '/ },
  { sel: '"web', start: 0, end: 4, message: /unterminated string/ },
  { sel: "'web", start: 0, end: 4, message: /unterminated string/ },
  { sel: 'app in {"a", "b}', start: 13, end: 16, message: /unterminated string/ },
  // operands of the wrong kind
  { sel: 'app == web', start: 7, end: 10, message: /expected a quoted string after '==', found 'web'/ },
  { sel: 'app contains web', start: 13, end: 16, message: /after 'contains'/ },
  { sel: 'app starts with web', start: 16, end: 19, message: /after 'starts with'/ },
  { sel: 'app ends with web', start: 14, end: 17, message: /after 'ends with'/ },
  { sel: "'web' == app", start: 0, end: 5, message: /put the label key first/ },
  { sel: '"web"', start: 0, end: 5, message: /put the label key first/ },
  { sel: 'app != ||', start: 7, end: 9, message: /quoted string after '!=', found '\|\|'/ },
  { sel: 'app ==', start: 4, end: 6, message: /'==' must be followed by a quoted string/ },
  // a label alone or followed by something that is not an operator
  { sel: 'app', start: 0, end: 3, message: /expected an operator after label 'app'/ },
  { sel: 'app ', start: 0, end: 3, message: /expected an operator after label 'app'/ },
  { sel: 'app tier', start: 4, end: 8, message: /expected an operator after label 'app'/ },
  { sel: 'app "web"', start: 4, end: 9, message: /expected an operator after label 'app'.*found '"web"'/ },
  { sel: 'app inside {"a"}', start: 4, end: 10, message: /expected an operator after label 'app'/ },
  { sel: 'app = "x"', start: 4, end: 5, message: /expected '=='/ },
  { sel: 'app starts "x"', start: 11, end: 12, message: /expected 'with' after 'starts'/ },
  { sel: 'app ends', start: 4, end: 8, message: /expected 'with' after 'ends'/ },
  { sel: 'app not {"x"}', start: 8, end: 9, message: /expected 'in' after 'not'/ },
  // sets
  { sel: 'app in "x"', start: 7, end: 10, message: /expected '\{' after 'in'/ },
  { sel: 'app not in "x"', start: 11, end: 14, message: /expected '\{' after 'not in'/ },
  { sel: 'app in', start: 4, end: 6, message: /'in' must be followed by a set/ },
  { sel: 'app in {"x"', start: 7, end: 8, message: /missing '\}'/ },
  { sel: 'app in {"x" "y"}', start: 12, end: 15, message: /expected a quoted string, ',' or '\}' in the set, found '"y"'/ },
  { sel: 'app in {"", ||', start: 12, end: 14, message: /in the set, found '\|\|'/ },
  { sel: 'app in {,}', start: 8, end: 9, message: /in the set, found ','/ },
  { sel: 'app in {x}', start: 8, end: 9, message: /in the set, found 'x'/ },
  // && || ! without an operand; single & and |
  { sel: '!', start: 0, end: 1, message: /'!' must be followed by a selector/ },
  { sel: 'has(a) &&', start: 7, end: 9, message: /'&&' must be followed by a selector/ },
  { sel: 'has(a) ||  ', start: 7, end: 9, message: /'\|\|' must be followed by a selector/ },
  { sel: 'has(a) && || has(b)', start: 10, end: 12, message: /expected a selector, found '\|\|'/ },
  { sel: '&& has(a)', start: 0, end: 2, message: /expected a selector, found '&&'/ },
  { sel: 'has(a) &', start: 7, end: 8, message: /expected '&&'/ },
  { sel: 'has(a) | has(b)', start: 7, end: 8, message: /expected '\|\|'/ },
  { sel: 'has(a) &&& has(b)', start: 9, end: 10, message: /expected '&&'/ },
  // parentheses
  { sel: '(', start: 0, end: 1, message: /'\(' must be followed by a selector/ },
  { sel: '(app == "x"', start: 0, end: 1, message: /missing '\)'/ },
  { sel: '((has(a))', start: 0, end: 1, message: /missing '\)'/ },
  { sel: ')', start: 0, end: 1, message: /expected a selector, found '\)'/ },
  { sel: '()', start: 1, end: 2, message: /expected a selector, found '\)'/ },
  { sel: 'has(a))', start: 6, end: 7, message: /unmatched '\)'/ },
  { sel: '(has(a) has(b))', start: 8, end: 14, message: /expected '\)' or an operator/ },
  // functions
  { sel: 'foo(bar)', start: 0, end: 4, message: /unknown function 'foo\(\)'/ },
  { sel: 'has(a) && hasnt(b)', start: 10, end: 16, message: /unknown function 'hasnt\(\)'/ },
  { sel: 'has (a)', start: 0, end: 5, message: /no space before '\('/ },
  { sel: 'all ()', start: 0, end: 5, message: /no space before '\('/ },
  { sel: 'has(', start: 0, end: 4, message: /expected a label key inside has/ },
  { sel: 'has()', start: 4, end: 5, message: /expected a label key inside has/ },
  { sel: 'has("a")', start: 4, end: 5, message: /expected a label key inside has/ },
  { sel: 'has(a', start: 0, end: 4, message: /missing '\)' to close has\(/ },
  { sel: 'has(a b)', start: 6, end: 7, message: /expected '\)' to close has\(/ },
  { sel: 'all(x)', start: 4, end: 5, message: /all\(\) takes no argument/ },
  { sel: 'all(', start: 0, end: 4, message: /missing '\)' to close all\(/ },
  { sel: 'global(a)', start: 7, end: 8, message: /global\(\) takes no argument/ },
  // trailing garbage
  { sel: 'has(a) has(b)', start: 7, end: 13, message: /unexpected 'has\(b\)' after a complete selector/ },
  { sel: 'all() app == "x"', start: 6, end: 9, message: /unexpected 'app' after a complete selector/ },
  { sel: 'app == "x" "y"', start: 11, end: 14, message: /after a complete selector/ },
  // characters outside the language
  { sel: '%', start: 0, end: 1, message: /unexpected character '%'/ },
  { sel: 'app == "x" && %', start: 14, end: 15, message: /unexpected character '%'/ },
  { sel: 'app == "x" || %', start: 14, end: 15, message: /unexpected character '%'/ },
  { sel: 'app == "x"\n&& has(b)', start: 10, end: 11, message: /line break/ },
  { sel: 'app\u00a0== "x"', start: 3, end: 4, message: /only spaces and tabs/ },
  { sel: 'ключ == "x"', start: 0, end: 1, message: /unexpected character 'к'/ },
  { sel: '😀 == "x"', start: 0, end: 2, message: /unexpected character '😀'/ },
  { sel: 'has(a) && (b == "x" ; c)', start: 20, end: 21, message: /unexpected character ';'/ },
  // the first error in the text wins
  { sel: ') %', start: 0, end: 1, message: /found '\)'/ },
];

for (const c of errorCases) {
  test(`calico selector ${JSON.stringify(c.sel)}: rejected at ${c.start}-${c.end}`, () => {
    const r = parseCalicoSelector(c.sel);
    assert.equal(r.ok, false, 'should not parse');
    if (r.ok) return;
    assert.match(r.error.message, c.message);
    assert.deepEqual([r.error.start, r.error.end], [c.start, c.end], `range of: ${r.error.message}`);
  });
}

test('calico selector: label keys longer than 512 characters are rejected on the key', () => {
  const ok = 'k'.repeat(512);
  assert.ok(parseCalicoSelector(`${ok} == "x"`).ok);
  assert.ok(parseCalicoSelector(`has(${ok})`).ok);
  const long = 'k'.repeat(513);
  for (const [text, start] of [
    [`${long} == "x"`, 0],
    [`has(${long})`, 4],
    [`has(a) && ${long} == "x"`, 10],
  ] as const) {
    const r = parseCalicoSelector(text);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.match(r.error.message, /longer than 512/);
      assert.deepEqual([r.error.start, r.error.end], [start, start + 513]);
    }
  }
});

// Canonical text, in Calico's spelling.
const canonicalCases: [string, string][] = [
  ['', 'all()'],
  ['  all( )  ', 'all()'],
  [' ( all() )', 'all()'],
  [' global() ', 'global()'],
  ['!( has( x)||! has(y ))', '!(has(x) || !has(y))'],
  ['! (p == "q"&&! r != "s")', '!(p == "q" && !r != "s")'],
  ['x=="1"&&y!="2"', '(x == "1" && y != "2")'],
  ['x == "1" || y == "2" && z == "3"', '(x == "1" || (y == "2" && z == "3"))'],
  ['(x == "1" || y == "2") && z == "3"', '((x == "1" || y == "2") && z == "3")'],
  [`v == "it's"`, `v == "it's"`],
  [`v == 'say "hi"'`, `v == 'say "hi"'`],
  [`v contains '"'`, `v contains '"'`],
  [`v contains "'"`, `v contains "'"`],
  [`v startswith '"'`, `v starts with '"'`],
  [`v endswith "'"`, `v ends with "'"`],
  [`v!='"'`, `v != '"'`],
  ["v == 'plain'", 'v == "plain"'],
  ['v in {"q"}', 'v in {"q"}'],
  ['v in {"m", "c", "k"}', 'v in {"c", "k", "m"}'],
  ['v notin {"m","m", "c", "k", "c"}', 'v not in {"c", "k", "m"}'],
  [`v in {'"', "'"}`, `v in {'"', "'"}`],
  ['v in {"a",}', 'v in {"a"}'],
  ['v in {}', 'v in {}'],
  ['!!has(a)', 'has(a)'],
  ['!!!has(a)', '!has(a)'],
  ['!(!has(a))', 'has(a)'],
];

for (const [input, expected] of canonicalCases) {
  test(`calico selector: ${JSON.stringify(input)} formats as ${expected}`, () => {
    assert.equal(formatCalicoSelector(parsed(input)), expected);
    assert.equal(formatCalicoSelector(parsed(expected)), expected);
  });
}

test('calico selector: format round-trips every valid selector of this file', () => {
  const all = [...matchCases.map((c) => c.sel), ...canonicalCases.flatMap(([a, b]) => [a, b])];
  for (const text of all) {
    const ast = parsed(text);
    const canon = formatCalicoSelector(ast);
    assert.deepEqual(parsed(canon), ast, `${text} -> ${canon}`);
    assert.equal(formatCalicoSelector(parsed(canon)), canon);
  }
});

test('calico selector: label keys a selector reads', () => {
  assert.deepEqual(calicoSelectorKeys(parsed('')), []);
  assert.deepEqual(calicoSelectorKeys(parsed('all() || global()')), []);
  assert.deepEqual(
    calicoSelectorKeys(parsed('tier in {"a"} && !(has(app) || env != "x") || app.kubernetes.io/name starts with "w" || tier == "b"')),
    ['app', 'app.kubernetes.io/name', 'env', 'tier'],
  );
  assert.deepEqual(calicoSelectorKeys(parsed('k contains "v" && j ends with "w" && i not in {}')), ['i', 'j', 'k']);
});

test('calico selector: all() and global() by evaluation context', () => {
  const global = parsed('global()');
  const all = parsed('all()');
  const either = parsed('global() || all()');
  const envNotProd = parsed('env != "prod"');
  const hasEnv = parsed('has(env)');
  // a plain selector: Calico's evaluator has both true
  assert.equal(evaluateCalicoSelector(global, {}), true);
  assert.equal(evaluateCalicoSelector(all, {}), true);
  // a namespaceSelector for a namespaced endpoint, with its namespace's labels
  assert.equal(evaluateCalicoSelector(global, { env: 'dev' }, 'namespaceSelector'), false);
  assert.equal(evaluateCalicoSelector(all, { env: 'dev' }, 'namespaceSelector'), true);
  assert.equal(evaluateCalicoSelector(parsed('!global()'), {}, 'namespaceSelector'), true);
  // the same namespaceSelector for a non-namespaced resource (HostEndpoint, GlobalNetworkSet)
  assert.equal(evaluateCalicoSelector(global, {}, 'namespaceSelector:global'), true);
  assert.equal(evaluateCalicoSelector(all, {}, 'namespaceSelector:global'), false);
  assert.equal(evaluateCalicoSelector(either, {}, 'namespaceSelector:global'), true);
  // terms on labels read the (empty) labels: a negative term selects non-namespaced resources too
  assert.equal(evaluateCalicoSelector(envNotProd, {}, 'namespaceSelector:global'), true);
  assert.equal(evaluateCalicoSelector(hasEnv, {}, 'namespaceSelector:global'), false);
  assert.equal(calicoSelectorUsesGlobal(either), true);
  assert.equal(calicoSelectorUsesGlobal(parsed('!(has(a) && global())')), true);
  assert.equal(calicoSelectorUsesGlobal(parsed('has(global)')), false);
});

test('calico selector: labels are read as own properties only', () => {
  const ast = parsed('has(constructor) || toString == "x"');
  assert.equal(evaluateCalicoSelector(ast, {}), false);
  assert.equal(evaluateCalicoSelector(parsed('constructor != "x"'), {}), true);
  assert.equal(evaluateCalicoSelector(ast, { constructor: 'y' }), true);
});

test('calico selector: spans locate each node in the text', () => {
  const text = '  app == "web" && !(has(tier) || env in {"a"})';
  const r = parseCalicoSelector(text);
  assert.ok(r.ok);
  const at = (n: CalicoSelector): string => {
    const s = r.spans.get(n);
    assert.ok(s, `no span for ${formatCalicoSelector(n)}`);
    return text.slice(s.start, s.end);
  };
  assert.equal(r.ast.kind, 'and');
  if (r.ast.kind !== 'and') return;
  const [eq, not] = r.ast.operands;
  assert.equal(at(r.ast), 'app == "web" && !(has(tier) || env in {"a"})');
  assert.equal(at(eq), 'app == "web"');
  assert.equal(at(not), '!(has(tier) || env in {"a"})');
  assert.equal(not.kind, 'not');
  if (not.kind !== 'not' || not.operand.kind !== 'or') return assert.fail('expected !(... || ...)');
  assert.equal(at(not.operand), 'has(tier) || env in {"a"}');
  assert.equal(at(not.operand.operands[0]), 'has(tier)');
  assert.equal(at(not.operand.operands[1]), 'env in {"a"}');
});

test('calico selector: generated selectors parse and round-trip; mutated ones never throw', () => {
  const next = lcg31(12345);
  const rand = (n: number): number => next() % n;
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)];
  const blank = (): string => pick(['', ' ', ' ', '  ', '\t']);
  const keys = ['a', 'app', 'k8s-app', 'app.kubernetes.io/name', 'in', 'has', 'x_1'];
  const str = (): string => pick(['"v"', "'w'", '""', `"it's"`, `'say "x"'`, '"é 😀"']);
  const term = (depth: number): string => {
    switch (rand(depth > 0 ? 8 : 6)) {
      case 0:
        return `has(${blank()}${pick(keys)}${blank()})`;
      case 1:
        return pick(['all()', 'global()', 'all( )']);
      case 2:
        return `${pick(keys)}${blank()}${pick(['==', '!='])}${blank()}${str()}`;
      case 3:
        return `${pick(keys)} ${pick(['contains', 'starts with', 'startswith', 'ends with', 'endswith'])}${blank()}${str()}`;
      case 4: {
        const values = Array.from({ length: rand(4) }, str).join(`,${blank()}`);
        return `${pick(keys)} ${pick(['in', 'not in', 'notin'])}${blank()}{${blank()}${values}${blank()}}`;
      }
      case 5:
        return `!${blank()}${term(depth)}`;
      default:
        return `(${blank()}${expr(depth - 1)}${blank()})`;
    }
  };
  const expr = (depth: number): string => {
    const n = 1 + rand(3);
    let out = term(depth);
    for (let i = 1; i < n; i++) out += `${blank()}${pick(['&&', '||'])}${blank()}${term(depth)}`;
    return out;
  };
  const pieces = ['a', ' ', '==', '!', '&&', '||', '(', ')', '{', '}', ',', '"', "'", 'in', 'not', 'has(', '=', '&', '|', '%', '\n', 'é'];
  let rejected = 0;
  for (let i = 0; i < 1500; i++) {
    const text = `${blank()}${expr(3)}${blank()}`;
    const ast = parsed(text);
    const canon = formatCalicoSelector(ast);
    assert.deepEqual(parsed(canon), ast, `${JSON.stringify(text)} -> ${canon}`);
    // the same selector after one random edit: a result either way, never an exception
    const at = rand(text.length + 1);
    const cut = rand(2) === 0 ? 1 + rand(3) : 0;
    const mutated = text.slice(0, at) + (cut ? '' : pick(pieces)) + text.slice(at + cut);
    const r = parseCalicoSelector(mutated);
    if (r.ok) {
      assert.deepEqual(parsed(formatCalicoSelector(r.ast)), r.ast);
      evaluateCalicoSelector(r.ast, { a: 'v' });
    } else {
      rejected++;
      const { start, end, message } = r.error;
      assert.ok(0 <= start && start < end && end <= mutated.length, `${JSON.stringify(mutated)}: ${start}-${end}`);
      assert.ok(message.length > 0 && !message.startsWith('internal error'), `${JSON.stringify(mutated)}: ${message}`);
    }
  }
  assert.ok(rejected > 300, `only ${rejected} mutated selectors were rejected`);
});

test('calico selector: described in words for hovers', () => {
  const cases: [string, string][] = [
    ['', 'everything (all())'],
    ['global()', 'non-namespaced resources (global())'],
    ['!global()', 'resources in a namespace (!global())'],
    ['app == "web"', 'app is "web"'],
    [`q == 'say "hi"'`, `q is 'say "hi"'`],
    ['app != "web"', 'app is not "web" (or is absent)'],
    ['!app != "web"', 'app is "web"'],
    ['has(app)', 'label app is present'],
    ['!has(app)', 'label app is absent'],
    ['tier in {"front"}', 'tier is "front"'],
    ['tier in {"front", "back"}', 'tier is one of "back", "front"'],
    ['tier not in {"db", "cache"}', 'tier is none of "cache", "db" (or is absent)'],
    ['!tier in {"db"}', 'tier is not "db" (or is absent)'],
    ['tier in {}', 'nothing (tier in {} never holds)'],
    ['tier not in {}', 'everything (tier not in {} always holds)'],
    ['team contains "net"', 'team contains "net"'],
    ['!team contains "net"', 'team does not contain "net" (or is absent)'],
    ['ver starts with "v1"', 'ver starts with "v1"'],
    ['!ver starts with "v1"', 'ver does not start with "v1" (or is absent)'],
    ['host ends with ".local"', 'host ends with ".local"'],
    ['!host ends with ".local"', 'host does not end with ".local" (or is absent)'],
    ['app == "web" && !has(legacy)', 'app is "web" and label legacy is absent'],
    ['a == "1" || b == "2" && c == "3"', 'a is "1" or (b is "2" and c is "3")'],
    ['!(has(a) && has(b)) || has(c)', '(label a is absent or label b is absent) or label c is present'],
    ['!(has(a) || b == "2")', 'label a is absent and b is not "2" (or is absent)'],
  ];
  for (const [text, words] of cases) assert.equal(describeCalicoSelector(parsed(text)), words, text);
});
