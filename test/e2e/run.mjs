#!/usr/bin/env node
// Real-editor tests for NetLens, offline: code-server (VS Code's server + web workbench, with a real Node
// extension host) driven by Debian's chromium through playwright-core. Two phases, each with its own isolated
// code-server and a scratch copy of examples/shop:
//   exthost  the mocha suite in test/e2e/suite, run inside the extension host the way @vscode/test-electron
//            runs it (extensionDevelopmentPath = this repo, extensionTestsPath = out/e2e/suite); the exit code
//            comes back through window.codeAutomationExit, per-test results through a JSON file the suite writes;
//   ui       test/e2e/ui/*.ui.mjs against the workbench with the packaged netlens.vsix installed.
// Needs the tools from scripts/e2e-setup.sh. Runs on Node 20 (code-server itself runs on the Node 24 it installs).
// A phase that cannot start its editor fails; nothing is skipped silently. Output ends with "N passed, M failed".
//
// usage: node test/e2e/run.mjs [--only exthost|ui] [--grep TEXT] [--vsix FILE] [--repackage] [--keep] [--update-docs-images]
//   --vsix FILE            test this package instead of building netlens.vsix
//   --repackage            rebuild netlens.vsix even if it is newer than its inputs
//   --keep                 keep the scratch folder (printed) for inspection
//   --update-docs-images   after a green UI phase, copy its screenshots used by README.md into docs/images/
// env: NETLENS_E2E_TIMEOUT_MS (whole run, default 600000), NETLENS_E2E_SUITE_TIMEOUT_MS (exthost suite, default
//      300000), NETLENS_E2E_START_TIMEOUT_MS (until the extension host starts the suite, default 120000)
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { format, parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import { buildSuite } from './build.mjs';
import { startCodeServer, stopAll } from './lib/codeServer.mjs';
import { findTools, repoRoot } from './lib/tools.mjs';
import { ensureVsix as ensurePackage } from './lib/vsix.mjs';
import { launchBrowser, remoteUri, resetWorkbench, screenshot, waitForWorkbench, workbenchUrl } from './lib/workbench.mjs';

const { values: opts } = parseArgs({
  options: {
    only: { type: 'string' },
    grep: { type: 'string' },
    vsix: { type: 'string' },
    repackage: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    'update-docs-images': { type: 'boolean', default: false },
  },
});
if (opts.only && !['exthost', 'ui'].includes(opts.only)) {
  console.error(`--only must be exthost or ui, not ${opts.only}`);
  process.exit(2);
}

const resultsDir = path.join(repoRoot, 'test-results/e2e');
/** README.md's screenshots (docs/images/<key>.png) and the UI-test screenshot each one is a copy of. */
const DOCS_IMAGES = {
  'hover.png': 'ui-hover-podselector.png',
  'problems.png': 'ui-problems-panel.png',
  'query.png': 'ui-query-report.png',
  'tree.png': 'ui-tree-can-reach.png',
  'matrix.png': 'ui-matrix.png',
  'graph.png': 'ui-graph.png',
  'kustomize-scopes.png': 'ui-kustomize-scopes.png',
};
const exampleWorkspace = path.join(repoRoot, 'examples/shop');
const totalTimeoutMs = Number(process.env.NETLENS_E2E_TIMEOUT_MS || 600_000);
const suiteTimeoutMs = Number(process.env.NETLENS_E2E_SUITE_TIMEOUT_MS || 300_000);
const startTimeoutMs = Number(process.env.NETLENS_E2E_START_TIMEOUT_MS || 120_000);

/** @type {{phase: string, name: string, state: 'passed'|'failed'|'skipped', ms: number, error?: string}[]} */
const results = [];
const browsers = new Set();
const started = Date.now();
let scratch;

const log = (s) => console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${s}`);
// eslint-disable-next-line no-control-regex
const plain = (s) => String(s).replace(/\x1b\[[0-9;]*m/g, '');
const fail = (phase, name, error, ms = 0) => results.push({ phase, name, state: 'failed', ms, error: plain(error?.stack ?? error) });

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// ---- the package --------------------------------------------------------------------------------------------
function ensureVsix() {
  if (opts.vsix) {
    const file = path.resolve(opts.vsix);
    if (!existsSync(file)) throw new Error(`--vsix ${file} does not exist`);
    log(`using ${file}`);
    return file;
  }
  return ensurePackage({ repackage: opts.repackage, log });
}

/** A scratch copy of examples/shop, or of another folder of examples/ (a UI test's `example`). */
function copyWorkspace(phase, example) {
  const from = example ? path.join(repoRoot, 'examples', example) : exampleWorkspace;
  if (!existsSync(from)) throw new Error(`no example ${from}`);
  const dest = path.join(scratch, `${phase}-workspace`, path.basename(from));
  if (!existsSync(dest)) cpSync(from, dest, { recursive: true });
  return dest;
}

// ---- phase 1: extension-host tests -------------------------------------------------------------------------
async function runExtensionHostTests(tools) {
  const phase = 'exthost';
  const t0 = Date.now();
  let server, context, page;
  const consoleLines = [];
  const outputLines = [];
  const consoleFile = path.join(resultsDir, 'exthost-console.log');
  const resultsFile = path.join(scratch, 'exthost-results.json');
  try {
    const { outDir, tests } = await buildSuite();
    log(`exthost: bundled ${tests.length} test file(s) into ${path.relative(repoRoot, outDir)}`);
    const workspace = copyWorkspace(phase);
    server = await startCodeServer({
      name: phase,
      dir: path.join(scratch, phase),
      node: tools.node,
      entry: tools.codeServer,
      logDir: resultsDir,
      smokeTestDriver: true,
      log: (s) => log(`exthost: ${s}`),
    });
    context = await launchBrowser({ executablePath: tools.chromium, profileDir: path.join(scratch, `${phase}-chromium`) });
    browsers.add(context);
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    let crashed;
    const crash = new Promise((_, reject) => {
      crashed = reject;
    });
    page.on('crash', () => crashed(new Error('the workbench page crashed')));
    let exited;
    const exit = new Promise((resolve) => {
      exited = resolve;
    });
    // The workbench's log (including the extension host's console, so mocha's spec output) arrives here.
    await page.exposeFunction('codeAutomationLog', (type, args) => outputLines.push(`[${type}] ${format(...[].concat(args))}`));
    await page.exposeFunction('codeAutomationExit', (code, logs) => exited({ code, logs }));

    const env = { NETLENS_E2E_RESULTS: resultsFile, ...(opts.grep ? { NETLENS_E2E_GREP: opts.grep } : {}) };
    const url = workbenchUrl(server, workspace, [
      ['extensionDevelopmentPath', remoteUri(server, repoRoot)],
      ['extensionTestsPath', remoteUri(server, outDir)],
      ['extensionEnvironment', JSON.stringify(env)],
    ]);
    log('exthost: opening the workbench with the test suite');
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    // Fail fast when the editor never gets as far as calling run() (the suite writes its results file first).
    let stopWatching = false;
    const started = (async () => {
      const deadline = Date.now() + startTimeoutMs;
      while (!stopWatching && !existsSync(resultsFile)) {
        if (Date.now() > deadline) {
          throw new Error(
            `the extension host did not start the suite within ${startTimeoutMs} ms (no ${path.basename(resultsFile)}); ` +
              `see exthost-code-server.log, exthost-output.log and exthost-not-started.png`,
          );
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      return new Promise(() => {}); // started: from here on only exit, crash or the suite timeout decide
    })();
    const { code, logs } = await withTimeout(Promise.race([exit, crash, started]), suiteTimeoutMs, 'the extension-host suite')
      .catch(async (e) => {
        await screenshot(page, resultsDir, existsSync(resultsFile) ? 'exthost-timeout' : 'exthost-not-started').catch(() => {});
        throw e;
      })
      .finally(() => {
        stopWatching = true;
      });
    log(`exthost: extension host exited with code ${code}`);
    for (const l of logs ?? []) {
      const dest = path.join(resultsDir, 'exthost-logs', l.relativePath);
      mkdirSync(path.dirname(dest), { recursive: true });
      writeFileSync(dest, l.contents);
    }

    let report;
    try {
      report = JSON.parse(readFileSync(resultsFile, 'utf8'));
    } catch {
      throw new Error(
        `the suite wrote no results (${resultsFile}); extension host exit code ${code}. Did run() start? See exthost-console.log and exthost-logs/`,
      );
    }
    for (const t of report.tests) {
      const state = t.state === 'pending' ? 'skipped' : t.state;
      results.push({ phase, name: t.title, state, ms: t.durationMs, ...(t.error ? { error: t.error } : {}) });
    }
    if (!report.done)
      fail(phase, 'suite', `the suite did not finish (exit code ${code}); last test recorded: ${report.tests.at(-1)?.title ?? 'none'}`);
    else if (report.tests.length === 0) fail(phase, 'suite', 'the suite ran no tests');
    else if (code !== 0 && !report.tests.some((t) => t.state === 'failed')) fail(phase, 'suite', `extension host exited with code ${code}`);
  } catch (e) {
    fail(phase, 'extension-host suite', e, Date.now() - t0);
    server?.saveLog();
  } finally {
    writeFileSync(consoleFile, consoleLines.join('\n') + '\n');
    writeFileSync(path.join(resultsDir, 'exthost-output.log'), outputLines.join('\n') + '\n');
    if (context) {
      browsers.delete(context);
      await context.close().catch(() => {});
    }
    if (server) {
      await server.stop();
      server.saveLog();
    }
  }
}

// ---- phase 2: UI tests ---------------------------------------------------------------------------------------
/** Settings on top of DEFAULT_SETTINGS for the UI phase: screenshots without incidental clutter. */
const UI_SETTINGS = {
  'editor.stickyScroll.enabled': false,
  'workbench.tips.enabled': false,
  // NetLens reports have long lines; wrapped, the screenshot of the report shows all of it
  '[netlens-report]': { 'editor.wordWrap': 'on' },
};

async function loadUiTests() {
  const dir = path.join(repoRoot, 'test/e2e/ui');
  const tests = [];
  for (const f of readdirSync(dir)
    .filter((n) => n.endsWith('.ui.mjs'))
    .sort()) {
    const mod = await import(pathToFileURL(path.join(dir, f)).href);
    for (const t of mod.tests ?? []) tests.push({ file: f, ...t });
  }
  return opts.grep ? tests.filter((t) => t.name.includes(opts.grep)) : tests;
}

async function runUiTests(tools, vsix) {
  const phase = 'ui';
  const tests = await loadUiTests();
  if (tests.length === 0) {
    fail(phase, 'ui tests', `no UI tests found${opts.grep ? ` matching '${opts.grep}'` : ''}`);
    return;
  }
  const consoleLines = [];
  try {
    // Tests that need the extension host's environment changed (`env`) get an editor of their own; the
    // others share one.
    const shared = tests.filter((t) => !t.env);
    if (shared.length) await runUiGroup(tools, vsix, 'ui', shared, {}, consoleLines);
    for (const [i, t] of tests.filter((t) => t.env).entries()) await runUiGroup(tools, vsix, `ui-own-${i + 1}`, [t], t.env, consoleLines);
  } finally {
    writeFileSync(path.join(resultsDir, 'ui-console.log'), consoleLines.join('\n') + '\n');
  }
}

/** One code-server (with `env` added to its environment) and one browser for `tests`, run in order. */
async function runUiGroup(tools, vsix, name, tests, env, consoleLines) {
  const phase = 'ui';
  let server, context;
  try {
    const workspace = copyWorkspace(name);
    try {
      server = await startCodeServer({
        name,
        dir: path.join(scratch, name),
        node: tools.node,
        entry: tools.codeServer,
        logDir: resultsDir,
        vsix,
        settings: UI_SETTINGS,
        env,
        log: (s) => log(`${name}: ${s}`),
      });
      context = await launchBrowser({ executablePath: tools.chromium, profileDir: path.join(scratch, `${name}-chromium`) });
      browsers.add(context);
    } catch (e) {
      for (const t of tests) fail(phase, t.name, `could not start the editor: ${e.message ?? e}`);
      return;
    }
    for (const t of tests) {
      const t0 = Date.now();
      const slug = t.name
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 60);
      const page = await context.newPage();
      page.on('console', (m) => consoleLines.push(`[${t.file}] [${m.type()}] ${m.text()}`));
      page.on('pageerror', (e) => consoleLines.push(`[${t.file}] [pageerror] ${e.message}`));
      log(`ui: ${t.name}`);
      try {
        await withTimeout(
          (async () => {
            // a test may open another example (its `example`: a folder of examples/) instead of examples/shop
            const folder = t.example ? copyWorkspace(phase, t.example) : workspace;
            await page.goto(workbenchUrl(server, folder), { waitUntil: 'domcontentloaded', timeout: 60_000 });
            await waitForWorkbench(page);
            await resetWorkbench(page);
            await t.run({
              page,
              server,
              workspace: folder,
              resultsDir,
              scratch: path.join(scratch, name),
              shot: (name) => screenshot(page, resultsDir, `ui-${name}`),
            });
          })(),
          t.timeoutMs ?? 120_000,
          `UI test '${t.name}'`,
        );
        results.push({ phase, name: t.name, state: 'passed', ms: Date.now() - t0 });
      } catch (e) {
        const png = await screenshot(page, resultsDir, `ui-FAILED-${slug}`).catch(() => undefined);
        fail(phase, t.name, `${e.message ?? e}${png ? `\n(screenshot: ${path.relative(repoRoot, png)})` : ''}`, Date.now() - t0);
      } finally {
        await page.close().catch(() => {});
      }
    }
  } finally {
    if (context) {
      browsers.delete(context);
      await context.close().catch(() => {});
    }
    if (server) {
      await server.stop();
      server.saveLog();
    }
  }
}

// ---- README screenshots ----------------------------------------------------------------------------------------
function updateDocsImages() {
  const ui = results.filter((r) => r.phase === 'ui');
  if (ui.length === 0 || ui.some((r) => r.state !== 'passed')) {
    log('--update-docs-images: the UI phase did not pass in full; docs/images left as they are');
    return;
  }
  const dir = path.join(repoRoot, 'docs/images');
  mkdirSync(dir, { recursive: true });
  for (const [dest, src] of Object.entries(DOCS_IMAGES)) {
    const from = path.join(resultsDir, src);
    if (!existsSync(from)) {
      log(`--update-docs-images: no ${src} (run without --grep)`);
      continue;
    }
    copyFileSync(from, path.join(dir, dest));
    log(`--update-docs-images: ${path.relative(repoRoot, from)} -> docs/images/${dest}`);
  }
}

// ---- main ------------------------------------------------------------------------------------------------------
async function cleanup() {
  await Promise.all([...browsers].map((b) => b.close().catch(() => {})));
  await stopAll();
  if (scratch && !opts.keep) rmSync(scratch, { recursive: true, force: true });
}

function summary() {
  const n = (s) => results.filter((r) => r.state === s).length;
  console.log('');
  for (const r of results) {
    const mark = r.state === 'passed' ? '✔' : r.state === 'failed' ? '✖' : '-';
    console.log(`  ${mark} [${r.phase}] ${r.name}${r.ms ? ` (${r.ms} ms)` : ''}`);
    if (r.error)
      console.log(
        r.error
          .split('\n')
          .map((l) => `      ${l}`)
          .join('\n'),
      );
  }
  const failed = n('failed');
  const passed = n('passed');
  const skipped = n('skipped');
  console.log('');
  if (failed) console.log(`e2e: logs, console output and screenshots in ${path.relative(process.cwd(), resultsDir) || resultsDir}`);
  console.log(`e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
  return failed > 0 || passed === 0 ? 1 : 0;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    console.error(`\ne2e: ${sig}: stopping editors`);
    await cleanup();
    process.exit(130);
  });
}

const watchdog = setTimeout(async () => {
  fail('run', 'whole run', `timed out after ${totalTimeoutMs} ms (NETLENS_E2E_TIMEOUT_MS)`);
  await cleanup();
  process.exit(summary() || 1);
}, totalTimeoutMs);

let code = 1;
try {
  rmSync(resultsDir, { recursive: true, force: true });
  mkdirSync(resultsDir, { recursive: true });
  scratch = mkdtempSync(path.join(os.tmpdir(), 'netlens-e2e-'));
  log(`scratch: ${scratch}`);
  let tools, vsix;
  try {
    tools = findTools();
    vsix = ensureVsix();
  } catch (e) {
    fail('setup', 'tools and package', e);
  }
  if (tools && vsix) {
    if (opts.only !== 'ui') await runExtensionHostTests(tools);
    if (opts.only !== 'exthost') await runUiTests(tools, vsix);
    if (opts['update-docs-images']) updateDocsImages();
  }
} catch (e) {
  fail('run', 'harness', e);
} finally {
  clearTimeout(watchdog);
  await cleanup();
  if (opts.keep) log(`kept ${scratch}`);
  code = summary();
}
process.exit(code);
