import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, cpSync, writeFileSync, readFileSync, readdirSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LspSession } from '../support/lsp';
import { repoRoot } from '../support/paths';
import { IndexSavedNotification, QueryRequest } from '../../protocol/messages';
import { INDEX_FORMAT } from '../../server/src/workspace/persist';

function scratchWorkspace(): { scratch: string; ws: string; storage: string } {
  const scratch = mkdtempSync(path.join(tmpdir(), 'netlens-persist-'));
  const ws = path.join(scratch, 'ws');
  cpSync(path.join(repoRoot(), 'examples', 'shop'), ws, { recursive: true });
  return { scratch, ws, storage: path.join(scratch, 'storage') };
}

const temps = (storage: string) => (existsSync(storage) ? readdirSync(storage).filter((n) => n.endsWith('.tmp')) : []);

test('reopening a workspace reuses the persisted index (kept in the storage dir, not in the tree)', async () => {
  const { scratch, ws, storage } = scratchWorkspace();
  try {
    const first = await LspSession.start(ws, {}, { storagePath: storage });
    const cold = await first.indexed();
    // the index is saved in the background after indexing: the server says when it is written
    const saved = await first.notification(IndexSavedNotification);
    await first.stop();
    assert.equal(cold.lastIndex?.reused, 0);
    assert.ok(cold.lastIndex!.files >= 8);
    assert.deepEqual(saved, { written: true, files: cold.lastIndex!.files });
    assert.ok(existsSync(path.join(storage, 'index.json')), 'index written to the storage dir');
    assert.deepEqual(readdirSync(ws).sort(), readdirSync(path.join(repoRoot(), 'examples', 'shop')).sort(), 'nothing written to the tree');

    // one file changes while the editor is closed: only that one is read again
    const f = path.join(ws, 'shop', 'cart.yaml');
    writeFileSync(f, readFileSync(f, 'utf8').replace('replicas: 2', 'replicas: 3'));
    const second = await LspSession.start(ws, {}, { storagePath: storage });
    const warm = await second.indexed();
    assert.equal(warm.lastIndex?.files, cold.lastIndex?.files);
    assert.equal(warm.lastIndex?.reused, cold.lastIndex!.files - 1);
    assert.equal(warm.workloads, cold.workloads);
    const q = await second.request(QueryRequest, { from: 'shop/frontend[Deployment]', to: 'cart', port: 7070 });
    assert.equal(q.outcome, 'allowed');
    assert.deepEqual(await second.notification(IndexSavedNotification), { written: true, files: cold.lastIndex!.files });
    await second.stop();
    assert.deepEqual(temps(storage), []);

    // nothing changed since: every file comes from the index, which is not written again
    const index = path.join(storage, 'index.json');
    const before = readFileSync(index, 'utf8');
    const mtime = statSync(index).mtimeMs;
    const third = await LspSession.start(ws, {}, { storagePath: storage });
    const unchanged = await third.indexed();
    assert.equal(unchanged.lastIndex?.reused, cold.lastIndex!.files);
    assert.deepEqual(await third.notification(IndexSavedNotification), { written: false, unchanged: true, files: cold.lastIndex!.files });
    await third.stop();
    assert.equal(statSync(index).mtimeMs, mtime, 'index.json not rewritten');
    assert.equal(readFileSync(index, 'utf8'), before);

    // another default namespace: the files are read again and the index is written
    const fourth = await LspSession.start(ws, { defaultNamespace: 'other' }, { storagePath: storage });
    const other = await fourth.indexed();
    assert.equal(other.lastIndex?.reused, 0);
    assert.deepEqual(await fourth.notification(IndexSavedNotification), { written: true, files: cold.lastIndex!.files });
    await fourth.stop();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('a server shut down right after indexing finishes its save first and leaves no temp file', async () => {
  const { scratch, ws, storage } = scratchWorkspace();
  // what a server killed mid-save leaves (a pid that cannot run): the next save removes it
  mkdirSync(storage, { recursive: true });
  writeFileSync(path.join(storage, 'index.json.99999999.1.tmp'), '{"format":');
  try {
    const s = await LspSession.start(ws, {}, { storagePath: storage });
    const st = await s.indexed();
    assert.ok(st.lastIndex);
    // no waiting for netlens/indexSaved: the shutdown request is answered once the save is done
    await s.request('shutdown', null);
    assert.ok(existsSync(path.join(storage, 'index.json')), 'index written before the shutdown response');
    assert.deepEqual(temps(storage), []);
    await s.stop();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('a server told to exit without a shutdown leaves a whole index or none, and no temp file', async () => {
  const { scratch, ws, storage } = scratchWorkspace();
  try {
    const s = await LspSession.start(ws, {}, { storagePath: storage });
    await s.indexed();
    const exited = new Promise<void>((r) => (s.proc.exitCode !== null ? r() : s.proc.once('exit', () => r())));
    await s.conn.sendNotification('exit');
    await exited;
    s.conn.dispose();
    assert.deepEqual(temps(storage), []);
    const index = path.join(storage, 'index.json');
    if (existsSync(index)) assert.equal(JSON.parse(readFileSync(index, 'utf8')).format, INDEX_FORMAT);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('without a storage dir nothing is saved, and the server says so', async () => {
  const { scratch, ws } = scratchWorkspace();
  try {
    const s = await LspSession.start(ws);
    await s.indexed();
    assert.deepEqual(await s.notification(IndexSavedNotification), { written: false, files: 0 });
    await s.stop();
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});
