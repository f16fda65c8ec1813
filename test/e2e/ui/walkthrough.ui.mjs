// UI: the "Get Started with NetLens" walkthrough opens from the command palette, lists its four steps, and
// its hover step's button opens the demo's policies.yaml (the demo is the open workspace), and its last
// step's button opens the connection graph.
import { editorTab, runCommand } from '../lib/workbench.mjs';

export const tests = [
  {
    name: 'the walkthrough opens, its hover step opens the demo policy, its last step the connection graph',
    timeoutMs: 120_000,
    async run({ page, shot }) {
      await runCommand(page, 'Welcome: Open Walkthrough', { opensInput: true });
      // the walkthrough picker has no title: pick the row by its label
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get Started with NetLens' }).first();
      await row.waitFor({ state: 'visible', timeout: 20_000 });
      await row.click();
      const walkthrough = page.locator('.gettingStartedContainer').first();
      await walkthrough.waitFor({ state: 'visible', timeout: 20_000 });
      for (const step of ['Open the demo', 'Hover a selector', 'Ask: can the frontend reach the cart?', 'See who talks to whom']) {
        await walkthrough
          .getByText(step, { exact: true })
          .first()
          .waitFor({ state: 'visible', timeout: 20_000 })
          .catch(async () => {
            const text = (await walkthrough.innerText().catch(() => '')).replace(/\s+/g, ' ').slice(0, 600);
            throw new Error(`the walkthrough has no step "${step}"; it shows: ${text}`);
          });
      }
      await shot('walkthrough');
      await walkthrough.getByText('Hover a selector', { exact: true }).first().click();
      const button = walkthrough.getByRole('button', { name: 'Open policies.yaml' }).first();
      await button.waitFor({ state: 'visible', timeout: 10_000 });
      await button.click();
      await editorTab(page, 'policies.yaml');

      // the last step: the connection graph (netlens.showGraph)
      await runCommand(page, 'Welcome: Open Walkthrough', { opensInput: true });
      await row.waitFor({ state: 'visible', timeout: 20_000 });
      await row.click();
      await walkthrough.waitFor({ state: 'visible', timeout: 20_000 });
      await walkthrough.getByText('See who talks to whom', { exact: true }).first().click();
      const graph = walkthrough.getByRole('button', { name: 'Show the Connection Graph' }).first();
      await graph.waitFor({ state: 'visible', timeout: 10_000 });
      await graph.click();
      await editorTab(page, 'Connection Graph');
    },
  },
];
