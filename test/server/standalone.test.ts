// The stand-alone language server (`netlens-language-server`, bin/ in package.json) for editors other
// than VS Code: a bare client (no capabilities, no initializationOptions, no settings) gets pushed
// diagnostics and hovers; the package ships the launcher and the bundles it needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver-protocol';
import { LspSession } from '../support/lsp';
import { repoRoot } from '../support/paths';

const launcher = () => path.join(repoRoot(), 'bin', 'netlens-language-server.js');

test('package.json names the launcher as a bin; it prints its version', () => {
  const pkg = JSON.parse(readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { bin: Record<string, string>; version: string };
  assert.equal(pkg.bin['netlens-language-server'], 'bin/netlens-language-server.js');
  assert.match(readFileSync(launcher(), 'utf8'), /^#!\/usr\/bin\/env node\n/);
  assert.equal(execFileSync(process.execPath, [launcher(), '--version'], { encoding: 'utf8' }).trim(), pkg.version);
});

for (const args of [['--stdio'], []]) {
  test(`a bare client over the launcher${args.length ? ' --stdio' : ' (stdio by default)'}: pushed diagnostics and hovers on examples/shop`, async () => {
    const shop = path.join(repoRoot(), 'examples', 'shop');
    const s = await LspSession.start(shop, {}, undefined, { command: [process.execPath, launcher(), ...args], capabilities: {} });
    try {
      assert.equal((s.capabilities as { diagnosticProvider?: unknown }).diagnosticProvider, undefined);
      await s.indexed();
      const file = path.join(shop, 'shop', 'frontend.yaml');
      const uri = pathToFileURL(file).toString();
      await s.open(uri, readFileSync(file, 'utf8'));
      const pushed = await s.publishedDiagnostics(uri, (p) => p.diagnostics.length > 0);
      const d = pushed.diagnostics.find((x) => x.code === 'unresolvable-name');
      assert.ok(d, JSON.stringify(pushed.diagnostics));
      assert.equal(d.range.start.line, 27);
      const policies = path.join(shop, 'shop', 'policies.yaml');
      const text = readFileSync(policies, 'utf8');
      const lines = text.split('\n');
      const line = lines.indexOf('  podSelector:', lines.indexOf('  name: web-tier'));
      assert.ok(line > 0, 'the podSelector of web-tier');
      const h = await s.request<Hover>('textDocument/hover', {
        textDocument: { uri: pathToFileURL(policies).toString() },
        position: { line, character: 3 },
      });
      // hovers escape workspace text for Markdown (shop\/frontend\[Deployment\]): read it unescaped
      assert.match(JSON.stringify(h.contents).replace(/\\\\(.)/g, '$1'), /shop\/frontend\[Deployment\]/);
    } finally {
      await s.stop();
    }
  });
}

test('npm pack ships the launcher and the bundles it starts, not the sources', () => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: repoRoot(), encoding: 'utf8' });
  const files = (JSON.parse(out) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path);
  for (const f of [
    'bin/netlens-language-server.js',
    'dist/server.js',
    'dist/serverMain.js',
    'dist/parseWorker.js',
    'dist/parseWorkerMain.js',
    'dist/cli.js',
    'package.json',
    'README.md',
  ])
    assert.ok(files.includes(f), `${f} in the package: ${files.join(', ')}`);
  assert.ok(!files.some((f) => f.startsWith('server/') || f.startsWith('test/') || f.startsWith('node_modules/')), files.join(', '));
});
