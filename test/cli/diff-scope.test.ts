// netlens diff --scope ID: both versions are rendered in the scope, the git version from its own files
// (a Kustomize base and dev/prod overlays in a temporary repository; prod gains the dev patch that lets
// web reach the database).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, runCli } from '../support/paths';

const hasGit = spawnSync('git', ['--version']).status === 0;
const skip = hasGit ? false : 'git is not installed: these tests run the real git executable';
const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-diff-scope-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function git(...args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir } });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

interface Entry {
  category: string;
  source: { id: string };
  destination: { id: string };
  causes: { location?: { file: string } }[];
}

test('diff --scope renders the overlay in both versions (git and working tree, git and git)', { skip }, () => {
  cpSync(path.join(repoRoot(), 'examples', 'kustomize'), dir, { recursive: true });
  git('init', '-q');
  git('config', 'user.email', 'test@example.com');
  git('config', 'user.name', 'test');
  git('add', '-A');
  git('commit', '-q', '-m', 'base');
  // prod takes the dev shortcut: web may query the database
  writeFileSync(
    path.join(dir, 'overlays', 'prod', 'db-from-web.yaml'),
    readFileSync(path.join(dir, 'overlays', 'dev', 'db-from-web.yaml')),
  );
  appendFileSync(path.join(dir, 'overlays', 'prod', 'kustomization.yaml'), 'patches:\n  - path: db-from-web.yaml\n');

  const run = (scope: string, ...extra: string[]) => runCli(['--scope', scope, 'diff', '--format', 'json', ...extra], dir);
  const entries = (r: ReturnType<typeof run>): Entry[] => {
    assert.equal(r.status, 0, r.stderr);
    return (JSON.parse(r.stdout) as { entries: Entry[] }).entries;
  };
  const webToDb = (es: Entry[]) => es.filter((e) => /web/.test(e.source.id) && /db/.test(e.destination.id));

  const prod = entries(run('kustomize:overlays/prod'));
  assert.ok(webToDb(prod).length > 0, JSON.stringify(prod));
  assert.ok(
    webToDb(prod).every((e) => e.category === 'added' || e.category === 'changed'),
    JSON.stringify(prod),
  );
  assert.ok(
    prod.flatMap((e) => e.causes).some((c) => c.location?.file === 'overlays/prod/db-from-web.yaml'),
    'the cause is the new patch, at its source',
  );
  assert.deepEqual(entries(run('kustomize:overlays/dev')), [], 'dev did not change');

  git('add', '-A');
  git('commit', '-q', '-m', 'prod opens web to db');
  const committed = entries(run('kustomize:overlays/prod', '--base', 'HEAD~1', '--head', 'HEAD'));
  assert.deepEqual(
    webToDb(committed).map((e) => [e.source.id, e.destination.id, e.category]),
    webToDb(prod).map((e) => [e.source.id, e.destination.id, e.category]),
  );

  const none = runCli(['diff', '--base', 'HEAD~1'], dir);
  assert.equal(none.status, 2, 'several scopes: name one');
  assert.match(none.stderr, /kustomize:overlays\/dev, kustomize:overlays\/prod/);
});
