// UI: what the NetLens views show while the language server starts: a welcome message saying so, never
// VS Code's "There is no data provider registered". This test gets an editor of its own whose extension
// host has NETLENS_TEST_DELAY_SERVER_MS set: every server start stays "starting" that long.
import { NO_DATA_PROVIDER, openViewContainer, runCommand, sidebarView, treeRow, viewWelcome } from '../lib/workbench.mjs';

const DELAY_MS = 8_000;

/** Fails as soon as the page shows VS Code's text for a view without a data provider. */
async function noProviderText(page, what) {
  const shown = await page
    .getByText(NO_DATA_PROVIDER)
    .first()
    .isVisible()
    .catch(() => false);
  if (shown) throw new Error(`${what}: a view shows "${NO_DATA_PROVIDER}"`);
}

export const tests = [
  {
    name: 'while the server starts, the NetLens views show a welcome message saying so',
    env: { NETLENS_TEST_DELAY_SERVER_MS: String(DELAY_MS) },
    timeoutMs: 150_000,
    async run({ page, shot }) {
      // The first start: the views appear once the server has read the workspace, with content.
      const firstDeadline = Date.now() + 90_000;
      const view = sidebarView(page, 'Reachability');
      for (;;) {
        await noProviderText(page, 'during the first start');
        const item = page.locator('.activitybar .action-item a[aria-label^="NetLens"]').first();
        if (await item.isVisible().catch(() => false)) break;
        if (Date.now() > firstDeadline) throw new Error('the NetLens views never appeared');
        await page.waitForTimeout(250);
      }
      await openViewContainer(page, 'NetLens');
      try {
        await treeRow(view, 'shop', 60_000);

        // A restart: the trees empty and say the server is starting, for as long as it starts.
        const t0 = Date.now();
        await runCommand(page, 'NetLens: Restart Server');
        const policies = sidebarView(page, 'Policies');
        const changes = sidebarView(page, 'Changes');
        let seen = { reachability: '', policies: '', changes: '' };
        for (;;) {
          await noProviderText(page, 'while the server restarts');
          seen = { reachability: await viewWelcome(view), policies: await viewWelcome(policies), changes: await viewWelcome(changes) };
          if (
            seen.reachability.includes('Starting the NetLens language server') &&
            seen.policies.includes('Starting NetLens') &&
            seen.changes.includes('Starting NetLens')
          )
            break;
          if (Date.now() - t0 > DELAY_MS - 1_000) {
            throw new Error(`no "starting" welcome within ${DELAY_MS - 1_000} ms of the restart; the views show ${JSON.stringify(seen)}`);
          }
          await page.waitForTimeout(200);
        }
        await page.mouse.move(1, 1);
        await shot('welcome-starting');
        // ...and fill in again once it runs
        await treeRow(view, 'shop', 60_000);
        if (Date.now() - t0 < DELAY_MS) throw new Error('the tree came back before the server could have started (is the delay set?)');
        if (await viewWelcome(view)) throw new Error(`the welcome stays beside the tree: ${await viewWelcome(view)}`);
        await noProviderText(page, 'after the restart');
      } finally {
        await runCommand(page, 'View: Show Explorer').catch(() => {});
      }
    },
  },
];
