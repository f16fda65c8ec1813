// Regression found by the fuzzer (test/fuzz, seed 10, step 1992: a hover answered after 2960 ms).
// Resolving aliases called Alias.resolve(doc), which walks the whole document, after earlier aliases had
// already been replaced by the nodes they name: the walk expanded the shared nodes, so nested aliases
// (fewer than MAX_ALIASES of them) took exponential time — 6 levels of 9 about 3 s, 9 levels minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { analyze } from '../../server/src/engine';

function nestedAliases(levels: number, width: number): string {
  const lines = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: bomb',
    '  labels: {app: bomb}',
    '  annotations:',
    `    a0: &a0 [${Array(width).fill('"x"').join(',')}]`,
  ];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `    a${i}: &a${i} [${Array(width)
        .fill(`*a${i - 1}`)
        .join(',')}]`,
    );
  return `${lines.join('\n')}\n`;
}

test('nested aliases (under the alias limit) are resolved in linear time', () => {
  for (const [levels, width] of [
    [6, 9],
    [9, 9],
    [20, 9],
    [3, 60],
  ]) {
    const t = performance.now();
    const m = analyze([{ uri: 'bomb.yaml', text: nestedAliases(levels, width) }]);
    const ms = performance.now() - t;
    assert.ok(ms < 500, `${levels} levels of ${width} aliases took ${Math.round(ms)} ms`);
    assert.deepEqual(
      m.workloads.map((w) => w.labels),
      [{ app: 'bomb' }],
    );
  }
});

test('an alias names the last anchor of that name before it', () => {
  const text = [
    'apiVersion: v1',
    'kind: List',
    'items:',
    '- {apiVersion: v1, kind: Pod, metadata: {name: a, labels: &l {app: one}}}',
    '- {apiVersion: v1, kind: Pod, metadata: {name: b, labels: *l}}',
    '- {apiVersion: v1, kind: Pod, metadata: {name: c, labels: &l {app: two}}}',
    '- {apiVersion: v1, kind: Pod, metadata: {name: d, labels: *l}}',
  ].join('\n');
  const m = analyze([{ uri: 'l.yaml', text }]);
  assert.deepEqual(Object.fromEntries(m.workloads.map((w) => [w.name, w.labels.app])), { a: 'one', b: 'one', c: 'two', d: 'two' });
});
