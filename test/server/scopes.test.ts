// Analysis scopes in the language server: the loose files by default, netlens/setScope switches to an
// overlay (the answers change: dev lets web reach db, prod does not), a rendered overlay's diagnostics
// land on the patch that set the field, hovers on a base file work and name the scope.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession } from '../support/lsp';
import { repoRoot } from '../support/paths';
import { QueryRequest, ScopesOfRequest, ScopesRequest, SetScopeRequest, StatusRequest } from '../../protocol/messages';

const ws = mkdtempSync(path.join(os.tmpdir(), 'netlens-scopes-'));
cpSync(path.join(repoRoot(), 'examples', 'kustomize'), ws, { recursive: true });
writeFileSync(
  path.join(ws, 'lone.yaml'),
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: lone\n  namespace: tools\nspec:\n  containers:\n    - name: c\n      image: busybox\n',
);
const patch = path.join(ws, 'overlays', 'dev', 'db-from-web.yaml');
const uri = (...p: string[]) => pathToFileURL(path.join(ws, ...p)).toString();

let s: LspSession | undefined;
after(async () => {
  await s?.stop();
  rmSync(ws, { recursive: true, force: true });
});

test('scopes: loose by default; setScope switches the analysis; diagnostics and hovers at the sources', async () => {
  s = await LspSession.start(ws);
  await s.indexed();
  const first = await s.request(ScopesRequest);
  assert.deepEqual(first.scopes.map((x) => x.id).sort(), ['kustomize:overlays/dev', 'kustomize:overlays/prod', 'loose']);
  assert.equal(first.active, 'loose');
  let status = await s.request(StatusRequest);
  assert.equal(status.scope, 'loose');
  assert.equal(status.scopeCount, 3);
  assert.equal(status.workloads, 1, 'only the loose Pod');
  assert.deepEqual((await s.request(ScopesOfRequest, { uri: uri('base', 'web.yaml') })).sort(), [
    'kustomize:overlays/dev',
    'kustomize:overlays/prod',
  ]);

  const query = { from: 'shop/web[Deployment]', to: 'db.shop', port: 5432 };
  const prod = await s.request(SetScopeRequest, { id: 'kustomize:overlays/prod' });
  assert.equal(prod.active, 'kustomize:overlays/prod');
  status = await s.request(StatusRequest);
  assert.equal(status.workloads, 4, 'web, api, db, coredns');
  assert.equal((await s.request(QueryRequest, query)).outcome, 'blocked');
  const blockedAt = (await s.request(QueryRequest, query)).steps.flatMap((x) => (x.location ? [x.location.uri] : []));
  assert.ok(blockedAt.length > 0 && blockedAt.every((u) => u.startsWith('file:')), JSON.stringify(blockedAt));

  await s.request(SetScopeRequest, { id: 'kustomize:overlays/dev' });
  const dev = await s.request(QueryRequest, query);
  assert.equal(dev.outcome, 'allowed');
  assert.ok(
    dev.steps.some((x) => x.location?.uri === uri('overlays', 'dev', 'db-from-web.yaml')),
    JSON.stringify(dev.steps),
  );

  // an edit of the patch (a port out of range) re-renders the overlay; the diagnostic is on the patch's line
  const edited = readFileSync(patch, 'utf8').replace('- port: 5432', '- port: 5432\n        - port: 70000');
  await s.open(uri('overlays', 'dev', 'db-from-web.yaml'), edited);
  const d = await s.diagnosticsEventually(uri('overlays', 'dev', 'db-from-web.yaml'), (x) =>
    x.some((y) => /70000/.test(String(y.message))),
  );
  const port = d.find((x) => /70000/.test(String(x.message)));
  assert.ok(port, JSON.stringify(d));
  const lines = edited.split('\n');
  assert.match(lines[port.range.start.line], /port: 70000/);
  assert.deepEqual(await s.diagnostics(uri('lone.yaml')), [], 'the loose Pod is not in this scope');

  // a hover on the base's selector: answered from the rendered object, naming the scopes
  const policies = readFileSync(path.join(ws, 'base', 'policies.yaml'), 'utf8').split('\n');
  const line = policies.findIndex((l) => /app: api/.test(l));
  const hover = await s.request<{ contents: { value: string } } | null>('textDocument/hover', {
    textDocument: { uri: uri('base', 'policies.yaml') },
    position: { line, character: policies[line].indexOf('api') },
  });
  assert.ok(hover, 'a hover on the base file');
  assert.match(hover.contents.value, /Scope: `kustomize:overlays\/dev` \(this file is also in `kustomize:overlays\/prod`\)/);

  await assert.rejects(s.request(SetScopeRequest, { id: 'kustomize:nope' }), /no scope "kustomize:nope"/);
});
