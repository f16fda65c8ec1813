// Analysis scopes: detection (overlays, charts x values files, loose files), choosing one, the render
// cache (an edit re-renders only the scopes that read the file), Helm through a plugged-in renderer,
// and findings of rendered objects mapped to the file, patch or kustomization line they came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { lintModel } from '../../server/src/engine/lint';
import {
  chooseScope,
  detectScopes,
  HELM_NOT_RENDERED,
  KustomizeRenderCache,
  viewScope,
  type HelmRenderer,
  type ScopeInput,
} from '../../server/src/engine/scopes';
import { memoryFs } from '../support/kustomize';

const DEPLOY = (name: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: shop
spec:
  selector:
    matchLabels:
      app: ${name}
  template:
    metadata:
      labels:
        app: ${name}
    spec:
      containers:
        - name: c
          image: example.com/${name}
          ports:
            - containerPort: 8080
`;

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-ingress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: db
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: api
`;

function workspace(): Record<string, string> {
  return {
    'ws/base/kustomization.yaml': 'resources:\n  - web.yaml\n  - db.yaml\n  - policy.yaml\n',
    'ws/base/web.yaml': DEPLOY('web'),
    'ws/base/db.yaml': DEPLOY('db'),
    'ws/base/policy.yaml': POLICY,
    'ws/components/extra/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - api.yaml\n',
    'ws/components/extra/api.yaml': DEPLOY('api'),
    'ws/overlays/dev/kustomization.yaml':
      'resources:\n  - ../../base\ncomponents:\n  - ../../components/extra\npatches:\n  - path: web-port.yaml\n',
    'ws/overlays/dev/web-port.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  template:\n    spec:\n      containers:\n        - name: c\n          ports:\n            - containerPort: 99999\n',
    'ws/overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\ncommonLabels:\n  env: prod\n',
    'ws/charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    'ws/charts/web/values.yaml': 'replicas: 1\n',
    'ws/charts/web/values-prod.yaml': 'replicas: 3\n',
    'ws/charts/web/templates/deploy.yaml': 'kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n',
    'ws/loose/pod.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: lone\nspec:\n  containers:\n    - name: c\n',
  };
}

function inputOf(files: Record<string, string>): ScopeInput {
  return {
    files: Object.entries(files).map(([p, text]) => ({ path: '/' + p, uri: 'file:///' + p, text })),
    fs: memoryFs(files),
    roots: ['/ws'],
    uriOf: (p) => 'file://' + p,
  };
}

test('scopes: each overlay no kustomization includes, each chart x values file, and the loose files', () => {
  const withHelm = detectScopes(inputOf(workspace()), new KustomizeRenderCache(), { helm: true });
  assert.deepEqual(
    withHelm.map((s) => [s.id, s.kind]),
    [
      ['kustomize:overlays/dev', 'kustomize'],
      ['kustomize:overlays/prod', 'kustomize'],
      ['helm:charts/web@values-prod.yaml', 'helm'],
      ['helm:charts/web@values.yaml', 'helm'],
      ['loose', 'loose'],
    ],
  );
  const dev = withHelm.find((s) => s.id === 'kustomize:overlays/dev')!;
  assert.ok(dev.files.includes('/ws/components/extra/api.yaml'), 'a component is part of the overlay');
  assert.ok(dev.files.includes('/ws/overlays/dev/web-port.yaml'), 'a patch is part of the overlay');
  assert.ok(!dev.files.includes('/ws/overlays/prod/kustomization.yaml'));
  assert.deepEqual(withHelm.find((s) => s.id === 'loose')!.files, ['/ws/loose/pod.yaml']);
  // without a Helm renderer the chart's files stay loose manifests (read as before: templates skipped)
  const noHelm = detectScopes(inputOf(workspace()), new KustomizeRenderCache(), { helm: false });
  assert.ok(noHelm.find((s) => s.id === 'loose')!.files.includes('/ws/charts/web/templates/deploy.yaml'));
});

test('values file names: values.yaml, values-*.yaml, *.values.yaml', async () => {
  const { isValuesFile } = await import('../../server/src/engine/scopes');
  for (const n of ['values.yaml', 'values.yml', 'values-prod.yaml', 'prod.values.yaml']) assert.ok(isValuesFile(n), n);
  for (const n of ['myvalues.yaml', 'values.json', 'Chart.yaml', 'values-.txt']) assert.ok(!isValuesFile(n), n);
});

test('choosing a scope: the one named, else the only analysable one, else an error listing them', () => {
  const scopes = detectScopes(inputOf(workspace()), new KustomizeRenderCache(), { helm: false });
  assert.equal((chooseScope(scopes, 'kustomize:overlays/prod', false) as { id: string }).id, 'kustomize:overlays/prod');
  const many = chooseScope(scopes, undefined, false);
  assert.ok('error' in many);
  assert.match(many.error, /kustomize:overlays\/dev, kustomize:overlays\/prod, loose/);
  assert.doesNotMatch(many.error, /helm:/, 'charts that cannot be rendered are not candidates');
  const missing = chooseScope(scopes, 'nope', false);
  assert.ok('error' in missing && /no scope "nope"/.test(missing.error));
  const only = detectScopes(inputOf({ 'ws/a.yaml': DEPLOY('a') }), new KustomizeRenderCache(), { helm: false });
  assert.equal((chooseScope(only, undefined, false) as { id: string }).id, 'loose');
});

test('render cache: an edit re-renders only the overlays that read the file', () => {
  const files = workspace();
  const cache = new KustomizeRenderCache();
  const input = () => inputOf(files);
  // detection itself renders nothing (it scans the kustomization files); render: true renders every kustomization
  detectScopes(input(), cache, { helm: false });
  assert.equal(cache.renders, 0);
  detectScopes(input(), cache, { helm: false, render: true });
  const first = cache.renders;
  assert.equal(first, 4, 'base, component, dev, prod');
  detectScopes(input(), cache, { helm: false, render: true });
  assert.equal(cache.renders, first, 'nothing changed: nothing re-rendered');
  files['ws/overlays/dev/web-port.yaml'] = files['ws/overlays/dev/web-port.yaml'].replace('99999', '8081');
  detectScopes(input(), cache, { helm: false, render: true });
  assert.equal(cache.renders, first + 1, 'only dev read the patch');
  files['ws/base/db.yaml'] = DEPLOY('db').replace('8080', '5432');
  detectScopes(input(), cache, { helm: false, render: true });
  assert.equal(cache.renders, first + 4, 'base, dev and prod read the base file; the component does not');
});

test('findings of a rendered overlay land on the patch that set the field, the base file, or the kustomization line', async () => {
  const input = inputOf(workspace());
  const cache = new KustomizeRenderCache();
  const scopes = detectScopes(input, cache, { helm: false });
  const dev = await viewScope(
    scopes.find((s) => s.id === 'kustomize:overlays/dev')!,
    input,
    cache,
    undefined,
  );
  assert.deepEqual(dev.findings, []);
  const model = analyze(dev.sources);
  const mapped = lintModel(model).map((f) => dev.origins!.mapFinding(f));
  const port = mapped.find((f) => f.message.includes('99999'));
  assert.ok(port, JSON.stringify(model.findings));
  assert.equal(port.ref.uri, 'file:///ws/overlays/dev/web-port.yaml');
  const patchText = workspace()['ws/overlays/dev/web-port.yaml'];
  assert.equal(patchText.slice(port.ref.start, port.ref.end), '99999');

  // a field of the base: the base file's own range
  const o = dev.origins!;
  const rendered = dev.sources[0].text;
  const at = rendered.indexOf('example.com/db');
  const ref = o.map({ uri: dev.sources[0].uri, start: at, end: at + 'example.com/db'.length });
  assert.equal(ref.uri, 'file:///ws/base/db.yaml');
  assert.equal(workspace()['ws/base/db.yaml'].slice(ref.start, ref.end), 'example.com/db');
  assert.equal(ref.approximate, undefined);

  // a label commonLabels added (also to the policy's podSelector): the kustomization's line
  const prod = await viewScope(
    scopes.find((s) => s.id === 'kustomize:overlays/prod')!,
    input,
    cache,
    undefined,
  );
  const ptext = prod.sources[0].text;
  const sel = ptext.indexOf('env: prod', ptext.indexOf('podSelector'));
  const lab = prod.origins!.map({ uri: prod.sources[0].uri, start: sel, end: sel + 3 });
  assert.equal(lab.uri, 'file:///ws/overlays/prod/kustomization.yaml');
  assert.equal(workspace()['ws/overlays/prod/kustomization.yaml'].slice(lab.start, lab.end), 'env');
});

test('Helm scopes: one clear finding without a renderer; a plugged-in renderer gives the objects', async () => {
  const input = inputOf(workspace());
  const cache = new KustomizeRenderCache();
  const scopes = detectScopes(input, cache, { helm: true });
  const chart = scopes.find((s) => s.id === 'helm:charts/web@values-prod.yaml')!;
  const none = await viewScope(chart, input, cache, undefined);
  assert.equal(none.sources.length, 0);
  assert.deepEqual(
    none.findings.map((f) => [f.code, f.ref.uri]),
    [[HELM_NOT_RENDERED, 'file:///ws/charts/web/Chart.yaml']],
  );
  assert.match(none.findings[0].message, /^Helm chart not rendered: /);
  const asked: unknown[] = [];
  const renderer: HelmRenderer = (req) => {
    asked.push(req);
    return {
      objects: [
        {
          yaml: DEPLOY('web-prod'),
          origin: { uri: 'file:///ws/charts/web/templates/deploy.yaml', index: 0, kustomizations: [], patches: [] },
        },
      ],
      findings: [],
    };
  };
  const view = await viewScope(chart, input, cache, renderer);
  assert.deepEqual(asked, [{ scopeId: chart.id, chart: '/ws/charts/web', values: '/ws/charts/web/values-prod.yaml' }]);
  assert.deepEqual(
    analyze(view.sources).workloads.map((w) => w.name),
    ['web-prod'],
  );
  const failing = await viewScope(chart, input, cache, () => {
    throw new Error('helm: missing dependency');
  });
  assert.match(failing.findings[0].message, /Helm chart not rendered: helm: missing dependency/);
});

test('bad kustomizations never throw: the scope holds the renderer findings', async () => {
  const files = { 'ws/k/kustomization.yaml': 'resources: [missing.yaml]\npatches: {oops: 1}\n', 'ws/k/x.yaml': ': : :' };
  const input = inputOf(files);
  const cache = new KustomizeRenderCache();
  const scopes = detectScopes(input, cache, { helm: false });
  const view = await viewScope(scopes[0], input, cache, undefined);
  assert.ok(view.findings.length > 0);
  assert.ok(view.findings.every((f) => f.ref.uri.startsWith('file:///ws/k/')));
});
