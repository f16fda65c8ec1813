// Acceptance: "a directory containing a Helm template, a non-Kubernetes YAML, a JSON expected.json and
// a broken YAML file is analysed without a crash; the skipped/broken files are reported with reasons"
// (test/fixtures/mixed-dir/, which also holds one good Pod).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../support/paths';

const DIR = 'test/fixtures/mixed-dir';
const EXPECTED_SKIPS: Record<string, RegExp> = {
  [`${DIR}/chart/templates/deployment.yaml`]: /Helm\/Go template .*helm template/,
  [`${DIR}/docker-compose.yaml`]: /not a Kubernetes object \(no apiVersion and kind\)/,
  [`${DIR}/expected.json`]: /not a Kubernetes object \(no apiVersion and kind\)/,
  [`${DIR}/broken.yaml`]: /YAML errors: /,
};

test('mixed directory: matrix analyses the good Pod and lists each other file with its reason', () => {
  const r = runCli(['matrix', DIR]);
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout) as { workloads: { id: string }[]; skipped: { file: string; line?: number; reason: string }[] };
  assert.deepEqual(
    m.workloads.map((w) => w.id),
    ['mixed/web[Pod]'],
  );
  assert.deepEqual(m.skipped.map((s) => s.file).sort(), Object.keys(EXPECTED_SKIPS).sort());
  for (const s of m.skipped) assert.match(s.reason, EXPECTED_SKIPS[s.file], s.file);
  assert.equal(
    r.stderr,
    'netlens: skipped 4 file(s)/document(s) that are not Kubernetes objects or could not be read (--verbose lists them)\n',
  );

  const verbose = runCli(['--verbose', 'matrix', '--format', 'text', DIR]);
  assert.equal(verbose.status, 0);
  const lines = verbose.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 4, verbose.stderr);
  for (const [file, reason] of Object.entries(EXPECTED_SKIPS)) {
    assert.ok(
      lines.some((l) => l.startsWith(`${file}:`) && reason.test(l)),
      `${file} on its own stderr line`,
    );
  }
});

test('mixed directory: lint reports the broken YAML as an error with its position (exit 1), and the skips', () => {
  const r = runCli(['lint', DIR]);
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^test\/fixtures\/mixed-dir\/broken\.yaml:\d+:\d+: error: .+ \[yaml-syntax\]$/m);
  for (const file of Object.keys(EXPECTED_SKIPS))
    assert.match(r.stdout, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: info: skipped: .+ \\[skipped\\]$`, 'm'));
});

test('mixed directory: a query on the good Pod still works', () => {
  const q = runCli(['query', '--from', 'mixed/web[Pod]', '--to', 'mixed/web[Pod]', '--port', '80', '--format', 'json', DIR]);
  assert.equal(q.status, 0, q.stdout + q.stderr);
  assert.equal(JSON.parse(q.stdout).outcome, 'allowed');
  assert.match(q.stderr, /^netlens: skipped 4 /);
});
