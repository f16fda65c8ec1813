// OverlayMap (an earlier map with a few entries replaced, without a copy) must answer as a Map with the same
// changes applied does: after seeded random sets and deletes, layered on earlier overlays, and folded when large.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OverlayMap } from '../../server/src/engine/model/overlayMap';
import { mulberry32 } from '../support/random';

test('an overlay answers as a copied map with the same changes', () => {
  const rnd = mulberry32(5);
  let want = new Map<string, number>();
  for (let i = 0; i < 300; i++) want.set(`k${i}`, i);
  let got: ReadonlyMap<string, number> = new Map(want);
  const before = [...want];
  const first = got;
  let folded = 0;
  for (let step = 0; step < 200; step++) {
    const changes = new Map<string, number | undefined>();
    for (let c = 0; c < 1 + Math.floor(rnd() * 5); c++) {
      const k = `k${Math.floor(rnd() * 340)}`;
      changes.set(k, rnd() < 0.2 ? undefined : Math.floor(rnd() * 1000));
    }
    want = new Map(want);
    for (const [k, v] of changes) {
      if (v === undefined) want.delete(k);
      else want.set(k, v);
    }
    got = OverlayMap.of(got, changes);
    if (!(got instanceof OverlayMap)) folded++;
    assert.equal(got.size, want.size, `step ${step}: size`);
    assert.deepEqual(new Map(got), want, `step ${step}: entries`);
    assert.deepEqual([...got.keys()].sort(), [...want.keys()].sort(), `step ${step}: keys`);
    // forEach (what the policy index patch walks) visits the same entries as the iterator, once each
    const visited: [string, number][] = [];
    got.forEach((v, k, m) => {
      assert.equal(m, got);
      visited.push([k, v]);
    });
    assert.deepEqual(visited, [...got], `step ${step}: forEach`);
    for (let k = 0; k < 340; k++) {
      assert.equal(got.get(`k${k}`), want.get(`k${k}`));
      assert.equal(got.has(`k${k}`), want.has(`k${k}`));
    }
  }
  assert.ok(folded > 0, 'folded into a flat map along the way');
  assert.deepEqual([...first], before, 'the first map never changed');
});
