import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, cpSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LspSession } from '../support/lsp';
import { repoRoot } from '../support/paths';

test('reopening a workspace reuses the persisted index (kept in the storage dir, not in the tree)', async () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'netlens-persist-'));
  const ws = path.join(scratch, 'ws');
  const storage = path.join(scratch, 'storage');
  cpSync(path.join(repoRoot(), 'examples', 'shop'), ws, { recursive: true });
  try {
    const first = await LspSession.start(ws, {}, { storagePath: storage });
    const cold = await first.indexed();
    await first.stop();
    assert.equal(cold.lastIndex?.reused, 0);
    assert.ok(cold.lastIndex!.files >= 8);
    assert.ok(existsSync(path.join(storage, 'index.json')), 'index written to the storage dir');

    // one file changes while the editor is closed: only that one is read again
    const f = path.join(ws, 'shop', 'cart.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('replicas: 2', 'replicas: 3'));
    const second = await LspSession.start(ws, {}, { storagePath: storage });
    const warm = await second.indexed();
    assert.equal(warm.lastIndex?.files, cold.lastIndex?.files);
    assert.equal(warm.lastIndex?.reused, cold.lastIndex!.files - 1);
    assert.equal(warm.workloads, cold.workloads);
    const q = await second.request<{ outcome: string }>('netlens/query', { from: 'shop/frontend[Deployment]', to: 'cart', port: 7070 });
    assert.equal(q.outcome, 'allowed');
    await second.stop();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
