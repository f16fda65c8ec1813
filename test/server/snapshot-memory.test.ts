// A snapshot whose findings are all known lets its lint context go (each pod's resolv.conf and name
// searches: 145 MB on XL), and still answers for any file afterwards with the same findings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import type { Snapshot } from '../../server/src/workspace/snapshot';

const files: Record<string, string> = {
  'file:///w/app.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web:1
          env: [{name: API, value: "http://api.shop.svc.cluster.local:8080"}, {name: GONE, value: "http://nosuch:80"}]
`,
  'file:///w/policy.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: nothing-has-this}}
  policyTypes: [Ingress]
`,
};

const context = (s: Snapshot) => (s as unknown as { _cx?: object })._cx;
const keyed = (fs: { code: string; ref: { uri: string; start: number }; message: string }[]) =>
  fs.map((f) => `${f.code} ${f.ref.uri}:${f.ref.start} ${f.message}`).sort();

test('the lint context goes once every file is linted; findings stay the same', () => {
  const build = () => {
    const index = new WorkspaceIndex({}, 0);
    for (const [uri, text] of Object.entries(files)) index.setDisk(uri, text);
    return index.flush();
  };
  const snap = build();
  // one file linted on demand: the context is kept for the others
  const app = snap.findingsFor('file:///w/app.yaml');
  assert.ok(context(snap), 'kept while files remain');
  const steps = snap.lintSteps();
  while (!steps.next().done);
  assert.equal(snap.findingsComplete, true);
  assert.equal(context(snap), undefined, 'released once complete');
  const all = snap.allFindings();
  assert.ok(all.length > 0);
  // the same findings as a snapshot that keeps its context (linted file by file, not completed)
  const fresh = build();
  assert.deepEqual(keyed(snap.findingsFor('file:///w/app.yaml')), keyed(app));
  assert.deepEqual(keyed(all), keyed(Object.keys(files).flatMap((u) => fresh.findingsFor(u))));
  // a file the complete snapshot never linted is linted with a new context
  assert.deepEqual(snap.findingsFor('file:///w/elsewhere.yaml'), []);
});
