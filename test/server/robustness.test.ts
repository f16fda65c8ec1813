// Regressions found by the fuzzer (test/fuzz): each test names the reproducer's request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LspSession } from '../support/lsp';
import { fixturePath } from '../support/paths';

let s: LspSession;

before(async () => {
  s = await LspSession.start(fixturePath('lsp', 'workspace'));
  await s.indexed();
});
after(async () => s.stop());

async function rejection(method: string, params: unknown): Promise<{ code?: number; message?: string }> {
  try {
    const r = await s.request(method, params);
    assert.fail(`${method} answered ${JSON.stringify(r)}`);
  } catch (e) {
    return e as { code?: number; message?: string };
  }
}

// fuzz seed 1, step 298: {"from":"default/nope[Pod]", ...} was answered with InternalError
// "Request netlens/query failed with message: no workload default/nope[Pod] in the workspace".
test('an unknown workload is RequestFailed (-32803) with a plain message, not an InternalError', async () => {
  for (const [method, params] of [
    ['netlens/query', { from: 'default/nope[Pod]', to: 'secure/vault[Pod]', port: 80 }],
    ['netlens/resolve', { from: 'nope', name: 'interginx' }],
    ['netlens/workload', { id: '' }],
  ] as const) {
    const e = await rejection(method, params);
    assert.equal(e.code, -32803, `${method}: ${JSON.stringify(e)}`);
    assert.match(String(e.message), /^no workload .* in the workspace$/);
  }
  const q = await s.request<{ outcome: string }>('netlens/query', { from: 'secure/web[Pod]', to: 'secure/vault[Pod]', port: 8200 });
  assert.equal(q.outcome, 'allowed');
});
