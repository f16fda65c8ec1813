// A workspace whose YAML is only CI workflows and compose files: the server sniffs each file's head,
// reads none of them, and its status says there is no Kubernetes content, until a Kubernetes file is
// opened or written. looksLikeKubernetes decides on the head of a file alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession } from '../support/lsp';
import { StatusRequest } from '../../protocol/messages';
import { looksLikeKubernetes, SNIFF_BYTES } from '../../server/src/engine/parse/sniff';
import { discoverFiles } from '../../server/src/workspace/discovery';

const WORKFLOW = `name: ci
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        kind: [unit, e2e]
    steps:
      - uses: actions/checkout@v4
      - run: npm ci && npm test
`;
const COMPOSE = `services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
  db:
    image: postgres:16
    environment:
      POSTGRES_PASSWORD: example
`;
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: prod}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: api, image: api:1}]}
`;

function quietRepo(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-quiet-'));
  mkdirSync(path.join(dir, '.github', 'workflows'), { recursive: true });
  writeFileSync(path.join(dir, '.github', 'workflows', 'ci.yml'), WORKFLOW);
  writeFileSync(path.join(dir, '.github', 'workflows', 'release.yaml'), WORKFLOW.replace('ci', 'release'));
  writeFileSync(path.join(dir, 'docker-compose.yml'), COMPOSE);
  writeFileSync(path.join(dir, 'package.json'), '{"name": "app", "version": "1.0.0"}\n');
  return dir;
}

test('the sniff: manifests, Corefiles and CNI configs are Kubernetes content; workflows, compose files and package.json are not', () => {
  assert.equal(looksLikeKubernetes('/r/.github/workflows/ci.yml', WORKFLOW), false);
  assert.equal(looksLikeKubernetes('/r/docker-compose.yml', COMPOSE), false);
  assert.equal(looksLikeKubernetes('/r/package.json', '{"name": "app", "kind": "x"}'), false);
  assert.equal(looksLikeKubernetes('/r/deploy.yaml', DEPLOYMENT), true);
  assert.equal(looksLikeKubernetes('/r/deploy.yaml', `\uFEFF# comment\n---\n${DEPLOYMENT}`), true);
  assert.equal(looksLikeKubernetes('/r/deploy.yaml', DEPLOYMENT.replace(/\n/g, '\r\n')), true);
  assert.equal(looksLikeKubernetes('/r/pod.json', '{\n  "apiVersion": "v1",\n  "kind": "Pod"\n}'), true);
  // kubectl get -o yaml: the List's kind comes after its items, which are list entries
  assert.equal(looksLikeKubernetes('/r/dump.yaml', `apiVersion: v1\nitems:\n- apiVersion: v1\n  kind: Service\n`), true);
  assert.equal(looksLikeKubernetes('/r/dns/Corefile', '.:53 {\n  forward . 8.8.8.8\n}\n'), true);
  assert.equal(looksLikeKubernetes('/r/cni/10-calico.conflist', '{"cniVersion": "0.3.1", "plugins": [{"type": "calico"}]}'), true);
  assert.equal(looksLikeKubernetes('/r/nginx.conf', 'server {\n  listen 80;\n}\n'), false);
  // only the head counts: apiVersion/kind past SNIFF_BYTES is not seen
  assert.equal(looksLikeKubernetes('/r/late.yaml', `${'# padding\n'.repeat(SNIFF_BYTES / 10 + 1)}${DEPLOYMENT}`), false);
});

test('discovery sniffs every file and keeps only Kubernetes content', async () => {
  const dir = quietRepo();
  try {
    writeFileSync(path.join(dir, 'deploy.yaml'), DEPLOYMENT);
    const logs: string[] = [];
    const found = await discoverFiles([dir], { exclude: [], maxFileBytes: 1 << 20, log: (m) => logs.push(m) });
    assert.deepEqual(
      found.files.map((f) => path.relative(dir, f.path)),
      ['deploy.yaml'],
    );
    assert.equal(found.notKubernetes, 4);
    assert.ok(
      logs.some((l) => /4 file\(s\) hold no Kubernetes content/.test(l)),
      logs.join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a repository of CI workflows and compose files: nothing indexed, no Kubernetes content, until a manifest is opened', async () => {
  const dir = quietRepo();
  const s = await LspSession.start(dir);
  try {
    const st = await s.indexed();
    assert.equal(st.kubernetes, false, 'no Kubernetes content');
    assert.equal(st.files, 0, 'no file indexed');
    assert.equal(st.lastIndex?.files, 0);
    assert.equal(st.skipped, 0);
    assert.equal(st.workloads + st.policies + st.services, 0);

    // opening a workflow analyses it, but it does not make the workspace a Kubernetes one, and it says nothing
    const ci = pathToFileURL(path.join(dir, '.github', 'workflows', 'ci.yml')).toString();
    await s.open(ci, WORKFLOW);
    assert.deepEqual(await s.diagnostics(ci), []);
    assert.equal((await s.request(StatusRequest)).kubernetes, false);

    // a manifest opened later (not yet on disk) turns it on
    const deploy = pathToFileURL(path.join(dir, 'deploy.yaml')).toString();
    await s.open(deploy, DEPLOYMENT);
    await s.diagnostics(deploy); // waits for the snapshot that has it
    const after = await s.request(StatusRequest);
    assert.equal(after.kubernetes, true);
    assert.equal(after.workloads, 1);
    // and closing it turns it off again (the file is not on disk)
    await s.conn.sendNotification('textDocument/didClose', { textDocument: { uri: deploy } });
    const end = Date.now() + 5000;
    while ((await s.request(StatusRequest)).kubernetes && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    assert.equal((await s.request(StatusRequest)).kubernetes, false);
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a file written on disk is read only when it holds Kubernetes content', async () => {
  const dir = quietRepo();
  const s = await LspSession.start(dir);
  try {
    await s.indexed();
    const compose = path.join(dir, 'docker-compose.yml');
    writeFileSync(compose, `${COMPOSE}  cache:\n    image: redis:7\n`);
    const deploy = path.join(dir, 'deploy.yaml');
    writeFileSync(deploy, DEPLOYMENT);
    await s.conn.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [
        { uri: pathToFileURL(compose).toString(), type: 2 },
        { uri: pathToFileURL(deploy).toString(), type: 1 },
      ],
    });
    const end = Date.now() + 5000;
    let st = await s.request(StatusRequest);
    // the sniff marks the workspace before the file is indexed: wait for both
    while ((!st.kubernetes || st.workloads < 1) && Date.now() < end) {
      await new Promise((r) => setTimeout(r, 50));
      st = await s.request(StatusRequest);
    }
    assert.equal(st.kubernetes, true);
    assert.equal(st.files, 1, 'only the manifest is indexed');
    assert.equal(st.workloads, 1);
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
