// CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2) as Cilium enforces them beside
// NetworkPolicies: endpointSelector with source prefixes and namespace scoping, fromEndpoints across
// namespaces, entities, CIDR sets with except, port ranges and named ports, deny beating allow, NetworkPolicy
// allows adding up, enableDefaultDeny false, L7 notes, toFQDNs, and the CNI deciding whether any of it applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze } from '../../server/src/engine';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { explainPair } from '../../server/src/engine/reachability/explain';
import { runQuery } from '../../server/src/engine/reachability/query';
import { buildDnsIndex } from '../../server/src/engine/dns/records';
import { describe } from '../../server/src/engine/net/ports';
import { lintModel } from '../../server/src/engine/lint';
import { fqdnMatches } from '../../server/src/engine/policy/cilium';
import type { Model, ModelOptions, Protocol } from '../../server/src/engine/model/types';
import { fixturePath } from '../support/paths';
import { mdCode, mdText } from '../../protocol/markdown';

const uri = 'test/fixtures/cilium/galaxy.yaml';
const text = readFileSync(fixturePath('cilium', 'galaxy.yaml'), 'utf8');
const galaxy = (opts: Partial<ModelOptions> = { cni: 'cilium' }) => analyze([{ uri, text }], opts);

function byId(model: Model, id: string) {
  const w = model.workloads.find((x) => x.id === id);
  assert.ok(w, `no workload ${id}`);
  return w;
}

function query(model: Model, from: string, to: string, port: number, protocol: Protocol = 'TCP') {
  return runQuery(model, buildDnsIndex(model, 'cluster.local'), { from: byId(model, from), to, port, protocol });
}

const policyText = (r: ReturnType<typeof query>) =>
  r.steps
    .filter((s) => s.kind === 'egress' || s.kind === 'ingress')
    .map((s) => s.text)
    .join('\n');

const STATION = 'fleet/station[Deployment]';

test('the fixture reads four CiliumNetworkPolicies and one clusterwide policy, without findings', () => {
  const model = galaxy();
  assert.deepEqual(
    model.ciliumPolicies?.map((p) => `${p.id} ${p.rules.map((r) => r.where).join(',')}`),
    [
      'fleet/station-ingress[CiliumNetworkPolicy] spec',
      'fleet/api-l7[CiliumNetworkPolicy] specs[0]',
      'rebels/base-observe[CiliumNetworkPolicy] spec',
      'rebels/fetcher-egress[CiliumNetworkPolicy] spec',
      'scouts-from-nodes[CiliumClusterwideNetworkPolicy] spec',
    ],
  );
  assert.deepEqual(
    lintModel(model).map((f) => `${f.code}: ${f.message}`),
    [],
  );
});

test('matrix: Cilium rules, the NetworkPolicy and the deny rule decide each pair into the station', () => {
  const model = galaxy();
  const m = computeMatrix(model);
  const to = (from: string, dst = STATION) => describe(m.ports(byId(model, from), byId(model, dst)));
  // fromEndpoints org=fleet in the policy's namespace, on the named port http (8080)
  assert.equal(to('fleet/shuttle[Pod]'), 'TCP 8080');
  // the same allow, beaten by ingressDeny role=probe on every port
  assert.equal(to('fleet/probe[Pod]'), 'No Connections');
  // fromEndpoints naming the namespace rebels (k8s: and any: prefixes), port range 9000-9100
  assert.equal(to('rebels/scout[Pod]'), 'TCP 9000-9100');
  // no Cilium rule admits base; the NetworkPolicy does (allows add up)
  assert.equal(to('rebels/base[Pod]'), 'TCP 7000');
  // fetcher is egress-isolated by its own policy: the station is none of its peers
  assert.equal(to('rebels/fetcher[Pod]'), 'No Connections');
});

test('matrix: enableDefaultDeny false leaves base open; entities host/remote-node admit node traffic only', () => {
  const model = galaxy();
  const m = computeMatrix(model);
  const ports = (from: string, to: string) => describe(m.ports(byId(model, from), byId(model, to)));
  assert.equal(ports('fleet/shuttle[Pod]', 'rebels/base[Pod]'), 'All Connections');
  assert.equal(ports('kube-system/node-agent[DaemonSet]', 'rebels/scout[Pod]'), 'All Connections');
  assert.equal(ports('fleet/shuttle[Pod]', 'rebels/scout[Pod]'), 'No Connections');
  assert.equal(ports('fleet/shuttle[Pod]', 'fleet/api[Deployment]'), 'TCP 80');
  assert.equal(ports('fleet/probe[Pod]', 'fleet/api[Deployment]'), 'No Connections');
  // the matrix agrees with the explanation of every pair
  for (const a of model.workloads)
    for (const b of model.workloads)
      if (a !== b) assert.equal(describe(m.ports(a, b)), describe(explainPair(model, a, b).allowed), `${a.id} -> ${b.id}`);
});

test('query: explanations name the layer, the policy and the rule, deny rules and L7 notes', () => {
  const model = galaxy();
  const denied = query(model, 'fleet/probe[Pod]', 'fleet/station[Deployment]', 8080);
  assert.equal(denied.outcome, 'blocked');
  assert.match(
    policyText(denied),
    /denied by CiliumNetworkPolicy fleet\/station-ingress spec ingressDeny\[0\] \(peer fromEndpoints role=probe/,
  );
  const np = query(model, 'rebels/base[Pod]', 'fleet/station[Deployment]', 7000);
  assert.equal(np.outcome, 'allowed');
  assert.match(
    policyText(np),
    /isolated by fleet\/station-np\[NetworkPolicy\], CiliumNetworkPolicy fleet\/station-ingress spec; allowed by NetworkPolicy fleet\/station-np\[NetworkPolicy\] ingress\[0\]/,
  );
  const l7 = query(model, 'fleet/shuttle[Pod]', 'fleet/api[Deployment]', 80);
  assert.equal(l7.outcome, 'allowed');
  assert.match(
    policyText(l7),
    /allowed by CiliumNetworkPolicy fleet\/api-l7 specs\[0\] ingress\[0\] .*L7 rule: allowed only for GET \/v1\/\.\*/,
  );
  const open = query(model, 'fleet/shuttle[Pod]', 'rebels/base[Pod]', 1234);
  assert.match(policyText(open), /selects it with enableDefaultDeny\.ingress false\), so all ingress is allowed/);
});

test('egress outside the cluster: toFQDNs (symbolic), toCIDRSet with except, everything else denied', () => {
  const model = galaxy();
  const fqdn = query(model, 'rebels/fetcher[Pod]', 'api.example.com', 443);
  assert.equal(fqdn.outcome, 'allowed');
  assert.match(policyText(fqdn), /toFQDNs matchName api\.example\.com .*toFQDNs is symbolic/);
  assert.equal(query(model, 'rebels/fetcher[Pod]', 'img.cdn.example.com', 443).outcome, 'allowed');
  assert.equal(query(model, 'rebels/fetcher[Pod]', 'api.example.com', 80).outcome, 'blocked');
  assert.equal(query(model, 'rebels/fetcher[Pod]', '10.1.2.3', 5432).outcome, 'allowed');
  const except = query(model, 'rebels/fetcher[Pod]', '10.96.0.5', 5432);
  assert.equal(except.outcome, 'blocked');
  assert.match(policyText(except), /isolated by CiliumNetworkPolicy rebels\/fetcher-egress spec; denied/);
  assert.equal(query(model, 'rebels/fetcher[Pod]', '8.8.8.8', 443).outcome, 'blocked');
});

test('toFQDNs patterns: * stays within one label; * alone matches every name', () => {
  assert.ok(fqdnMatches({ pattern: '*.cdn.example.com' }, 'a.cdn.example.com.'));
  assert.ok(!fqdnMatches({ pattern: '*.cdn.example.com' }, 'a.b.cdn.example.com'));
  assert.ok(!fqdnMatches({ pattern: '*.cdn.example.com' }, 'cdn.example.com'));
  assert.ok(fqdnMatches({ pattern: '*' }, 'anything.example.org'));
  assert.ok(fqdnMatches({ name: 'API.example.com' }, 'api.example.com'));
});

test('another network plugin: Cilium policies are left out, with a warning on their kind', () => {
  const model = galaxy({ cni: 'calico' });
  const found = lintModel(model).filter((f) => f.code === 'cilium-policy-not-enforced');
  assert.equal(found.length, 5);
  for (const f of found) assert.match(text.slice(f.ref.start, f.ref.end), /^Cilium(Clusterwide)?NetworkPolicy$/);
  assert.match(found[0].message, /the network plugin in effect is calico, not Cilium/);
  const m = computeMatrix(model);
  // only the NetworkPolicy isolates the station
  assert.equal(describe(m.ports(byId(model, 'fleet/probe[Pod]'), byId(model, STATION))), 'No Connections');
  assert.equal(describe(m.ports(byId(model, 'fleet/shuttle[Pod]'), byId(model, 'rebels/scout[Pod]'))), 'All Connections');
  assert.equal(describe(m.ports(byId(model, 'rebels/base[Pod]'), byId(model, STATION))), 'TCP 7000');
});

test('Cilium with enable-policy always: every endpoint is default deny; never: nothing is enforced', () => {
  const cfg = (mode: string) =>
    `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cilium-config, namespace: kube-system}\ndata: {enable-policy: "${mode}"}\n`;
  const always = analyze(
    [
      { uri, text },
      { uri: 'cfg.yaml', text: cfg('always') },
    ],
    { cni: 'cilium' },
  );
  const ports = (model: Model, a: string, b: string) => describe(computeMatrix(model).ports(byId(model, a), byId(model, b)));
  // base opted out of default deny and shuttle has no egress rule, but the mode isolates both anyway
  assert.equal(ports(always, 'fleet/shuttle[Pod]', 'rebels/base[Pod]'), 'No Connections');
  const never = analyze([
    { uri, text },
    { uri: 'cfg.yaml', text: cfg('never') },
  ]);
  assert.ok(lintModel(never).some((f) => f.code === 'cilium-policy-not-enforced' && /policy enforcement never/.test(f.message)));
});

test('bad input: invalid Cilium policies are rejected with findings on the offending values, never a crash', () => {
  const bad = `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata: {name: bad, namespace: x}
spec:
  endpointSelector: {matchLabels: {app: a}}
  ingress:
  - fromEntities: [galaxy]
    toPorts: [{ports: [{port: "99999", protocol: ICMP}]}]
  egress: "nope"
---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: empty}
---
apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: hosts}
spec:
  nodeSelector: {matchLabels: {type: edge}}
  ingress: [{fromCIDR: [not-a-cidr]}]
`;
  const model = analyze([{ uri: 'bad.yaml', text: bad }], { cni: 'cilium' });
  assert.deepEqual(model.ciliumPolicies, []);
  const at = (code: string) => model.findings.filter((f) => f.code === code).map((f) => bad.slice(f.ref.start, f.ref.end));
  assert.deepEqual(at('policy-rejected'), ['bad', 'empty', 'hosts']);
  assert.ok(at('invalid-value').includes('galaxy'));
  assert.ok(at('invalid-port').some((t) => t.startsWith('ICMP')));
  assert.ok(at('invalid-cidr').includes('not-a-cidr'));
  assert.ok(at('cilium-rule-not-analysed').some((t) => t.startsWith('{matchLabels: {type: edge}}')));
});

test('hover on an endpointSelector lists the workloads it selects, like the podSelector hover', async () => {
  const { nodeAt } = await import('../../server/src/engine/report/nodeAt');
  const { hoverMarkdown } = await import('../../server/src/engine/report/hovers');
  const model = galaxy();
  const at = text.indexOf('k8s:role: station');
  const hit = nodeAt(model, uri, at);
  assert.equal(hit?.kind, 'endpointSelector');
  const md = hoverMarkdown(hit!, {
    model,
    get matrix() {
      return computeMatrix(model);
    },
    dns: buildDnsIndex(model, 'cluster.local'),
    link: (label) => label,
    code: mdCode,
    text: mdText,
  });
  const plain = (md ?? '').replace(/\\(.)/g, '$1');
  assert.match(
    plain,
    /endpointSelector `k8s:role=station` \(CiliumNetworkPolicy station-ingress, spec\) selects 1 workload in namespace `fleet` \(default deny for ingress\)/,
  );
  assert.match(plain, /- fleet\/station\[Deployment\]/);
});
