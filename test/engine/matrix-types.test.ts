import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyze } from '../../server/src/engine';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { isAll, isEmpty } from '../../server/src/engine/net/ports';
import { explainPair } from '../../server/src/engine/reachability/explain';
import type { Model } from '../../server/src/engine/model/types';
import { fixturePath, fixtureSources } from '../support/paths';
import { generate } from '../bench/generate';

// The matrix lists and counts pairs per type pair, visiting only the column types a row can reach;
// all of it must equal checking every ordered pair of workloads one by one, and each pair's ports
// must be what explaining that pair gives.
function assertAgreesWithEveryPair(model: Model): void {
  const m = computeMatrix(model);
  const expected: string[] = [];
  let open = 0;
  for (const from of model.workloads) {
    for (const to of model.workloads) {
      if (from === to) continue;
      const p = m.ports(from, to);
      // per type pair, what explaining this pair gives (lint and queries explain pairs one by one)
      assert.deepEqual(p, explainPair(model, from, to).allowed, `ports ${from.id} -> ${to.id}`);
      if (isEmpty(p)) continue;
      expected.push(`${from.id} -> ${to.id}`);
      if (isAll(p)) open++;
    }
  }
  const pairs = [...m.connections()];
  assert.deepEqual(
    pairs.map((c) => `${c.from.id} -> ${c.to.id}`),
    expected,
    'connections(), in workload order',
  );
  assert.deepEqual(m.counts(), { connectedPairs: expected.length, fullyOpenPairs: open });
  for (const w of model.workloads) {
    assert.deepEqual(
      m.degree(w),
      {
        reaches: pairs.filter((c) => c.from === w).length,
        reachableFrom: pairs.filter((c) => c.to === w).length,
      },
      w.id,
    );
  }
}

for (const name of readdirSync(fixturePath('policy')).filter((n) => !n.includes('.'))) {
  test(`connections, counts and degrees agree with every pair: ${name}`, () => {
    for (const hostNetwork of ['node', 'pod'] as const) {
      assertAgreesWithEveryPair(
        analyze(
          fixtureSources('policy', name).filter((s) => !s.uri.endsWith('.json')),
          { hostNetwork },
        ),
      );
    }
  });
}

test('connections, counts and degrees agree with every pair: a generated 20-namespace workspace', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-matrix-'));
  try {
    const g = generate('S', 11, dir);
    const model = analyze(g.files.map((f) => ({ uri: path.relative(dir, f), text: readFileSync(f, 'utf8') })));
    assert.ok(model.workloads.length > 150);
    assertAgreesWithEveryPair(model);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Rows whose egress rules select pods across many namespaces (worker-egress: every namespace of the same env)
// but whose pairs need the destination's ingress too: the candidate columns are the admitting ones that the
// egress peers match (the intersection that keeps XL's counts linear), checked here against every pair.
test('connections, counts and degrees agree with every pair: XL structure over 12 namespaces', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-matrix-xl-'));
  try {
    const g = generate('XL', 23, dir, { namespaces: 12 });
    const model = analyze(g.files.map((f) => ({ uri: path.relative(dir, f), text: readFileSync(f, 'utf8') })));
    assert.equal(model.workloads.length, 12 * 25 + 4);
    assertAgreesWithEveryPair(model);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
