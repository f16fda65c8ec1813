// UI: the NetLens view container (activity bar) and the policy matrix webview.
import {
  arrowToTreeRow,
  editorTab,
  expandTreeRow,
  openViewContainer,
  quickOpen,
  runCommand,
  setSidebarWidth,
  sidebarView,
  notification,
  treeRow,
  webviewContent,
} from '../lib/workbench.mjs';
import { assertAccessible, assertTreeAccessible, webviewFrame } from '../lib/axe.mjs';

/** F1, a command typed, Enter: the palette by keyboard alone. */
async function commandByKeyboard(page, text) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input').first();
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.type(text);
  await page
    .locator('.quick-input-list .monaco-list-row.focused', { hasText: text })
    .first()
    .waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: 10_000 });
}

export const tests = [
  {
    name: 'Reachability view: shop > frontend > Can reach lists cart (TCP 7070)',
    timeoutMs: 120_000,
    async run({ page, shot }) {
      await quickOpen(page, 'frontend.yaml'); // the manifest beside the tree, as one works
      await openViewContainer(page, 'NetLens');
      await setSidebarWidth(page, 470); // tree labels are long
      try {
        const view = sidebarView(page, 'Reachability');
        await expandTreeRow(view, 'shop', { child: 'frontend' });
        await expandTreeRow(view, 'frontend', { child: 'Can reach' });
        await shot('tree-1-frontend');
        await expandTreeRow(view, 'Can reach', { child: 'cart TCP 7070' });
        await treeRow(view, 'payments-api TCP 8443');
        await shot('tree-can-reach');
      } finally {
        await setSidebarWidth(page, 300).catch(() => {});
        await runCommand(page, 'View: Show Explorer').catch(() => {}); // the layout the next test expects
      }
    },
  },
  {
    name: 'Reachability and Policies views work by keyboard alone and pass axe',
    timeoutMs: 150_000,
    async run({ page, shot }) {
      await openViewContainer(page, 'NetLens');
      await setSidebarWidth(page, 470);
      try {
        const view = sidebarView(page, 'Reachability');
        await treeRow(view, 'shop'); // the server has answered
        await commandByKeyboard(page, 'Focus on Reachability View');
        // Arrows move, Right expands, Shift+F10 opens the row's menu, Enter runs "Explain".
        for (const [row, child] of [
          ['shop', 'frontend'],
          ['frontend', 'Can reach'],
          ['Can reach', 'cart TCP 7070'],
        ]) {
          await arrowToTreeRow(view, row);
          await page.keyboard.press('ArrowRight');
          await treeRow(view, child, 15_000);
        }
        await arrowToTreeRow(view, 'cart TCP 7070');
        await assertTreeAccessible(page, view, 'the Reachability view');
        await page.keyboard.press('Shift+F10');
        const menu = page.locator('.context-view .monaco-menu').first();
        await menu.waitFor({ state: 'visible', timeout: 10_000 });
        for (let i = 0; i < 10; i++) {
          const focused = await menu
            .locator('.action-item.focused .action-label')
            .first()
            .textContent({ timeout: 500 })
            .catch(() => '');
          if (focused === 'Explain') break;
          await page.keyboard.press('ArrowDown');
        }
        await page.keyboard.press('Enter');
        const toast = await notification(page, 'cart');
        const message = await toast.innerText();
        if (!/allowed/i.test(message)) throw new Error(`Explain on frontend -> cart says ${JSON.stringify(message)}`);
        await shot('tree-keyboard-explain');

        const policies = sidebarView(page, 'Policies');
        await commandByKeyboard(page, 'Focus on Policies View');
        await arrowToTreeRow(policies, 'web-tier');
        await page.keyboard.press('ArrowRight');
        await treeRow(policies, 'Selects', 15_000);
        await arrowToTreeRow(policies, 'Selects');
        await page.keyboard.press('ArrowRight');
        await treeRow(policies, 'frontend', 15_000);
        await assertTreeAccessible(page, policies, 'the Policies view');
      } finally {
        await page.keyboard.press('Escape').catch(() => {});
        await setSidebarWidth(page, 300).catch(() => {});
        await runCommand(page, 'View: Show Explorer').catch(() => {});
      }
    },
  },
  {
    name: 'Policy matrix webview shows the workloads and explains frontend -> cart',
    timeoutMs: 120_000,
    async run({ page, shot }) {
      await runCommand(page, 'View: Close Primary Side Bar'); // room for the matrix and its explanation
      try {
        await runCommand(page, 'NetLens: Show Policy Matrix');
        await editorTab(page, 'NetLens: Policy Matrix');
        const view = webviewContent(page);
        const summary = view.locator('#summary');
        await summary
          .filter({ hasText: /5 workloads · \d+ allowed pairs/ })
          .waitFor({ state: 'visible', timeout: 60_000 })
          .catch(async () => {
            throw new Error(`the matrix summary reads ${JSON.stringify(await summary.innerText().catch(() => '(no webview content)'))}`);
          });
        await view.locator('#canvas').waitFor({ state: 'visible', timeout: 10_000 });
        await shot('matrix-1-loaded');
        for (let i = 0; i < 6; i++) await view.locator('#zoomIn').click(); // larger cells for the screenshot
        // Keyboard: rows and columns are sorted by namespace then name (monitoring/prometheus,
        // payments/payments-api, shop/cart, shop/frontend, shop/redis); the cursor starts at the top left cell.
        const scroller = view.locator('#scroller');
        await scroller.focus();
        for (const key of ['ArrowDown', 'ArrowDown', 'ArrowDown', 'ArrowRight', 'ArrowRight']) await scroller.press(key);
        const cell = (await summary.innerText()).trim();
        if (!/^frontend → cart: allowed on TCP 7070 only$/.test(cell))
          throw new Error(`expected the frontend → cart cell, the summary reads ${JSON.stringify(cell)}`);
        await scroller.press('Enter'); // explains the cell in the side panel
        const details = view.locator('#details');
        await details
          .filter({ hasText: /ALLOWED allowed on TCP 7070/ })
          .waitFor({ state: 'visible', timeout: 30_000 })
          .catch(async () => {
            throw new Error(`the explanation panel shows ${JSON.stringify(await details.innerText().catch(() => '(hidden)'))}`);
          });
        // the explanation once: its steps, not again as a monospace report
        if ((await view.locator('#details pre').count()) !== 0) throw new Error('the explanation is repeated as a report');
        await shot('matrix');
        await assertAccessible(await webviewFrame(page), 'the policy matrix webview');
      } finally {
        await runCommand(page, 'View: Show Explorer').catch(() => {});
      }
    },
  },
];
