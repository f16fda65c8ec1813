// The CLI loader tells the parser which files are Helm chart templates (under templates/ beside a
// Chart.yaml); the engine itself has no file system.
import { test, after } from 'node:test';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fixturePath, repoRoot, runCli } from '../support/paths';
import { chartOfPath } from '../../server/src/workspace/charts';

test('chartOfPath: a templates/ folder (at any depth) beside a Chart.yaml', () => {
  const have = new Set([path.join('/r', 'charts', 'shop', 'Chart.yaml')]);
  const exists = (p: string) => have.has(p);
  assert.equal(chartOfPath(path.join('/r', 'charts', 'shop', 'templates', 'd.yaml'), exists), 'shop');
  assert.equal(chartOfPath(path.join('/r', 'charts', 'shop', 'templates', 'sub', 'd.yaml'), exists), 'shop');
  assert.equal(chartOfPath(path.join('/r', 'charts', 'shop', 'values.yaml'), exists), undefined);
  assert.equal(chartOfPath(path.join('/r', 'other', 'templates', 'd.yaml'), exists), undefined, 'no Chart.yaml');
});

test('lint: a chart template is skipped naming the chart (single thread and parse workers); strings with {{ }} elsewhere are data', () => {
  // a copy with a filler file past one parse batch (256 KB), so that --threads 2 parses on workers
  const chart = mkdtempSync(path.join(os.tmpdir(), 'netlens-charts-'));
  after(() => rmSync(chart, { recursive: true, force: true }));
  cpSync(fixturePath('charts'), chart, { recursive: true });
  writeFileSync(
    path.join(chart, 'filler.yaml'),
    `${'# filler\n'.repeat(40_000)}apiVersion: v1\nkind: Namespace\nmetadata: {name: filler}\n`,
  );
  for (const threads of ['1', '2']) {
    // NETLENS_CLI_WORKERS_MIN_BYTES=0 lets the parse workers run on small inputs (server/src/cli/load.ts)
    const r = spawnSync(process.execPath, [path.join(repoRoot(), 'dist', 'cli.js'), '--verbose', '--threads', threads, 'lint', chart], {
      encoding: 'utf8',
      env: { ...process.env, NETLENS_CLI_WORKERS_MIN_BYTES: '0' },
    });
    if (threads === '2') assert.match(r.stderr, /worker/, 'parsed on workers');
    assert.match(
      r.stdout,
      /deployment\.yaml:\d+:\d+: info: skipped: document 1 is a template of the Helm chart shop/,
      `threads ${threads}: ${r.stdout}`,
    );
    assert.doesNotMatch(r.stdout, /plain\.yaml/, 'a chart file without actions is read');
  }
  const data = runCli(['--verbose', 'lint', fixturePath('bad', 'templates', 'braces-in-strings.yaml')]);
  assert.equal(data.stdout, '', data.stdout);
  assert.equal(data.status, 0);
});
