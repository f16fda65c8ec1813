// Code lens text and place: a DNS-only egress policy says so instead of "egress to 0 workloads", and a
// lens sits on the object's kind: line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { isDnsOnly, lensOffset, policyLensTitle } from '../../server/src/engine/report/lenses';

const allowDns = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
      podSelector: {matchLabels: {k8s-app: kube-dns}}
    ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]
`;
const egressWeb = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: to-web, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - ports: [{protocol: UDP, port: 53}]
  - to: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 8080}]
`;
const deploy = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x}]}
`;

function model(...docs: string[]) {
  return analyze([{ uri: 'file:///w/all.yaml', text: docs.join('---\n') }]);
}

test('a DNS-only egress policy reads "egress: DNS only (kube-dns)"', () => {
  const m = model(deploy, allowDns, egressWeb);
  const dns = m.policies.find((p) => p.name === 'allow-dns')!;
  assert.equal(isDnsOnly(dns.egress), true);
  assert.equal(policyLensTitle(m, dns), 'selects 1 workload · egress: DNS only (kube-dns)');
  const web = m.policies.find((p) => p.name === 'to-web')!;
  assert.equal(isDnsOnly(web.egress), false);
  assert.equal(policyLensTitle(m, web), 'selects 1 workload · egress to everyone');
});

test('a lens goes on the kind: line, not between metadata: and name:', () => {
  const text = `# a comment\napiVersion: v1\nkind: NetworkPolicy\nmetadata:\n  name: x\n`;
  const objectStart = text.indexOf('apiVersion');
  const nameStart = text.indexOf('x\n');
  assert.equal(lensOffset(text, objectStart, nameStart), text.indexOf('kind:'));
  // kind after metadata (any key order) is still found; without one, the name
  const late = `metadata:\n  name: y\nkind: Service\n`;
  assert.equal(lensOffset(late, 0, late.indexOf('y')), late.indexOf('y'));
  const first = `kind: Pod\nmetadata: {name: z}\n`;
  assert.equal(lensOffset(first, 0, first.indexOf('z')), 0);
  // a nested "kind:" (indented) is not the object's
  const nested = `apiVersion: v1\nmetadata:\n  kind: nope\n  name: q\n`;
  assert.equal(lensOffset(nested, 0, nested.indexOf('q')), nested.indexOf('q'));
});
