import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeAction, Diagnostic, Hover, CodeLens, TextEdit } from 'vscode-languageserver-protocol';
import { LspSession } from '../support/lsp';
import { fixturePath } from '../support/paths';
import { GraphRequest, NamespacesRequest, QueryRequest, ResolveRequest } from '../../protocol/messages';

const dir = fixturePath('lsp', 'workspace');
const uriOf = (name: string) => pathToFileURL(path.join(dir, name)).toString();
const textOf = (name: string) => readFileSync(path.join(dir, name), 'utf8');
let s: LspSession;

before(async () => {
  s = await LspSession.start(dir);
  await s.indexed();
});
after(async () => s.stop());

/** hover Markdown as text: workspace strings in it are backslash-escaped (protocol/markdown.ts) */
const unescapeMd = (md: string) => md.replace(/\\([!-/:-@[-`{-~])/g, '$1');

function positionOf(text: string, needle: string, nth = 0): { line: number; character: number } {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} not found`);
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

function applyEdits(text: string, edits: TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}

async function fixAndCheck(file: string, code: string): Promise<void> {
  const uri = uriOf(file);
  const text = textOf(file);
  await s.open(uri, text);
  const diags = await s.diagnosticsEventually(uri, (d) => d.some((x) => x.code === code));
  const d = diags.find((x) => x.code === code) as Diagnostic;
  assert.ok(d, `${code} expected, got ${JSON.stringify(diags.map((x) => x.code))}`);
  const actions = await s.request<CodeAction[]>('textDocument/codeAction', {
    textDocument: { uri },
    range: d.range,
    context: { diagnostics: [d] },
  });
  const fix = actions.find((a) => a.diagnostics?.some((x) => x.code === code));
  assert.ok(fix?.edit?.changes?.[uri], `a quick fix editing ${file}: ${JSON.stringify(actions)}`);
  const fixed = applyEdits(text, fix.edit.changes[uri]);
  await s.change(uri, fixed);
  const after = await s.diagnosticsEventually(uri, (x) => !x.some((y) => y.code === code));
  assert.ok(!after.some((x) => x.code === code), `${code} still there after the fix:\n${fixed}`);
  await s.change(uri, text); // restore for other tests
}

test('hover on the podSelector of a policy lists exactly the matched workloads', async () => {
  const uri = uriOf('secure.yaml');
  const text = textOf('secure.yaml');
  await s.open(uri, text);
  const h = await s.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'podSelector:') });
  const md = unescapeMd((h.contents as { value: string }).value);
  assert.match(md, /selects 2 workloads/);
  assert.match(md, /secure\/vault\[Pod\]/);
  assert.match(md, /secure\/vault-replica\[Deployment\]/);
  assert.doesNotMatch(md, /secure\/web\[Pod\]/);
});

test('hover on a from peer lists the workloads it matches', async () => {
  const uri = uriOf('secure.yaml');
  const text = textOf('secure.yaml');
  const h = await s.request<Hover>('textDocument/hover', { textDocument: { uri }, position: positionOf(text, 'podSelector:', 1) });
  const md = unescapeMd((h.contents as { value: string }).value);
  assert.match(md, /matches 1 workload/);
  assert.match(md, /secure\/web\[Pod\]/);
});

test('a short name that does not resolve from the pod namespace: diagnostic and FQDN quick fix', async () => {
  await fixAndCheck('remote.yaml', 'unresolvable-name');
});

test('default-deny egress blocks DNS: diagnostic, and the quick fix adding a DNS policy removes it', async () => {
  await fixAndCheck('locked.yaml', 'dns-egress-blocked');
});

test('editing a policy in one file updates the diagnostic on an env reference in another', async () => {
  const web = uriOf('shop-web.yaml');
  const backend = uriOf('backend.yaml');
  await s.open(web, textOf('shop-web.yaml'));
  const blocked = await s.diagnosticsEventually(web, (d) => d.some((x) => x.code === 'blocked-reference'));
  const d = blocked.find((x) => x.code === 'blocked-reference');
  assert.ok(d, JSON.stringify(blocked));
  assert.match(String(d.message), /backend\/api-ingress/);
  const text = textOf('backend.yaml');
  await s.open(backend, text);
  await s.change(backend, text.replace('kubernetes.io/metadata.name: frontend', 'kubernetes.io/metadata.name: shop'));
  const cleared = await s.diagnosticsEventually(web, (x) => !x.some((y) => y.code === 'blocked-reference'));
  assert.ok(!cleared.some((x) => x.code === 'blocked-reference'), JSON.stringify(cleared));
  await s.change(backend, text);
});

test('code lenses above policies and workloads', async () => {
  const uri = uriOf('secure.yaml');
  const lenses = await s.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  const titles = lenses.map((l) => l.command?.title ?? '');
  assert.ok(titles.includes('selects 2 workloads · ingress from 1 workload'), JSON.stringify(titles));
  assert.ok(titles.some((t) => /^reachable from \d+ · reaches \d+$/.test(t)));
});

test('custom requests: namespaces, query and resolve', async () => {
  const ns = await s.request(NamespacesRequest);
  assert.deepEqual(
    ns.namespaces.map((n) => n.name),
    ['backend', 'default', 'locked', 'remote', 'secure', 'shop'],
  );
  const q = await s.request(QueryRequest, {
    from: 'remote/remotebox[Pod]',
    to: 'interginx',
    port: 80,
  });
  assert.equal(q.outcome, 'nxdomain');
  const q2 = await s.request(QueryRequest, {
    from: 'secure/web[Pod]',
    to: 'secure/vault[Pod]',
    port: 8200,
  });
  assert.equal(q2.outcome, 'allowed');
  assert.match(q2.report, /allowed by secure\/only-web\[NetworkPolicy\] ingress\[0\]/);
  // files are named relative to the workspace folder, as a person reads them, not as file:// URIs
  assert.doesNotMatch(q2.report, /file:\/\//);
  assert.match(q2.report, /\(\w[\w./-]*\.ya?ml:\d+:\d+\)/);
  const r = await s.request(ResolveRequest, {
    from: 'remote/remotebox[Pod]',
    name: 'interginx',
  });
  assert.equal(r.answer, null);
  assert.deepEqual(r.tried.map((t) => t.name).slice(0, 3), [
    'interginx.remote.svc.cluster.local',
    'interginx.svc.cluster.local',
    'interginx.cluster.local',
  ]);
});

test('netlens/graph: workloads with their namespace and source, edges with ports and verdicts; filters; bad params', async () => {
  const g = await s.request(GraphRequest, {});
  const vault = g.nodes.find((n) => n.id === 'secure/vault[Pod]');
  assert.equal(vault?.kind, 'workload');
  assert.equal(vault?.namespace, 'secure');
  assert.ok(vault?.location?.uri.startsWith('file:'));
  const e = g.edges.find((x) => x.from === 'secure/web[Pod]' && x.to === 'secure/vault[Pod]');
  assert.ok(e, 'web reaches vault');
  assert.match(e.verdict, /^allowed on /);
  const only = await s.request(GraphRequest, { workload: 'secure/vault[Pod]' });
  assert.ok(only.edges.every((x) => x.from === 'secure/vault[Pod]' || x.to === 'secure/vault[Pod]'));
  const merged = await s.request(GraphRequest, { aggregateAbove: 0 });
  assert.equal(merged.aggregated, true);
  assert.ok(merged.nodes.some((n) => n.id === 'namespace:secure'));
  // hostile parameters are ignored, not a crash
  const bad = await s.request(GraphRequest, { aggregateAbove: Number.NaN, namespace: 42 as unknown as string });
  assert.equal(bad.aggregated, false);
});
