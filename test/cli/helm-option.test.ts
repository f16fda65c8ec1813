// The global --helm PATH option: an executable is accepted; anything else is a usage error (status 2)
// naming the option and the setting, so a typo does not silently leave charts unrendered.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/paths';
import { helmTestGate } from '../support/helm';

const { helm, skip } = helmTestGate('helm-option.test');
const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-cli-helm-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const pod = path.join(dir, 'pod.yaml');
writeFileSync(pod, 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec: {containers: [{name: c, image: c}]}\n');

test('--helm naming no executable is a usage error', () => {
  for (const bad of [path.join(dir, 'missing-helm'), pod]) {
    const r = runCli(['--helm', bad, 'matrix', pod]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^netlens: --helm: helm was not found at .*netlens\.helm\.path/);
    assert.equal(r.stdout, '');
  }
  const none = runCli(['--helm']);
  assert.equal(none.status, 2);
});

test('--helm with a real helm runs the command', { skip }, () => {
  const r = runCli(['--helm', helm!, 'matrix', '--format', 'json', pod]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).workloads.length, 1);
});

test('--help lists --helm', () => {
  assert.match(runCli(['--help']).stdout, /--helm PATH/);
});
