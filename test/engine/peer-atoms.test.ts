// The policy index keeps a rule's peers as distinct atoms (namespace part + pod part, or an ipBlock),
// shared by every rule that repeats them, and the matrix keys its types by groups of atoms
// (policy/grants.ts, reachability/matrix.ts). Checked against explaining every pair on seeded random
// NetworkPolicy workspaces where rules repeat peers across namespaces, hold several peers (some
// overlapping), ipBlocks, named ports and peers matching nothing, and against a fresh index after
// edits (the carried-over atoms). Also the set types and the namespace selector index underneath.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { buildPolicyIndex } from '../../server/src/engine/policy/grants';
import { ClassSet } from '../../server/src/engine/policy/classSet';
import { explainPair } from '../../server/src/engine/reachability/explain';
import { lookup } from '../../server/src/engine/model/lookup';
import { selectorMatches } from '../../server/src/engine/selectors/match';
import { isAll, isEmpty } from '../../server/src/engine/net/ports';
import type { Model } from '../../server/src/engine/model/types';
import { below, mulberry32, pick, type Rng } from '../support/random';

const NAMESPACES = ['n0', 'n1', 'n2', 'n3', 'n4', 'n5'];
const TIERS = ['web', 'api', 'data'];
const POD_SELECTORS = [
  '{}',
  '{matchLabels: {tier: web}}',
  '{matchLabels: {tier: api}}',
  '{matchExpressions: [{key: tier, operator: NotIn, values: [data]}]}',
  '{matchLabels: {app: a1}}',
];
const NS_SELECTORS = [
  '{}',
  '{matchLabels: {env: prod}}',
  '{matchLabels: {team: x}}',
  '{matchExpressions: [{key: team, operator: Exists}]}',
  '{matchExpressions: [{key: env, operator: In, values: [dev, test]}]}',
  '{matchExpressions: [{key: env, operator: NotIn, values: [prod]}]}',
  '{matchLabels: {kubernetes.io/metadata.name: n2}}',
];

function peer(rng: Rng): string {
  const r = below(rng, 6);
  if (r === 0) return `{podSelector: ${pick(rng, POD_SELECTORS)}}`;
  if (r === 1) return `{namespaceSelector: ${pick(rng, NS_SELECTORS)}}`;
  if (r === 2) return `{ipBlock: {cidr: ${pick(rng, ['10.0.0.0/24', '10.0.0.5/32', '0.0.0.0/0'])}}}`;
  return `{namespaceSelector: ${pick(rng, NS_SELECTORS)}, podSelector: ${pick(rng, POD_SELECTORS)}}`;
}

function workspace(rng: Rng): string {
  const docs: string[] = [];
  for (const ns of NAMESPACES) {
    const labels = [`env: ${pick(rng, ['prod', 'dev', 'test'])}`];
    if (rng() < 0.5) labels.push(`team: ${pick(rng, ['x', 'y'])}`);
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {${labels.join(', ')}}}`);
    for (let i = 0; i < 3; i++) {
      const ip = rng() < 0.3 ? `\nstatus: {podIP: 10.0.0.${pick(rng, [5, 9])}}` : '';
      const ports = rng() < 0.6 ? `, ports: [{name: http, containerPort: ${pick(rng, [80, 8080])}}]` : '';
      docs.push(
        `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: ${ns}, labels: {app: a${below(rng, 3)}, tier: ${pick(rng, TIERS)}}}\n` +
          `spec: {containers: [{name: c, image: x${ports}}]}${ip}`,
      );
    }
  }
  // the same few rule shapes in many namespaces (shared atoms), a few of their own
  const shapes = Array.from({ length: 4 }, () => Array.from({ length: 1 + below(rng, 3) }, () => peer(rng)));
  NAMESPACES.forEach((ns, n) => {
    for (let k = 0; k < 2; k++) {
      const types = pick(rng, [['Ingress'], ['Egress'], ['Ingress', 'Egress']]);
      const rule = () => {
        const peers = rng() < 0.8 ? pick(rng, shapes) : Array.from({ length: below(rng, 3) }, () => peer(rng));
        const ports = rng() < 0.5 ? '' : `, ports: [{port: ${pick(rng, ['http', '80', '8080'])}}]`;
        return rng() < 0.1 ? `{}` : `{${types.includes('Ingress') ? 'from' : 'to'}: [${peers.join(', ')}]${ports}}`;
      };
      const rules = (dir: string) => Array.from({ length: below(rng, 3) }, rule).join(', ') + (dir ? '' : '');
      docs.push(
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np${n}-${k}, namespace: ${ns}}\n` +
          `spec:\n  podSelector: ${pick(rng, POD_SELECTORS)}\n  policyTypes: [${types.join(', ')}]\n` +
          (types.includes('Ingress') ? `  ingress: [${rules('i').replaceAll('to:', 'from:')}]\n` : '') +
          (types.includes('Egress') ? `  egress: [${rules('e').replaceAll('from:', 'to:')}]\n` : ''),
      );
    }
  });
  return docs.join('\n---\n');
}

function assertAgrees(model: Model, seed: number): void {
  const m = computeMatrix(model);
  let connected = 0;
  let open = 0;
  for (const from of model.workloads)
    for (const to of model.workloads) {
      if (from === to) continue;
      const p = m.ports(from, to);
      assert.deepEqual(p, explainPair(model, from, to).allowed, `seed ${seed}: ${from.id} -> ${to.id}`);
      if (isEmpty(p)) continue;
      connected++;
      if (isAll(p)) open++;
    }
  assert.deepEqual(m.counts(), { connectedPairs: connected, fullyOpenPairs: open }, `seed ${seed}: counts`);
  assert.equal([...m.connections()].length, connected, `seed ${seed}: connections`);
}

test('shared, overlapping and empty rule peers: the matrix agrees with explaining every pair', () => {
  for (let seed = 1; seed <= 60; seed++) assertAgrees(analyze([{ uri: 'w.yaml', text: workspace(mulberry32(seed)) }]), seed);
});

test('an index carried over an edit gives the matrix of a fresh one', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const rng = mulberry32(1000 + seed);
    const text = workspace(rng);
    let previous = buildPolicyIndex(analyze([{ uri: 'w.yaml', text }]));
    // relabel pods one by one: their classes move between slots, atoms are patched
    let edited = text;
    for (let step = 0; step < 4; step++) {
      const from = pick(rng, TIERS);
      edited = edited.replace(`tier: ${from}}`, `tier: ${pick(rng, TIERS)}}`).replace(`app: a${below(rng, 3)}`, `app: a${below(rng, 4)}`);
      const model = analyze([{ uri: 'w.yaml', text: edited }]);
      const index = buildPolicyIndex(model, previous);
      const carried = computeMatrix(model, index);
      const fresh = computeMatrix(model);
      for (const a of model.workloads)
        for (const b of model.workloads)
          assert.deepEqual(carried.ports(a, b), fresh.ports(a, b), `seed ${seed} step ${step}: ${a.id} -> ${b.id}`);
      assert.deepEqual(carried.counts(), fresh.counts());
      previous = index;
    }
  }
});

test('ClassSet: sorted list or bitset, the same members', () => {
  const rng = mulberry32(7);
  for (let round = 0; round < 200; round++) {
    const capacity = 1 + below(rng, 300);
    const members = Array.from({ length: below(rng, capacity) }, () => below(rng, capacity));
    const set = ClassSet.of(members, capacity);
    const want = [...new Set(members)].sort((a, b) => a - b);
    assert.equal(set.size, want.length);
    assert.deepEqual([...set.values()], want);
    const seen: number[] = [];
    set.forEach((c) => seen.push(c));
    assert.deepEqual(seen, want);
    for (let c = 0; c < capacity + 40; c++) assert.equal(set.has(c), want.includes(c), `has ${c}`);
    // patching: unchanged gives the same object; changes give the changed members
    assert.equal(
      set.patched([0, 1], (c) => set.has(c), capacity),
      set,
    );
    const grown = capacity + below(rng, 50);
    const changed = Array.from({ length: 5 }, () => below(rng, grown));
    const flip = new Set(changed);
    const patched = set.patched(changed, (c) => !set.has(c), grown);
    const expected = new Set(want);
    for (const c of flip)
      if (expected.has(c)) expected.delete(c);
      else expected.add(c);
    assert.deepEqual(
      [...patched.values()],
      [...expected].sort((a, b) => a - b),
    );
  }
});

test('namespacesMatching (indexed by label) equals scanning every namespace', () => {
  for (let seed = 1; seed <= 30; seed++) {
    const model = analyze([{ uri: 'w.yaml', text: workspace(mulberry32(seed)) }]);
    const l = lookup(model);
    const names = [...new Set([...model.namespaces.keys(), ...model.workloads.map((w) => w.namespace)])];
    for (const p of model.policies)
      for (const rule of [...p.ingress, ...p.egress])
        for (const peer of rule.peers ?? [])
          if (peer.namespaceSelector)
            assert.deepEqual(
              l.namespacesMatching(peer.namespaceSelector),
              names.filter((ns) => selectorMatches(peer.namespaceSelector!, l.namespaceLabels(ns))),
              `seed ${seed}: ${peer.namespaceSelector.text}`,
            );
  }
});
