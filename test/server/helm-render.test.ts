// renderHelmChart runs the real helm over small charts written here: a plain chart with a prod values
// file, a missing and a vendored dependency, a template error, an untrusted workspace, no helm, the
// output cap, and the cache (memory and disk). Tests that run helm skip without one (test/support/helm.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { HelmRenderCache, helmRendererFor, renderHelmChart, type HelmRenderResult } from '../../server/src/render/helmRender';
import { findHelm } from '../../server/src/render/helmBinary';
import { missingDependencies } from '../../server/src/render/chartFiles';
import { helmTestGate } from '../support/helm';

const { helm, skip } = helmTestGate('helm-render.test');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'netlens-helm-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

let charts = 0;
/** Writes a chart (files relative to its folder) into a fresh folder and returns that folder. */
function chart(files: Record<string, string>): string {
  const dir = path.join(scratch, `chart${++charts}`, 'web');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const CHART_YAML = 'apiVersion: v2\nname: web\nversion: 0.1.0\n';
const WEB = {
  'Chart.yaml': CHART_YAML,
  'values.yaml': 'port: 8080\npolicy:\n  enabled: false\n',
  'values-prod.yaml': 'port: 9090\npolicy:\n  enabled: true\n',
  'templates/deployment.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: {{ .Release.Name }}-web',
    '  namespace: {{ .Release.Namespace }}',
    'spec:',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    '      containers:',
    '      - name: web',
    '        image: nginx',
    '        ports: [{containerPort: {{ .Values.port }}}]',
    '',
  ].join('\n'),
  'templates/policy.yaml': [
    '{{- if .Values.policy.enabled }}',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: {name: {{ .Release.Name }}-web-ingress}',
    'spec:',
    '  podSelector: {matchLabels: {app: web}}',
    '  ingress: [{ports: [{port: {{ .Values.port }}}]}]',
    '{{- end }}',
    '',
  ].join('\n'),
};

type Obj = { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> };
function objects(r: HelmRenderResult): Obj[] {
  assert.ok(r.ok, `rendered: ${r.ok ? '' : `${r.code}: ${r.message}`}`);
  return parseAllDocuments(r.yaml)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => !!o);
}
const containerPort = (o: Obj) =>
  (o.spec as { template: { spec: { containers: { ports: { containerPort: number }[] }[] } } }).template.spec.containers[0].ports[0]
    .containerPort;

test('a chart renders with its values.yaml, and with values-prod.yaml the prod objects', { skip }, async () => {
  const dir = chart(WEB);
  const dev = objects(await renderHelmChart({ chartDir: dir, helmPath: helm, trusted: true, cache: new HelmRenderCache() }));
  assert.deepEqual(
    dev.map((o) => `${o.kind} ${o.metadata.name}`),
    ['Deployment release-name-web'],
  );
  assert.equal(containerPort(dev[0]), 8080);
  const prod = objects(
    await renderHelmChart({
      chartDir: dir,
      valuesFile: path.join(dir, 'values-prod.yaml'),
      helmPath: helm,
      trusted: true,
      releaseName: 'shop',
      namespace: 'prod',
      cache: new HelmRenderCache(),
    }),
  );
  assert.deepEqual(prod.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`).sort(), [
    'Deployment prod/shop-web',
    'NetworkPolicy /shop-web-ingress',
  ]);
  assert.equal(containerPort(prod.find((o) => o.kind === 'Deployment')!), 9090);
});

test('a dependency missing from charts/ is reported without running helm; a vendored one renders', async (t) => {
  const deps = 'dependencies:\n- name: redis\n  version: 1.2.3\n  repository: https://charts.example.com\n';
  const missing = chart({ ...WEB, 'Chart.yaml': CHART_YAML + deps });
  // helm is not even looked for: a helm path that does not exist still gives the dependency finding
  const r = await renderHelmChart({ chartDir: missing, helmPath: path.join(scratch, 'no-helm'), trusted: true });
  assert.equal(r.ok, false);
  assert.equal(!r.ok && r.code, 'helm-dependency-missing');
  assert.match(!r.ok ? r.message : '', /"redis" 1\.2\.3.*charts\/.*helm dependency build/);
  assert.deepEqual(
    missingDependencies(chart({ ...WEB, 'Chart.yaml': CHART_YAML + deps, 'charts/redis-1.2.3.tgz': 'archive' })).map((d) => d.name),
    [],
  );

  await t.test('vendored as a folder under another folder name', { skip }, async () => {
    const vendored = chart({
      ...WEB,
      'Chart.yaml': CHART_YAML + deps,
      'charts/cache/Chart.yaml': 'apiVersion: v2\nname: redis\nversion: 1.2.3\n',
      'charts/cache/templates/svc.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: redis}\nspec: {ports: [{port: 6379}]}\n',
    });
    const objs = objects(await renderHelmChart({ chartDir: vendored, helmPath: helm, trusted: true, cache: new HelmRenderCache() }));
    assert.deepEqual(objs.map((o) => `${o.kind} ${o.metadata.name}`).sort(), ['Deployment release-name-web', 'Service redis']);
  });
});

test("a template error is helm-error with helm's message", { skip }, async () => {
  const dir = chart({
    ...WEB,
    'templates/image.yaml':
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: img}\ndata: {tag: {{ required "imageTag is required" .Values.imageTag | quote }}}\n',
  });
  const r = await renderHelmChart({ chartDir: dir, helmPath: helm, trusted: true, cache: new HelmRenderCache() });
  assert.equal(!r.ok && r.code, 'helm-error');
  assert.match(!r.ok ? r.message : '', /imageTag is required/);
  assert.doesNotMatch(!r.ok ? r.message : '', /^Error:|--debug/);
  // a values file that supplies it fixes it
  writeFileSync(path.join(dir, 'values-ok.yaml'), 'imageTag: "1.0"\n');
  const ok = await renderHelmChart({ chartDir: dir, valuesFile: path.join(dir, 'values-ok.yaml'), helmPath: helm, trusted: true });
  assert.ok(objects(ok).some((o) => o.kind === 'ConfigMap'));
});

test('an untrusted workspace never runs helm: helm-untrusted', async () => {
  const r = await renderHelmChart({ chartDir: chart(WEB), helmPath: helm ?? '/bin/false', trusted: false });
  assert.equal(!r.ok && r.code, 'helm-untrusted');
  assert.match(!r.ok ? r.message : '', /trusted/);
  const viaSettings = await helmRendererFor({ helmPath: helm, trusted: false })(chart(WEB));
  assert.equal(!viaSettings.ok && viaSettings.code, 'helm-untrusted');
});

test('without helm: helm-not-found, naming the setting', async () => {
  const r = await renderHelmChart({ chartDir: chart(WEB), helmPath: path.join(scratch, 'nowhere', 'helm'), trusted: true });
  assert.equal(!r.ok && r.code, 'helm-not-found');
  assert.match(!r.ok ? r.message : '', /netlens\.helm\.path/);
  const onPath = findHelm(undefined, { PATH: path.join(scratch, 'empty-bin') });
  assert.equal(onPath.ok, false);
  assert.match(!onPath.ok ? onPath.message : '', /not found on PATH.*netlens\.helm\.path/);
  // an executable that is not helm
  const notHelm = path.join(scratch, 'not-helm.sh');
  writeFileSync(notHelm, '#!/bin/sh\nexit 3\n', { mode: 0o755 });
  const r2 = await renderHelmChart({ chartDir: chart(WEB), helmPath: notHelm, trusted: true });
  assert.equal(!r2.ok && r2.code, 'helm-not-found');
});

test('helm is found on PATH when the setting is empty', { skip }, () => {
  const found = findHelm('', { PATH: `${path.join(scratch, 'empty-bin')}${path.delimiter}${path.dirname(helm!)}` });
  assert.deepEqual(found, { ok: true, path: helm });
});

test('output beyond the cap and a cancelled render stop with helm-error', { skip }, async () => {
  const dir = chart(WEB);
  const capped = await renderHelmChart({ chartDir: dir, helmPath: helm, trusted: true, maxOutputBytes: 100, cache: new HelmRenderCache() });
  assert.equal(!capped.ok && capped.code, 'helm-error');
  assert.match(!capped.ok ? capped.message : '', /printed more than 1 KB/);
  const ac = new AbortController();
  ac.abort();
  const cancelled = await renderHelmChart({
    chartDir: dir,
    helmPath: helm,
    trusted: true,
    signal: ac.signal,
    cache: new HelmRenderCache(),
  });
  assert.equal(!cancelled.ok && cancelled.code, 'helm-error');
  assert.match(!cancelled.ok ? cancelled.message : '', /cancelled/);
  // neither was remembered: the next render succeeds
  assert.ok((await renderHelmChart({ chartDir: dir, helmPath: helm, trusted: true })).ok);
});

test('bad input: a missing chart folder or a broken Chart.yaml is helm-error, never a throw', { skip }, async () => {
  const gone = await renderHelmChart({ chartDir: path.join(scratch, 'no-such-chart'), helmPath: helm, trusted: true });
  assert.equal(!gone.ok && gone.code, 'helm-error');
  const broken = await renderHelmChart({ chartDir: chart({ ...WEB, 'Chart.yaml': 'name: [unclosed\n' }), helmPath: helm, trusted: true });
  assert.equal(!broken.ok && broken.code, 'helm-error');
  for (const releaseName of ['--post-renderer=/bin/sh', 'Upper', 'x'.repeat(54)]) {
    const r = await renderHelmChart({ chartDir: chart(WEB), releaseName, helmPath: helm, trusted: true });
    assert.equal(!r.ok && r.code, 'helm-error', releaseName);
    assert.match(!r.ok ? r.message : '', /not a valid Helm release name/);
  }
  const dashNamespace = await renderHelmChart({ chartDir: chart(WEB), namespace: '-n', helmPath: helm, trusted: true });
  assert.ok(!dashNamespace.ok || dashNamespace.yaml.includes('namespace: -n'), 'a namespace is never read as a flag');
  const fifoChart = chart(WEB);
  if (process.platform !== 'win32' && spawnSync('mkfifo', [path.join(fifoChart, 'values-fifo.yaml')]).status === 0) {
    const fifo = await renderHelmChart({
      chartDir: fifoChart,
      valuesFile: path.join(fifoChart, 'values-fifo.yaml'),
      helmPath: helm,
      trusted: true,
    });
    assert.match(!fifo.ok ? fifo.message : '', /not a regular file/);
  }
  const noValues = await renderHelmChart({
    chartDir: chart(WEB),
    valuesFile: path.join(scratch, 'none.yaml'),
    helmPath: helm,
    trusted: true,
  });
  assert.equal(!noValues.ok && noValues.code, 'helm-error');
  assert.match(!noValues.ok ? noValues.message : '', /cannot be read/);
});

test('renders are cached by chart files and values; the disk cache serves a new process', { skip }, async () => {
  const dir = chart(WEB);
  const cacheDir = path.join(scratch, 'cache');
  const render = (cache: HelmRenderCache, valuesFile?: string) =>
    renderHelmChart({ chartDir: dir, helmPath: helm, trusted: true, cache, ...(valuesFile ? { valuesFile } : {}) });
  const first = new HelmRenderCache({ dir: cacheDir });
  const a = await render(first);
  assert.ok(a.ok);
  const files = readdirSync(cacheDir).filter((f) => f.endsWith('.yaml'));
  assert.equal(files.length, 1);
  // a fresh cache over the same folder answers from disk: proven by a render helm would never print
  writeFileSync(path.join(cacheDir, files[0]), '# from the disk cache\n');
  const second = new HelmRenderCache({ dir: cacheDir });
  assert.deepEqual(await render(second), { ok: true, yaml: '# from the disk cache\n' });
  // an edit to a template, or another values file, is a new key: helm runs again
  writeFileSync(
    path.join(dir, 'templates', 'deployment.yaml'),
    WEB['templates/deployment.yaml'].replace('image: nginx', 'image: nginx:1.27'),
  );
  const edited = await render(second);
  assert.ok(edited.ok && edited.yaml.includes('nginx:1.27'));
  const prod = await render(second, path.join(dir, 'values-prod.yaml'));
  assert.ok(prod.ok && prod.yaml.includes('NetworkPolicy'));
  assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.yaml')).length, 3);
  assert.ok(!existsSync(path.join(cacheDir, 'tmp')));
});

test('helmRendererFor binds the settings and shares one cache per folder', { skip }, async () => {
  const dir = chart(WEB);
  const cacheDir = path.join(scratch, 'shared-cache');
  const render = helmRendererFor({ helmPath: helm, trusted: true, cacheDir });
  const r = await render(dir, path.join(dir, 'values-prod.yaml'), { namespace: 'prod' });
  assert.deepEqual(
    objects(r)
      .map((o) => o.kind)
      .sort(),
    ['Deployment', 'NetworkPolicy'],
  );
  assert.equal(readdirSync(cacheDir).length, 1);
  assert.deepEqual(
    await helmRendererFor({ helmPath: helm, trusted: true, cacheDir })(dir, path.join(dir, 'values-prod.yaml'), { namespace: 'prod' }),
    r,
  );
});
