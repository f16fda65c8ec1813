// whenIdle (server/src/workspace/whenIdle.ts): the background work after indexing (the persisted index's save, the code
// cache) waits until the editor has asked for nothing for a moment and no rebuild waits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { whenIdle } from '../../server/src/workspace/whenIdle';

test('whenIdle waits for a pause in the requests and for the rebuild that is due', async () => {
  const index = new WorkspaceIndex({}, 10_000);
  index.flush();
  const state: { index: WorkspaceIndex; lastRequest?: number } = { index };
  // idle already: at once
  let done = false;
  await whenIdle(state, 30).then(() => (done = true));
  assert.equal(done, true);
  // a request just now: not before 30 ms have passed since it
  state.lastRequest = Date.now();
  const t = Date.now();
  await whenIdle(state, 30);
  assert.ok(Date.now() - t >= 25, `waited ${Date.now() - t} ms`);
  // changes waiting for their rebuild (the second within the debounce time: due in 10 s): not before the rebuild
  index.setOpen('file:///a.yaml', 'kind: ConfigMap\n', 1);
  index.setOpen('file:///a.yaml', 'kind: ConfigMap\n#\n', 2);
  let resolved = false;
  const p = whenIdle(state, 5).then(() => (resolved = true));
  await new Promise((r) => setTimeout(r, 40));
  assert.equal(resolved, false, 'a rebuild waits');
  index.flush();
  await p;
  assert.equal(resolved, true);
});
