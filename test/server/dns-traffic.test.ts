// The editor's query, resolve and hover answer dns-blocked from the engine's result, and the
// netlens.dns.assumeClusterDns setting turns the assumed CoreDNS pods off.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspSession } from '../support/lsp';
import { fixturePath } from '../support/paths';
import { QueryRequest, ResolveRequest } from '../../protocol/messages';

const dir = fixturePath('dns', 'traffic-assumed');
const file = path.join(dir, 'lab.yaml');
const sessions: LspSession[] = [];
after(async () => Promise.all(sessions.map((s) => s.stop())));

async function start(settings: Record<string, unknown> = {}): Promise<LspSession> {
  const s = await LspSession.start(dir, settings);
  sessions.push(s);
  await s.indexed();
  return s;
}

test('netlens/query, netlens/resolve and the hover say dns-blocked and name the policy', async () => {
  const s = await start();
  const q = await s.request(QueryRequest, { from: 'restricted/client[Pod]', to: 'web', port: 80 });
  assert.equal(q.outcome, 'dns-blocked');
  const step = q.steps.find((x) => x.kind === 'dns' && /blocked/.test(x.text));
  assert.ok(step, JSON.stringify(q.steps));
  assert.match(step.text, /restricted\/lockdown\[NetworkPolicy\]/);
  assert.equal(step.location?.uri, pathToFileURL(file).toString());
  assert.match(q.report, /Outcome: DNS-BLOCKED/);

  const r = await s.request(ResolveRequest, { from: 'restricted/client[Pod]', name: 'web' });
  assert.equal(r.outcome, 'dns-blocked');
  assert.equal(r.dnsTraffic.assumed, true);
  assert.deepEqual(r.dnsTraffic.policies, ['restricted/lockdown[NetworkPolicy]']);
  assert.match(r.report, /DNS traffic: DNS lookups of restricted\/client\[Pod\] are blocked/);

  const text = readFileSync(file, 'utf8');
  const at = text.indexOf('http://web:80') + 8;
  const before = text.slice(0, at).split('\n');
  const hover = await s.request<Hover | null>('textDocument/hover', {
    textDocument: { uri: pathToFileURL(file).toString() },
    position: { line: before.length - 1, character: before[before.length - 1].length },
  });
  // workspace text in hovers is Markdown-escaped (protocol/markdown.ts): compare the text
  const md = JSON.stringify(hover?.contents ?? '').replace(/\\\\([!-/:-@[-`{-~])/g, '$1');
  assert.match(md, /DNS-BLOCKED/);
  assert.match(md, /restricted\/lockdown/);
});

test('netlens.dns.assumeClusterDns false: no DNS traffic check', async () => {
  const s = await start({ dns: { assumeClusterDns: false } });
  const q = await s.request(QueryRequest, { from: 'restricted/client[Pod]', to: 'web', port: 80 });
  assert.equal(q.outcome, 'blocked');
  assert.ok(q.steps.some((x) => x.kind === 'note' && /check is skipped/.test(x.text)));
  const r = await s.request(ResolveRequest, { from: 'restricted/client[Pod]', name: 'web' });
  assert.equal(r.outcome, 'resolved');
  assert.equal(r.dnsTraffic.status, 'skipped');
});
