// Objects are read by API group and kind together: look-alike kinds of other groups (Antrea, Calico,
// Cilium, Knative) are never read as the Kubernetes ones, and network policies of other APIs get a
// `policy-not-analysed` finding on their kind line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { lintModel } from '../../server/src/engine/lint';
import { explainPair } from '../../server/src/engine/reachability/explain';
import { isAll } from '../../server/src/engine/net/ports';
import { apiGroup, kindInfo } from '../../server/src/engine/model/kinds';
import type { Model } from '../../server/src/engine/model/types';
import { fixtureSources } from '../support/paths';

const lookalikes = () => analyze(fixtureSources('kinds', 'lookalikes.yaml'));
const workload = (m: Model, id: string) => {
  const w = m.workloads.find((x) => x.id === id);
  assert.ok(w, `workload ${id}`);
  return w;
};

test('apiGroup and kindInfo key kinds by group', () => {
  assert.equal(apiGroup('v1'), '');
  assert.equal(apiGroup('apps/v1'), 'apps');
  assert.equal(kindInfo('networking.k8s.io/v1', 'NetworkPolicy').role, 'networkPolicy');
  assert.equal(kindInfo('crd.antrea.io/v1beta1', 'NetworkPolicy').role, 'policyNotAnalysed');
  assert.equal(kindInfo('v1', 'Service').role, 'service');
  assert.equal(kindInfo('serving.knative.dev/v1', 'Service').role, 'other');
  assert.equal(kindInfo('serving.knative.dev/v1', 'Service').label, 'Service.serving.knative.dev');
  assert.equal(kindInfo('apps/v1', 'Service').role, 'other');
  assert.equal(kindInfo('v1', 'Deployment').role, 'other', 'the core group has no Deployment');
  assert.equal(kindInfo('extensions/v1beta1', 'Deployment').role, 'workload');
  assert.equal(kindInfo('batch/v1beta1', 'CronJob').role, 'workload');
  assert.equal(kindInfo('discovery.k8s.io/v1', 'EndpointSlice').role, 'endpoints');
  assert.equal(kindInfo('v1', 'EndpointSlice').role, 'other');
  assert.equal(kindInfo('policy.networking.k8s.io/v1alpha1', 'AdminNetworkPolicy').role, 'adminPolicy');
  assert.equal(kindInfo('example.com/v1', 'AdminNetworkPolicy').role, 'policyNotAnalysed');
  assert.deepEqual(
    [
      kindInfo('crd.projectcalico.org/v1', 'GlobalNetworkPolicy').clusterScoped,
      kindInfo('cilium.io/v2', 'CiliumNetworkPolicy').clusterScoped,
    ],
    [true, false],
  );
  assert.equal(kindInfo('v1', 'Namespace').clusterScoped, true);
});

test('only the networking.k8s.io NetworkPolicy is read; the Antrea one of the same name is another object', () => {
  const m = lookalikes();
  assert.deepEqual(
    m.policies.map((p) => p.id),
    ['shop/drop-batch-to-store[NetworkPolicy]'],
  );
  assert.ok(!m.findings.some((f) => f.code === 'duplicate-object'), 'the Antrea and Kubernetes policies do not collide');
  assert.ok(!m.findings.some((f) => f.code === 'unknown-field'), 'Antrea/Calico fields are not checked against NetworkPolicy');
  // The Antrea "drop batch -> store" is not read as "allow batch -> store": batch is blocked by the
  // Kubernetes policy (which allows only role=web), and nothing is allowed by the Antrea one.
  const batch = workload(m, 'shop/batch[Pod]');
  const store = workload(m, 'shop/store[Pod]');
  const v = explainPair(m, batch, store);
  assert.deepEqual(
    v.ingress.isolatedBy.map((p) => p.id),
    ['shop/drop-batch-to-store[NetworkPolicy]'],
  );
  assert.equal(v.ingress.matches.length, 0);
  // The Calico GlobalNetworkPolicy (deny all) isolates nothing here.
  assert.ok(isAll(explainPair(m, store, batch).allowed), 'store -> batch stays open');
});

test('policy-not-analysed: one info finding per foreign policy, on its kind line', () => {
  const sources = fixtureSources('kinds', 'lookalikes.yaml');
  const text = sources[0].text;
  const found = lintModel(analyze(sources)).filter((f) => f.code === 'policy-not-analysed');
  assert.deepEqual(
    found.map((f) => f.message.replace(/;.*/, '')),
    [
      'not analysed: crd.antrea.io NetworkPolicy',
      'not analysed: crd.projectcalico.org GlobalNetworkPolicy',
      'not analysed: example.com NetworkPolicy',
    ],
  );
  // Cilium's policies are read (model/cilium); without Cilium as the network plugin they are not enforced
  assert.deepEqual(
    lintModel(analyze(sources))
      .filter((f) => f.code === 'cilium-policy-not-enforced')
      .map((f) => text.slice(f.ref.start, f.ref.end)),
    ['CiliumNetworkPolicy'],
  );
  for (const f of found) {
    assert.equal(f.severity, 'info');
    assert.match(text.slice(f.ref.start, f.ref.end), /^kind: \w+$/);
  }
});

test('a Knative Service is not a Service: no Service, no DNS name, no cluster-scoped namespace leak', () => {
  const m = lookalikes();
  assert.deepEqual(
    m.services.map((s) => s.id),
    [],
  );
  // the cluster-scoped Calico policy implies no namespace; the namespaced look-alikes imply theirs
  assert.deepEqual([...m.namespaces.keys()].sort(), ['shop']);
});

test('workloads and policies of the older groups are read as their apps/batch/networking counterparts', () => {
  const m = analyze(fixtureSources('kinds', 'old-groups.yaml'));
  assert.deepEqual(m.workloads.map((w) => w.id).sort(), ['old/agent[DaemonSet]', 'old/legacy[Deployment]', 'old/nightly[CronJob]']);
  assert.deepEqual(
    m.policies.map((p) => p.id),
    ['old/legacy-ingress[NetworkPolicy]'],
  );
  assert.deepEqual(m.services, [], 'apps/v1 has no Service kind');
  assert.deepEqual(
    m.findings.filter((f) => f.code === 'invalid-value').map((f) => f.message.replace(/;.*/, '')),
    ['apps/v1 has no kind Service (Service is in v1)', 'v1 has no kind Deployment (Deployment is in apps/..., extensions/...)'],
  );
  const nightly = workload(m, 'old/nightly[CronJob]');
  const legacy = workload(m, 'old/legacy[Deployment]');
  const agent = workload(m, 'old/agent[DaemonSet]');
  assert.ok(!isAll(explainPair(m, agent, legacy).allowed), 'the extensions/v1beta1 policy isolates legacy');
  assert.ok(explainPair(m, nightly, legacy).ingress.matches.length > 0, 'and allows nightly');
});
