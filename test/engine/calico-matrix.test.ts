// The Calico matrix (reachability/calicoMatrix.ts: compressed types, one sweep per type) against the
// plain evaluation of every workload pair (calicoPairPorts, what explanations use), on seeded random
// workspaces with tiers (Deny and Pass defaults), GlobalNetworkPolicies, namespaced Calico policies,
// Profiles, network sets, Allow/Deny/Pass/Log, Kubernetes NetworkPolicies, admin policies, named
// ports, service accounts, nets and hostNetwork pods. A failure names its seed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { calicoActive, calicoPairPorts, calicoTiers, entityMatches, entrySelects } from '../../server/src/engine/policy/calico';
import { adminPeerMatches } from '../../server/src/engine/policy/admin';
import { selectable } from '../../server/src/engine/policy/semantics';
import type { CalicoRule } from '../../server/src/engine/model/calico/types';
import { calicoSignature } from '../../server/src/engine/reachability/calicoMatrix';
import { describe, isAll, isEmpty } from '../../server/src/engine/net/ports';
import type { Model, Workload } from '../../server/src/engine/model/types';
import { below, mulberry32, pick, type Rng } from '../support/random';

const NAMESPACES = ['ns-a', 'ns-b', 'ns-c'];
const APPS = ['a', 'b', 'c'];
const TIERS = ['web', 'api', 'data', 'batch'];
const SELECTORS = [
  'all()',
  "app == 'a'",
  "app != 'b'",
  "tier in {'web', 'api'}",
  "tier not in {'data'}",
  'has(quarantine)',
  '!has(quarantine)',
  "app == 'c' && tier == 'data'",
  "app == 'a' || tier == 'batch'",
  "projectcalico.org/namespace == 'ns-b'",
  "team == 'x'",
  "role == 'net'",
  "app starts with 'b'",
];
const NS_SELECTORS = ['global()', 'all()', "team == 'x'", "env == 'prod'", "projectcalico.org/name == 'ns-c'"];
const NETS = ['10.0.0.0/24', '10.0.1.0/25', '10.0.1.7/32', '0.0.0.0/0', '169.254.169.254/32'];
const ACTIONS = ['Allow', 'Allow', 'Deny', 'Pass', 'Log'];

const chance = (rng: Rng, p: number) => rng() < p;
const quote = (s: string) => JSON.stringify(s);

function namedPorts(rng: Rng): string {
  const ports: string[] = [];
  if (chance(rng, 0.7)) ports.push(`{name: http, containerPort: ${pick(rng, [8080, 8081])}}`);
  if (chance(rng, 0.4)) ports.push('{name: grpc, containerPort: 9090}');
  if (chance(rng, 0.2)) ports.push('{name: dns, containerPort: 53, protocol: UDP}');
  return ports.length ? `, ports: [${ports.join(', ')}]` : '';
}

function podsYaml(rng: Rng, count: number): string {
  const docs: string[] = [];
  NAMESPACES.forEach((ns, i) =>
    docs.push(
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}, labels: {team: ${i % 2 ? 'x' : 'y'}, env: ${pick(rng, ['dev', 'prod'])}}}`,
    ),
  );
  for (const ns of NAMESPACES)
    docs.push(
      `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: sa1, namespace: ${ns}, labels: {role: ${pick(rng, ['backend', 'front'])}}}`,
    );
  for (let i = 0; i < count; i++) {
    const labels = [`app: ${pick(rng, APPS)}`, `tier: ${pick(rng, TIERS)}`];
    if (chance(rng, 0.15)) labels.push('quarantine: "yes"');
    const sa = chance(rng, 0.4) ? `\n  serviceAccountName: ${pick(rng, ['sa1', 'sa2'])}` : '';
    const host = chance(rng, 0.08) ? '\n  hostNetwork: true' : '';
    const ip = chance(rng, 0.4) ? `\nstatus: {podIP: 10.0.${below(rng, 2)}.${pick(rng, [5, 7, 200])}}` : '';
    docs.push(
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p${i}, namespace: ${pick(rng, NAMESPACES)}, labels: {${labels.join(', ')}}}\nspec:${sa}${host}\n  containers: [{name: c, image: c${namedPorts(rng)}}]${ip}`,
    );
  }
  return docs.join('\n---\n');
}

function portSpecs(rng: Rng): string {
  return `[${Array.from({ length: 1 + below(rng, 2) }, () => pick(rng, ['80', '8080', '"8000:8100"', 'http', 'grpc', 'dns', '53'])).join(', ')}]`;
}

function entity(rng: Rng): string {
  const fields: string[] = [];
  if (chance(rng, 0.45)) fields.push(`selector: ${quote(pick(rng, SELECTORS))}`);
  if (chance(rng, 0.15)) fields.push(`notSelector: ${quote(pick(rng, SELECTORS))}`);
  if (chance(rng, 0.2)) fields.push(`namespaceSelector: ${quote(pick(rng, NS_SELECTORS))}`);
  if (chance(rng, 0.15)) fields.push(`nets: [${pick(rng, NETS)}]`);
  if (chance(rng, 0.1)) fields.push(`notNets: [${pick(rng, NETS)}]`);
  if (chance(rng, 0.1))
    fields.push(
      chance(rng, 0.5)
        ? `serviceAccounts: {names: [${pick(rng, ['sa1', 'sa2', 'default'])}]}`
        : `serviceAccounts: {selector: "role == 'backend'"}`,
    );
  return `{${fields.join(', ')}}`;
}

function calicoRules(rng: Rng): string {
  const rules: string[] = [];
  for (let i = below(rng, 4); i > 0; i--) {
    let destination = entity(rng);
    // Calico accepts ports only on a rule with a port protocol
    const ports = chance(rng, 0.4) ? 'ports' : chance(rng, 0.15) ? 'notPorts' : undefined;
    if (ports) destination = destination.replace(/}$/, `${destination === '{}' ? '' : ', '}${ports}: ${portSpecs(rng)}}`);
    const proto = ports || chance(rng, 0.3) ? `, protocol: ${pick(rng, ['TCP', 'UDP'])}` : chance(rng, 0.1) ? ', notProtocol: UDP' : '';
    rules.push(`{action: ${pick(rng, ACTIONS)}${proto}, source: ${entity(rng)}, destination: ${destination}}`);
  }
  return `[${rules.join(', ')}]`;
}

function calicoYaml(rng: Rng): string {
  const docs: string[] = [];
  const tiers = ['default'];
  for (let i = below(rng, 3); i > 0; i--) {
    const name = `t${i}`;
    tiers.push(name);
    docs.push(
      `apiVersion: projectcalico.org/v3\nkind: Tier\nmetadata: {name: ${name}}\nspec: {order: ${pick(rng, [50, 100, 2000, 2_000_000])}, defaultAction: ${pick(rng, ['Deny', 'Pass'])}}`,
    );
  }
  for (let i = 1 + below(rng, 5); i > 0; i--) {
    const tier = pick(rng, tiers);
    const name = tier === 'default' ? `p${i}` : `${tier}.p${i}`;
    const global = chance(rng, 0.5);
    const meta = global ? `{name: ${name}}` : `{name: ${name}, namespace: ${pick(rng, NAMESPACES)}}`;
    const types = pick(rng, ['[Ingress]', '[Egress]', '[Ingress, Egress]']);
    const order = chance(rng, 0.8) ? `order: ${pick(rng, [10, 500, 1000, 1500])}, ` : '';
    const extra = [
      chance(rng, 0.15) ? `serviceAccountSelector: "role == 'backend'"` : '',
      global && chance(rng, 0.2) ? `namespaceSelector: ${quote(pick(rng, NS_SELECTORS.slice(1)))}` : '',
    ].filter(Boolean);
    docs.push(
      `apiVersion: projectcalico.org/v3\nkind: ${global ? 'GlobalNetworkPolicy' : 'NetworkPolicy'}\nmetadata: ${meta}\nspec: {tier: ${tier}, ${order}selector: ${quote(pick(rng, SELECTORS))}, ${extra.map((e) => `${e}, `).join('')}types: ${types}, ingress: ${calicoRules(rng)}, egress: ${calicoRules(rng)}}`,
    );
  }
  if (chance(rng, 0.5))
    docs.push(
      `apiVersion: projectcalico.org/v3\nkind: GlobalNetworkSet\nmetadata: {name: gns, labels: {role: net}}\nspec: {nets: [${pick(rng, NETS.slice(0, 3))}]}`,
    );
  if (chance(rng, 0.3))
    docs.push(
      `apiVersion: projectcalico.org/v3\nkind: NetworkSet\nmetadata: {name: ns-set, namespace: ${pick(rng, NAMESPACES)}, labels: {role: net}}\nspec: {nets: [${pick(rng, NETS.slice(0, 3))}]}`,
    );
  if (chance(rng, 0.5))
    docs.push(
      `apiVersion: projectcalico.org/v3\nkind: Profile\nmetadata: {name: kns.${pick(rng, NAMESPACES)}}\nspec: {labelsToApply: {team: x}, ingress: ${calicoRules(rng)}, egress: ${calicoRules(rng)}}`,
    );
  return docs.join('\n---\n');
}

function k8sPeer(rng: Rng): string {
  const r = below(rng, 4);
  if (r === 0) return `{podSelector: {matchLabels: {app: ${pick(rng, APPS)}}}}`;
  if (r === 1)
    return `{namespaceSelector: {matchLabels: {team: ${pick(rng, ['x', 'y'])}}}, podSelector: {matchLabels: {tier: ${pick(rng, TIERS)}}}}`;
  if (r === 2) return `{ipBlock: {cidr: ${pick(rng, NETS.slice(0, 4))}}}`;
  return '{namespaceSelector: {}}';
}

function k8sRules(rng: Rng, peerKey: 'from' | 'to'): string {
  const rules: string[] = [];
  for (let i = below(rng, 3); i > 0; i--) {
    const peers = chance(rng, 0.8) ? `${peerKey}: [${k8sPeer(rng)}]` : '';
    const ports = chance(rng, 0.6) ? `ports: [{port: ${pick(rng, ['80', '8080', 'http', 'grpc'])}}]` : '';
    rules.push(`{${[peers, ports].filter(Boolean).join(', ')}}`);
  }
  return `[${rules.join(', ')}]`;
}

function k8sYaml(rng: Rng): string {
  const docs: string[] = [];
  for (let i = below(rng, 5); i > 0; i--) {
    const selector = chance(rng, 0.4) ? '{}' : `{matchLabels: {tier: ${pick(rng, TIERS)}}}`;
    docs.push(
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np${i}, namespace: ${pick(rng, NAMESPACES)}}\nspec: {podSelector: ${selector}, policyTypes: ${pick(rng, ['[Ingress]', '[Egress]', '[Ingress, Egress]'])}, ingress: ${k8sRules(rng, 'from')}, egress: ${k8sRules(rng, 'to')}}`,
    );
  }
  if (chance(rng, 0.3))
    docs.push(
      `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\nmetadata: {name: anp}\nspec:\n  priority: 10\n  subject: {namespaces: {matchLabels: {team: x}}}\n  ingress: [{name: i1, action: ${pick(rng, ['Allow', 'Deny', 'Pass'])}, from: [{namespaces: {matchLabels: {env: dev}}}], ports: [{portNumber: {protocol: TCP, port: 8080}}]}]\n  egress: [{name: e1, action: ${pick(rng, ['Allow', 'Deny', 'Pass'])}, to: [{pods: {namespaceSelector: {}, podSelector: {matchLabels: {app: a}}}}]}]`,
    );
  if (chance(rng, 0.2))
    docs.push(
      `apiVersion: policy.networking.k8s.io/v1alpha1\nkind: BaselineAdminNetworkPolicy\nmetadata: {name: default}\nspec:\n  subject: {namespaces: {}}\n  ingress: [{name: b1, action: Deny, from: [{namespaces: {matchLabels: {team: y}}}]}]`,
    );
  return docs.join('\n---\n');
}

function generated(seed: number): Model {
  const rng = mulberry32(seed);
  return analyze(
    [
      { uri: 'pods.yaml', text: podsYaml(rng, 10 + below(rng, 15)) },
      { uri: 'calico.yaml', text: calicoYaml(rng) },
      { uri: 'k8s.yaml', text: k8sYaml(rng) },
    ],
    { hostNetwork: pick(rng, ['node', 'pod'] as const) },
  );
}

test('the Calico matrix equals evaluating every pair, on 150 seeded random workspaces', () => {
  const outcomes = new Set<string>();
  let compressed = 0;
  for (let seed = 1; seed <= 150; seed++) {
    const model = generated(seed);
    assert.ok(calicoActive(model), `seed ${seed}: Calico layer active`);
    const m = computeMatrix(model);
    if (m.types.rows < m.index.classes.length) compressed++;
    const expected: string[] = [];
    let open = 0;
    for (const from of model.workloads)
      for (const to of model.workloads) {
        if (from === to) continue;
        const want = calicoPairPorts(model, from, to);
        assert.equal(describe(m.ports(from, to)), describe(want), `seed ${seed}: ${from.id} -> ${to.id}`);
        outcomes.add(describe(want));
        if (isEmpty(want)) continue;
        expected.push(`${from.id} -> ${to.id}`);
        if (isAll(want)) open++;
      }
    const pairs = [...m.connections()];
    assert.deepEqual(
      pairs.map((c) => `${c.from.id} -> ${c.to.id}`),
      expected,
      `seed ${seed}: connections()`,
    );
    assert.deepEqual(m.counts(), { connectedPairs: expected.length, fullyOpenPairs: open }, `seed ${seed}: counts()`);
    for (const w of model.workloads)
      assert.deepEqual(
        m.degree(w),
        { reaches: pairs.filter((c) => c.from === w).length, reachableFrom: pairs.filter((c) => c.to === w).length },
        `seed ${seed}: degree ${w.id}`,
      );
  }
  // the workspaces exercise the evaluator: many distinct port sets, and types that group classes
  assert.ok(outcomes.size >= 20, `distinct outcomes: ${outcomes.size}`);
  assert.ok(compressed >= 20, `workspaces with fewer row types than classes: ${compressed}`);
});

/** calicoSignature as it was first written: every tier's entries, skipping the Kubernetes NetworkPolicies one by one. */
function signatureBySkipping(model: Model, w: Workload): string {
  const bits: string[] = [selectable(w, model) ? 's' : 'n'];
  const bit = (b: boolean) => bits.push(b ? '1' : '0');
  const entities = (rules: readonly CalicoRule[], ns: string | undefined) => {
    for (const r of rules) {
      bit(entityMatches(model, r.source, ns, w));
      bit(entityMatches(model, r.destination, ns, w));
    }
  };
  for (const tier of calicoTiers(model))
    for (const e of tier.policies) {
      if (e.kind === 'k8s') continue;
      bit(entrySelects(model, e, w, 'Ingress'));
      bit(entrySelects(model, e, w, 'Egress'));
      if (e.kind === 'calico') {
        entities(e.policy.ingress, e.policy.namespace);
        entities(e.policy.egress, e.policy.namespace);
      } else for (const r of [...e.policy.ingress, ...e.policy.egress]) bit(r.peers.some((p) => adminPeerMatches(p, w, model)));
    }
  const profiles = model.calico?.profiles ?? [];
  for (const p of profiles) {
    entities(p.ingress, undefined);
    entities(p.egress, undefined);
  }
  if (profiles.some((p) => p.name === `kns.${w.namespace}`)) bits.push(`|${w.namespace}`);
  return bits.join('');
}

test('calicoSignature (the non-Kubernetes entries of each tier, kept per model) equals skipping them one by one (150 seeded workspaces)', () => {
  let checked = 0;
  for (let seed = 1; seed <= 150; seed++) {
    const model = generated(seed);
    for (const w of model.workloads) {
      assert.equal(calicoSignature(model, w), signatureBySkipping(model, w), `seed ${seed}: ${w.namespace}/${w.name}`);
      checked++;
    }
  }
  assert.ok(checked > 1000, `${checked} workloads compared`);
});
