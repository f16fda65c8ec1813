#!/usr/bin/env node
// The same extension-host suite (test/e2e/suite) in desktop VS Code, through @vscode/test-electron, for machines
// that can download VS Code (it fails offline, e.g. on our CI machines: there use test/e2e/run.mjs, which runs the
// suite in code-server). @vscode/test-electron 3 wants Node 22+. On Linux without a display, run it under
// `xvfb-run -a`. It opens a scratch copy of examples/shop with other extensions disabled.
// usage: node test/e2e/runElectron.mjs [--grep TEXT]     env: VSCODE_VERSION (default 'stable')
import { runTests } from '@vscode/test-electron';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildSuite } from './build.mjs';
import { repoRoot } from './lib/tools.mjs';

const { values: opts } = parseArgs({ options: { grep: { type: 'string' } } });
const scratch = mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-electron-'));
const workspace = path.join(scratch, 'workspace', 'shop');
const resultsFile = path.join(scratch, 'results.json');
let passed = 0;
let failed = 0;
try {
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('node esbuild.mjs failed');
  const { outDir } = await buildSuite();
  cpSync(path.join(repoRoot, 'examples/shop'), workspace, { recursive: true });
  const code = await runTests({
    version: process.env.VSCODE_VERSION || 'stable',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: outDir,
    extensionTestsEnv: { NETLENS_E2E_RESULTS: resultsFile, ...(opts.grep ? { NETLENS_E2E_GREP: opts.grep } : {}) },
    launchArgs: [
      workspace,
      '--disable-extensions',
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      `--user-data-dir=${path.join(scratch, 'user-data')}`,
    ],
  }).catch((e) => {
    console.error(`e2e (electron): ${e?.message ?? e}`);
    return 1;
  });
  try {
    const report = JSON.parse(readFileSync(resultsFile, 'utf8'));
    passed = report.tests.filter((t) => t.state === 'passed').length;
    failed = report.tests.filter((t) => t.state === 'failed').length;
    if (!report.done) failed++;
  } catch {
    failed++; // VS Code never ran the suite
  }
  if (code !== 0 && failed === 0) failed++;
} catch (e) {
  console.error(`e2e (electron): ${e?.stack ?? e}`);
  failed++;
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
