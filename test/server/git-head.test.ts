// Why git HEAD cannot be read, as the matrix view and the Changes view say it: with the real git.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GitUnavailable, headCommit } from '../../server/src/workspace/gitHead';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-git-head-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const hasGit = spawnSync('git', ['--version']).status === 0;
const skip = hasGit ? false : 'git is not installed: these tests run the real git executable';

function git(dir: string, ...args: string[]): void {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
}

function reason(folder: string): string {
  try {
    headCommit(folder);
  } catch (e) {
    assert.ok(e instanceof GitUnavailable, String(e));
    return e.message;
  }
  assert.fail('HEAD was read');
}

test('a folder in no repository: said in words, not as git stderr', { skip }, () => {
  const dir = path.join(tmp, 'plain');
  mkdirSync(dir);
  // GIT_CEILING_DIRECTORIES keeps git from finding a repository above the temporary folder
  const saved = process.env.GIT_CEILING_DIRECTORIES;
  process.env.GIT_CEILING_DIRECTORIES = tmp;
  try {
    assert.equal(reason(dir), 'the folder is not in a git repository');
  } finally {
    if (saved === undefined) delete process.env.GIT_CEILING_DIRECTORIES;
    else process.env.GIT_CEILING_DIRECTORIES = saved;
  }
});

test('a repository without a commit: says so', { skip }, () => {
  const dir = path.join(tmp, 'empty');
  mkdirSync(dir);
  git(dir, 'init', '-q');
  assert.equal(reason(dir), 'the repository has no commit yet');
});

test('a repository with a commit: its HEAD', { skip }, () => {
  const dir = path.join(tmp, 'one');
  mkdirSync(dir);
  git(dir, 'init', '-q');
  writeFileSync(path.join(dir, 'a.yaml'), 'a: 1\n');
  git(dir, 'add', '.');
  git(dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'one');
  assert.match(headCommit(dir), /^[0-9a-f]{40}$/);
});

test('git missing from PATH: says git is not available', () => {
  const saved = process.env.PATH;
  process.env.PATH = path.join(tmp, 'no-such-bin');
  try {
    assert.match(reason(tmp), /^git is not available: cannot run git \(ENOENT\)/);
  } finally {
    process.env.PATH = saved;
  }
});
