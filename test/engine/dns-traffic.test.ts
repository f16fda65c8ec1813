// DNS lookups are traffic: a name resolves only when the pod's queries reach the cluster DNS pods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dnsFixture } from '../support/dns';
import { runQuery } from '../../server/src/engine/reachability/query';
import { resolveOutcome } from '../../server/src/engine/dns/resolve';
import { resolveJson, resolveText } from '../../server/src/engine/report/resolveReport';
import { lintModel } from '../../server/src/engine/lint';

const locate = (ref: { uri: string; start: number }) => `${ref.uri}@${ref.start}`;

test('Ingress+Egress without egress rules: names do not resolve, the policy is named (assumed DNS pods)', () => {
  const f = dnsFixture('traffic-assumed');
  const r = f.resolve('restricted/client[Pod]', 'web');
  assert.equal(r.answer?.target, 'restricted/web[Service]', 'the records still hold the name');
  assert.equal(resolveOutcome(r), 'dns-blocked');
  assert.equal(r.dnsTraffic.status, 'blocked');
  assert.equal(r.dnsTraffic.direction, 'Egress');
  assert.deepEqual(
    r.dnsTraffic.policies?.map((p) => p.id),
    ['restricted/lockdown[NetworkPolicy]'],
  );
  assert.equal(r.dnsTraffic.assumed, true);
  assert.match(r.dnsTraffic.text, /egress of restricted\/client\[Pod\] is isolated by restricted\/lockdown\[NetworkPolicy\]/);
  assert.match(r.dnsTraffic.text, /assumed/);
  const json = resolveJson(r, f.domain, locate);
  assert.equal(json.outcome, 'dns-blocked');
  assert.deepEqual(json.dnsTraffic.policies, ['restricted/lockdown[NetworkPolicy]']);
  assert.match(resolveText(r, f.domain, locate), /\nOutcome: DNS-BLOCKED/);

  const q = runQuery(f.model, f.index, { from: f.workload('restricted/client[Pod]'), to: 'web', port: 80, protocol: 'TCP' });
  assert.equal(q.outcome, 'dns-blocked');
  assert.equal(q.resolvedTo, null);
  const blocked = q.steps.find((s) => s.kind === 'dns' && /blocked/.test(s.text));
  assert.ok(blocked?.ref, 'the blocking step points at the policy');
  assert.equal(blocked.ref, f.model.policies.find((p) => p.name === 'lockdown')?.ref);
});

test('a workload id or an IP needs no lookup: no dns-blocked', () => {
  const f = dnsFixture('traffic-assumed');
  const q = runQuery(f.model, f.index, {
    from: f.workload('restricted/client[Pod]'),
    to: 'restricted/web[Pod]',
    port: 80,
    protocol: 'TCP',
  });
  assert.equal(q.outcome, 'blocked'); // egress isolated with no rules: blocked by policy, not DNS
});

test('not isolated: DNS reaches the assumed pods, and the answer says "assumed"', () => {
  const f = dnsFixture('traffic-assumed');
  const r = f.resolve('open/free[Pod]', 'web.restricted');
  assert.equal(resolveOutcome(r), 'resolved');
  assert.equal(r.dnsTraffic.status, 'allowed');
  assert.equal(r.dnsTraffic.assumed, true);
  assert.equal(r.dnsTraffic.tcp, true);
  const q = runQuery(f.model, f.index, { from: f.workload('open/free[Pod]'), to: 'web.restricted', port: 80, protocol: 'TCP' });
  assert.equal(q.outcome, 'blocked'); // the name resolves; web's ingress admits restricted only
  assert.ok(q.steps.some((s) => s.kind === 'dns' && /reach kube-system\/coredns\[Deployment\] \(assumed/.test(s.text)));
});

test('a DNS rule for UDP only: resolves, with a note that TCP 53 is blocked', () => {
  const r = dnsFixture('traffic-assumed').resolve('guarded/worker[Pod]', 'web.restricted');
  assert.equal(resolveOutcome(r), 'resolved');
  assert.equal(r.dnsTraffic.tcp, false);
  assert.match(r.dnsTraffic.text, /TCP 53 is blocked/);
});

test('assumeClusterDns off: records only, the check is skipped with a note', () => {
  const f = dnsFixture('traffic-assumed', { assumeClusterDns: false });
  const r = f.resolve('restricted/client[Pod]', 'web');
  assert.equal(r.dnsTraffic.status, 'skipped');
  assert.equal(resolveOutcome(r), 'resolved');
  const q = runQuery(f.model, f.index, { from: f.workload('restricted/client[Pod]'), to: 'web', port: 80, protocol: 'TCP' });
  assert.equal(q.outcome, 'blocked'); // by the policy on TCP 80, no longer by DNS
  assert.ok(q.steps.some((s) => s.kind === 'note' && /DNS traffic check is skipped/.test(s.text)));
  // and the lint rule has no DNS pods to check against
  assert.ok(!lintModel(f.model).some((x) => x.code === 'dns-egress-blocked'));
  assert.ok(lintModel(dnsFixture('traffic-assumed').model).some((x) => x.code === 'dns-egress-blocked' && /assumed/.test(x.message)));
});

test('CoreDNS in the workspace: its ingress policy blocks other namespaces; not "assumed"', () => {
  const f = dnsFixture('traffic-coredns');
  const ok = f.resolve('trusted/app[Pod]', 'app');
  assert.equal(resolveOutcome(ok), 'resolved');
  assert.equal(ok.dnsTraffic.assumed, false);
  assert.deepEqual(ok.dnsTraffic.dnsPods, ['kube-system/coredns[Deployment]']);
  const bad = f.resolve('untrusted/app[Pod]', 'app.trusted');
  assert.equal(resolveOutcome(bad), 'dns-blocked');
  assert.equal(bad.dnsTraffic.direction, 'Ingress');
  assert.deepEqual(
    bad.dnsTraffic.policies?.map((p) => p.id),
    ['kube-system/dns-from-trusted[NetworkPolicy]'],
  );
  assert.doesNotMatch(bad.dnsTraffic.text, /assumed/);
  // an unresolvable name is dns-blocked too: the pod never learns it is NXDOMAIN
  assert.equal(resolveOutcome(f.resolve('untrusted/app[Pod]', 'nothing')), 'dns-blocked');
  // dnsPolicy Default asks the node's DNS: no cluster DNS traffic to check
  assert.equal(f.resolve('untrusted/node-dns[Pod]', 'app.trusted').dnsTraffic.status, 'not-cluster-dns');
});

test('query steps: the DNS steps stay together before the notes (one DNS heading)', () => {
  const f = dnsFixture('traffic-coredns');
  const q = runQuery(f.model, f.index, { from: f.workload('untrusted/app[Pod]'), to: 'app', port: 80, protocol: 'TCP' });
  const kinds = q.steps.map((s) => s.kind);
  const firstNote = kinds.indexOf('note');
  assert.ok(firstNote > 0, kinds.join(','));
  assert.ok(!kinds.slice(firstNote).includes('dns'), `a DNS step after a note: ${kinds.join(',')}`);
});

test('the assumed kube-dns Service answers for its name, says "assumed", and is gone when assuming is off or CoreDNS is there', () => {
  const f = dnsFixture('traffic-assumed');
  const r = f.resolve('open/free[Pod]', 'kube-dns.kube-system');
  assert.equal(r.answer?.target, 'kube-system/kube-dns[Service]');
  assert.deepEqual(r.answer?.endpoints, ['kube-system/coredns[Deployment]']);
  assert.ok(r.notes.some((n) => /kube-system\/kube-dns\[Service\] is assumed/.test(n)));
  const q = runQuery(f.model, f.index, { from: f.workload('open/free[Pod]'), to: 'kube-dns.kube-system', port: 53, protocol: 'UDP' });
  assert.equal(q.outcome, 'allowed');
  assert.ok(!q.steps.some((s) => s.ref && !s.ref.uri), 'no step points into a file that does not exist');
  assert.equal(dnsFixture('traffic-assumed', { assumeClusterDns: false }).resolve('open/free[Pod]', 'kube-dns.kube-system').answer, null);
  // the workspace's own kube-dns Service is the answer when it is there
  const real = dnsFixture('traffic-coredns').resolve('trusted/app[Pod]', 'kube-dns.kube-system');
  assert.ok(real.answer?.service?.ref.uri, 'the workspace Service');
  assert.ok(!real.notes.some((n) => /is assumed/.test(n)));
});
