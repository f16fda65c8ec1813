// What the .vsix ships: no source maps (they were 5.5 of its 7 MB), and a package npm will not publish.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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

test("vsce ls: no source maps, tests or sources in the package; the icon and the README's screenshots are in it", () => {
  const root = repoRoot();
  const vsce = path.join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  assert.ok(existsSync(vsce), `${vsce} is missing: run npm ci`);
  const files = execFileSync(process.execPath, [vsce, 'ls', '--no-dependencies'], { cwd: root, encoding: 'utf8', timeout: 120_000 })
    .split(/\r?\n/)
    .filter(Boolean);
  assert.ok(files.includes('dist/client.js'), files.join('\n'));
  assert.deepEqual(
    files.filter((f) => /\.map$|(^|\/)test\/|\.test\.|\.ts$|^out\//.test(f)),
    [],
  );
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { icon: string };
  assert.ok(files.includes(pkg.icon), `the icon ${pkg.icon} is packaged`);
  // the README's images load from inside the package (packaged with --no-rewrite-relative-links)
  const images = [...readFileSync(path.join(root, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]!);
  assert.ok(images.length >= 3);
  assert.deepEqual(
    images.filter((i) => !files.includes(i)),
    [],
  );
});
