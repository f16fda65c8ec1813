// Helm charts as analysis scopes in the CLI, rendered by the real helm (--helm): one scope per values file,
// --scope analyses the rendered objects, and a finding in a rendered object lands on its template file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/paths';
import { helmTestGate } from '../support/helm';

const { helm, skip } = helmTestGate('helm-scopes.test');
const CHART = 'test/fixtures/helm-scopes';

test('scopes: a chart with each values file beside it', { skip }, () => {
  const r = runCli(['--helm', helm!, 'scopes', CHART]);
  assert.equal(r.status, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { id: string; kind: string; root: string; files: string[] }[];
  assert.deepEqual(
    list.map((s) => [s.id, s.kind, s.root]),
    [
      ['helm:web@values-prod.yaml', 'helm', `${CHART}/web`],
      ['helm:web@values.yaml', 'helm', `${CHART}/web`],
    ],
  );
  assert.ok(list[0].files.includes(`${CHART}/web/templates/policy.yaml`));
});

test('--scope of a chart analyses its rendered objects (the values file decides)', { skip }, () => {
  const matrix = (scope: string) => runCli(['--helm', helm!, '--scope', scope, 'matrix', '--format', 'json', CHART]);
  const dev = matrix('helm:web@values.yaml');
  assert.equal(dev.status, 0, dev.stderr);
  const names = (out: string) => (JSON.parse(out) as { workloads: { name: string }[] }).workloads.map((w) => w.name);
  assert.deepEqual(names(dev.stdout), ['release-name-web'], 'the release name helm template gives');
  const prod = matrix('helm:web@values-prod.yaml');
  assert.equal(prod.status, 0, prod.stderr);
  assert.match(prod.stdout, /web-ingress/, 'the policy only prod values enable');
  assert.doesNotMatch(dev.stdout, /web-ingress/);
});

test('a finding in a rendered object lands on the template file, marked approximate', { skip }, () => {
  const r = runCli(['--helm', helm!, '--scope', 'helm:web@values-prod.yaml', 'lint', CHART]);
  assert.match(
    r.stdout,
    /test\/fixtures\/helm-scopes\/web\/templates\/policy\.yaml:7:3: .*selector-matches-nothing/,
    'the podSelector line of the template',
  );
  assert.match(r.stdout, /approximate/);
  assert.doesNotMatch(r.stdout, /netlens-scope:/);
  const dev = runCli(['--helm', helm!, '--scope', 'helm:web@values.yaml', 'lint', CHART]);
  assert.doesNotMatch(dev.stdout, /selector-matches-nothing/);
});

test('render --scope of a chart prints what helm template prints', { skip }, () => {
  const r = runCli(['--helm', helm!, '--scope', 'helm:web@values-prod.yaml', 'render', CHART]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /# Source: web\/templates\/policy\.yaml\napiVersion: networking\.k8s\.io\/v1/);
  assert.match(r.stdout, /replicas: 3/);
});
