// After indexing the server builds the policy index once (Snapshot.warmPolicyIndex), so that the first
// workload lens after an edit patches it instead of building it; later snapshots carry it and do not
// build again, and their lens degrees equal a fresh workspace's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/workspace/index';

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
