// runBounded (server/src/render/runBounded.ts), which runs helm: a program that does not end is killed
// at the time limit, one that prints too much at the cap, a missing one is "not-found"; a normal run
// gives its status and output. The programs are real: node itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import os from 'node:os';
import { runBounded } from '../../server/src/render/runBounded';

const node = process.execPath;
const limits = { timeoutMs: 10_000, maxOutputBytes: 1024 * 1024 };

test('a run that ends gives its status, stdout and stderr', async () => {
  const r = await runBounded(node, ['-e', 'process.stdout.write("out"); process.stderr.write("err"); process.exit(4)'], limits);
  assert.deepEqual(r, { status: 4, stdout: 'out', stderr: 'err' });
});

test('a run past the time limit is killed: timeout', async () => {
  const started = Date.now();
  const r = await runBounded(node, ['-e', 'setInterval(() => {}, 1000)'], { ...limits, timeoutMs: 300 });
  assert.equal(r.stopped, 'timeout');
  assert.equal(r.status, null);
  assert.ok(Date.now() - started < 8000);
});

test('a run printing past the cap is killed: output-cap', async () => {
  const r = await runBounded(node, ['-e', 'const s = "x".repeat(65536); setInterval(() => process.stdout.write(s), 1)'], {
    ...limits,
    maxOutputBytes: 200_000,
  });
  assert.equal(r.stopped, 'output-cap');
  assert.ok(r.stdout.length <= 200_000);
});

test('an abort kills the run; a missing program is not-found', async () => {
  const ac = new AbortController();
  setTimeout(() => ac.abort(), 200);
  const r = await runBounded(node, ['-e', 'setInterval(() => {}, 1000)'], { ...limits, signal: ac.signal });
  assert.equal(r.stopped, 'aborted');
  const missing = await runBounded(path.join(os.tmpdir(), 'netlens-no-such-program'), [], limits);
  assert.equal(missing.stopped, 'not-found');
  assert.match(missing.error ?? '', /ENOENT/);
});
