// The lint shares work between the references it checks: pair explanations between workloads of the
// same classes, and the names a DNS search tries across namespaces (LintContext). The shared path must
// give exactly the findings of the simple one (every pair explained and every name searched on its
// own), byte for byte: every field of every finding, on every fixture workspace and on generated ones
// (with and without a Calico layer, where pairs are not shared), with and without the matrix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyze } from '../../server/src/engine';
import { lintModel, LintContext } from '../../server/src/engine/lint';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import type { Finding, Model } from '../../server/src/engine/model/types';
import { fixturePath, fixtureSources } from '../support/paths';
import { generate } from '../bench/generate';

const text = (fs: Finding[]) => fs.map((f) => JSON.stringify(f));

function assertSharedEqualsSimple(model: Model, label: string): Finding[] {
  const simple = lintModel(model, new LintContext(model, undefined, undefined, { share: false }));
  assert.deepEqual(text(lintModel(model)), text(simple), `${label}: shared`);
  const matrix = computeMatrix(model);
  assert.deepEqual(
    text(lintModel(model, new LintContext(model, undefined, () => matrix))),
    text(simple),
    `${label}: shared, with the matrix`,
  );
  return simple;
}

test('shared lint equals the simple lint on every fixture workspace', () => {
  let findings = 0;
  for (const group of readdirSync(fixturePath()).sort()) {
    if (!statSync(fixturePath(group)).isDirectory()) continue;
    for (const name of readdirSync(fixturePath(group)).sort()) {
      if (!statSync(fixturePath(group, name)).isDirectory()) continue;
      findings += assertSharedEqualsSimple(analyze(fixtureSources(group, name)), `${group}/${name}`).length;
    }
  }
  assert.ok(findings > 100, `the fixtures produce findings to compare (${findings})`);
});

for (const calico of [false, true]) {
  test(`shared lint equals the simple lint on a generated workspace${calico ? ' with a Calico layer' : ''}`, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-shared-'));
    try {
      const g = generate('S', 11, dir, { calico });
      const model = analyze(g.files.map((f) => ({ uri: path.relative(dir, f), text: readFileSync(f, 'utf8') })));
      const codes = new Set(assertSharedEqualsSimple(model, `generated S${calico ? ' calico' : ''}`).map((f) => f.code));
      for (const c of ['unresolvable-name', 'blocked-reference']) assert.ok(codes.has(c), `generated workspace has ${c}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

// Workloads of one class (same namespace, labels, ports, IPs), or isolated by the same policies: the
// later pairs' sides are the first's, yet each finding names its own workloads and ports.
const deploy = (ns: string, name: string, labels: string, env: string, extra = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  template:\n    metadata: {labels: {${labels}}}\n    spec:\n${extra}      containers:\n      - name: c\n        image: x\n        ports: [{name: http, containerPort: 8080}]\n        env: [${env}]\n`;
const SAME_CLASS = [
  {
    uri: 'a/ns.yaml',
    text: 'apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: pay}\n',
  },
  {
    uri: 'a/web-1.yaml',
    text: deploy('shop', 'web-1', 'app: web', '{name: DB, value: "db.pay:5432"}, {name: API, value: "http://api:80"}'),
  },
  {
    uri: 'a/web-2.yaml',
    text: deploy('shop', 'web-2', 'app: web', '{name: DB, value: "db.pay.svc.cluster.local:5432"}, {name: API, value: "api:80"}'),
  },
  { uri: 'a/web-3.yaml', text: deploy('shop', 'web-3', 'app: web', '{name: DB, value: "db.pay:5432"}', '      hostNetwork: true\n') },
  // another class (one more label), isolated by the same policy: its egress side is web-1's
  { uri: 'a/web-4.yaml', text: deploy('shop', 'web-4', 'app: web, v: "2"', '{name: DB, value: "db.pay:5432"}') },
  { uri: 'a/api.yaml', text: deploy('shop', 'api', 'app: api', '{name: X, value: "x"}') },
  { uri: 'a/api-b.yaml', text: deploy('shop', 'api-b', 'app: api', '{name: X, value: "x"}') },
  { uri: 'a/db-1.yaml', text: deploy('pay', 'db-1', 'app: db', '{name: X, value: "x"}') },
  { uri: 'a/db-2.yaml', text: deploy('pay', 'db-2', 'app: db', '{name: X, value: "x"}') },
  {
    uri: 'a/svc.yaml',
    text:
      'apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: pay}\nspec:\n  selector: {app: db}\n  ports: [{port: 5432, targetPort: http}]\n---\n' +
      'apiVersion: v1\nkind: Service\nmetadata: {name: api, namespace: shop}\nspec:\n  selector: {app: api}\n  ports: [{port: 80, targetPort: 8080}]\n',
  },
  {
    uri: 'a/policies.yaml',
    text:
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-in, namespace: pay}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress]\n---\n' +
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web-out, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  policyTypes: [Egress]\n  egress:\n  - to: [{podSelector: {matchLabels: {app: db}}}]\n    ports: [{port: 9999}]\n',
  },
];

test('workloads of one class share explanations, each finding names its own workloads', () => {
  const model = analyze(SAME_CLASS);
  const findings = assertSharedEqualsSimple(model, 'same class');
  const blocked = findings.filter((f) => f.code === 'blocked-reference');
  const froms = new Set(blocked.map((f) => f.data?.from));
  for (const w of ['web-1', 'web-2', 'web-4']) assert.ok(froms.has(`shop/${w}[Deployment]`), [...froms].join(', '));
  for (const f of blocked) assert.ok(f.message.startsWith(`${String(f.data?.from)} cannot reach`), f.message);
  const dns = findings.filter((f) => f.code === 'dns-egress-blocked');
  assert.equal(dns.length, 1);
  assert.match(dns[0].message, /web-1.*web-2/);
});
