// The server keeps the workspace's trust (it decides whether helm may run): from
// initializationOptions.workspaceTrusted, then netlens/workspaceTrust; anything else is untrusted.
// Also the netlens.helm.path setting as the server reads it.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { LspSession } from '../support/lsp';
import { fixturePath } from '../support/paths';
import { StatusRequest, WorkspaceTrustNotification } from '../../protocol/messages';
import { settingsFrom } from '../../server/src/settings';

const sessions: LspSession[] = [];
after(async () => Promise.all(sessions.map((s) => s.stop())));
const start = async (init?: Record<string, unknown>) => {
  const s = await LspSession.start(fixturePath('charts'), {}, init);
  sessions.push(s);
  return s;
};

test('a client that says nothing about trust is untrusted; workspaceTrusted: true is trusted', async () => {
  assert.equal((await (await start()).request(StatusRequest)).workspaceTrusted, false);
  assert.equal((await (await start({ workspaceTrusted: 'yes' })).request(StatusRequest)).workspaceTrusted, false);
  assert.equal((await (await start({ storagePath: 7, workspaceTrusted: true })).request(StatusRequest)).workspaceTrusted, true);
});

test('netlens/workspaceTrust changes it; malformed parameters are untrusted, not a crash', async () => {
  const s = await start({ workspaceTrusted: false });
  await s.notify(WorkspaceTrustNotification.method, { trusted: true });
  assert.equal((await s.request(StatusRequest)).workspaceTrusted, true);
  await s.notify(WorkspaceTrustNotification.method, null);
  assert.equal((await s.request(StatusRequest)).workspaceTrusted, false);
  await s.notify(WorkspaceTrustNotification.method, { trusted: true });
  await s.notify(WorkspaceTrustNotification.method, { trusted: 1 });
  assert.equal((await s.request(StatusRequest)).workspaceTrusted, false);
});

test('netlens.helm.path: a string (trimmed); any other type is "" (helm on PATH)', () => {
  assert.equal(settingsFrom({ helm: { path: ' /opt/helm/bin/helm ' } }, {}).helmPath, '/opt/helm/bin/helm');
  assert.equal(settingsFrom({ helm: { path: 3 } }, {}).helmPath, '');
  assert.equal(settingsFrom({ helm: 'x' }, {}).helmPath, '');
  assert.equal(settingsFrom(undefined, undefined).helmPath, '');
});
