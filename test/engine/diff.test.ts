// The diff engine on two analyses built in memory (no git): external ranges compared across
// versions that cut the address space differently, workloads added and removed, the category order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { diffAnalyses } from '../../server/src/engine/diff';
import { describe } from '../../server/src/engine/net/ports';

const pod = (name: string, extra = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}, namespace: ns, labels: {app: ${name}}}
spec: {containers: [{name: c, image: c, ports: [{containerPort: 80}]}]}
${extra}---
`;
const egressTo = (cidr: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: out, namespace: ns}
spec:
  podSelector: {matchLabels: {app: a}}
  policyTypes: [Egress]
  egress:
  - to: [{ipBlock: {cidr: ${cidr}}}]
    ports: [{port: 443}]
`;
const model = (text: string) => analyze([{ uri: 'm.yaml', text }]);

test('an ipBlock narrowed: the range no longer allowed is removed, cut by both versions', () => {
  const d = diffAnalyses(model(pod('a') + egressTo('10.0.0.0/8')), model(pod('a') + egressTo('10.0.0.0/16')));
  const ext = d.entries.filter((e) => e.destination.kind === 'external');
  assert.deepEqual(
    ext.map((e) => [e.category, e.source.id, e.destination.id, describe(e.before), describe(e.after)]),
    [['removed', 'ns/a[Pod]', '10.1.0.0-10.255.255.255', 'TCP 443', 'No Connections']],
  );
  const rule = ext[0].causes.find((c) => c.kind === 'rule');
  assert.equal(rule?.text, 'egress rule 1 of ns/out[NetworkPolicy] changed');
});

test('workloads added and removed are marked; entries come changed, added, removed', () => {
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: b-in, namespace: ns}
spec:
  podSelector: {matchLabels: {app: b}}
  ingress:
  - from: [{podSelector: {matchLabels: {app: a}}}]
    ports: [{port: 80}]
  - from: [{podSelector: {matchLabels: {app: c}}}]
    ports: [{port: 80}]
`;
  const d = diffAnalyses(model(pod('a') + pod('b') + pod('gone')), model(pod('a') + pod('b') + pod('c') + policy));
  assert.deepEqual(d.workloadsAdded, ['ns/c[Pod]']);
  assert.deepEqual(d.workloadsRemoved, ['ns/gone[Pod]']);
  const cats = d.entries.map((e) => e.category);
  assert.deepEqual(
    cats,
    [...cats].sort((x, y) => ['changed', 'added', 'removed'].indexOf(x) - ['changed', 'added', 'removed'].indexOf(y)),
  );
  const aToB = d.entries.find((e) => e.source.id === 'ns/a[Pod]' && e.destination.id === 'ns/b[Pod]');
  assert.equal(aToB?.category, 'changed');
  assert.deepEqual(
    aToB?.causes.map((c) => [c.kind, c.change]),
    [['policy', 'added']],
  );
  const cToB = d.entries.find((e) => e.source.id === 'ns/c[Pod]' && e.destination.id === 'ns/b[Pod]');
  assert.equal(cToB?.source.workload, 'added');
  const goneToA = d.entries.find((e) => e.source.id === 'ns/gone[Pod]' && e.destination.id === 'ns/a[Pod]');
  assert.equal(goneToA?.category, 'removed');
  assert.equal(goneToA?.source.workload, 'removed');
  assert.ok(goneToA?.causes.some((c) => c.kind === 'workload' && c.change === 'removed' && c.version === 'base'));
});

test('the same manifests moved around in a file give no entries', () => {
  const a = pod('a') + pod('b') + egressTo('0.0.0.0/0');
  const b = `# a comment that moves every offset\n${pod('b')}${egressTo('0.0.0.0/0')}---\n${pod('a')}`;
  assert.deepEqual(diffAnalyses(model(a), model(b)).entries, []);
});
