// The server's start path (docs/performance.md, "The first seconds of a small repository"), each shortcut
// compared with the simple path it replaces:
// - WorkspaceIndex.hold: changes rebuild only for a waiting request, a flush, or when the hold is over;
// - an open document's file model is read when a build needs it, from the disk entry of the same text when
//   there is one: the snapshot equals the one of an index that parsed the document on arrival;
// - a warm start reads and hashes on the main thread and parses only the changed files (here, or on workers
//   when many): the index equals a cold one of the same files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { indexFolders } from '../../server/src/workspace/loader';
import type { ServerState } from '../../server/src/state';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { lintModel } from '../../server/src/engine/lint';
import type { Model } from '../../server/src/engine/model/types';
import { PersistedIndex } from '../../server/src/workspace/persist';
import { generate } from '../bench/generate';
import { repoRoot } from '../support/paths';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pod = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: a, labels: {app: ${name}}}\nspec: {containers: [{name: c}]}\n`;
const policy = (app: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p-${app}, namespace: a}\nspec:\n  podSelector: {matchLabels: {app: ${app}}}\n  policyTypes: [Ingress]\n`;

/** What a model says, in a comparable form: its workloads, policies and every finding. */
function summary(m: Model): unknown {
  return {
    workloads: m.workloads.map((w) => w.id),
    policies: m.policies.map((p) => p.id),
    findings: lintModel(m).map((f) => `${f.code} ${f.ref.uri}:${f.ref.start}-${f.ref.end} ${f.message}`),
  };
}

test('hold: changes wait for the flush, a waiting request, or the end of the hold', async () => {
  const ix = new WorkspaceIndex({}, 10);
  let built = 0;
  ix.onDidChange(() => built++);
  ix.hold(400);
  for (let i = 0; i < 20; i++) ix.setDisk(`file:///w/p${i}.yaml`, pod(`p${i}`));
  await sleep(100);
  assert.equal(built, 0, 'no rebuild on its own while held');
  // a request for an open document's version is answered within the debounce time, hold or not
  const uri = 'file:///w/open.yaml';
  ix.setOpen(uri, pod('open'), 1);
  const t0 = Date.now();
  const snap = await ix.snapshotIncluding(uri, 1);
  assert.ok(Date.now() - t0 < 300, `answered in ${Date.now() - t0} ms`);
  assert.equal(snap.model.workloads.length, 21);
  assert.equal(built, 1);
  // after it, further changes are held again until the hold ends
  ix.setDisk('file:///w/late.yaml', pod('late'));
  await sleep(50);
  assert.equal(built, 1, 'held after the request');
  for (let i = 0; i < 100 && !ix.settled; i++) await sleep(10);
  assert.ok(ix.settled, 'rebuilt when the hold ended');
  assert.equal(ix.snapshot.model.workloads.length, 22);
  // a flush ends the hold: later changes rebuild on their own at once
  ix.hold(10_000);
  ix.setDisk('file:///w/later.yaml', pod('later'));
  ix.flush();
  const before = built;
  ix.setDisk('file:///w/last.yaml', pod('last'));
  for (let i = 0; i < 50 && built === before; i++) await sleep(10);
  assert.equal(built, before + 1, 'not held after the flush');
  assert.equal(ix.snapshot.model.workloads.length, 24);
});

test('an open document read lazily, or from the disk entry of the same text, gives the snapshot of one parsed on arrival', () => {
  const files = new Map<string, string>();
  for (let i = 0; i < 6; i++) files.set(`file:///w/f${i}.yaml`, `${pod(`w${i}`)}---\n${policy(`w${(i + 1) % 6}`)}`);
  const openUri = 'file:///w/f2.yaml';
  const edited = `${pod('w2-edited')}---\n${policy('nothing')}`;
  // the start's order: the document opens before the disk is read (same text, and an edited text)
  for (const openText of [files.get(openUri)!, edited]) {
    const lazy = new WorkspaceIndex({});
    lazy.hold(60_000);
    lazy.setOpen(openUri, openText, 1);
    for (const [u, t] of files) lazy.setDisk(u, t);
    const lazySnap = lazy.flush();
    // the simple path: the document's model is read before anything else (a build right after the open)
    const eager = new WorkspaceIndex({});
    eager.setOpen(openUri, openText, 1);
    eager.flush();
    for (const [u, t] of files) eager.setDisk(u, t);
    const eagerSnap = eager.flush();
    assert.deepEqual(summary(lazySnap.model), summary(eagerSnap.model));
    assert.equal(lazySnap.text(openUri), openText, 'the open text wins');
    assert.equal(
      lazySnap.model.workloads.some((w) => w.name === 'w2-edited'),
      openText === edited,
    );
  }
  // a document opened after its disk entry and then closed: the disk entry is what remains
  const ix = new WorkspaceIndex({});
  for (const [u, t] of files) ix.setDisk(u, t);
  ix.setOpen(openUri, edited, 1);
  ix.flush();
  ix.close(openUri);
  const closed = ix.flush();
  const plain = new WorkspaceIndex({});
  for (const [u, t] of files) plain.setDisk(u, t);
  assert.deepEqual(summary(closed.model), summary(plain.flush().model));
});

function allFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? allFiles(p) : [p];
    });
}

test('a warm start that parses only the changed files (here, or on workers) equals a cold start', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-warm-'));
  const store = mkdtempSync(path.join(os.tmpdir(), 'netlens-warm-store-'));
  const workerFile = path.join(repoRoot(), 'dist', 'parseWorker.js');
  try {
    generate('S', 5, dir);
    writeFileSync(path.join(dir, 'ci.yml'), 'name: ci\non: [push]\n');
    const run = async (parseThreads: number, minFiles: number, persisted?: PersistedIndex) => {
      const state: ServerState = {
        index: new WorkspaceIndex({}),
        folders: [dir],
        indexing: true,
        settings: { ...DEFAULT_SETTINGS, parseThreads },
        log: () => undefined,
      };
      const r = await indexFolders(state, [dir], [], undefined, persisted, { file: workerFile, minFiles });
      return { r, state, snap: state.index.snapshot };
    };
    const cold = await run(1, 0);
    await PersistedIndex.in(store, 'test').save(cold.state.index.diskFileModels(), 'default');
    // change some files after the save: new content, a file no longer Kubernetes, a new file
    const yamls = allFiles(dir).filter((f) => f.endsWith('.yaml'));
    const changed = yamls.filter((_, i) => i % 7 === 3);
    assert.ok(changed.length > 5);
    // (a comment first: every offset in the file moves; and a label value changes where there is one)
    for (const f of changed) writeFileSync(f, `# changed\n${readFileSync(f, 'utf8').replace(/tier: web/g, 'tier: wex')}`);
    writeFileSync(yamls[1], '# emptied\n');
    writeFileSync(path.join(dir, 'added.yaml'), pod('added').replace('namespace: a', 'namespace: added'));
    const fresh = await run(1, 0);
    const models = (st: ServerState) => new Map(st.index.diskFileModels().map((e) => [e.uri, e.file]));
    for (const [threads, minFiles, what] of [
      [1, 0, 'changed files parsed here'],
      [2, 1, 'changed files parsed on workers'],
      [2, 1_000_000, 'changed files parsed here (too few for workers)'],
    ] as const) {
      const persisted = PersistedIndex.in(store, 'test');
      assert.ok((await persisted.load('default')) > 0);
      const warm = await run(threads, minFiles, persisted);
      assert.equal(warm.r.reused, fresh.r.files - changed.length - 1, `${what}: the unchanged files reused`);
      assert.equal(warm.r.workers, what === 'changed files parsed on workers' ? 2 : 0, what);
      assert.equal(warm.r.files, fresh.r.files, what);
      assert.equal(warm.r.notKubernetes, fresh.r.notKubernetes, what);
      assert.deepEqual(models(warm.state), models(fresh.state), `${what}: the same file models`);
      assert.deepEqual(summary(warm.snap.model), summary(fresh.snap.model), what);
    }
    assert.ok(models(fresh.state).has(pathToFileURL(path.join(dir, 'added.yaml')).toString()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(store, { recursive: true, force: true });
  }
});
