// UI: the status bar item shows the demo's finding counts (the same as `netlens lint` finds) while a
// Kubernetes workspace is open, and is absent in a workspace without Kubernetes files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { outputText, runCommand, statusBarText, waitForWorkbench, workbenchUrl } from '../lib/workbench.mjs';
import { repoRoot } from '../lib/tools.mjs';

const ITEM = 'netlens.statusBar';

/** errors and warnings `netlens lint` finds in `dir` (the CLI of this build) */
function lintCounts(dir) {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'lint', '--format', 'json', dir], { encoding: 'utf8' });
  const findings = JSON.parse(r.stdout);
  return {
    error: findings.filter((f) => f.severity === 'error').length,
    warning: findings.filter((f) => f.severity === 'warning').length,
  };
}

async function waitForStatus(page, want, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  let text = null;
  while (Date.now() < deadline) {
    text = await statusBarText(page, ITEM);
    if (text === want) return text;
    await page.waitForTimeout(250);
  }
  throw new Error(`the NetLens status bar item reads ${JSON.stringify(text)}, expected ${JSON.stringify(want)}`);
}

export const tests = [
  {
    name: "status bar item: the demo's finding counts; none in a workspace without Kubernetes files",
    timeoutMs: 150_000,
    async run({ page, shot, server, workspace, scratch }) {
      const { error, warning } = lintCounts(workspace);
      if (warning === 0) throw new Error('the demo is expected to have a warning (unresolvable-name)');
      await waitForStatus(page, `$(shield) NetLens $(error) ${error} $(warning) ${warning}`);
      await page.locator(`.part.statusbar .statusbar-item[id$=".${ITEM}"]`).first().hover();
      await page.waitForTimeout(1_000); // the tooltip
      await shot('statusbar');
      await page.mouse.move(640, 400);

      // Another folder: a YAML file that is not Kubernetes (the extension activates on *.yaml) and a README.
      const plain = path.join(scratch, 'no-kubernetes');
      mkdirSync(path.join(plain, 'config'), { recursive: true });
      writeFileSync(path.join(plain, 'config/app.yaml'), 'name: demo\nreplicas: 2\nfeatures: [search, cart]\n');
      writeFileSync(path.join(plain, 'README.md'), '# Not a cluster\n');
      await page.goto(workbenchUrl(server, plain), { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await waitForWorkbench(page);
      // the server has read the folder once its output says so; only then is "no item" an answer
      // (the palette lists the extension's commands once the extension host has registered them)
      const deadline = Date.now() + 60_000;
      for (;;) {
        try {
          await runCommand(page, 'NetLens: Show Output', 3_000);
          break;
        } catch (e) {
          if (Date.now() > deadline) throw e;
          await page.keyboard.press('Escape');
          await page.waitForTimeout(1_000);
        }
      }
      while (!/indexed \d+ files/.test(await outputText(page))) {
        if (Date.now() > deadline) throw new Error(`the NetLens output never says it indexed: ${await outputText(page)}`);
        await page.waitForTimeout(250);
      }
      await page.waitForTimeout(2_000); // the status request after indexing
      const text = await statusBarText(page, ITEM);
      if (text !== null) throw new Error(`a workspace without Kubernetes files shows the NetLens status item: ${text}`);
      await shot('statusbar-absent');
    },
  },
];
