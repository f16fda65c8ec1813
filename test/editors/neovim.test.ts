// A real editor other than VS Code, end to end: headless Neovim (Debian's package; 0.7 has no pull
// diagnostics, so the server pushes them) runs test/editors/neovim/init.lua, which starts the NetLens
// server through its launcher on a copy of examples/shop (root found by the .git folder), waits for the
// README's unresolvable-name warning on shop/frontend.yaml and hovers on the web-tier podSelector.
// Without nvim the test is skipped and says so, unless NETLENS_REQUIRE_NVIM=1 (CI), where it fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../support/paths';

interface NeovimResult {
  nvim: string;
  steps: string[];
  root?: string;
  error?: string;
  pull_offered?: boolean;
  diagnostics?: { code?: string; source?: string; message: string; severity: number; line: number; col: number }[];
  hover?: string;
  hover_error?: string;
}

function nvimVersion(): string | undefined {
  const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
  return r.error || r.status !== 0 ? undefined : r.stdout.split('\n')[0];
}

const version = nvimVersion();
const required = process.env.NETLENS_REQUIRE_NVIM === '1';
const skip = version ? false : 'nvim is not installed (apt-get install -y neovim): the Neovim end-to-end test did NOT run';
if (skip && !required) console.warn(`neovim.test: ${skip}`);

test(
  'Neovim (built-in LSP client, push diagnostics): the unresolvable-name warning on frontend.yaml and the podSelector hover',
  { skip: required ? false : skip },
  async () => {
    assert.ok(version, 'NETLENS_REQUIRE_NVIM=1 but nvim is not installed (apt-get install -y neovim)');
    const scratch = mkdtempSync(path.join(os.tmpdir(), 'netlens-nvim-'));
    try {
      const ws = path.join(scratch, 'shop');
      cpSync(path.join(repoRoot(), 'examples', 'shop'), ws, { recursive: true });
      mkdirSync(path.join(ws, '.git')); // the root marker init.lua looks for
      const out = path.join(scratch, 'result.json');
      const server = path.join(repoRoot(), 'bin', 'netlens-language-server.js');
      assert.ok(existsSync(path.join(repoRoot(), 'dist', 'server.js')), 'dist/server.js is built (npm run build)');
      const nvim = spawn('nvim', ['--headless', '-n', '-i', 'NONE', '-u', path.join(repoRoot(), 'test', 'editors', 'neovim', 'init.lua')], {
        cwd: scratch,
        env: { ...process.env, NETLENS_NODE: process.execPath, NETLENS_SERVER: server, NETLENS_WORKSPACE: ws, NETLENS_OUT: out },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      nvim.stdout.on('data', (d) => (output += String(d)));
      nvim.stderr.on('data', (d) => (output += String(d)));
      const code = await new Promise<number | null>((resolve) => {
        const timer = setTimeout(() => nvim.kill('SIGKILL'), 90_000);
        nvim.on('exit', (c) => {
          clearTimeout(timer);
          resolve(c);
        });
      });
      assert.ok(existsSync(out), `Neovim wrote no result (exit ${code}): ${output.slice(0, 2000)}`);
      const r = JSON.parse(readFileSync(out, 'utf8')) as NeovimResult;
      assert.equal(r.error, undefined, `Neovim ${r.nvim}: ${r.error} (steps: ${r.steps.join(', ')}) ${JSON.stringify(r)}`);
      assert.equal(code, 0);
      assert.equal(r.root, ws, 'the root found by the .git marker');

      // the README's warning: a short name of another namespace does not resolve from shop
      const d = r.diagnostics?.find((x) => x.code === 'unresolvable-name');
      assert.ok(d, JSON.stringify(r.diagnostics));
      assert.equal(d.source, 'netlens');
      assert.equal(d.severity, 2, 'a warning');
      assert.deepEqual([d.line, d.col], [27, 24], 'on "http://payments-api:8443" of PAYMENTS_URL');
      assert.match(d.message, /"payments-api" does not resolve from namespace shop/);
      assert.match(d.message, /payments-api\.payments\.svc\.cluster\.local/);
      // Neovim before 0.10 cannot pull: the server offers no pull diagnostics there, so these were pushed
      const [major, minor] = r.nvim.split('.').map(Number);
      if (major === 0 && minor! < 10) assert.equal(r.pull_offered, false);

      // the README's hover: the web-tier policy selects the frontend Deployment
      assert.match(r.hover ?? '', /podSelector `tier=web` selects 1 workload in namespace `shop`/);
      // hovers escape workspace text for Markdown: read it unescaped
      assert.match((r.hover ?? '').replace(/\\(.)/g, '$1'), /shop\/frontend\[Deployment\]/);
      console.log(`neovim.test: ${version}: diagnostics and hover checked`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  },
);
