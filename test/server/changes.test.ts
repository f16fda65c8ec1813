// netlens/changes and the changed-policy code lenses: a real git repository (git init/commit), the
// server on it, and edits sent as unsaved buffers: the diff is the working state against HEAD.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens } from 'vscode-languageserver';
import { LspSession } from '../support/lsp';
import { ChangesRequest, HeadChangedNotification, type ChangesResult } from '../../protocol/messages';
import { movesHead } from '../../server/src/workspace/gitHead';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-changes-'));
const sessions: LspSession[] = [];
after(async () => {
  await Promise.all(sessions.map((s) => s.stop()));
  rmSync(tmp, { recursive: true, force: true });
});

const hasGit = spawnSync('git', ['--version']).status === 0;
const skip = hasGit ? false : 'git is not installed: these tests run the real git executable';

function git(dir: string, ...args: string[]): void {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir } });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
}

const APPS = `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    metadata: { labels: { app: web } }
    spec: { containers: [{ name: c, image: x, ports: [{ containerPort: 80 }] }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: "cart<b>", namespace: shop }
spec:
  template:
    metadata: { labels: { app: cart } }
    spec: { containers: [{ name: c, image: x }] }
`;
const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-in, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Ingress]
  ingress: []
`;
const OPENED = `${POLICY.replace('  ingress: []\n', '')}  ingress:
    - from: [{ podSelector: { matchLabels: { app: cart } } }]
      ports: [{ port: 80 }]
`;
const TO_EVERYONE = `${POLICY.replace('  ingress: []\n', '')}  ingress:
    - from: [{ namespaceSelector: {} }]
`;

let n = 0;
function repo(files: Record<string, string>, commit = true): string {
  const dir = path.join(tmp, `r${n++}`);
  mkdirSync(dir);
  for (const [f, text] of Object.entries(files)) writeFileSync(path.join(dir, f), text);
  if (commit) {
    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'base');
  }
  return dir;
}

async function start(dir: string, trusted = true): Promise<LspSession> {
  const s = await LspSession.start(dir, {}, { workspaceTrusted: trusted });
  sessions.push(s);
  await s.indexed();
  return s;
}

async function changesEventually(s: LspSession, ready: (r: ChangesResult) => boolean): Promise<ChangesResult> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = await s.request(ChangesRequest);
    if (ready(r) || Date.now() > deadline) return r;
    await new Promise((res) => setTimeout(res, 50));
  }
}

test('an unsaved edit that opens a port is an added entry, caused by the rule, with a +1 lens on the policy', { skip }, async () => {
  const dir = repo({ 'apps.yaml': APPS, 'policy.yaml': POLICY });
  const s = await start(dir);
  const clean = await s.request(ChangesRequest);
  assert.equal(clean.available, true, clean.reason);
  assert.equal(clean.commits.length, 1);
  assert.deepEqual(clean.entries, []);

  const uri = pathToFileURL(path.join(dir, 'policy.yaml')).toString();
  await s.open(uri, POLICY);
  await s.change(uri, OPENED);
  const r = await changesEventually(s, (x) => x.entries.length > 0);
  assert.deepEqual(
    r.entries.map((e) => [e.category, e.namespace, e.source.id, e.destination.id, e.ports, e.before, e.after]),
    [['added', 'shop', 'shop/cart<b>[Deployment]', 'shop/web[Deployment]', 'No Connections -> TCP 80', 'No Connections', 'TCP 80']],
  );
  const cause = r.entries[0].causes.find((c) => c.location);
  assert.ok(cause, JSON.stringify(r.entries[0].causes));
  assert.equal(cause.location!.uri, uri);
  assert.deepEqual(r.exposed, []);

  const lenses = await s.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  const lens = lenses.find((l) => l.command?.title.startsWith('+'));
  assert.equal(lens?.command?.title, '+1 / -0 connection (against HEAD)');
  // beside the policy's own lens
  assert.deepEqual(lens?.range, lenses.find((l) => l.command?.command === 'netlens.focusPolicy')?.range);

  // back to HEAD's text: nothing changed, no lens
  await s.change(uri, readFileSync(path.join(dir, 'policy.yaml'), 'utf8'));
  assert.deepEqual((await changesEventually(s, (x) => x.entries.length === 0)).entries, []);
  const after = await s.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
  assert.equal(after.filter((l) => l.command?.title.startsWith('+')).length, 0);

  // closing an edited buffer without saving: the disk's text again
  await s.change(uri, OPENED);
  await changesEventually(s, (x) => x.entries.length > 0);
  await s.close(uri);
  assert.deepEqual((await changesEventually(s, (x) => x.entries.length === 0)).entries, []);
});

test('a rule that admits every namespace newly exposes the workload to the entire cluster', { skip }, async () => {
  const dir = repo({ 'apps.yaml': APPS, 'policy.yaml': POLICY });
  const s = await start(dir);
  const uri = pathToFileURL(path.join(dir, 'policy.yaml')).toString();
  await s.open(uri, POLICY);
  await s.change(uri, TO_EVERYONE);
  const r = await changesEventually(s, (x) => x.exposed.length > 0);
  assert.deepEqual(
    r.exposed.map((x) => [x.workload, x.direction, x.peer, x.ports, x.location.uri]),
    [['shop/web[Deployment]', 'ingress', 'entire-cluster', 'No Connections -> All Connections', uri]],
  );
  const warned = await s.diagnosticsEventually(uri, (d) => d.some((x) => x.code === 'newly-exposed'));
  const w = warned.find((x) => x.code === 'newly-exposed');
  assert.equal(w?.severity, 2);
  assert.match(
    String(w?.message ?? ''),
    /^shop\/web\[Deployment\] is newly open to ingress from every pod of the cluster \(entire-cluster\) on All Connections \(git HEAD: No Connections\): ingress rule 1 of shop\/web-in/,
  );
  assert.equal(
    w?.range.start.line,
    TO_EVERYONE.split('\n').findIndex((l) => l.includes('namespaceSelector')),
  );
  // saved as HEAD has it: the warning goes
  await s.change(uri, POLICY);
  const cleared = await s.diagnosticsEventually(uri, (d) => !d.some((x) => x.code === 'newly-exposed'));
  assert.ok(!cleared.some((x) => x.code === 'newly-exposed'), JSON.stringify(cleared));
});

test('no git repository, or an untrusted workspace: unavailable with a reason, not an error', { skip }, async () => {
  const plain = await start(repo({ 'apps.yaml': APPS }, false));
  const r = await plain.request(ChangesRequest);
  assert.equal(r.available, false);
  assert.match(r.reason ?? '', /no git HEAD/);

  const untrusted = await start(repo({ 'apps.yaml': APPS }), false);
  const u = await untrusted.request(ChangesRequest);
  assert.equal(u.available, false);
  assert.match(u.reason ?? '', /trusted workspace/);
});

test(
  'a commit in a folder that had no repository: the server hears .git/HEAD change, says so, and answers against it',
  { skip },
  async () => {
    const dir = repo({ 'apps.yaml': APPS, 'policy.yaml': POLICY }, false);
    const s = await start(dir);
    const before = await s.request(ChangesRequest);
    assert.equal(before.available, false);
    assert.match(before.reason ?? '', /no git HEAD to compare with \(the folder is not in a git repository\)/);

    git(dir, 'init', '-q');
    git(dir, 'add', '-A');
    git(dir, '-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '-m', 'base');
    const told = s.next(HeadChangedNotification, () => true, 10_000);
    await s.notify('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(path.join(dir, '.git', 'HEAD')).toString(), type: 1 }],
    });
    assert.ok(await told, 'no netlens/headChanged after .git/HEAD changed');
    // the same snapshot, asked again at once: HEAD is read again (not the answer kept for that snapshot)
    const after = await s.request(ChangesRequest);
    assert.equal(after.available, true, after.reason);
    assert.equal(after.commits.length, 1);
    assert.deepEqual(after.entries, []);
  },
);

test('the files that move HEAD, and only those, count as moving it', () => {
  for (const p of ['/w/.git/HEAD', '/w/.git/packed-refs', '/w/.git/refs/heads/main', '/w/.git/refs/heads/feature/x', '.git/HEAD'])
    assert.equal(movesHead(p), true, p);
  for (const p of ['/w/.git/index', '/w/.git/refs/tags/v1', '/w/.git/objects/ab/cd', '/w/HEAD', '/w/my.git/HEAD', '/w/.git/config'])
    assert.equal(movesHead(p), false, p);
});
