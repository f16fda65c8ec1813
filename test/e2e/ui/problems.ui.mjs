// UI: the Problems panel shows NetLens's diagnostic for the short cross-namespace name in frontend.yaml
// before any file is opened (workspace diagnostics).
import { runCommand } from '../lib/workbench.mjs';

export const tests = [
  {
    name: 'Problems panel shows the unresolvable-name warning on shop/frontend.yaml',
    timeoutMs: 120_000,
    async run({ page, shot }) {
      // No file is open (each test starts with no editors): the server reports the whole workspace.
      const open = await page.locator('.tabs-container .tab').count();
      if (open > 0) throw new Error(`the test expects no open editor, found ${open}`);
      await runCommand(page, 'View: Focus Problems');
      const panel = page.locator('.markers-panel').first();
      await panel.waitFor({ state: 'visible', timeout: 20_000 });
      const message = panel.getByText('does not resolve from namespace shop').first();
      try {
        await message.waitFor({ state: 'visible', timeout: 60_000 });
      } catch {
        const text = (await panel.innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 500);
        throw new Error(`the Problems panel never showed "does not resolve from namespace shop"; it shows: ${text || '(nothing)'}`);
      }
      // Clicking the entry reveals the flagged line (PAYMENTS_URL's value) in the editor.
      await message.click();
      await page
        .locator('.statusbar-item', { hasText: /Ln 28, Col \d+/ })
        .first()
        .waitFor({ state: 'visible', timeout: 10_000 })
        .catch(async () => {
          const pos = await page
            .locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ })
            .first()
            .innerText()
            .catch(() => '?');
          throw new Error(`clicking the problem did not move the cursor to line 28 (PAYMENTS_URL): the status bar shows ${pos}`);
        });
      await shot('problems-panel');
    },
  },
];
