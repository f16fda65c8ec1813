// WorkspaceIndex.snapshotIncluding: a request waits for the snapshot that has an open document's
// version (not the previous one), can be cancelled while it waits, and a closed document never waits forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SnapshotWaitCancelled, WorkspaceIndex, type Cancellation } from '../../server/src/workspace/index';

const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: a}\nspec: {containers: [{name: c}]}\n`;
const podNames = (ix: WorkspaceIndex, snapText = ix.snapshot) => snapText.model.workloads.map((w) => w.name);

/** A cancellation token the test cancels by hand. */
function token(): Cancellation & { cancel(): void } {
  const listeners = new Set<() => void>();
  let cancelled = false;
  return {
    get isCancellationRequested() {
      return cancelled;
    },
    onCancellationRequested(l: () => void) {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
    cancel() {
      cancelled = true;
      for (const l of [...listeners]) l();
    },
  };
}

test('a wait resolves with the first snapshot that includes the version asked for', async () => {
  const ix = new WorkspaceIndex({}, 10_000); // a long debounce: nothing rebuilds unless flushed
  const uri = 'file:///w/p.yaml';
  ix.setOpen(uri, pod('one'), 1);
  ix.flush();
  assert.deepEqual(podNames(ix), ['one']);
  assert.equal(ix.includedVersion(uri), 1);
  // version 1 is in the current snapshot: no wait
  assert.deepEqual(podNames(ix, await ix.snapshotIncluding(uri, 1)), ['one']);

  ix.setOpen(uri, pod('two'), 2);
  ix.setOpen(uri, pod('three'), 3); // within the debounce
  assert.equal(ix.includedVersion(uri), undefined, 'the current snapshot does not have the latest version');
  let settled: string[] | undefined;
  const waiting = ix.snapshotIncluding(uri, 3).then((s) => (settled = podNames(ix, s)));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(settled, undefined, 'still waiting: the previous snapshot does not answer');
  ix.flush();
  await waiting;
  assert.deepEqual(settled, ['three']);
  assert.equal(ix.includedVersion(uri), 3);
  // the same text again under a new version is included at once
  ix.setOpen(uri, pod('three'), 4);
  assert.equal(ix.includedVersion(uri), 4);
  assert.deepEqual(podNames(ix, await ix.snapshotIncluding(uri, 4)), ['three']);
});

test('a wait is cancelled by its token; other waits still resolve', async () => {
  const ix = new WorkspaceIndex({}, 10_000);
  const uri = 'file:///w/p.yaml';
  ix.setOpen(uri, pod('one'), 1);
  ix.flush();
  ix.setOpen(uri, pod('two'), 2);
  const t = token();
  const cancelled = ix.snapshotIncluding(uri, 2, t);
  const other = ix.snapshotIncluding(uri, 2);
  t.cancel();
  await assert.rejects(cancelled, SnapshotWaitCancelled);
  ix.flush();
  assert.deepEqual(podNames(ix, await other), ['two']);
  // a token cancelled before the wait rejects at once
  ix.setOpen(uri, pod('three'), 3);
  const early = token();
  early.cancel();
  await assert.rejects(ix.snapshotIncluding(uri, 3, early), SnapshotWaitCancelled);
  ix.flush(); // no rebuild left pending
});

test('the debounced rebuild ends a wait by itself; a document that is not open gets the current snapshot', async () => {
  const ix = new WorkspaceIndex({}, 30);
  const uri = 'file:///w/p.yaml';
  ix.setOpen(uri, pod('one'), 1);
  assert.deepEqual(podNames(ix, await ix.snapshotIncluding(uri, 1)), ['one']);
  ix.setOpen(uri, pod('two'), 2);
  ix.setOpen(uri, pod('three'), 3);
  assert.deepEqual(podNames(ix, await ix.snapshotIncluding(uri, 3)), ['three']);
  ix.close(uri);
  ix.setDisk('file:///w/q.yaml', pod('disk'));
  const now = ix.snapshot;
  assert.equal(await ix.snapshotIncluding(uri, 3), now, 'closed: no wait');
  assert.equal(await ix.snapshotIncluding('file:///w/other.yaml'), now, 'never opened: no wait');
  ix.flush();
});

test('a waiting request gets its rebuild within the debounce time even while other changes keep coming (indexing)', async () => {
  const ix = new WorkspaceIndex({}, 200);
  const uri = 'file:///w/open.yaml';
  const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\n`;
  ix.setOpen(uri, pod('one'), 1);
  await ix.snapshotIncluding(uri, 1);
  // a disk file changes on every turn of the event loop for 3 s: the debounce alone would not rebuild before they stop
  const until = Date.now() + 3000;
  let n = 0;
  const writer = (async () => {
    while (Date.now() < until) {
      ix.setDisk(`file:///w/disk-${n}.yaml`, pod(`disk-${n++}`));
      await new Promise((r) => setImmediate(r));
    }
  })();
  await new Promise((r) => setTimeout(r, 100));
  const started = Date.now();
  ix.setOpen(uri, pod('edited'), 2);
  const snap = await ix.snapshotIncluding(uri, 2);
  const waited = Date.now() - started;
  const stillWriting = Date.now() < until;
  await writer;
  assert.ok(podNames(ix, snap).includes('edited'));
  assert.ok(stillWriting && waited < 2000, `waited ${waited} ms while the disk kept changing (${n} changes)`);
  ix.flush();
});

test('changes that keep coming move the rebuild without a timer each: the armed one re-arms when it fires', async () => {
  // changes 100 ms apart for 500 ms against a 300 ms debounce: a rebuild that did not move would fire inside
  // the burst; the margin lets a loaded machine's late timers be, and the checks that nothing was rebuilt yet
  // hold only while every gap so far was shorter than the debounce (measured)
  const debounce = 300;
  const ix = new WorkspaceIndex({}, debounce);
  let armed = 0;
  const real = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: () => void, ms?: number) => {
    armed++;
    return real(fn, ms);
  }) as typeof setTimeout;
  let rebuilt = 0;
  ix.onDidChange(() => rebuilt++);
  let last = Date.now();
  let longestGap = 0;
  const pause = async () => {
    await new Promise((r) => real(r, 100));
    longestGap = Math.max(longestGap, Date.now() - last);
  };
  const changed = () => (last = Date.now());
  try {
    // 500 disk files in one burst (indexing): one rebuild after they stop, not 500 timers
    for (let i = 0; i < 500; i++) ix.setDisk(`file:///w/d-${i}.yaml`, pod(`d${i}`));
    changed();
    await pause();
    if (longestGap < debounce) assert.equal(rebuilt, 0, 'not before the debounce');
    // more changes 100 ms apart: each moves the rebuild again
    for (let i = 0; i < 5; i++) {
      ix.setDisk(`file:///w/late-${i}.yaml`, pod(`late${i}`));
      changed();
      await pause();
    }
    if (longestGap < debounce) assert.equal(rebuilt, 0, 'the changes kept coming within the debounce');
    const t0 = Date.now();
    while (rebuilt === 0 && Date.now() - t0 < 5000) await new Promise((r) => real(r, 5));
    assert.ok(rebuilt >= 1, 'rebuilt once the changes stopped');
    if (longestGap < debounce) assert.equal(rebuilt, 1);
    assert.equal(podNames(ix).length, 505);
    assert.ok(armed <= 10, `${armed} timers for 505 changes`);
  } finally {
    globalThis.setTimeout = real;
    ix.flush();
  }
});
