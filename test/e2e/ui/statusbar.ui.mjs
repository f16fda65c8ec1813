// UI: the status bar item shows the demo's finding counts (the same as `netlens lint` finds) while a
// Kubernetes workspace is open, and is absent in a workspace without Kubernetes files.
import { mkdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { statusBarText, waitForWorkbench, workbenchUrl } from '../lib/workbench.mjs';
import { netlensLogs } from '../lib/codeServer.mjs';
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
      const before = new Set(netlensLogs(server).keys());
      await page.goto(workbenchUrl(server, plain), { waitUntil: 'domcontentloaded', timeout: 60_000 });
      await waitForWorkbench(page);
      // The server has read the folder once the new window's NetLens log says so; only then is "no item"
      // an answer. The log on disk, not the Output panel: the panel may show another channel.
      const deadline = Date.now() + 90_000;
      for (;;) {
        const fresh = [...netlensLogs(server)].filter(([file]) => !before.has(file));
        if (fresh.some(([, text]) => /indexed \d+ files/.test(text))) break;
        if (Date.now() > deadline) {
          const seen = fresh.map(([file, text]) => `${file}:\n${text}`).join('\n') || '(no NetLens log from the new window)';
          throw new Error(`the NetLens log of the new window never says it indexed:\n${seen}`);
        }
        await page.waitForTimeout(250);
      }
      await page.waitForTimeout(2_000); // the status request after indexing
      const text = await statusBarText(page, ITEM);
      if (text !== null) throw new Error(`a workspace without Kubernetes files shows the NetLens status item: ${text}`);
      await shot('statusbar-absent');
    },
  },
];
