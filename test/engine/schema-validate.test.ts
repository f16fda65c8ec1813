// Schema validation of the core kinds (server/src/engine/schema): unknown fields with a suggestion and
// its quick fix, wrong types, what must not be flagged, and that the generated schema is current.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../../server/src/engine';
import { lintModel } from '../../server/src/engine/lint';
import { fixesFor } from '../../server/src/engine/lint/fixes';
import { suggestName } from '../../server/src/engine/schema/suggest';
import { SCHEMA_SOURCE } from '../../server/src/engine/schema/types';
import type { Finding, Model } from '../../server/src/engine/model/types';
import { fixturePath, repoRoot } from '../support/paths';

const SCHEMA_CODES = new Set(['unknown-field', 'wrong-type']);

interface Linted {
  uri: string;
  text: string;
  model: Model;
  findings: Finding[];
}

function lint(uri: string, text: string): Linted {
  const model = analyze([{ uri, text }]);
  return { uri, text, model, findings: lintModel(model) };
}

function lintFixture(file: string): Linted {
  return lint(`test/fixtures/schema/${file}`, readFileSync(fixturePath('schema', file), 'utf8'));
}

/** The schema findings as [code, text of the range] pairs. */
function schemaFindings(l: Linted): [string, string][] {
  return l.findings.filter((f) => SCHEMA_CODES.has(f.code)).map((f) => [f.code, l.text.slice(f.ref.start, f.ref.end)]);
}

function applyFix(l: Linted, f: Finding): string {
  const fixes = fixesFor(f, { model: l.model, text: (u) => (u === l.uri ? l.text : undefined) });
  assert.equal(fixes.length, 1, `one fix for ${f.message}`);
  let text = l.text;
  for (const e of [...fixes[0].edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
  return text;
}

test('podSelecter in a NetworkPolicy spec: an error on the key, suggesting podSelector', () => {
  const l = lintFixture('typos.yaml');
  const f = l.findings.find((x) => x.code === 'unknown-field')!;
  assert.equal(l.text.slice(f.ref.start, f.ref.end), 'podSelecter');
  assert.equal(f.severity, 'error');
  assert.match(f.message, /unknown field "podSelecter" in spec \(NetworkPolicySpec\); did you mean "podSelector"\?/);
  assert.match(f.message, /selects every pod of its namespace/);
  assert.deepEqual(f.data, { field: 'podSelecter', suggestion: 'podSelector' });
});

test('typos at nested levels: ingress[].from[], a pod template container port, a Service spec', () => {
  const l = lintFixture('typos.yaml');
  const found = l.findings.filter((x) => x.code === 'unknown-field');
  assert.deepEqual(
    found.map((f) => [l.text.slice(f.ref.start, f.ref.end), f.data?.suggestion]),
    [
      ['podSelecter', 'podSelector'],
      ['podSelecter', 'podSelector'],
      ['containerPor', 'containerPort'],
      ['selectr', 'selector'],
    ],
  );
  assert.match(found[1].message, /in spec\.ingress\[0\]\.from\[0\] \(NetworkPolicyPeer\)/);
  assert.match(found[2].message, /in spec\.template\.spec\.containers\[0\]\.ports\[0\] \(ContainerPort\)/);
  assert.match(found[3].message, /in spec \(ServiceSpec\); did you mean "selector"\?/);
});

test('each quick fix renames the key, and the file then reads as intended', () => {
  const l = lintFixture('typos.yaml');
  let text = l.text;
  // fix from the end of the file, so earlier offsets stay valid
  for (const f of l.findings.filter((x) => x.code === 'unknown-field').reverse()) {
    text = applyFix({ ...l, text }, f);
  }
  const after = lint(l.uri, text);
  assert.deepEqual(schemaFindings(after), []);
  const policy = after.model.policies.find((p) => p.name === 'api-ingress')!;
  assert.equal(policy.podSelector.text, 'app=api', 'the policy now selects app=api, not every pod');
  assert.equal(policy.ingress[0].peers?.[0].podSelector?.text, 'app=web');
  assert.deepEqual(
    after.model.workloads.find((w) => w.name === 'api')!.containers[0].ports.map((p) => [p.name, p.port]),
    [['http', 8080]],
  );
  assert.deepEqual(after.model.services.find((s) => s.name === 'api')!.selector, { app: 'api' });
});

test('the quick fix keeps a JSON key quoted, and offers nothing once the key has changed', () => {
  const json = JSON.stringify({
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'p', namespace: 'shop' },
    spec: { podSelecter: {} },
  });
  const l = lint('p.json', json);
  const f = l.findings.find((x) => x.code === 'unknown-field')!;
  assert.equal(l.text.slice(f.ref.start, f.ref.end), '"podSelecter"');
  const fixed = applyFix(l, f);
  assert.equal(JSON.parse(fixed).spec.podSelector !== undefined, true);
  assert.deepEqual(schemaFindings(lint('p.json', fixed)), []);
  const edited = l.text.replace('"podSelecter"', '"podSelectox"');
  assert.deepEqual(fixesFor(f, { model: l.model, text: () => edited }), []);
});

test('no suggestion, so no fix, for a name far from every field', () => {
  const l = lint(
    'x.yaml',
    'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80}]\n  loadBalancerFoo: 1\n  zz: 2\n',
  );
  const found = l.findings.filter((x) => x.code === 'unknown-field');
  assert.deepEqual(
    found.map((f) => l.text.slice(f.ref.start, f.ref.end)),
    ['loadBalancerFoo', 'zz'],
  );
  for (const f of found) {
    assert.equal(f.data, undefined);
    assert.doesNotMatch(f.message, /did you mean/);
    assert.deepEqual(fixesFor(f, { model: l.model, text: () => l.text }), []);
  }
});

test('wrong types: errors on the values, once where the model reader reports the value too', () => {
  const l = lintFixture('wrong-types.yaml');
  assert.deepEqual(schemaFindings(l), [
    ['wrong-type', '3'],
    ['wrong-type', '"3"'],
    ['wrong-type', '--all'],
  ]);
  const byText = (t: string) => l.findings.find((f) => SCHEMA_CODES.has(f.code) && l.text.slice(f.ref.start, f.ref.end) === t)!;
  assert.match(byText('3').message, /metadata\.annotations\.revision must be a string, not a number/);
  assert.match(byText('"3"').message, /spec\.replicas must be a number, not a string/);
  assert.match(byText('--all').message, /spec\.jobTemplate\.spec\.template\.spec\.containers\[0\]\.args must be a list of strings/);
  for (const f of l.findings.filter((x) => SCHEMA_CODES.has(x.code))) assert.equal(f.severity, 'error');
  // hostNetwork "true" and containers as a map: the workload reader's invalid-value, not a second finding
  const at = (f: Finding) => `${f.ref.start}:${f.ref.end}`;
  assert.deepEqual(
    l.findings.filter((f) => f.code === 'invalid-value').map((f) => l.text.slice(f.ref.start, f.ref.end)),
    ['"true"', 'name: web\n        image: web\n'],
  );
  assert.equal(new Set(l.findings.map(at)).size, l.findings.length, 'one finding per range');
});

test('int-or-string fields and quantities take both forms; free-form maps, nulls and YAML 1.1 booleans are accepted', () => {
  const l = lintFixture('accepted.yaml');
  assert.deepEqual(schemaFindings(l), []);
  assert.equal(l.model.workloads.length, 1);
  assert.equal(l.model.policies.length, 1);
});

test('only the exact core apiVersion/kind pairs are validated', () => {
  const l = lintFixture('not-core.yaml');
  assert.deepEqual(schemaFindings(l), []);
  // the same typo under the core apiVersion is reported
  const core = lint('c.yaml', l.text.replace('apiVersion: extensions/v1beta1', 'apiVersion: apps/v1'));
  assert.deepEqual(schemaFindings(core), [['unknown-field', 'unknownThing']]);
});

test('a place the reader already reports is not reported twice', () => {
  // labels straight under podSelector: the selector reader's own message (it says where labels go)
  const l = lint(
    'p.yaml',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector:\n    app: api\n',
  );
  const found = l.findings.filter((x) => x.code === 'unknown-field');
  assert.equal(found.length, 1);
  assert.match(found[0].message, /labels go under matchLabels/);
  // a container port written as a string: the reader's invalid-value, no wrong-type on top
  const p = lint(
    'pod.yaml',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: c\n    ports:\n    - containerPort: "80"\n',
  );
  assert.deepEqual(
    p.findings.map((f) => [f.code, p.text.slice(f.ref.start, f.ref.end)]),
    [['invalid-value', '"80"']],
  );
});

test('typed lists, patches without a name, status, merge keys and patch directives', () => {
  const list = lint(
    'l.yaml',
    'apiVersion: v1\nkind: PodList\nitems:\n- metadata: {name: a}\n  spec:\n    containers: [{name: a, image: a, imagePullPolicyy: Always}]\n',
  );
  assert.deepEqual(schemaFindings(list), [['unknown-field', 'imagePullPolicyy']]);
  const patch = lint(
    'patch.yaml',
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'spec:',
      '  template:',
      '    spec:',
      '      $setElementOrder/containers: [{name: a}]',
      '      containers:',
      '      - name: a',
      '        $patch: delete',
      '      - name: b',
      '        imagee: b',
    ].join('\n'),
  );
  assert.deepEqual(schemaFindings(patch), [['unknown-field', 'imagee']]);
  const exported = lint(
    'e.yaml',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: e}\nspec: {podSelector: {}}\nstatus: {}\n',
  );
  assert.deepEqual(schemaFindings(exported), [], "status is the server's: not checked");
  const merged = lint(
    'm.yaml',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: m}\nspec:\n  containers:\n  - &base {name: a, image: a}\n  - <<: *base\n    name: b\n',
  );
  assert.deepEqual(schemaFindings(merged), []);
});

test('suggestName: close names only, case-insensitive', () => {
  const fields = ['podSelector', 'policyTypes', 'ingress', 'egress'];
  assert.equal(suggestName('podSelecter', fields), 'podSelector');
  assert.equal(suggestName('PodSelector', fields), 'podSelector');
  assert.equal(suggestName('podselector', fields), 'podSelector');
  assert.equal(suggestName('ingres', fields), 'ingress');
  assert.equal(suggestName('egres', fields), 'egress');
  assert.equal(suggestName('policies', fields), undefined);
  assert.equal(suggestName('port', ['ports', 'name']), 'ports');
  assert.equal(suggestName('app', ['name', 'apps']), undefined, 'a short name needs an exact (case-insensitive) match');
  assert.equal(suggestName('ap', ['app']), undefined);
});

test('the committed schema names the pinned kubernetes-models as its source', () => {
  // Whether it is current (a run of the generator over that package) is checked by `npm run schema:check`
  // in CI: the package is fetched from the npm registry on demand, which npm test does not rely on.
  const script = readFileSync(path.join(repoRoot(), 'scripts', 'gen-k8s-schema.mjs'), 'utf8');
  const pinned = /export const MODELS_VERSION = '([^']+)'/.exec(script)?.[1];
  assert.ok(pinned, 'scripts/gen-k8s-schema.mjs pins MODELS_VERSION');
  assert.equal(SCHEMA_SOURCE, `kubernetes-models@${pinned}`);
});
