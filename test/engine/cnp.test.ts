// ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2): the Admin tier by priority and rule order,
// Pass to the NetworkPolicy layer and to the Baseline tier, each peer and port form, domainNames for
// names outside the cluster, and explanations naming tier, priority and rule (fixture test/fixtures/cnp/tiers.yaml).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze } from '../../server/src/engine';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { explainPair } from '../../server/src/engine/reachability/explain';
import { runQuery } from '../../server/src/engine/reachability/query';
import { buildDnsIndex } from '../../server/src/engine/dns/records';
import { describe } from '../../server/src/engine/net/ports';
import { domainNameMatches } from '../../server/src/engine/policy/adminExternal';
import type { Model, Protocol } from '../../server/src/engine/model/types';
import { fixturePath } from '../support/paths';

const uri = 'test/fixtures/cnp/tiers.yaml';
const tiers = () => analyze([{ uri, text: readFileSync(fixturePath('cnp', 'tiers.yaml'), 'utf8') }]);

function byId(model: Model, id: string) {
  const w = model.workloads.find((x) => x.id === id);
  assert.ok(w, `no workload ${id}`);
  return w;
}

function query(model: Model, to: string, port: number, protocol: Protocol = 'TCP') {
  const from = byId(model, 'ns-a/client[Deployment]');
  return runQuery(model, buildDnsIndex(model, 'cluster.local'), { from, to, port, protocol });
}

const policyText = (r: ReturnType<typeof query>) =>
  r.steps
    .filter((s) => s.kind === 'egress' || s.kind === 'ingress')
    .map((s) => s.text)
    .join('\n');

test('the fixture reads four ClusterNetworkPolicies in tier order, without findings', () => {
  const model = tiers();
  assert.deepEqual(
    model.adminPolicies.map((p) => `${p.baseline ? 'Baseline' : 'Admin'}/${p.priority}/${p.name}`),
    ['Admin/5/admin-high', 'Admin/20/admin-low', 'Admin/30/admin-ingress', 'Baseline/10/baseline'],
  );
  assert.deepEqual(
    model.findings.filter((f) => f.severity !== 'info').map((f) => f.message),
    [],
  );
});

test('matrix: each pair from tenant a as the tiers decide it', () => {
  const model = tiers();
  const m = computeMatrix(model);
  const from = byId(model, 'ns-a/client[Deployment]');
  const got = (id: string) => describe(m.ports(from, byId(model, id)));
  // b: TCP 80 denied by the higher-priority admin-high before admin-low accepts all of b; the Baseline
  // tier then accepts SCTP 9003 and the named port dns (UDP 53), passes TCP 8080 (default: allowed), denies the rest
  assert.equal(got('ns-b/web[Deployment]'), 'SCTP 9003,TCP 8080,UDP 53');
  // c: Pass on both sides; egress falls to the (empty) Baseline tier, ingress to the NetworkPolicy (TCP 80)
  assert.equal(got('ns-c/web[Deployment]'), 'TCP 80');
  // d/web: port range 8000-8100 and SCTP accepted, the rest denied; the Baseline tier keeps 8080 and SCTP
  assert.equal(got('ns-d/web[Deployment]'), 'SCTP 9003,TCP 8080');
  // d/db: the range rule selects app=web only
  assert.equal(got('ns-d/db[Deployment]'), 'SCTP 9003');
  // hostNetwork pod (node traffic): nodes: {} accepts TCP 9100; networks 0.0.0.0/0 denies the rest
  assert.equal(got('ns-b/agent[DaemonSet]'), 'TCP 9100');
  // nothing selects traffic towards tenant a from elsewhere: allowed by default
  assert.equal(describe(m.ports(byId(model, 'ns-b/web[Deployment]'), from)), 'All Connections');
  // the matrix agrees with the explanation of each pair
  for (const w of model.workloads)
    assert.equal(describe(m.ports(from, w)), describe(from === w ? m.ports(w, w) : explainPair(model, from, w).allowed));
});

test('priority: the lower number wins; the explanation names the tier, priority and rule', () => {
  const r = query(tiers(), 'ns-b/web[Deployment]', 80);
  assert.equal(r.outcome, 'blocked');
  assert.match(
    policyText(r),
    /egress of ns-a\/client\[Deployment\]: denied in the Admin tier by ClusterNetworkPolicy admin-high \(tier Admin, priority 5\) egress rule "deny-b-http" \(Deny\)/,
  );
  assert.match(
    policyText(r),
    /denied in the Baseline tier by ClusterNetworkPolicy baseline \(tier Baseline, priority 10\) ingress rule "deny-from-a" \(Deny\)/,
  );
  const r2 = query(tiers(), 'ns-b/web[Deployment]', 8080);
  assert.match(
    policyText(r2),
    /allowed in the Admin tier by ClusterNetworkPolicy admin-low \(tier Admin, priority 20\) egress rule "accept-b-all" \(Accept\)/,
  );
});

test('equal priorities: the order is stable (by name), whatever the file order', () => {
  const policy = (name: string, action: string) =>
    `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: ${name}}\nspec:\n  tier: Admin\n  priority: 7\n  subject: {namespaces: {}}\n  ingress:\n  - {action: ${action}, from: [{namespaces: {}}]}\n`;
  const pods =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: x}\nspec: {containers: [{name: c}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: q, namespace: y}\nspec: {containers: [{name: c}]}\n';
  for (const order of [
    [policy('a-deny', 'Deny'), policy('b-accept', 'Accept')],
    [policy('b-accept', 'Accept'), policy('a-deny', 'Deny')],
  ]) {
    const model = analyze([{ uri: 'p.yaml', text: `${pods}---\n${order.join('---\n')}` }]);
    assert.deepEqual(
      model.adminPolicies.map((p) => p.name),
      ['a-deny', 'b-accept'],
    );
    assert.equal(describe(explainPair(model, model.workloads[0], model.workloads[1]).allowed), 'No Connections');
  }
});

test('Pass falls through to the NetworkPolicy layer, and to the Baseline tier; Pass in the Baseline tier is the default', () => {
  const model = tiers();
  const toC = policyText(query(model, 'ns-c/web[Deployment]', 80));
  assert.match(
    toC,
    /ingress of ns-c\/web\[Deployment\]: NetworkPolicy layer: isolated by ns-c\/from-a-http\[NetworkPolicy\] \(the Admin tier passes it on: ClusterNetworkPolicy admin-ingress \(tier Admin, priority 30\) ingress rule "pass-from-a" \(Pass\)/,
  );
  assert.match(
    toC,
    /egress of ns-a\/client\[Deployment\]: not isolated .*"pass-c" \(Pass\).*no Baseline tier rule decides it, so all egress is allowed/,
  );
  assert.equal(query(model, 'ns-c/web[Deployment]', 81).outcome, 'blocked');
  const alt = query(model, 'ns-d/web[Deployment]', 8080);
  assert.equal(alt.outcome, 'allowed');
  assert.match(
    policyText(alt),
    /passed on \(nothing below: allowed by default\) in the Baseline tier by ClusterNetworkPolicy baseline .* "pass-alt-from-a" \(Pass\)/,
  );
});

test('named ports, port ranges and SCTP', () => {
  const model = tiers();
  const dns = query(model, 'ns-b/web[Deployment]', 53, 'UDP');
  assert.equal(dns.outcome, 'allowed');
  assert.match(policyText(dns), /"accept-b-named-dns" \(Accept\)/);
  assert.match(policyText(dns), /"accept-dns-from-a" \(Accept\)/);
  assert.equal(query(model, 'ns-d/web[Deployment]', 8100).outcome, 'blocked'); // egress allows 8000-8100, the baseline denies 8100
  assert.match(policyText(query(model, 'ns-d/web[Deployment]', 8100)), /allowed in the Admin tier .* "accept-d-web-range"/);
  assert.match(policyText(query(model, 'ns-d/web[Deployment]', 8101)), /denied in the Admin tier .* "deny-d-rest"/);
  assert.equal(query(model, 'ns-d/db[Deployment]', 9003, 'SCTP').outcome, 'allowed');
  assert.equal(query(model, 'ns-d/db[Deployment]', 9003, 'TCP').outcome, 'blocked');
});

test('domainNames answer names outside the cluster; networks their addresses', () => {
  const model = tiers();
  const www = query(model, 'www.example.com', 443);
  assert.equal(www.outcome, 'allowed');
  assert.match(
    policyText(www),
    /allowed in the Admin tier by ClusterNetworkPolicy admin-high \(tier Admin, priority 5\) egress rule "accept-example" \(Accept\), peer domainNames \*\.example\.com \(www\.example\.com\) \(domainNames are symbolic/,
  );
  assert.equal(query(model, 'example.org', 443).outcome, 'allowed');
  const net = query(model, 'example.net', 443);
  assert.equal(net.outcome, 'blocked');
  assert.match(policyText(net), /"deny-everything-else" \(Deny\), peer networks 0\.0\.0\.0\/0/);
  assert.equal(query(model, '198.51.100.7', 443).outcome, 'blocked');
  // the wildcard needs at least one label before the name
  assert.equal(domainNameMatches('*.example.com', 'example.com'), false);
  assert.equal(domainNameMatches('*.example.com', 'a.b.example.com'), true);
  assert.equal(domainNameMatches('example.org', 'Example.ORG.'), true);
});

test('a pod no ClusterNetworkPolicy selects reaches the outside by default', () => {
  const model = tiers();
  const from = byId(model, 'ns-b/web[Deployment]');
  const r = runQuery(model, buildDnsIndex(model, 'cluster.local'), { from, to: 'example.net', port: 443, protocol: 'TCP' });
  assert.equal(r.outcome, 'allowed');
  assert.match(policyText(r), /no Admin or Baseline tier rule decides it/);
});

test('bad input: findings on the offending node, the policy left out, never a crash', () => {
  const cnp = (spec: string) =>
    `apiVersion: policy.networking.k8s.io/v1alpha2\nkind: ClusterNetworkPolicy\nmetadata: {name: bad}\nspec:\n${spec}`;
  const cases: [string, RegExp][] = [
    ['  tier: Middle\n  priority: 1\n  subject: {namespaces: {}}\n', /spec.tier must be Admin or Baseline, not "Middle"/],
    ['  tier: Admin\n  subject: {namespaces: {}}\n', /needs spec.priority/],
    ['  tier: Admin\n  priority: 1001\n  subject: {namespaces: {}}\n', /spec.priority 1001 is out of range 0-1000/],
    ['  tier: Admin\n  priority: 1\n  subject: {namespaces: {}, pods: {podSelector: {}}}\n', /exactly one of namespaces, pods/],
    [
      '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - {action: Allow, to: [{namespaces: {}}]}\n',
      /must be Accept, Deny or Pass \(ClusterNetworkPolicy renamed Allow to Accept\)/,
    ],
    [
      '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - {action: Deny, to: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {number: 70000}}}]}\n',
      /number 70000 is out of range 1-65535/,
    ],
    [
      '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - {action: Deny, to: [{namespaces: {}}], protocols: [{tcp: {destinationPort: {range: {start: 90, end: 80}}}}]}\n',
      /start 90 must be less than end 80/,
    ],
    [
      '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - {action: Deny, to: [{namespaces: {}}], protocols: [{tcp: {}}]}\n',
      /needs destinationPort/,
    ],
    [
      '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - {action: Deny, to: [{domainNames: [example.com]}]}\n',
      /domainNames peers may only be used with the Accept action/,
    ],
    [
      '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - {action: Accept, to: [{networks: [10.0.0.0/8]}], protocols: [{destinationNamedPort: http}]}\n',
      /named port cannot be used with networks/,
    ],
    [
      '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - {action: Accept, to: [{networks: [10.0.0.0/33]}]}\n',
      /"10.0.0.0\/33" is not a CIDR/,
    ],
    [
      '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  ingress:\n  - {action: Accept, from: [{networks: [10.0.0.0/8]}]}\n',
      /unknown field "networks"/,
    ],
    ['  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - {action: Accept, to: []}\n', /needs at least one peer/],
    [
      '  tier: Admin\n  priority: 1\n  subject: {namespaces: {}}\n  egress:\n  - {action: Accept, to: [{domainNames: ["*example.com"]}]}\n',
      /is not a domain name/,
    ],
    ['  tier: [Admin]\n  priority: "1"\n  subject: 3\n  egress: {}\n', /spec.tier must be Admin or Baseline/],
  ];
  for (const [spec, message] of cases) {
    const text = cnp(spec);
    const model = analyze([{ uri: 'bad.yaml', text }]);
    assert.equal(model.adminPolicies.length, 0, spec);
    assert.ok(
      model.findings.some((f) => message.test(f.message)),
      `${spec}: ${model.findings.map((f) => f.message).join(' | ')}`,
    );
    assert.ok(
      model.findings.some((f) => f.code === 'policy-rejected'),
      spec,
    );
    for (const f of model.findings) assert.ok(f.ref.start >= 0 && f.ref.end <= text.length, `${f.message} range`);
  }
  // another API group's ClusterNetworkPolicy (or another version) is not this one: not analysed, and said so
  for (const apiVersion of ['example.com/v1', 'policy.networking.k8s.io/v1alpha1']) {
    const other = analyze([
      { uri: 'o.yaml', text: `apiVersion: ${apiVersion}\nkind: ClusterNetworkPolicy\nmetadata: {name: x}\nspec: {}\n` },
    ]);
    assert.equal(other.adminPolicies.length, 0);
    assert.deepEqual(
      other.findings.map((f) => f.code),
      ['policy-not-analysed'],
      apiVersion,
    );
  }
});
