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

test('workloadDetail: with Calico in play, each peer says which layer decided it', () => {
  const calico = `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: calico-node, namespace: kube-system}
spec:
  selector: {matchLabels: {k8s-app: calico-node}}
  template:
    metadata: {labels: {k8s-app: calico-node}}
    spec: {hostNetwork: true, containers: [{name: calico-node, image: docker.io/calico/node:v3.28.0}]}
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.db-from-api}
spec:
  tier: security
  order: 10
  selector: app == 'db'
  types: [Ingress]
  ingress: [{action: Allow, source: {selector: app == 'api'}}, {action: Deny}]
`;
  const model = analyze([
    { uri: 'file:///ws/shop.yaml', text },
    { uri: 'file:///ws/calico.yaml', text: calico },
  ]);
  const matrix = computeMatrix(model);
  const byName = (n: string) => model.workloads.find((w) => w.name === n)!;
  const db = workloadDetail(model, matrix, byName('db'));
  assert.deepEqual(
    db.reachableFrom.map((p) => [p.workload.name, p.decidedBy]),
    [['api', 'Calico tier security']],
  );
  const api = workloadDetail(model, matrix, byName('api'));
  // web -> api: the Kubernetes NetworkPolicy (Calico's default tier) decides; web's egress: nothing
  assert.deepEqual(
    api.reachableFrom.map((p) => [p.workload.name, p.decidedBy]),
    [['web', 'Calico tier default']],
  );
  // without Calico nothing is added
  const plainModel = analyze([{ uri: 'file:///ws/shop.yaml', text }]);
  const plainApi = plainModel.workloads.find((w) => w.name === 'api')!;
  const plain = workloadDetail(plainModel, computeMatrix(plainModel), plainApi);
  assert.equal(plain.reachableFrom.length, 1);
  assert.ok(plain.reachableFrom.every((p) => p.decidedBy === undefined));
});
