// Regressions found by the fuzzer (test/fuzz): each test names the reproducer's request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { LspSession } from '../support/lsp';
import { fixturePath } from '../support/paths';
import { QueryRequest, ResolveRequest, StatusRequest, WorkloadRequest } from '../../protocol/messages';

let s: LspSession;

before(async () => {
  s = await LspSession.start(fixturePath('lsp', 'workspace'));
  await s.indexed();
});
after(async () => s.stop());

// fuzz seed 1, step 298: {"from":"default/nope[Pod]", ...} was answered with InternalError
// "Request netlens/query failed with message: no workload default/nope[Pod] in the workspace".
test('an unknown workload is RequestFailed (-32803) with a plain message, not an InternalError', async () => {
  for (const [method, params] of [
    [QueryRequest.method, { from: 'default/nope[Pod]', to: 'secure/vault[Pod]', port: 80 }],
    [ResolveRequest.method, { from: 'nope', name: 'interginx' }],
    [WorkloadRequest.method, { id: '' }],
  ] as const) {
    const e = await s.rejection(method, params);
    assert.equal(e.code, -32803, `${method}: ${JSON.stringify(e)}`);
    assert.match(String(e.message), /^no workload "[^"]*"/);
  }
  const q = await s.request(QueryRequest, { from: 'secure/web[Pod]', to: 'secure/vault[Pod]', port: 8200 });
  assert.equal(q.outcome, 'allowed');
});

// fuzz seed 200, step 2574: after a settings change with "netlens.clusterDomain": 5 (settings.json allows
// any type; VS Code only warns) every request failed with InternalError
// "model.options.clusterDomain.replace is not a function" until the setting changed again.
test('settings of the wrong type are ignored, not passed to the engine', async () => {
  const settings = {
    clusterDomain: 5,
    defaultNamespace: ['a'],
    cni: 3,
    hostNetwork: true,
    rules: 'off',
    hoverMaxItems: '5',
    files: { exclude: 'x', maxSizeKB: 'big' },
  };
  const w = await LspSession.start(fixturePath('lsp', 'workspace'), settings);
  try {
    await w.indexed();
    const st = await w.request(StatusRequest);
    assert.ok(st.workloads >= 7, JSON.stringify(st));
    assert.equal(st.clusterDomain.domain, 'cluster.local');
    const uri = pathToFileURL(fixturePath('lsp', 'workspace', 'remote.yaml')).toString();
    await w.open(uri, readFileSync(fixturePath('lsp', 'workspace', 'remote.yaml'), 'utf8'));
    const d = await w.diagnosticsEventually(uri, (x) => x.some((y) => y.code === 'unresolvable-name'));
    assert.ok(
      d.some((y) => y.code === 'unresolvable-name'),
      JSON.stringify(d),
    );
    const r = await w.request(ResolveRequest, { from: 'remote/remotebox[Pod]', name: 'interginx' });
    assert.equal(r.tried[0].name, 'interginx.remote.svc.cluster.local');
  } finally {
    await w.stop();
  }
});
