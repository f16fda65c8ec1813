// The Kustomize renderer: each fixture under test/fixtures/kustomize renders object for object as
// `kubectl kustomize` does (skipped with a message when kubectl is missing), plus the behaviour that
// needs no kubectl: known generator hashes, origins, and findings (never exceptions) on bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { newRenderMemo, renderKustomization } from '../../server/src/engine/kustomize';
import { fixturePath } from '../support/paths';
import {
  KUSTOMIZE_ROOTS,
  compareOutputs,
  diskFs,
  findKubectl,
  INSTALL_SCRIPT,
  kubectlKustomize,
  memoryFs,
  parseStream,
  printLikeKubectl,
} from '../support/kustomize';

const kubectl = findKubectl();
const skipReason = kubectl ? false : `kubectl not found: run ${INSTALL_SCRIPT} (or set KUBECTL) to compare with kubectl kustomize`;
if (!kubectl) console.log(`# ${skipReason}`);

/** one memo for all fixtures, as a render cache shares it across scopes */
const memo = newRenderMemo();

for (const root of KUSTOMIZE_ROOTS) {
  test(`kustomize ${root}: NetLens renders what kubectl kustomize renders`, { skip: skipReason }, () => {
    const dir = fixturePath('kustomize', root);
    const want = kubectlKustomize(kubectl!, dir);
    assert.ok(want.ok, `kubectl kustomize ${root} failed: ${want.stderr}`);
    const result = renderKustomization(diskFs, dir);
    assert.deepEqual(
      result.findings.filter((f) => f.severity === 'error').map((f) => f.message),
      [],
    );
    assert.deepEqual(compareOutputs(want.stdout, printLikeKubectl(result)), []);
    // the incremental render (kustomize/steps.ts, with a memo) too
    assert.deepEqual(compareOutputs(want.stdout, printLikeKubectl(renderKustomization(diskFs, dir, memo))), []);
  });
}

function render(files: Record<string, string>, dir = '/app') {
  return renderKustomization(memoryFs(files), dir);
}

function objects(files: Record<string, string>, dir = '/app') {
  return parseStream(printLikeKubectl(render(files, dir)));
}

test('generated names carry the hash kubectl gives them (cm-4h2mbtbbt6 for literal a=b), references follow', () => {
  const out = objects({
    '/app/kustomization.yaml': 'namePrefix: p-\nresources: [pod.yaml]\nconfigMapGenerator:\n- name: cm\n  literals: [a=b]\n',
    '/app/pod.yaml':
      'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  containers:\n  - name: c\n    image: i\n    envFrom: [{configMapRef: {name: cm}}]\n',
  });
  // the hash ignores the name (kustomize hashes an empty name), so the prefix keeps it
  assert.deepEqual(
    out.map((o) => (o.metadata as { name: string }).name),
    ['p-cm-4h2mbtbbt6', 'p-x'],
  );
  const pod = out[1] as { spec: { containers: { envFrom: { configMapRef: { name: string } }[] }[] } };
  assert.equal(pod.spec.containers[0].envFrom[0].configMapRef.name, 'p-cm-4h2mbtbbt6');
});

test('origins name the resource file, the kustomizations it passed through and the patches applied', () => {
  const base = fixturePath('kustomize', 'overlays', 'base');
  const prod = fixturePath('kustomize', 'overlays', 'prod');
  const result = renderKustomization(diskFs, prod);
  const byName = new Map(result.objects.map((o) => [(parseStream(o.yaml)[0].metadata as { name: string }).name, o.origin] as const));
  const policy = byName.get('backend-from-frontend-prod')!;
  assert.equal(policy.file, path.join(base, 'policies.yaml'));
  assert.equal(policy.index, 1);
  assert.deepEqual(policy.kustomizations, [path.join(base, 'kustomization.yaml'), path.join(prod, 'kustomization.yaml')]);
  assert.deepEqual(policy.patches, [`${path.join(prod, 'kustomization.yaml')}#patches[0]`]);
  const deny = byName.get('default-deny-prod')!;
  assert.deepEqual(deny.patches, [path.join(prod, 'default-deny-egress.yaml')]);
  const config = [...byName.entries()].find(([n]) => n.startsWith('backend-config-prod-'))![1];
  assert.equal(config.generator, 'configMapGenerator');
  assert.equal(config.file, path.join(base, 'kustomization.yaml'));
});

test('the dev and prod overlays of one base differ in their NetworkPolicies', () => {
  const policies = (overlay: string) =>
    parseStream(printLikeKubectl(renderKustomization(diskFs, fixturePath('kustomize', 'overlays', overlay))))
      .filter((o) => o.kind === 'NetworkPolicy')
      .map((o) => `${(o.metadata as { namespace: string }).namespace}/${(o.metadata as { name: string }).name}`);
  assert.deepEqual(policies('dev'), ['shop-dev/dev-allow-debugger', 'shop-dev/dev-backend-from-frontend']);
  assert.deepEqual(policies('prod'), [
    'shop-prod/allow-dns-and-backend-prod',
    'shop-prod/backend-from-frontend-prod',
    'shop-prod/default-deny-prod',
  ]);
});

test('commonLabels reach NetworkPolicy podSelectors and their peers, not namespaceSelectors', () => {
  const [policy] = objects({
    '/app/kustomization.yaml': 'commonLabels: {team: a}\nresources: [np.yaml]\n',
    '/app/np.yaml':
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np}\nspec:\n  podSelector: {matchLabels: {app: db}}\n  ingress:\n  - from:\n    - podSelector: {matchLabels: {app: api}}\n    - namespaceSelector: {matchLabels: {env: x}}\n',
  });
  const spec = policy.spec as { podSelector: unknown; ingress: { from: unknown[] }[] };
  assert.deepEqual(spec.podSelector, { matchLabels: { app: 'db', team: 'a' } });
  assert.deepEqual(spec.ingress[0].from, [
    { podSelector: { matchLabels: { app: 'api', team: 'a' } } },
    { namespaceSelector: { matchLabels: { env: 'x' } } },
  ]);
});

test('remote bases, Helm charts and KRM functions are not run: a warning on their line, the rest renders', () => {
  const files: Record<string, string> = {
    '/app/kustomization.yaml':
      'resources:\n- https://github.com/example/repo//base?ref=v1\n- cm.yaml\nhelmCharts:\n- name: redis\ntransformers:\n- fn.yaml\n',
    '/app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\n',
    '/app/fn.yaml':
      'apiVersion: example.com/v1\nkind: SetLabels\nmetadata:\n  name: fn\n  annotations:\n    config.kubernetes.io/function: "container: {image: x}"\n',
  };
  const result = render(files);
  assert.equal(result.objects.length, 1);
  const messages = result.findings.map((f) => `${f.code} ${f.severity} ${files[f.ref.uri].slice(f.ref.start, f.ref.end)}`);
  assert.deepEqual(messages, [
    'kustomize-unsupported warning helmCharts',
    'kustomize-unsupported warning https://github.com/example/repo//base?ref=v1',
    'kustomize-unsupported warning fn.yaml',
  ]);
});

test('errors are findings on the kustomization line that caused them, never exceptions', () => {
  const files: Record<string, string> = {
    '/app/kustomization.yaml':
      'resources:\n- missing.yaml\n- bad.yaml\n- ../loop\n- cm.yaml\npatchesStrategicMerge:\n- |-\n  apiVersion: v1\n  kind: Service\n  metadata: {name: nothing}\npatchesJson6902:\n- target: {kind: ConfigMap, name: cm}\n  patch: "[{op: remove, path: /data/nope}]"\ncomponents:\n- ../notcomponent\n',
    '/app/bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm\n',
    '/app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm}\ndata: {a: b}\n',
    '/loop/kustomization.yaml': 'resources:\n- ../loop\n',
    '/notcomponent/kustomization.yaml': 'resources: []\n',
  };
  const result = render(files);
  const at = result.findings.map((f) => [f.severity, files[f.ref.uri].slice(f.ref.start, f.ref.end).split('\n')[0]]);
  assert.deepEqual(at, [
    ['error', 'missing.yaml'],
    ['error', 'bad.yaml'],
    ['error', '../loop'],
    ['error', '../notcomponent'],
    ['error', '|-'],
    ['error', 'target: {kind: ConfigMap, name: cm}'],
  ]);
  assert.ok(result.findings.every((f) => f.code === 'kustomize-error'));
});

test('a directory without a kustomization, and garbage kustomizations, give findings', () => {
  assert.match(render({ '/app/x.yaml': 'a: 1' }).findings[0].message, /unable to find one of 'kustomization.yaml'/);
  for (const text of [
    '- a\n- b\n',
    'resources: 5\nnamespace: [x]\n',
    'resources: [\n',
    '\u0000\u0001',
    'patches: [1, {path: 3}]\nimages: [5]\nreplicas: [x]\n',
  ]) {
    const r = render({ '/app/kustomization.yaml': text });
    assert.ok(Array.isArray(r.objects) && Array.isArray(r.findings), JSON.stringify(text));
  }
});
