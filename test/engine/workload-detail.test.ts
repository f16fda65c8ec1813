// workloadDetail: the Reachability tree's sections for one workload, computed in the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { workloadDetail } from '../../server/src/engine/report/workloadDetail';
import { describe } from '../../server/src/engine/net/ports';

const deploy = (name: string, app: string, port: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${app}}}
  template:
    metadata: {labels: {app: ${app}}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: ${port}}]}]}
`;

const text = [
  deploy('web', 'web', 8080),
  deploy('api', 'api', 7070),
  deploy('db', 'db', 5432),
  `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 80, targetPort: 7070}]}
`,
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-in, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 7070}]}]
`,
].join('---\n');

test('workloadDetail: peers with their ports, the selecting policies and the matching Services', () => {
  const model = analyze([{ uri: 'file:///ws/shop.yaml', text }]);
  const matrix = computeMatrix(model);
  const byName = (n: string) => model.workloads.find((w) => w.name === n)!;
  const api = workloadDetail(model, matrix, byName('api'));
  assert.deepEqual(
    api.reachableFrom.map((p) => [p.workload.name, describe(p.ports)]),
    [['web', 'TCP 7070']],
  );
  assert.deepEqual(
    api.canReach.map((p) => p.workload.name),
    ['web', 'db'],
  );
  assert.deepEqual(
    api.policies.map((p) => p.name),
    ['api-in'],
  );
  assert.deepEqual(
    api.services.map((s) => s.name),
    ['api'],
  );
  const db = workloadDetail(model, matrix, byName('db'));
  assert.deepEqual(db.policies, []);
  assert.deepEqual(db.services, []);
  assert.deepEqual(
    db.reachableFrom.map((p) => p.workload.name),
    ['web', 'api'],
  );
});
