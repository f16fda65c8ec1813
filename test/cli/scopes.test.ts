// netlens scopes / render and the global --scope over examples/kustomize (a base and dev/prod overlays
// that differ in who reaches the database).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { repoRoot, runCli } from '../support/paths';
import { compareOutputs, findKubectl, INSTALL_SCRIPT, kubectlKustomize } from '../support/kustomize';

const DEMO = 'examples/kustomize';
const kubectl = findKubectl();

test('scopes: the two overlays as JSON {id, kind, root, files}; the base is not a scope', () => {
  const r = runCli(['scopes', DEMO]);
  assert.equal(r.status, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { id: string; kind: string; root: string; files: string[] }[];
  assert.deepEqual(
    list.map((s) => [s.id, s.kind, s.root]),
    [
      ['kustomize:overlays/dev', 'kustomize', `${DEMO}/overlays/dev`],
      ['kustomize:overlays/prod', 'kustomize', `${DEMO}/overlays/prod`],
    ],
  );
  assert.ok(list[0].files.includes(`${DEMO}/base/Corefile`), 'the generator input belongs to the scope');
  assert.ok(list[0].files.includes(`${DEMO}/overlays/dev/db-from-web.yaml`));
});

test('--scope: required among several scopes (exit 2, listing them); unknown ids are usage errors', () => {
  const r = runCli(['matrix', DEMO]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /several scopes here, name one with --scope: kustomize:overlays\/dev, kustomize:overlays\/prod/);
  const bad = runCli(['--scope', 'kustomize:nope', 'lint', DEMO]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /no scope "kustomize:nope"/);
});

test('global options may follow the command: `query --scope ID` answers as `--scope ID query`; twice is a usage error', () => {
  const args = ['--from', 'shop/web[Deployment]', '--to', 'db.shop', '--port', '5432', '--format', 'json', DEMO];
  const before = runCli(['--scope', 'kustomize:overlays/prod', 'query', ...args]);
  const after = runCli(['query', '--scope', 'kustomize:overlays/prod', ...args]);
  const afterEq = runCli(['query', ...args.slice(0, -1), '--scope=kustomize:overlays/prod', DEMO]);
  assert.equal(before.status, 3, before.stderr); // blocked in prod
  assert.equal(after.status, before.status, after.stderr);
  assert.equal(after.stdout, before.stdout);
  assert.equal(afterEq.stdout, before.stdout);
  const devAfter = runCli(['query', '--scope', 'kustomize:overlays/dev', ...args]);
  assert.equal(devAfter.status, 0, devAfter.stderr);
  const twice = runCli(['--scope', 'kustomize:overlays/dev', 'lint', '--scope', 'kustomize:overlays/prod', DEMO]);
  assert.equal(twice.status, 2);
  assert.match(twice.stderr, /--scope is given twice/);
  // after `--`, an argument is a PATH even when it looks like a global option
  const literal = runCli(['--scope', 'kustomize:overlays/dev', 'lint', '--', '--namespace']);
  assert.equal(literal.status, 2);
  assert.match(literal.stderr, /--namespace/);
});

test('the overlays give different reachability: web reaches db in dev, not in prod; places are the sources', () => {
  const q = (scope: string) =>
    runCli(['--scope', scope, 'query', '--from', 'shop/web[Deployment]', '--to', 'db.shop', '--port', '5432', '--format', 'json', DEMO]);
  const dev = q('kustomize:overlays/dev');
  assert.equal(dev.status, 0, dev.stderr);
  assert.match(dev.stdout, /"ALLOWED"|"allowed"/i);
  const prod = q('kustomize:overlays/prod');
  assert.equal(prod.status, 3, prod.stdout);
  const text = runCli([
    '--scope',
    'kustomize:overlays/dev',
    'query',
    '--from',
    'shop/web[Deployment]',
    '--to',
    'db.shop',
    '--port',
    '5432',
    DEMO,
  ]);
  assert.match(text.stdout, /examples\/kustomize\/overlays\/dev\/db-from-web\.yaml:\d+:\d+/, 'the allowing rule is in the patch');
  assert.doesNotMatch(text.stdout, /netlens-scope:/);
});

test('lint in a scope: clean demo, and findings of rendered objects point at source files', () => {
  for (const scope of ['kustomize:overlays/dev', 'kustomize:overlays/prod']) {
    const r = runCli(['--scope', scope, 'lint', DEMO]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /netlens-scope:/);
  }
});

for (const overlay of ['dev', 'prod'])
  test(
    `render --scope kustomize:overlays/${overlay}: what kubectl kustomize prints`,
    {
      skip: kubectl ? false : `kubectl not found: run ${INSTALL_SCRIPT}`,
    },
    () => {
      const r = runCli(['--scope', `kustomize:overlays/${overlay}`, 'render', DEMO]);
      assert.equal(r.status, 0, r.stderr);
      const want = kubectlKustomize(kubectl!, path.join(repoRoot(), DEMO, 'overlays', overlay));
      assert.ok(want.ok, want.stderr);
      assert.deepEqual(compareOutputs(want.stdout, r.stdout), []);
      assert.equal(r.stdout, want.stdout, 'byte for byte');
    },
  );
