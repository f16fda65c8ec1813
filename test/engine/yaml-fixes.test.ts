// Quick fixes write YAML that means what they intend: names and labels such as `yes`, `on`, `null`,
// `1e3`, `0x1F`, `~`, `*a`, `- x`, `a: b`, `#` or a newline are quoted where the plain form would not
// read back as the same string (YAML 1.2 and 1.1). Each fix is applied and the result parsed again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseAllDocuments } from 'yaml';
import { analyze } from '../../server/src/engine';
import { lintModel } from '../../server/src/engine/lint';
import { fixesFor, type TextEditByOffset } from '../../server/src/engine/lint/fixes';
import { yamlScalar } from '../../server/src/engine/lint/yamlScalar';

const HOSTILE = ['yes', 'on', 'No', 'null', 'Null', '1e3', '0x1F', '017', '1_000', '~', '*a', '&a', '!tag', '- x', 'a: b', 'x #y', '#c'];
const MORE = [
  'line\nbreak',
  "it's",
  '"q"',
  '',
  ' lead',
  'trail ',
  '2001-12-14',
  '.inf',
  'true',
  'y',
  '@at',
  '%p',
  '`b',
  '{a}',
  '[a]',
  'a,b',
  '\u2028',
  '\u0085x',
];

for (const s of [...HOSTILE, ...MORE, 'plain', 'app.kubernetes.io/name', 'web-1']) {
  test(`yamlScalar(${JSON.stringify(s)}) reads back as the same string (key, value, list item; YAML 1.2 and 1.1)`, () => {
    const y = yamlScalar(s);
    for (const version of ['1.2', '1.1'] as const) {
      assert.deepEqual(parse(`${y}: ${y}\n`, { version }), { [s]: s }, `${version}: ${y}`);
      assert.deepEqual(parse(`- ${y}\n`, { version }), [s], `${version}: ${y}`);
      assert.deepEqual(parse(`k: {${y}: [${y}]}\n`, { version }), { k: { [s]: [s] } }, `${version}: ${y}`);
    }
  });
}
test('plain names stay plain', () => {
  for (const s of ['plain', 'app.kubernetes.io/name', 'web-1', 'kube-system']) assert.equal(yamlScalar(s), s);
});

function apply(text: string, edits: TextEditByOffset[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** the documents a fix appended, parsed as YAML 1.2 and 1.1 (they must agree) */
function appended(before: string, after: string): Record<string, unknown>[] {
  const added = after.slice(before.length);
  const docs = (version: '1.1' | '1.2') =>
    parseAllDocuments(added, { version }).map((d) => {
      assert.deepEqual(d.errors, [], `${version}:\n${added}`);
      return d.toJS() as Record<string, unknown>;
    });
  const v12 = docs('1.2');
  assert.deepEqual(docs('1.1'), v12, `YAML 1.1 reads the fix differently:\n${added}`);
  return v12.filter((d) => d);
}

// A labelled client in one namespace calls a labelled server in another; both are isolated, and the
// client's namespace denies egress (so DNS is blocked too): blocked-reference and dns-egress-blocked fixes.
function workspace(srcNs: string, dstNs: string, label: string): string {
  const q = JSON.stringify;
  return `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: ${q(srcNs)}, labels: {app: ${q(label)}}}
spec:
  containers:
  - name: web
    image: web
    env:
    - {name: API, value: "http://api.${dstNs}:8080/"}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: ${q(dstNs)}, labels: {app: ${q(label)}, tier: ${q(label)}}}
spec:
  containers:
  - {name: api, image: api, ports: [{containerPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: ${q(dstNs)}}
spec:
  selector: {tier: ${q(label)}}
  ports: [{port: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: ${q(dstNs)}}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: ${q(srcNs)}}
spec: {podSelector: {}, policyTypes: [Egress]}
`;
}

const NAMESPACES = ['yes', 'on', 'null', 'y', '1e3', '0x1f', '017', 'true', 'no'];
const LABELS = [...HOSTILE, 'line\nbreak', "it's", '"q"'];

for (let i = 0; i < NAMESPACES.length; i++) {
  const srcNs = NAMESPACES[i]!;
  const dstNs = NAMESPACES[(i + 1) % NAMESPACES.length]!;
  test(`fixes for namespaces ${srcNs} -> ${dstNs} write those names and labels as strings`, () => {
    for (const label of LABELS) {
      const text = workspace(srcNs, dstNs, label);
      const uri = 'file:///w/a.yaml';
      const model = analyze([{ uri, text }]);
      const findings = lintModel(model);
      const codes = new Set<string>();
      for (const f of findings) {
        for (const fix of fixesFor(f, { model, text: (u) => (u === uri ? text : undefined) })) {
          codes.add(f.code);
          const after = apply(
            text,
            fix.edits.filter((e) => e.uri === uri),
          );
          for (const doc of appended(text, after)) {
            const meta = doc.metadata as { name: unknown; namespace: unknown };
            assert.ok(meta.namespace === srcNs || meta.namespace === dstNs, `${f.code}: namespace ${String(meta.namespace)}`);
            assert.equal(typeof meta.name, 'string');
            const json = JSON.stringify(doc);
            // every label the fix wrote is the label as written, a string
            for (const m of json.matchAll(/"matchLabels":(\{[^}]*\})/g)) {
              const labels = JSON.parse(m[1]!) as Record<string, unknown>;
              for (const [k, v] of Object.entries(labels))
                assert.ok(
                  (k === 'kubernetes.io/metadata.name' && (v === srcNs || v === dstNs || v === 'kube-system')) ||
                    ((k === 'app' || k === 'tier' || k === 'k8s-app') && (v === label || v === 'kube-dns')),
                  `${f.code}: ${k}=${JSON.stringify(v)} for label ${JSON.stringify(label)}\n${after.slice(text.length)}`,
                );
            }
          }
        }
      }
      assert.ok(codes.has('blocked-reference') && codes.has('dns-egress-blocked'), `${label}: fixes for ${[...codes].join(', ')}`);
    }
  });
}

test('the namespace-label fix writes the namespace name as a string', () => {
  for (const ns of NAMESPACES) {
    // plain in the source where YAML 1.2 reads it as that string (yes, on, y: strings in 1.2, booleans in 1.1)
    const written = parse(ns) === ns ? ns : JSON.stringify(ns);
    const text = `apiVersion: v1
kind: Namespace
metadata: {name: ${JSON.stringify(ns)}}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {containers: [{name: api, image: api}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          name: ${written}
`;
    const uri = 'file:///w/b.yaml';
    const model = analyze([{ uri, text }]);
    const f = lintModel(model).find((x) => x.code === 'namespace-label-unknown');
    assert.ok(f, `${ns}: no namespace-label-unknown`);
    const [fix] = fixesFor(f, { model, text: () => text });
    assert.ok(fix, ns);
    const after = apply(text, fix.edits);
    for (const version of ['1.2', '1.1'] as const) {
      const docs = parseAllDocuments(after, { version }).map((d) => d.toJS() as { spec?: { ingress?: unknown[] } });
      const sel = (docs[2]!.spec!.ingress![0] as { from: { namespaceSelector: { matchLabels: unknown } }[] }).from[0]!.namespaceSelector;
      assert.deepEqual(sel.matchLabels, { 'kubernetes.io/metadata.name': ns }, `${version}:\n${after}`);
    }
  }
});
