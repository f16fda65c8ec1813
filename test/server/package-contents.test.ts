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

// Images on "Open Documentation" came from a remote host (vsce rewrote relative links to the repository's).
test('the README is packaged with its images and linked docs, and its relative links are not rewritten to a remote host', () => {
  const root = repoRoot();
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  assert.match(pkg.scripts.package, /vsce package .*--no-rewrite-relative-links/);
  assert.match(readFileSync(path.join(root, 'test/e2e/lib/vsix.mjs'), 'utf8'), /'--no-rewrite-relative-links'/);
  const allowed = readFileSync(path.join(root, '.vscodeignore'), 'utf8').split(/\r?\n/);
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const links = [...readme.matchAll(/\]\(([^)#\s]+)\)/g)].map((m) => m[1]).filter((l) => !/^[a-z]+:/i.test(l));
  assert.ok(
    links.some((l) => l.endsWith('.png')),
    'the README shows images',
  );
  for (const l of links)
    assert.ok(
      allowed.includes(`!${l.replace(/[^/]+\.png$/, '**')}`) || allowed.includes(`!${l.replace(/[^/]+\.md$/, '*.md')}`),
      `${l} is packaged`,
    );
  assert.equal([...readme.matchAll(/!\[[^\]]*\]\((https?:[^)]*)\)|<img[^>]+src="https?:/g)].length, 0, 'no remote images');
});

// Restricted Mode: the settings that decide what is read (and how much) ignore the workspace's own values.
test('Restricted Mode is "limited" with the file settings restricted; maxSizeKB has the server\'s bounds; virtual workspaces say "not supported"', async () => {
  const { MAX_FILE_BYTES } = await import('../../server/src/workspace/readRegular');
  const { settingsFrom } = await import('../../server/src/settings');
  const pkg = JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as {
    capabilities: {
      untrustedWorkspaces: { supported: unknown; restrictedConfigurations?: string[] };
      virtualWorkspaces: { supported: unknown; description: string };
    };
    contributes: { configuration: { properties: Record<string, { minimum?: number; maximum?: number }> } };
  };
  const u = pkg.capabilities.untrustedWorkspaces;
  assert.equal(u.supported, 'limited');
  const props = pkg.contributes.configuration.properties;
  const fileSettings = Object.keys(props).filter((k) => k.startsWith('netlens.files.'));
  assert.ok(fileSettings.length >= 3);
  for (const k of fileSettings) assert.ok(u.restrictedConfigurations?.includes(k), `${k} is restricted`);
  for (const k of u.restrictedConfigurations ?? []) assert.ok(props[k], `${k} is a setting`);
  const max = props['netlens.files.maxSizeKB'];
  assert.equal(max.maximum, MAX_FILE_BYTES / 1024);
  assert.equal(max.minimum, 1);
  // and the server holds the same bounds whatever settings.json says
  assert.equal(settingsFrom({ files: { maxSizeKB: 1e9 } }, {}).maxFileSizeKB, MAX_FILE_BYTES / 1024);
  assert.equal(settingsFrom({ files: { maxSizeKB: -5 } }, {}).maxFileSizeKB, 2048);
  assert.equal(settingsFrom({ files: { maxSizeKB: 100.7 } }, {}).maxFileSizeKB, 100);
  assert.equal(pkg.capabilities.virtualWorkspaces.supported, false);
  assert.match(pkg.capabilities.virtualWorkspaces.description, /not supported/i);
});
