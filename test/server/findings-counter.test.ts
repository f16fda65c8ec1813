// The background count of every finding (findingsCounter.ts) waits while the initial indexing runs: its
// snapshots are soon replaced, so counting them is work thrown away. The snapshot current when indexing
// ends is counted then.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver';
import { countFindingsWhenIdle } from '../../server/src/findingsCounter';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { Snapshot } from '../../server/src/workspace/snapshot';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import type { ServerState } from '../../server/src/state';

const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: a}
spec:
  podSelector: {matchLabels: {app: nothing-has-this}}
  policyTypes: [Ingress]
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('findings are not counted while indexing; the snapshot current when it ends is', async () => {
  const index = new WorkspaceIndex({}, 10_000);
  index.setDisk('file:///w/p.yaml', policy);
  const snap = index.flush();
  const sent: unknown[] = [];
  const connection = { sendNotification: (_t: unknown, p: unknown) => (sent.push(p), Promise.resolve()) } as unknown as Connection;
  const state: ServerState = { index, folders: [], indexing: true, settings: { ...DEFAULT_SETTINGS }, log: () => undefined };
  countFindingsWhenIdle(connection, state, snap);
  await sleep(900);
  assert.equal(sent.length, 0, 'nothing counted while indexing');
  assert.equal(state.counted, undefined);
  assert.equal(snap.findingsComplete, false, 'no file linted in the background while indexing');
  state.indexing = false;
  for (let i = 0; i < 100 && sent.length === 0; i++) await sleep(20);
  assert.deepEqual(sent, [{ version: snap.version }]);
  const counted = (state as ServerState).counted; // (narrowed to undefined by the assertion above)
  assert.equal(counted?.version, snap.version);
  assert.deepEqual(counted?.counts, Snapshot.count(snap.allFindings(), state.settings.rules));
});

test('a snapshot replaced while indexing is never counted', async () => {
  const index = new WorkspaceIndex({}, 10_000);
  index.setDisk('file:///w/p.yaml', policy);
  const first = index.flush();
  const sent: unknown[] = [];
  const connection = { sendNotification: (_t: unknown, p: unknown) => (sent.push(p), Promise.resolve()) } as unknown as Connection;
  const state: ServerState = { index, folders: [], indexing: true, settings: { ...DEFAULT_SETTINGS }, log: () => undefined };
  countFindingsWhenIdle(connection, state, first);
  index.setDisk('file:///w/q.yaml', policy.replace('name: p', 'name: q'));
  const second = index.flush();
  countFindingsWhenIdle(connection, state, second);
  await sleep(400);
  state.indexing = false;
  for (let i = 0; i < 100 && sent.length === 0; i++) await sleep(20);
  await sleep(400);
  assert.deepEqual(sent, [{ version: second.version }]);
  assert.equal(first.findingsComplete, false);
});
