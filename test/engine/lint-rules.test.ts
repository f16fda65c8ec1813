// Every diagnostic code: a manifest that triggers it and a near-identical correct one that does not
// (test/fixtures/rules/<code>/{triggers,clean}.yaml), the ranges findings point at, the quick fixes,
// and docs/rules.md having exactly one section per code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { analyze } from '../../server/src/engine';
import { lintModel } from '../../server/src/engine/lint';
import { LINT_RULES } from '../../server/src/engine/lint/rules';
import { fixesFor } from '../../server/src/engine/lint/fixes';
import { NEWLY_EXPOSED } from '../../server/src/engine/diff/exposure';
import { diffSarif } from '../../server/src/engine/report/sarif';
import { parseRulesDoc } from '../../server/src/engine/report/rulesDoc';
import type { Finding, Model } from '../../server/src/engine/model/types';
import { fixturePath, repoRoot } from '../support/paths';

/** Codes of the lint rules (server/src/engine/lint/rules/*.ts). */
const LINT_CODES = [
  'selector-matches-nothing',
  'peer-matches-nothing',
  'namespace-label-unknown',
  'named-port-unknown',
  'service-port-in-policy',
  'peers-maybe-and',
  'rules-ignored',
  'policy-namespace-empty',
  'service-no-pods',
  'service-targetport-missing',
  'cni-not-enforcing',
  'dns-egress-blocked',
  'unresolvable-name',
  'blocked-reference',
  'label-value-unknown',
  'admin-policy-not-enforced',
  'admin-pass-to-default',
  'admin-rule-shadowed',
  'cilium-policy-not-enforced',
  'calico-policy-not-enforced',
  'calico-policy-selects-nothing',
  'calico-pass-to-profile',
];

/**
 * Codes the parser and model builder emit (parse/documents.ts, model/*.ts incl. adminPolicies.ts, selectors/parse.ts):
 * `code:` literals, ctx.report(...) and ctx.invalid(..., code) with its default invalid-value.
 */
const BUILDER_CODES = [
  'yaml-syntax',
  'yaml-tabs',
  'encoding',
  'duplicate-key',
  'duplicate-object',
  'invalid-value',
  'invalid-selector',
  'invalid-port',
  'invalid-cidr',
  'except-outside-cidr',
  'ipblock-with-selector',
  'empty-peer',
  'endport-named-port',
  'policy-rejected',
  'wrong-type',
  'unknown-field',
  'missing-pod-template',
  'endpointslice-without-service',
  'banp-name',
  'anp-nodes-peer',
  'corefile-syntax',
  'policy-not-analysed',
  'cilium-rule-not-analysed',
  'calico-selector-invalid',
];

const CODES = [...LINT_CODES, ...BUILDER_CODES];

/**
 * Codes of rules that compare two versions (engine/diff/exposure.ts: the editor against git HEAD,
 * `netlens diff`; the connectivity-* results of `netlens diff --format sarif`): documented like every rule,
 * without a single-version fixture (test/cli/diff-git.test.ts and test/server/changes.test.ts trigger them
 * with real git repositories).
 */
const DIFF_CODES = [NEWLY_EXPOSED, 'connectivity-added', 'connectivity-removed', 'connectivity-changed'];
const DOCUMENTED = [...CODES, ...DIFF_CODES];

/** What the finding's range covers in triggers.yaml (a representative subset of the codes). */
const EXPECTED_RANGE: Record<string, string | RegExp> = {
  'selector-matches-nothing': /^podSelector:\s+matchLabels: \{app: wbe\}\s*$/,
  'peer-matches-nothing': /^podSelector:\s+matchLabels: \{app: frontend\}\s*$/,
  'namespace-label-unknown': /^namespaceSelector:\s+matchLabels:\s+name: monitoring\s*$/,
  'named-port-unknown': /^port: http\s*$/,
  'service-port-in-policy': /^port: 80\s*$/,
  'peers-maybe-and': /^namespaceSelector:[\s\S]*- podSelector:\s+matchLabels: \{app: prometheus\}\s*$/,
  'rules-ignored': /^egress:\n/,
  'policy-namespace-empty': 'default-deny',
  'service-no-pods': /^selector:\s+app: wbe\s*$/,
  'service-targetport-missing': /^port: 80\s+targetPort: http\s*$/,
  'cni-not-enforcing': 'kube-flannel-ds',
  'dns-egress-blocked': 'default-deny-egress',
  'unresolvable-name': 'api',
  'blocked-reference': 'api.backend',
  'yaml-tabs': '\t',
  'duplicate-object': 'api',
  'invalid-value': 'tcp',
  'invalid-selector': 'Equals',
  'invalid-port': '"8080"',
  'invalid-cidr': '10.0.0.0/33',
  'except-outside-cidr': '10.1.0.0/24',
  'ipblock-with-selector': /^ipBlock:[\s\S]*namespaceSelector:/,
  'empty-peer': 'podSelector:',
  'endport-named-port': '8090',
  'policy-rejected': 'api-ingress',
  'wrong-type': '2',
  'unknown-field': 'podSelecter',
  'missing-pod-template': 'web',
  'endpointslice-without-service': 'db-1',
  'banp-name': 'baseline',
  'anp-nodes-peer': /^nodes:\s+matchExpressions:/,
  'corefile-syntax': '{',
  'policy-not-analysed': 'kind: NetworkPolicy',
  'label-value-unknown': /^podSelector:\s+matchLabels: \{pod-template-hash: 5d8f7c9b6\}\s*$/,
  'admin-policy-not-enforced': 'ClusterNetworkPolicy',
  'admin-pass-to-default': /^name: pass-to-monitoring\s+action: Pass/,
  'admin-rule-shadowed': /^name: accept-scraper\s+action: Accept/,
  'cilium-policy-not-enforced': 'CiliumNetworkPolicy',
  'cilium-rule-not-analysed': /^matchLabels: \{type: edge\}/,
  'calico-selector-invalid': '=',
  'calico-policy-not-enforced': 'NetworkPolicy',
  'calico-policy-selects-nothing': "app == 'dbb'",
};

/** Codes with a quick fix (server/src/engine/lint/fixes.ts), as docs/rules.md describes them. */
const QUICK_FIXES = [
  'unresolvable-name',
  'dns-egress-blocked',
  'service-port-in-policy',
  'namespace-label-unknown',
  'blocked-reference',
  'peers-maybe-and',
  'unknown-field',
];

interface Linted {
  uri: string;
  text: string;
  model: Model;
  findings: Finding[];
}

function lintText(uri: string, text: string): Linted {
  const model = analyze([{ uri, text }]);
  return { uri, text, model, findings: lintModel(model) };
}

function lintFixture(code: string, file: string): Linted {
  return lintText(`test/fixtures/rules/${code}/${file}`, readFileSync(fixturePath('rules', code, file), 'utf8'));
}

function codesOf(l: Linted): string[] {
  return l.findings.map((f) => f.code);
}

function docsText(): string {
  return readFileSync(path.join(repoRoot(), 'docs', 'rules.md'), 'utf8');
}

/** The `## <code>` sections of docs/rules.md with their bodies. */
function docSections(): Map<string, string> {
  const out = new Map<string, string>();
  const parts = docsText().split(/^## /m).slice(1);
  for (const p of parts) {
    const nl = p.indexOf('\n');
    out.set(p.slice(0, nl).trim(), p.slice(nl + 1));
  }
  return out;
}

test('the list of lint codes is the codes the lint rules declare', () => {
  assert.deepEqual(new Set(LINT_RULES.flatMap((r) => r.codes)), new Set(LINT_CODES));
  assert.equal(new Set(DOCUMENTED).size, DOCUMENTED.length, 'no code listed twice');
});

test("the diff's documented rules: SARIF takes their metadata from docs/rules.md", () => {
  const docs = parseRulesDoc(docsText());
  const sarif = diffSarif(
    { entries: [], workloadsAdded: [], workloadsRemoved: [] },
    { baseName: 'a', headName: 'b', locate: () => undefined },
    [],
    undefined,
    docs,
  );
  const rules = sarif.runs[0].tool.driver.rules as {
    id: string;
    shortDescription?: { text: string };
    defaultConfiguration: { level: string };
    helpUri: string;
  }[];
  // every rule the diff's SARIF declares is documented (a new one without a docs/rules.md entry fails here)
  assert.deepEqual(rules.map((r) => r.id).sort(), [...DIFF_CODES].sort());
  for (const code of DIFF_CODES) {
    const doc = docs.get(code);
    assert.ok(doc, `docs/rules.md summary row of ${code}`);
    const r = rules.find((x) => x.id === code);
    assert.ok(r, `diff SARIF rule ${code}`);
    assert.equal(r.shortDescription?.text, doc.summary);
    assert.equal(r.defaultConfiguration.level, doc.severity === 'error' ? 'error' : doc.severity === 'warning' ? 'warning' : 'note');
    assert.match(r.helpUri, new RegExp(`docs/rules\\.md#${code}$`));
  }
});

test('the list is every code that server/src/engine emits (read from the sources)', () => {
  const found = new Set<string>();
  const scan = (src: string) => {
    const lines = src.split('\n');
    for (let i = 0; i < lines.length; i++) {
      // Prettier breaks long calls after `.report(` / `.invalid(`, one argument a line: read the call as one line
      let line = lines[i];
      if (/\.(report|invalid)\($/.test(line))
        for (let j = i + 1; j < Math.min(lines.length, i + 8) && !/^\s*\)/.test(lines[j]); j++) line += lines[j].trim();
      if (/^\s*import\b/.test(line) || !/\bcode\b|\.report\(|\.invalid\(/.test(line)) continue;
      for (const m of line.matchAll(/'([a-z]+(?:-[a-z0-9]+)+)'/g)) found.add(m[1]);
      for (const m of line.matchAll(/(?:\bcode: |\.report\()'([a-z][a-z0-9-]*)'/g)) found.add(m[1]);
    }
    // Prettier puts a long call's arguments on lines of their own: `ctx.report(\n  msg,\n  node,\n  'invalid-port',\n);`
    for (const call of src.matchAll(/\.(?:report|invalid)\(([\s\S]*?)\);/g))
      for (const m of call[1].matchAll(/'([a-z]+(?:-[a-z0-9]+)+)'/g)) found.add(m[1]);
  };
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) scan(readFileSync(p, 'utf8'));
    }
  };
  walk(path.join(repoRoot(), 'server', 'src', 'engine'));
  assert.deepEqual(
    [...found].filter((c) => !CODES.includes(c)).sort(),
    [],
    'codes emitted in server/src/engine that this test (and docs/rules.md) does not list',
  );
  assert.deepEqual(
    CODES.filter((c) => !found.has(c)),
    [],
    'codes listed here that the engine no longer emits',
  );
});

test('docs/rules.md has one "## <code>" section per code, in the summary table too, and every code has fixtures', () => {
  const sections = docSections();
  assert.deepEqual([...sections.keys()].sort(), [...DOCUMENTED].sort(), 'the ## headings of docs/rules.md are exactly the codes');
  const text = docsText();
  for (const code of DOCUMENTED) {
    const row = new RegExp(`^\\| \\[\`${code}\`\\]\\(#${code}\\) \\| (\\w+) \\|`, 'm').exec(text);
    assert.ok(row, `summary table row linking to #${code}`);
    const body = sections.get(code)!;
    assert.ok(body.startsWith(`\n**Default severity:** ${row[1]}`), `${code}: the table and the section give the same default severity`);
    for (const part of ['**Default severity:**', '**What:**', '**Why:**', '**Example:**', '**Fix:**'])
      assert.ok(body.includes(part), `${code}: ${part}`);
    assert.match(body, /```yaml\n[\s\S]+?```/, `${code}: a YAML example`);
    if (DIFF_CODES.includes(code)) continue;
    for (const file of ['triggers.yaml', 'clean.yaml'])
      assert.ok(existsSync(fixturePath('rules', code, file)), `test/fixtures/rules/${code}/${file}`);
  }
  assert.deepEqual(readdirSync(fixturePath('rules')).sort(), [...CODES].sort(), 'no fixture folder for a code that does not exist');
  assert.match(text, /netlens\.rules/, 'documents the severity setting');
});

for (const code of CODES) {
  test(`${code}: triggers.yaml reports it`, () => {
    const l = lintFixture(code, 'triggers.yaml');
    const found = l.findings.filter((f) => f.code === code);
    assert.ok(found.length > 0, `expected ${code}, got ${JSON.stringify(codesOf(l))}`);
    for (const f of found) {
      assert.equal(f.ref.uri, l.uri);
      assert.ok(f.ref.start <= f.ref.end && f.ref.end <= l.text.length, 'range inside the file');
      assert.ok(f.message.length > 0);
    }
    const want = EXPECTED_RANGE[code];
    if (want !== undefined) {
      const got = l.text.slice(found[0].ref.start, found[0].ref.end);
      if (typeof want === 'string') assert.equal(got, want);
      else assert.match(got, want);
    }
    // The severity docs/rules.md states is the one the finding has.
    const stated = /\*\*Default severity:\*\* (error|warning|info|hint)/.exec(docSections().get(code) ?? '')?.[1];
    assert.equal(found[0].severity, stated, `docs/rules.md default severity of ${code}`);
  });

  test(`${code}: clean.yaml does not report it (nor anything else)`, () => {
    for (const file of readdirSync(fixturePath('rules', code)).filter((f) => f.startsWith('clean'))) {
      const l = lintFixture(code, file);
      assert.deepEqual(codesOf(l), [], `${code}/${file}: ${l.findings.map((f) => `${f.code}: ${f.message}`).join('; ')}`);
      assert.deepEqual(l.model.skipped, [], `${code}/${file} is analysed`);
    }
  });
}

test('quick fixes: each offered fix removes its finding', () => {
  for (const code of QUICK_FIXES) {
    const l = lintFixture(code, 'triggers.yaml');
    const f = l.findings.find((x) => x.code === code)!;
    const fixes = fixesFor(f, { model: l.model, text: (u) => (u === l.uri ? l.text : undefined) });
    assert.equal(fixes.length, 1, `${code}: one fix`);
    let text = l.text;
    for (const e of [...fixes[0].edits].sort((a, b) => b.start - a.start)) {
      assert.equal(e.uri, l.uri);
      text = text.slice(0, e.start) + e.newText + text.slice(e.end);
    }
    const after = lintText(l.uri, text);
    assert.deepEqual(codesOf(after), [], `${code} after "${fixes[0].title}":\n${text}`);
  }
});

test('unresolvable-name offers the FQDN of the Service it meant', () => {
  const f = lintFixture('unresolvable-name', 'triggers.yaml').findings.find((x) => x.code === 'unresolvable-name')!;
  assert.deepEqual(f.data, { replacement: 'api.backend.svc.cluster.local', host: 'api' });
});

test('blocked-reference names the direction and the isolating policy', () => {
  const l = lintFixture('blocked-reference', 'triggers.yaml');
  const f = l.findings.find((x) => x.code === 'blocked-reference')!;
  assert.equal(f.data?.direction, 'Ingress');
  assert.equal(f.data?.policy, 'backend/api-ingress[NetworkPolicy]');
  assert.equal(f.data?.podPort, 8080);
  assert.equal(l.text.slice(f.related![0].ref.start, f.related![0].ref.end), 'api-ingress');
});

test('service-targetport-missing is a warning when only some pods lack the port', () => {
  const text =
    readFileSync(fixturePath('rules', 'service-targetport-missing', 'triggers.yaml'), 'utf8') +
    [
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: web-canary',
      '  namespace: shop',
      '  labels: {app: web}',
      'spec:',
      '  containers:',
      '  - name: web',
      '    image: nginx',
      '    ports:',
      '    - {name: http, containerPort: 8080}',
      '',
    ].join('\n');
  const found = lintText('mixed.yaml', text).findings.filter((f) => f.code === 'service-targetport-missing');
  assert.deepEqual(
    found.map((f) => f.severity),
    ['warning'],
  );
  assert.match(found[0].message, /shop\/web\[Deployment\]/);
});

test('egress to a pod port through a Service: service-port-in-policy checks egress rules too', () => {
  const text = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: api, namespace: shop, labels: {app: api}}',
    'spec: {containers: [{name: api, image: api, ports: [{containerPort: 8080}]}]}',
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: web, namespace: shop, labels: {app: web}}',
    'spec: {containers: [{name: web, image: web}]}',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: api, namespace: shop}',
    'spec: {selector: {app: api}, ports: [{port: 80, targetPort: 8080}]}',
    '---',
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: {name: web-egress, namespace: shop}',
    'spec:',
    '  podSelector: {matchLabels: {app: web}}',
    '  policyTypes: [Egress]',
    '  egress:',
    '  - to: [{podSelector: {matchLabels: {app: api}}}]',
    '    ports: [{port: 80}]',
    '  - to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]',
    '    ports: [{port: 53, protocol: UDP}]',
    '',
  ].join('\n');
  const l = lintText('egress.yaml', text);
  assert.deepEqual(codesOf(l), ['service-port-in-policy']);
  assert.equal(l.text.slice(l.findings[0].ref.start, l.findings[0].ref.end), '{port: 80}');
});

test("dns-egress-blocked: a DNS rule with a podSelector alone looks in the policy's own namespace", () => {
  const text = readFileSync(fixturePath('rules', 'dns-egress-blocked', 'clean.yaml'), 'utf8').replace(
    / {4}- namespaceSelector:\n {8}matchLabels: \{kubernetes\.io\/metadata\.name: kube-system\}\n {6}podSelector:/,
    '    - podSelector:',
  );
  assert.ok(!text.includes('kube-system'));
  assert.deepEqual(codesOf(lintText('dns.yaml', text)), ['dns-egress-blocked']);
});

test('dns-egress-blocked: TCP 53 alone is not enough', () => {
  const text = readFileSync(fixturePath('rules', 'dns-egress-blocked', 'clean.yaml'), 'utf8').replace(
    '    - {port: 53, protocol: UDP}\n',
    '',
  );
  assert.deepEqual(codesOf(lintText('dns.yaml', text)), ['dns-egress-blocked']);
});

test('rules-ignored: without policyTypes, egress rules turn Egress on (nothing is ignored)', () => {
  const text = readFileSync(fixturePath('rules', 'rules-ignored', 'triggers.yaml'), 'utf8').replace('  policyTypes: [Ingress]\n', '');
  assert.deepEqual(codesOf(lintText('types.yaml', text)), []);
});

test('invalid-port: port names follow IANA_SVC_NAME (no "--", no "-" at either end, at most 15 characters)', () => {
  const base = readFileSync(fixturePath('rules', 'invalid-port', 'clean.yaml'), 'utf8');
  for (const bad of ['my--port', '-http', 'http-', 'a-very-long-port-name', 'HTTP']) {
    const l = lintText('port.yaml', base.replace('port: 8080\n', `port: ${bad}\n`).replace(/^( {4}- \{name: )http(,)/m, `$1${bad}$2`));
    const f = l.findings.find((x) => x.code === 'invalid-port');
    assert.ok(f, `${bad}: ${JSON.stringify(codesOf(l))}`);
    assert.equal(l.text.slice(f.ref.start, f.ref.end), bad);
  }
  const ok = lintText('port.yaml', base.replace('port: 8080\n', 'port: http\n'));
  assert.deepEqual(codesOf(ok), []);
});

test('selector-matches-nothing: a selector matching only hostNetwork pods says so (--host-network node); with pod it selects them', () => {
  const text = `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: node-exporter, namespace: monitoring}
spec:
  selector: {matchLabels: {app: node-exporter}}
  template:
    metadata: {labels: {app: node-exporter}}
    spec:
      hostNetwork: true
      containers: [{name: e, image: node-exporter, ports: [{containerPort: 9100}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: exporter-ingress, namespace: monitoring}
spec:
  podSelector: {matchLabels: {app: node-exporter}}
  policyTypes: [Ingress]
`;
  const node = lintText('host.yaml', text).findings.filter((f) => f.code === 'selector-matches-nothing');
  assert.equal(node.length, 1);
  assert.match(node[0].message, /selects only hostNetwork pods \(monitoring\/node-exporter\[DaemonSet\]\), which policies do not isolate/);
  assert.doesNotMatch(node[0].message, /selects no workload/);
  const model = analyze([{ uri: 'host.yaml', text }], { hostNetwork: 'pod' });
  assert.ok(!lintModel(model).some((f) => f.code === 'selector-matches-nothing'));
  // a typo still says "selects no workload"
  const typo = lintText(
    'typo.yaml',
    text.replace('podSelector: {matchLabels: {app: node-exporter}}', 'podSelector: {matchLabels: {app: node-exportr}}'),
  );
  assert.match(typo.findings.find((f) => f.code === 'selector-matches-nothing')?.message ?? '', /selects no workload/);
});
