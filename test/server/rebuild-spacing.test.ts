// WorkspaceIndex's rebuild timing (rebuildDelay): a stream of disk changes (indexing, a checkout) is rebuilt
// at most once per DISK_REBUILD_SPACING times the last rebuild's duration; an edit in an open document
// and a request waiting for a rebuild are not held by that spacing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DISK_REBUILD_SPACING, rebuildDelay, WorkspaceIndex } from '../../server/src/workspace/index';

test('rebuildDelay: quiet changes at once, others after the debounce time', () => {
  assert.equal(rebuildDelay({ quiet: true, debounceMs: 40 }), 0);
  assert.equal(rebuildDelay({ quiet: false, debounceMs: 40 }), 40);
});

test('rebuildDelay: a disk change waits for the spacing after the last rebuild, an open document does not', () => {
  const spacing = { lastBuildMs: 100, sinceBuildMs: 50 };
  // right after a 100 ms rebuild, even a change after a "quiet" spell (the rebuild itself) waits
  assert.equal(rebuildDelay({ quiet: true, debounceMs: 40, spacing }), 100 * DISK_REBUILD_SPACING - 50);
  assert.equal(rebuildDelay({ quiet: false, debounceMs: 40, spacing }), 100 * DISK_REBUILD_SPACING - 50);
  // long after it: as before
  assert.equal(rebuildDelay({ quiet: true, debounceMs: 40, spacing: { lastBuildMs: 100, sinceBuildMs: 100_000 } }), 0);
  assert.equal(rebuildDelay({ quiet: false, debounceMs: 40, spacing: { lastBuildMs: 100, sinceBuildMs: 100_000 } }), 40);
  // a cheap rebuild spaces nothing beyond the debounce
  assert.equal(rebuildDelay({ quiet: false, debounceMs: 40, spacing: { lastBuildMs: 1, sinceBuildMs: 0 } }), 40);
});

test('rebuildDelay: a waiting request’s deadline wins over the debounce and the spacing', () => {
  const spacing = { lastBuildMs: 500, sinceBuildMs: 0 };
  assert.equal(rebuildDelay({ quiet: false, debounceMs: 40, spacing, untilDeadlineMs: 25 }), 25);
  assert.equal(rebuildDelay({ quiet: false, debounceMs: 40, untilDeadlineMs: 25 }), 25);
  assert.equal(rebuildDelay({ quiet: false, debounceMs: 40, spacing, untilDeadlineMs: -5 }), 0, 'a passed deadline: at once');
  assert.equal(rebuildDelay({ quiet: true, debounceMs: 40, untilDeadlineMs: 25 }), 0);
});

const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: a}\nspec: {containers: [{name: c}]}\n`;

test('a stream of disk changes ends in a snapshot with all of them; an open document edited meanwhile is rebuilt without the spacing', async () => {
  const ix = new WorkspaceIndex({}, 10);
  const snapshots: number[] = [];
  ix.onDidChange((s) => snapshots.push(s.model.workloads.length));
  const uri = 'file:///w/open.yaml';
  ix.setOpen(uri, pod('open-1'), 1);
  await ix.snapshotIncluding(uri, 1);
  const files = 600;
  for (let i = 0; i < files; i++) {
    ix.setDisk(`file:///w/disk-${i}.yaml`, pod(`disk-${i}`));
    if (i % 20 === 19) await new Promise((r) => setTimeout(r, 2));
  }
  ix.setOpen(uri, pod('open-2'), 2);
  const snap = await ix.snapshotIncluding(uri, 2);
  assert.ok(snap.model.workloads.some((w) => w.name === 'open-2'));
  // the last disk change is rebuilt by itself (no flush): wait for the settled index
  for (let i = 0; i < 500 && !ix.settled; i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(ix.settled, 'every change was rebuilt');
  assert.equal(ix.snapshot.model.workloads.length, files + 1);
  assert.equal(snapshots[snapshots.length - 1], files + 1);
});

test('a disk change right after an edit in an open document does not space out the edit’s rebuild', async () => {
  const ix = new WorkspaceIndex({}, 10);
  const uri = 'file:///w/open.yaml';
  ix.setOpen(uri, pod('open-1'), 1);
  ix.flush();
  // as if the last rebuild had taken a second and just ended: a disk change alone would wait ~10 s
  Object.assign(ix as unknown as Record<string, number>, { lastBuildMs: 1000, lastBuildEnd: Date.now() });
  const rebuilt = new Promise<number>((resolve) => ix.onDidChange(() => resolve(Date.now())));
  const t = Date.now();
  ix.setOpen(uri, pod('open-2'), 2);
  ix.setDisk('file:///w/disk.yaml', pod('disk'));
  const at = await Promise.race([rebuilt, new Promise<number>((r) => setTimeout(() => r(Infinity), 3000))]);
  assert.ok(at - t < 1000, `the edit was rebuilt after ${at - t} ms`);
  assert.ok(ix.snapshot.model.workloads.some((w) => w.name === 'open-2'));
  ix.flush();
});
