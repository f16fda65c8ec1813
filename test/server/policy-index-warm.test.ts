// After indexing the server builds the policy index once (Snapshot.warmPolicyIndex), so that the first
// workload lens after an edit patches it instead of building it; later snapshots carry it and do not
// build again, and their lens degrees equal a fresh workspace's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { patchPolicyIndexSoon } from '../../server/src/workspace/idlePatch';
import { buildPolicyIndex } from '../../server/src/engine/policy/grants';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { generate } from '../bench/generate';
import { mulberry32 } from '../support/random';

const deploy = (name: string, app: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}
`;
const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 8080}]}]
`;

const degrees = (index: WorkspaceIndex) => {
  const snap = index.snapshot;
  return snap.model.workloads.map((w) => `${w.id} ${JSON.stringify(snap.degree(w))}`);
};

test('the policy index is built once after indexing, then carried: edits do not build it again', () => {
  const index = new WorkspaceIndex({}, 0);
  index.setDisk('file:///w/web.yaml', deploy('web', 'web'));
  index.setDisk('file:///w/api.yaml', deploy('api', 'api'));
  index.setDisk('file:///w/policy.yaml', policy);
  const first = index.flush();
  assert.equal(first.warmPolicyIndex(), true, 'built');
  assert.equal(first.warmPolicyIndex(), false, 'once');
  for (const app of ['web2', 'web', 'api']) {
    index.setOpen('file:///w/web.yaml', deploy('web', app), 1);
    const snap = index.flush();
    assert.equal(snap.warmPolicyIndex(), false, `carried after the edit to ${app}`);
    const fresh = new WorkspaceIndex({}, 0);
    fresh.setDisk('file:///w/web.yaml', deploy('web', app));
    fresh.setDisk('file:///w/api.yaml', deploy('api', 'api'));
    fresh.setDisk('file:///w/policy.yaml', policy);
    fresh.flush();
    assert.deepEqual(degrees(index), degrees(fresh), `degrees after the edit to ${app}`);
  }
});

// The server patches each snapshot's policy index when idle after the edit's answer (idlePatch.ts), or the
// first request that needs it does (carrying it from the last snapshot that had one, across several edits):
// any mix of the two gives every workload the degree a fresh matrix gives.
test('policy indexes patched eagerly after some edits and lazily after others equal fresh ones', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-index-warm-'));
  try {
    const g = generate('S', 19, dir);
    const uriOf = (f: string) => pathToFileURL(f).toString();
    const index = new WorkspaceIndex({}, 0);
    const texts = new Map<string, string>();
    for (const f of g.files) {
      const t = readFileSync(f, 'utf8');
      texts.set(uriOf(f), t);
      index.setDisk(uriOf(f), t);
    }
    assert.equal(index.flush().warmPolicyIndex(), true);
    const uris = [...texts.keys()];
    const policyFiles = uris.filter((u) => u.endsWith('network-policies.yaml'));
    const workloadFiles = uris.filter((u) => /kind: (Deployment|StatefulSet|DaemonSet)/.test(texts.get(u)!));
    const rnd = mulberry32(19);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const swaps: [string[], RegExp, string[]][] = [
      [workloadFiles, /tier: \w+/g, ['tier: web', 'tier: api', 'tier: wex', 'tier: data']],
      [policyFiles, /tier: \w+/g, ['tier: web', 'tier: api', 'tier: wex', 'tier: data']],
      [workloadFiles, /containerPort: \d+/g, ['containerPort: 8080', 'containerPort: 8081']],
      [policyFiles, /port: \d+/g, ['port: 80', 'port: 8080', 'port: 443']],
    ];
    let eager = 0;
    let lazyChains = 0;
    let sinceIndex = 0;
    let compared = 0;
    for (let step = 0; step < 60; step++) {
      const [files, re, to] = pick(swaps);
      const u = pick(files);
      const text = texts.get(u)!;
      const hits = [...text.matchAll(re)];
      if (!hits.length) continue;
      const h = pick(hits);
      const next = text.slice(0, h.index) + pick(to) + text.slice(h.index! + h[0].length);
      texts.set(u, next);
      index.setOpen(u, next, step + 1);
      const snap = index.flush();
      sinceIndex++;
      const r = rnd();
      if (r < 0.5) {
        // the idle patch after the edit's diagnostics
        assert.equal(snap.canPatchPolicyIndex, true, `step ${step}: a patch is possible`);
        if (snap.patchPolicyIndexIfCheap()) eager++;
        assert.equal(snap.canPatchPolicyIndex, false, `step ${step}: patched or given up, once`);
        sinceIndex = 0;
      }
      if (r >= 0.5 && r < 0.8) continue; // nothing asked: the next snapshot carries the older index
      if (sinceIndex > 1) lazyChains++;
      sinceIndex = 0;
      const fresh = computeMatrix(snap.model, buildPolicyIndex(snap.model));
      for (const w of snap.model.workloads) assert.deepEqual(snap.degree(w), fresh.degree(w), `step ${step}: degree of ${w.id}`);
      compared++;
    }
    assert.ok(eager >= 15, `patched eagerly ${eager} times`);
    assert.ok(lazyChains >= 3 && compared >= 20, `lazily across several edits ${lazyChains} times, compared ${compared} times`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the idle patch runs after the answer, only on the current snapshot with no rebuild waiting', async () => {
  // a long debounce: only flush() rebuilds, so a change can wait for its rebuild
  const index = new WorkspaceIndex({}, 10_000);
  index.setDisk('file:///w/web.yaml', deploy('web', 'web'));
  index.setDisk('file:///w/api.yaml', deploy('api', 'api'));
  index.setDisk('file:///w/policy.yaml', policy);
  index.flush().warmPolicyIndex();
  const logged: string[] = [];
  const state = { index, indexing: false, log: (m: string) => logged.push(m) };
  // three turns of setImmediate: the patch runs on the second after its call
  const tick = () => new Promise((r) => setImmediate(() => setImmediate(() => setImmediate(r))));

  index.setOpen('file:///w/web.yaml', deploy('web', 'api'), 1);
  const a = index.flush();
  patchPolicyIndexSoon(state, a);
  assert.equal(a.canPatchPolicyIndex, true, 'not in the same turn (the answer is written first)');
  await tick();
  assert.equal(a.canPatchPolicyIndex, false, 'patched when idle');

  index.setOpen('file:///w/web.yaml', deploy('web', 'web'), 2);
  const b = index.flush();
  patchPolicyIndexSoon(state, b);
  index.setOpen('file:///w/web.yaml', deploy('web', 'web3'), 3); // a rebuild waits
  await tick();
  assert.equal(b.canPatchPolicyIndex, true, 'not while a rebuild waits');
  const c = index.flush();
  patchPolicyIndexSoon(state, b); // an older snapshot
  await tick();
  assert.equal(b.canPatchPolicyIndex, true, 'not an older snapshot');
  patchPolicyIndexSoon({ ...state, indexing: true }, c);
  await tick();
  assert.equal(c.canPatchPolicyIndex, true, 'not while indexing');
  patchPolicyIndexSoon(state, c);
  await tick();
  assert.equal(c.canPatchPolicyIndex, false, 'the current snapshot, settled');
  // the open document's workload's degree was counted ahead, and equals a fresh matrix's
  const fresh = computeMatrix(c.model, buildPolicyIndex(c.model));
  for (const w of c.model.workloads) assert.deepEqual(c.degree(w), fresh.degree(w), w.id);
  assert.deepEqual(logged, []);
});
