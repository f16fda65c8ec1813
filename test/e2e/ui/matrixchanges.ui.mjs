// UI: the policy matrix's "Show changes" overlay, against git HEAD. The scratch copy of examples/shop is
// committed with the real git, then web-tier's ingress rule is widened on disk (as in the exthost Changes test);
// the copy is shared with the other UI tests, so the edit and the repository are undone at the end.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { editorTab, runCommand, webviewContent } from '../lib/workbench.mjs';
import { assertAccessible, webviewFrame } from '../lib/axe.mjs';

function git(cwd, ...args) {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
}

const RULE = '  ingress:\n  - ports:\n    - port: http\n';

export const tests = [
  {
    name: 'Policy matrix: Show changes marks the pairs an edit changes against git HEAD',
    timeoutMs: 150_000,
    async run({ page, shot, workspace }) {
      await runCommand(page, 'View: Close Primary Side Bar');
      const file = path.join(workspace, 'shop', 'policies.yaml');
      const committed = readFileSync(file, 'utf8');
      try {
        await runCommand(page, 'NetLens: Show Policy Matrix');
        await editorTab(page, 'NetLens: Policy Matrix');
        const view = webviewContent(page);
        const button = view.locator('#showChanges');
        const note = view.locator('#changesNote');
        // not a git repository yet: the button is disabled and says why
        await note.filter({ hasText: /no git HEAD to compare with/ }).waitFor({ state: 'visible', timeout: 60_000 });
        if (!(await button.isDisabled())) throw new Error('"Show changes" is enabled without git');

        git(workspace, 'init', '-q');
        git(workspace, 'add', '-A');
        git(workspace, '-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', 'commit', '-q', '-m', 'shop');
        if (!committed.includes(RULE)) throw new Error('web-tier ingress rule not found in shop/policies.yaml');
        writeFileSync(file, committed.replace(RULE, '  ingress:\n  - {}\n'));

        await button
          .and(view.locator(':enabled'))
          .waitFor({ timeout: 60_000 })
          .catch(async () => {
            throw new Error(`"Show changes" stays disabled: ${JSON.stringify(await note.innerText().catch(() => ''))}`);
          });
        for (let i = 0; i < 6; i++) await view.locator('#zoomIn').click(); // larger cells for the screenshot
        if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
        if ((await button.getAttribute('aria-pressed')) !== 'true') throw new Error('aria-pressed is not "true" after the click');
        const summary = view.locator('#summary');
        await summary.filter({ hasText: /\d+ changed against HEAD/ }).waitFor({ timeout: 30_000 });
        const bar = view.locator('#changesBar');
        const barText = await bar.innerText();
        if (!/added/.test(barText) || !/removed/.test(barText) || !/changed against git HEAD/.test(barText))
          throw new Error(`the changes legend reads ${JSON.stringify(barText)}`);
        if (!/changes? involves? (a )?peers? outside the matrix .*see the Changes view/.test(barText))
          throw new Error(`no note on the changes outside the matrix: ${JSON.stringify(barText)}`);
        // keyboard: prometheus (row 0) -> frontend (column 3) is the changed pair, with its ports before and after
        const scroller = view.locator('#scroller');
        await scroller.focus();
        for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight']) await scroller.press(key);
        const cell = (await summary.innerText()).trim();
        if (!/^prometheus → frontend: .*; ~ changed against HEAD: TCP 8080 -> All Connections$/.test(cell))
          throw new Error(`the prometheus → frontend cell reads ${JSON.stringify(cell)}`);
        await shot('matrix-changes');
        await assertAccessible(await webviewFrame(page), 'the policy matrix webview with the changes overlay');
        await button.click();
        if ((await button.getAttribute('aria-pressed')) !== 'false') throw new Error('aria-pressed is not "false" after the second click');
        await bar.waitFor({ state: 'hidden', timeout: 10_000 });
      } finally {
        writeFileSync(file, committed);
        rmSync(path.join(workspace, '.git'), { recursive: true, force: true });
        await runCommand(page, 'View: Show Explorer').catch(() => {});
      }
    },
  },
];
