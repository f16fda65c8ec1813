// What the .vsix ships: no source maps (they were 5.5 of its 7 MB), and a package npm will not publish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/paths';

test('the package allowlist ships no source maps, and package.json is private', () => {
  const root = repoRoot();
  const allowed = readFileSync(path.join(root, '.vscodeignore'), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.startsWith('!'));
  assert.ok(allowed.length > 0);
  assert.deepEqual(
    allowed.filter((l) => /\.map$|\*\*$/.test(l) && l.startsWith('!dist')),
    [],
  );
  const esbuild = readFileSync(path.join(root, 'esbuild.mjs'), 'utf8');
  assert.match(esbuild, /sourcemap: !production/);
  assert.equal((JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { private?: boolean }).private, true);
});
