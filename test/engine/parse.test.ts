import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseManifestFile } from '../../server/src/engine/parse/documents';
import { analyze } from '../../server/src/engine';
import { parseSourceFile } from '../../server/src/engine/parse/sourceFile';

test('multi-document YAML with `...` end markers and whitespace-only separators', () => {
  const text =
    'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n...\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b}\n---\n   \n---\napiVersion: v1\nkind: Service\nmetadata: {name: s}\n';
  const f = parseManifestFile('m.yaml', text);
  assert.deepEqual(
    f.objects.map((o) => `${o.kind}/${(o.node.get('metadata') as { get(k: string): unknown }).get('name')}`),
    ['Pod/a', 'Pod/b', 'Service/s'],
  );
  assert.deepEqual(f.skipped, []);
});

test('kind: List and typed lists whose items lack kind', () => {
  const text = JSON.stringify({
    apiVersion: 'v1',
    kind: 'PodList',
    items: [
      { metadata: { name: 'p1', namespace: 'x' }, spec: { containers: [] } },
      { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p2' } },
    ],
  });
  const m = analyze([
    { uri: 'pods.json', text },
    {
      uri: 'l.yaml',
      text: 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: y, labels: {team: a}}\n',
    },
  ]);
  assert.deepEqual(
    m.workloads.map((w) => w.id),
    ['x/p1[Pod]', 'default/p2[Pod]'],
  );
  assert.equal(m.namespaces.get('y')?.labels.team, 'a');
  assert.equal(m.namespaces.get('y')?.labels['kubernetes.io/metadata.name'], 'y');
});

test('Helm templates, non-Kubernetes documents and broken YAML are skipped with reasons', () => {
  const m = analyze([
    { uri: 'chart/templates/dep.yaml', text: 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n' },
    { uri: 'values.yaml', text: 'replicaCount: 1\nimage: nginx\n' },
    { uri: 'expected.json', text: '{"queries": []}' },
    { uri: 'broken.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [a\n' },
    { uri: 'ok.yaml', text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: fine\n' },
  ]);
  assert.deepEqual(
    m.workloads.map((w) => w.id),
    ['default/fine[Pod]'],
  );
  const reasons = new Map(m.skipped.map((s) => [s.uri, s.reason]));
  assert.match(reasons.get('chart/templates/dep.yaml')!, /Helm/);
  assert.match(reasons.get('values.yaml')!, /not a Kubernetes object/);
  assert.match(reasons.get('expected.json')!, /not a Kubernetes object/);
  assert.match(reasons.get('broken.yaml')!, /YAML errors/);
  const syntax = m.findings.find((f) => f.code === 'yaml-syntax');
  assert.ok(syntax, 'a syntax finding with a range');
  assert.equal(syntax.ref.uri, 'broken.yaml');
});

test('a ConfigMap holding template text is still read', () => {
  const m = analyze([
    { uri: 'cm.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: alerts}\ndata:\n  rule: "{{ $labels.instance }} down"\n' },
  ]);
  assert.equal(m.configMaps.length, 1);
  assert.equal(m.skipped.length, 0);
});

test('objects keep source ranges of their important nodes', () => {
  const text =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  containers:\n  - name: c\n    env:\n    - name: URL\n      value: http://api:80\n';
  const m = analyze([{ uri: 'p.yaml', text }]);
  const w = m.workloads[0];
  assert.equal(text.slice(w.ref.start, w.ref.end), 'web');
  const v = w.containers[0].values[0];
  assert.equal(v.where, 'env URL');
  assert.equal(text.slice(v.ref.start, v.ref.end), 'http://api:80');
  assert.equal(text.slice(w.labelsRef!.start, w.labelsRef!.end), 'labels: {app: web}');
});

test('invalid values become findings with a range, never exceptions', () => {
  const text = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: {name: bad}',
    'spec:',
    '  podSelector:',
    '    matchExpressions:',
    '    - {key: app, operator: Equals, values: [a]}',
    '  ingress:',
    '  - ports:',
    '    - port: 70000',
  ].join('\n');
  const m = analyze([{ uri: 'np.yaml', text }]);
  assert.equal(m.policies.length, 0, 'the API server would reject it');
  const messages = m.findings.map((f) => f.message).join('\n');
  assert.match(messages, /operator "Equals" is not valid/);
  assert.match(messages, /70000 is out of range/);
  const op = m.findings.find((f) => /Equals/.test(f.message))!;
  assert.equal(text.slice(op.ref.start, op.ref.end), 'Equals');
});

test('pods owned by a controller in the workspace fold into it', () => {
  const text = [
    'apiVersion: apps/v1',
    'kind: ReplicaSet',
    'metadata: {name: rs, namespace: n}',
    'spec:',
    '  template:',
    '    metadata: {labels: {app: a}}',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: rs-abcde',
    '  namespace: n',
    '  labels: {app: a}',
    '  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: rs, controller: true, uid: x}]',
    'status: {podIP: 10.0.0.5}',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: orphan-x',
    '  namespace: n',
    '  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: gone, controller: true, uid: y}]',
  ].join('\n');
  const m = analyze([{ uri: 'o.yaml', text }]);
  assert.deepEqual(
    m.workloads.map((w) => w.id),
    ['n/rs[ReplicaSet]', 'n/orphan-x[Pod]'],
  );
  assert.deepEqual(m.workloads[0].members, ['n/rs-abcde[Pod]']);
  assert.deepEqual(m.workloads[0].podIPs, ['10.0.0.5']);
});

test('policyTypes default as the API server sets them', () => {
  const np = (name: string, spec: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}}\nspec:\n${spec}\n---\n`;
  const m = analyze([
    {
      uri: 'p.yaml',
      text:
        np('a', '  podSelector: {}') +
        np('b', '  podSelector: {}\n  egress: [{}]') +
        np('c', '  podSelector: {}\n  egress: []') +
        np('d', '  podSelector: {}\n  policyTypes: [Ingress]\n  egress: [{}]'),
    },
  ]);
  const types = Object.fromEntries(m.policies.map((p) => [p.name, p.policyTypes.join('+')]));
  assert.deepEqual(types, { a: 'Ingress', b: 'Ingress+Egress', c: 'Ingress', d: 'Ingress' });
  assert.equal(m.policies.find((p) => p.name === 'd')!.ignoredRules.length, 1);
});

test('tabs that strict YAML rejects are read as spaces, as kubectl does, with a warning', () => {
  const text =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: tabbed\nspec:\n  containers:\n  - name: c\n    args: ["-jar",\n\t      "-Dlisten=8080"]\n';
  const m = analyze([{ uri: 't.yaml', text }]);
  assert.deepEqual(
    m.workloads.map((w) => w.id),
    ['default/tabbed[Pod]'],
  );
  assert.deepEqual(
    m.workloads[0].containers[0].values.map((v) => v.value),
    ['-jar', '-Dlisten=8080'],
  );
  const f = m.findings.find((x) => x.code === 'yaml-tabs');
  assert.ok(f);
  assert.equal(text.slice(f.ref.start, f.ref.end), '\t');
});

test('YAML aliases are resolved to the nodes they name', () => {
  const text =
    'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: a\n    labels: &l\n      app: web\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: b\n    labels: *l\n';
  const m = analyze([{ uri: 'a.yaml', text }]);
  assert.deepEqual(
    m.workloads.map((w) => w.labels),
    [{ app: 'web' }, { app: 'web' }],
  );
  assert.deepEqual(m.findings, []);
});

test('{{ … }} inside strings is data; outside strings, or in a chart template, it is a template', () => {
  const annotated = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: p',
    '  annotations: {hint: "{{ .Values.x }}", text: "a {{ $labels.pod }} b"}',
    'spec: {containers: [{name: c, image: i}]}',
    '',
  ].join('\n');
  const asData = parseSourceFile('pod.yaml', annotated);
  assert.deepEqual(asData.skipped, []);
  assert.equal(asData.objects.length, 1);
  // the same text as a file of a chart's templates/ folder: skipped, naming the chart
  const inChart = parseSourceFile('charts/shop/templates/pod.yaml', annotated, { chart: 'shop' });
  assert.equal(inChart.objects.length, 0);
  assert.match(inChart.skipped[0]?.reason ?? '', /template of the Helm chart shop/);
  // an action that builds the structure (a flow mapping for YAML) is a template, even though it parses
  const structural = parseSourceFile('d.yaml', 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Values.name }}\n');
  assert.equal(structural.objects.length, 0);
  assert.match(structural.skipped[0]?.reason ?? '', /Helm\/Go template/);
  // a commented-out action does not count either way
  const commented = parseSourceFile('c.yaml', '# {{ .Values.x }}\napiVersion: v1\nkind: Pod\nmetadata: {name: q}\n');
  assert.equal(commented.objects.length, 1);
});
