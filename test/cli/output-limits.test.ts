// Limits of the CLI: --max-size-kb skips larger files (and is checked), a large matrix is written in
// pieces (a whole JSON text of 1,500 unpoliced pods does not fit in one JavaScript string), and an
// internal error exits 4, told apart from bad input (2).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/paths';
import { main } from '../../server/src/cli/run';
import { analyze } from '../../server/src/engine';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { renderMatrix } from '../../server/src/engine/report/matrixFormats';
import { Locator } from '../../server/src/engine/report/locate';

const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-cli-limits-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const pod = (name: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, labels: {app: ${name}}}\nspec: {containers: [{name: c, image: c}]}\n`;
writeFileSync(path.join(dir, 'small.yaml'), pod('small'));
writeFileSync(path.join(dir, 'large.yaml'), `${pod('large')}# ${'x'.repeat(3000)}\n`);

test('--max-size-kb skips larger files, with the reason under --verbose', () => {
  const r = runCli(['--max-size-kb', '2', '--verbose', 'matrix', '--format', 'stats', dir]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout).workloads, 1);
  assert.match(r.stderr, /large\.yaml: skipped: file is .* over the 2 KB limit \(--max-size-kb\)/);
  const all = runCli(['--max-size-kb', '4', 'matrix', '--format', 'stats', dir]);
  assert.equal(JSON.parse(all.stdout).workloads, 2);
});

test('--max-size-kb must be a number from 1 to 51200', () => {
  for (const bad of ['0', 'abc', '51201', '-1']) {
    const r = runCli([`--max-size-kb=${bad}`, 'matrix', dir]);
    const spaced = r.status === 2 ? r : runCli(['--max-size-kb', bad, 'matrix', dir]);
    assert.equal(spaced.status, 2, `${bad}: ${spaced.stderr}`);
    assert.match(spaced.stderr, /--max-size-kb must be a number from 1 to 51200/);
  }
});

test('the JSON matrix is written in pieces, none over 64 KB, that join into the documented JSON', () => {
  const sources = [{ uri: 'many.yaml', text: Array.from({ length: 80 }, (_, i) => pod(`p${i}`)).join('---\n') }];
  const model = analyze(sources);
  const matrix = computeMatrix(model);
  const rendered = renderMatrix('json', model, matrix, 'cluster.local', Locator.of(sources));
  assert.notEqual(typeof rendered, 'string', 'pieces, not one string');
  const pieces = [...rendered];
  assert.ok(pieces.length > 80 * 79, `${pieces.length} pieces`);
  assert.ok(Math.max(...pieces.map((p) => p.length)) < 65536);
  const text = pieces.join('');
  const parsed = JSON.parse(text) as { connections: unknown[]; workloads: unknown[] };
  assert.equal(parsed.connections.length, 80 * 79);
  assert.equal(text, `${JSON.stringify(parsed, null, 1)}\n`, 'same text as one JSON.stringify');
  // the other formats are pieces too
  for (const f of ['text', 'md', 'csv', 'dot'] as const)
    assert.ok([...renderMatrix(f, model, matrix, 'cluster.local', Locator.of(sources))].length > 80 * 79, f);
});

test('an empty matrix is still the documented JSON', () => {
  const sources = [{ uri: 'one.yaml', text: pod('alone') }];
  const model = analyze(sources);
  const text = [...renderMatrix('json', model, computeMatrix(model), 'cluster.local', Locator.of(sources))].join('');
  assert.equal(text, `${JSON.stringify(JSON.parse(text), null, 1)}\n`);
  assert.deepEqual(JSON.parse(text).connections, []);
});

test('an internal error (here: the output cannot be written) exits 4 with "internal error", not 2', async () => {
  let stderr = '';
  const code = await main(
    ['matrix', '--format', 'stats', dir],
    () => {
      throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
    },
    (s) => {
      stderr += s;
      return true;
    },
  );
  assert.equal(code, 4);
  assert.match(stderr, /netlens: internal error: .*no space left on device/);
});
