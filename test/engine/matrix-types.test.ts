import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { analyze } from '../../server/src/engine';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { isAll } from '../../server/src/engine/net/ports';
import { fixturePath, fixtureSources } from '../support/paths';

// The matrix counts pairs per type pair; they must equal what enumerating every pair gives.
for (const name of readdirSync(fixturePath('policy')).filter((n) => !n.includes('.'))) {
  test(`counts and degrees agree with the enumerated pairs: ${name}`, () => {
    for (const hostNetwork of ['node', 'pod'] as const) {
      const model = analyze(fixtureSources('policy', name).filter((s) => !s.uri.endsWith('.json')), { hostNetwork });
      const m = computeMatrix(model);
      const pairs = [...m.connections()];
      assert.deepEqual(m.counts(), { connectedPairs: pairs.length, fullyOpenPairs: pairs.filter((c) => isAll(c.allowed)).length });
      for (const w of model.workloads) {
        assert.deepEqual(m.degree(w), {
          reaches: pairs.filter((c) => c.from === w).length,
          reachableFrom: pairs.filter((c) => c.to === w).length,
        }, w.id);
      }
    }
  });
}
