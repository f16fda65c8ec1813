// A corrupt persisted index (truncated, wrong shape, wrong version, huge numbers, models the engine
// cannot combine) never stops the server: it is discarded or read again from the files, the first edit
// is answered, and a rebuild that throws keeps the last good snapshot. The index is written with mode 0600.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, cpSync, writeFileSync, readFileSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession } from '../support/lsp';
import { repoRoot } from '../support/paths';
import { IndexSavedNotification, QueryRequest } from '../../protocol/messages';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { contentHash } from '../../server/src/workspace/persist';

function scratchWorkspace(): { scratch: string; ws: string; storage: string } {
  const scratch = mkdtempSync(path.join(tmpdir(), 'netlens-corrupt-'));
  const ws = path.join(scratch, 'ws');
  cpSync(path.join(repoRoot(), 'examples', 'shop'), ws, { recursive: true });
  return { scratch, ws, storage: path.join(scratch, 'storage') };
}

test('a corrupt index.json never stops the server; the good one is written with mode 0600', async () => {
  const { scratch, ws, storage } = scratchWorkspace();
  try {
    const first = await LspSession.start(ws, {}, { storagePath: storage });
    const cold = await first.indexed();
    await first.notification(IndexSavedNotification);
    await first.stop();
    const file = path.join(storage, 'index.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const good = readFileSync(file, 'utf8');
    const data = JSON.parse(good) as { engine: string; defaultNamespace: string; files: Record<string, { hash: string; file: unknown }> };
    const someUri = Object.keys(data.files).find((u) => u.endsWith('cart.yaml'))!;
    const withFile = (f: (e: { hash: string; file: Record<string, unknown> }) => void) => {
      const d = JSON.parse(good) as typeof data;
      f(d.files[someUri] as { hash: string; file: Record<string, unknown> });
      return JSON.stringify(d);
    };
    const variants: Record<string, string> = {
      truncated: good.slice(0, Math.floor(good.length / 2)),
      'not an object': '[1,2,3]',
      'wrong version': good.replace(/"version":\d+/, '"version":999'),
      'no version': good.replace(/"version":\d+,/, ''),
      'files is a list': JSON.stringify({ ...data, files: [] }),
      'huge numbers': withFile((e) => {
        const objects = e.file.objects as { ref: { start: number; end: number } }[];
        objects[0]!.ref.start = 1e308;
        objects[0]!.ref.end = Number.POSITIVE_INFINITY; // written as null: replaced by 1e400 below
      }).replace('"end":null', '"end":1e400'),
      'objects the engine cannot combine': withFile((e) => {
        e.file.objects = [{ kind: 'workload', key: 'x', ref: { uri: someUri, start: 0, end: 1 }, nameRef: null, findings: [], value: {} }];
      }),
      'entry of another file': withFile((e) => {
        e.file.uri = 'file:///elsewhere.yaml';
      }),
    };
    for (const [name, text] of Object.entries(variants)) {
      mkdirSync(storage, { recursive: true });
      writeFileSync(file, text);
      const s = await LspSession.start(ws, {}, { storagePath: storage });
      try {
        const st = await s.indexed();
        assert.equal(st.workloads, cold.workloads, `${name}: workloads`);
        // the first edit is answered (it used to crash the server on every restart)
        const uri = pathToFileURL(path.join(ws, 'shop', 'cart.yaml')).toString();
        const t = readFileSync(path.join(ws, 'shop', 'cart.yaml'), 'utf8');
        await s.open(uri, t);
        await s.change(uri, t.replace('replicas: 2', 'replicas: 4'));
        const q = await s.request(QueryRequest, { from: 'shop/frontend[Deployment]', to: 'cart', port: 7070 });
        assert.equal(q.outcome, 'allowed', name);
        assert.equal(s.proc.exitCode, null, `${name}: server exited`);
        await s.notification(IndexSavedNotification);
      } finally {
        await s.stop();
      }
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).version, JSON.parse(good).version, `${name}: rewritten`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
});

test('a rebuild that throws keeps the last good snapshot, and cached models are read again', () => {
  const uri = 'file:///w/a.yaml';
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: ns}\nspec: {containers: [{name: c, image: i}]}\n';
  const logs: string[] = [];
  const index = new WorkspaceIndex({}, 0);
  index.log = (m) => logs.push(m);
  index.setDisk(uri, text);
  const good = index.flush();
  assert.equal(good.model.workloads.length, 1);
  // a listener that throws does not stop the others, nor the rebuild
  let told = 0;
  index.onDidChange(() => {
    throw new Error('listener');
  });
  index.onDidChange(() => told++);
  // a cached model the engine cannot combine (what a corrupt persisted index gives)
  const bad = {
    uri,
    objects: [{ kind: 'workload', key: 'x', ref: { uri, start: 0, end: 1 }, findings: [], value: {} }],
    findings: [],
    skipped: [],
    corefiles: [],
    dnsConfigs: [],
    cniHints: [],
  } as unknown as Parameters<WorkspaceIndex['setDisk']>[2];
  index.setDisk('file:///w/b.yaml', text.replace('name: p', 'name: q'), bad);
  const next = index.flush();
  assert.equal(next.model.workloads.length, 2, 'read again from the text');
  assert.equal(told, 1);
  assert.ok(
    logs.some((l) => /rebuilding the model failed/.test(l)),
    logs.join('\n'),
  );
  assert.ok(contentHash(text).length === 40);
});
