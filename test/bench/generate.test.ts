import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate, plannedCounts, shapeOf, SIZES } from './generate';

// The benchmark's XL size (issue 19): 50,000 workloads, ~20,000 NetworkPolicies, 2,000 namespaces, by
// the same structure as L. Writing it takes minutes, so the sizes are checked from the plan, and the
// generator itself on XL's structure over 40 namespaces.

test('XL plans 50,000 workloads, 20,200 NetworkPolicies and 2,000 namespaces (plus the platform ones)', () => {
  assert.deepEqual(SIZES.XL, { namespaces: 2000, workloads: 25 });
  // 10 policies per namespace, and one more (legacy-frontend) in every tenth
  assert.deepEqual(plannedCounts(SIZES.XL), { namespaces: 2003, workloads: 50_004, policies: 20_200 });
  // L, as docs/performance.md reports it
  assert.deepEqual(plannedCounts(SIZES.L), { namespaces: 403, workloads: 10_004, policies: 4040 });
});

test('XL over 40 namespaces: the stated counts, written, and the same bytes for the same seed', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-gen-xl-'));
  try {
    const shape = shapeOf('XL', 40);
    assert.deepEqual(shape, { namespaces: 40, workloads: 25 });
    const a = generate('XL', 9, path.join(tmp, 'a'), { namespaces: 40 });
    const b = generate('XL', 9, path.join(tmp, 'b'), { namespaces: 40 });
    const planned = plannedCounts(shape, 9);
    assert.deepEqual(planned, { namespaces: 43, workloads: 1004, policies: 404 });
    for (const g of [a, b]) {
      assert.equal(g.namespaces, planned.namespaces);
      assert.equal(g.workloads, planned.workloads);
      assert.equal(g.policies, planned.policies);
    }
    // one namespace.yaml, a ConfigMap, a policy file and 25 workload files per namespace, 5 platform files
    assert.equal(a.files.length, 40 * 28 + 5);
    assert.equal(a.bytes, b.bytes);
    const rel = (g: typeof a) => g.files.map((f) => path.relative(g.dir, f));
    assert.deepEqual(rel(a), rel(b));
    for (let i = 0; i < a.files.length; i++) assert.equal(readFileSync(a.files[i], 'utf8'), readFileSync(b.files[i], 'utf8'), rel(a)[i]);
    // another seed gives other files (the generator does read its seed)
    const c = generate('XL', 10, path.join(tmp, 'c'), { namespaces: 40 });
    assert.notDeepEqual(
      c.files.map((f) => readFileSync(f, 'utf8')),
      a.files.map((f) => readFileSync(f, 'utf8')),
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('--namespaces below 2 or not an integer is refused', () => {
  assert.throws(() => shapeOf('XL', 1), /--namespaces/);
  assert.throws(() => shapeOf('XL', 2.5), /--namespaces/);
  assert.throws(() => shapeOf('XL', Number.NaN), /--namespaces/);
});
