// peerWorkloads/selectedWorkloads answer from per-model indexes and share answers between equal
// peers; they must give what checking every workload with peerMatches/policySelects gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyze } from '../../server/src/engine';
import { peerMatches, peerMatchesAny, peerWorkloads, policySelects, selectedWorkloads } from '../../server/src/engine/policy/semantics';
import type { Model } from '../../server/src/engine/model/types';
import { fixturePath, fixtureSources } from '../support/paths';
import { generate } from '../bench/generate';

/** A copy of the model (a new object: no cached answers), for peerMatchesAny's own walk. */
const analyzedAgain = (model: Model): Model => ({ ...model });

function assertIndexedEqualsScan(model: Model, label: string): number {
  let peers = 0;
  const ids = (ws: readonly { id: string }[]) => ws.map((w) => w.id);
  for (const p of model.policies) {
    assert.deepEqual(
      ids(selectedWorkloads(model, p)),
      ids(model.workloads.filter((w) => policySelects(p, w, model))),
      `${label}: ${p.id} selects`,
    );
    for (const rule of [...p.ingress, ...p.egress]) {
      for (const peer of rule.peers ?? []) {
        peers++;
        const expected = model.workloads.filter((w) => peerMatches(peer, p.namespace, w, model));
        // before any answer is cached for this model, and after
        assert.equal(
          peerMatchesAny(analyzedAgain(model), peer, p.namespace),
          expected.length > 0,
          `${label}: a peer of ${p.id} matches any`,
        );
        assert.deepEqual(ids(peerWorkloads(model, peer, p.namespace)).sort(), ids(expected).sort(), `${label}: a peer of ${p.id}`);
        assert.equal(peerMatchesAny(model, peer, p.namespace), expected.length > 0, `${label}: a peer of ${p.id} matches any (cached)`);
      }
    }
  }
  return peers;
}

test('peerWorkloads and selectedWorkloads equal a scan of every workload (fixtures, both hostNetwork modes)', () => {
  let peers = 0;
  for (const name of readdirSync(fixturePath('policy')).sort()) {
    if (!statSync(fixturePath('policy', name)).isDirectory()) continue;
    for (const hostNetwork of ['node', 'pod'] as const)
      peers += assertIndexedEqualsScan(
        analyze(
          fixtureSources('policy', name).filter((s) => !s.uri.endsWith('.json')),
          { hostNetwork },
        ),
        `${name} (${hostNetwork})`,
      );
  }
  assert.ok(peers > 100, `${peers} peers checked`);
});

test('peerWorkloads and selectedWorkloads equal a scan of every workload (generated workspace)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-peers-'));
  try {
    const g = generate('S', 5, dir);
    const model = analyze(g.files.map((f) => ({ uri: path.relative(dir, f), text: readFileSync(f, 'utf8') })));
    assert.ok(assertIndexedEqualsScan(model, 'generated S') > 150);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
