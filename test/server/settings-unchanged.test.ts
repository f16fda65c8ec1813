// VS Code's client sends workspace/didChangeConfiguration right after it starts, and on a change in any
// section: the server reads its settings again, and when they are the same it rebuilds nothing (an extra
// rebuild at start-up delays the first diagnostics; main.ts readSettings). A real change still rebuilds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { IndexChangedNotification } from '../../protocol/messages';
import { LspSession } from '../support/lsp';
import { repoRoot } from '../support/paths';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('the same settings again rebuild nothing; changed settings rebuild', async () => {
  let settings: Record<string, unknown> = { hover: { maxItems: 7 } };
  const s = LspSession.spawn({
    configuration: (section) => (section === 'netlens' ? settings : {}),
  });
  try {
    await s.initialize(path.join(repoRoot(), 'test', 'fixtures', 'bad'));
    await s.indexed();
    await sleep(500); // the snapshots of indexing have all been sent
    let changes = 0;
    s.onNotification(IndexChangedNotification, () => changes++);
    await s.notify('workspace/didChangeConfiguration', { settings: null });
    await sleep(1000);
    assert.equal(changes, 0, 'no rebuild for the same settings');
    settings = { hover: { maxItems: 7 }, defaultNamespace: 'elsewhere' };
    const changed = s.next(IndexChangedNotification, () => true, 10_000);
    await s.notify('workspace/didChangeConfiguration', { settings: null });
    assert.ok(await changed, 'a changed setting rebuilds');
  } finally {
    await s.stop();
  }
});
