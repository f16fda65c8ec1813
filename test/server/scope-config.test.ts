// The scope configuration in the language server: `.netlens.yaml` at the workspace root and the
// netlens.scopes setting name, hide and add scopes as the CLI does; a line that cannot be used is a
// scope-config diagnostic there; editing the file (open buffer or disk) or the setting re-detects.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession } from '../support/lsp';
import { repoRoot } from '../support/paths';
import { ScopesRequest, SetScopeRequest, StatusRequest, type ScopesResult } from '../../protocol/messages';

const ws = mkdtempSync(path.join(os.tmpdir(), 'netlens-scope-config-'));
cpSync(path.join(repoRoot(), 'examples', 'kustomize'), ws, { recursive: true });
writeFileSync(
  path.join(ws, 'lone.yaml'),
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: lone\n  namespace: tools\nspec:\n  containers:\n    - name: c\n      image: busybox\n',
);
const config = path.join(ws, '.netlens.yaml');
const configUri = pathToFileURL(config).toString();
const CONFIG = [
  'scopes:',
  '  - id: kustomize:overlays/prod',
  '    name: Production',
  '  - id: loose',
  '    hide: true',
  '  - kustomize: base',
  '    name: Base only',
  '  - id: kustomize:overlays/nope',
  '',
].join('\n');
writeFileSync(config, CONFIG);

const settings: Record<string, unknown> = {};
let s: LspSession | undefined;
after(async () => {
  await s?.stop();
  rmSync(ws, { recursive: true, force: true });
});

const summary = (r: ScopesResult) => r.scopes.map((x) => `${x.id}${x.name !== undefined ? `=${x.name}` : ''}`).sort();

/** netlens/scopes until it satisfies `ready` (edits rebuild after a debounce). */
async function scopesEventually(ready: (r: ScopesResult) => boolean): Promise<ScopesResult> {
  const end = Date.now() + 10_000;
  for (;;) {
    const r = await s!.request(ScopesRequest);
    if (ready(r) || Date.now() > end) return r;
    await new Promise((res) => setTimeout(res, 50));
  }
}

test('.netlens.yaml renames, hides and adds scopes; a bad line is a scope-config diagnostic', async () => {
  s = await LspSession.start(ws, settings);
  await s.indexed();
  const first = await s.request(ScopesRequest);
  assert.deepEqual(summary(first), ['kustomize:base=Base only', 'kustomize:overlays/dev', 'kustomize:overlays/prod=Production']);

  // the line naming no scope gets the diagnostic, at its line; the rest still applies
  const d = await s.diagnosticsEventually(configUri, (x) => x.length > 0);
  assert.equal(d.length, 1, JSON.stringify(d));
  assert.equal(d[0].code, 'scope-config');
  assert.match(String(d[0].message), /no scope "kustomize:overlays\/nope"/);
  assert.match(CONFIG.split('\n')[d[0].range.start.line], /kustomize:overlays\/nope/);

  // the active scope's name reaches the status item
  await s.request(SetScopeRequest, { id: 'kustomize:overlays/prod' });
  const status = await s.request(StatusRequest);
  assert.equal(status.scope, 'kustomize:overlays/prod');
  assert.equal(status.scopeName, 'Production');
  assert.equal(status.scopeCount, 3);
  assert.equal(status.workloads, 4, 'web, api, db, coredns of the prod overlay');
});

test('editing .netlens.yaml in the editor re-detects the scopes', async () => {
  const edited = CONFIG.replace('    hide: true\n', '    name: Loose files\n').replace('  - id: kustomize:overlays/nope\n', '');
  await s!.open(configUri, edited);
  const r = await scopesEventually((x) => x.scopes.some((y) => y.id === 'loose'));
  assert.deepEqual(summary(r), [
    'kustomize:base=Base only',
    'kustomize:overlays/dev',
    'kustomize:overlays/prod=Production',
    'loose=Loose files',
  ]);
  assert.deepEqual(await s!.diagnosticsEventually(configUri, (x) => x.length === 0), []);
  // the configuration is no manifest: the loose scope is the Pod alone
  await s!.request(SetScopeRequest, { id: 'loose' });
  const st = await s!.request(StatusRequest);
  assert.equal(st.workloads, 1);
  assert.equal(st.scopeName, 'Loose files');

  // a line that is not a scope entry: a diagnostic there, as you type
  const bad = `${edited}  - kustomize: base\n    colour: blue\n`;
  await s!.change(configUri, bad);
  const d = await s!.diagnosticsEventually(configUri, (x) => x.some((y) => /colour/.test(String(y.message))));
  const colour = d.find((y) => /colour/.test(String(y.message)));
  assert.ok(colour, JSON.stringify(d));
  assert.equal(colour.code, 'scope-config');
  assert.match(bad.split('\n')[colour.range.start.line], /colour: blue/);
  await s!.close(configUri);
});

test('a .netlens.yaml changed on disk re-detects the scopes', async () => {
  writeFileSync(config, 'scopes:\n  - id: kustomize:overlays/dev\n    hide: true\n');
  await s!.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 2 }] });
  const r = await scopesEventually((x) => !x.scopes.some((y) => y.id === 'kustomize:overlays/dev'));
  assert.deepEqual(summary(r), ['kustomize:overlays/prod', 'loose']);

  // deleted: the detected scopes again
  rmSync(config);
  await s!.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 3 }] });
  const back = await scopesEventually((x) => x.scopes.some((y) => y.id === 'kustomize:overlays/dev'));
  assert.deepEqual(summary(back), ['kustomize:overlays/dev', 'kustomize:overlays/prod', 'loose']);
});

test('the netlens.scopes setting applies after .netlens.yaml', async () => {
  writeFileSync(config, 'scopes:\n  - id: kustomize:overlays/prod\n    name: Production\n');
  await s!.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: configUri, type: 1 }] });
  await scopesEventually((x) => x.scopes.some((y) => y.name === 'Production'));

  settings.scopes = [
    { id: 'kustomize:overlays/prod', name: 'Prod (setting)' },
    { id: 'kustomize:overlays/dev', hide: true },
    { kustomize: 'base' },
    { id: 'kustomize:nowhere' },
    'not an entry',
  ];
  await s!.notify('workspace/didChangeConfiguration', { settings: {} });
  const r = await scopesEventually((x) => !x.scopes.some((y) => y.id === 'kustomize:overlays/dev'));
  assert.deepEqual(summary(r), ['kustomize:base', 'kustomize:overlays/prod=Prod (setting)', 'loose']);
  // the setting has no lines: its problems are logged, never a diagnostic on the file
  assert.deepEqual(await s!.diagnostics(configUri), []);

  // the setting emptied: the file's configuration alone again
  settings.scopes = [];
  await s!.notify('workspace/didChangeConfiguration', { settings: {} });
  const back = await scopesEventually((x) => x.scopes.some((y) => y.id === 'kustomize:overlays/dev'));
  assert.deepEqual(summary(back), ['kustomize:overlays/dev', 'kustomize:overlays/prod=Production', 'loose']);
});

test('a .netlens.yaml that hides every scope leaves an empty loose scope (no crash)', async () => {
  const all =
    'scopes:\n  - id: kustomize:overlays/dev\n    hide: true\n  - id: kustomize:overlays/prod\n    hide: true\n  - id: loose\n    hide: true\n';
  await s!.open(configUri, all);
  const r = await scopesEventually((x) => x.scopes.length === 1);
  assert.deepEqual(summary(r), ['loose']);
  const st = await s!.request(StatusRequest);
  assert.equal(st.workloads, 0);
  assert.deepEqual(await s!.diagnostics(configUri), []);
  await s!.close(configUri);
});
