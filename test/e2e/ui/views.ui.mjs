// UI: the NetLens view container (activity bar) and the policy matrix webview.
import {
  editorTab,
  expandTreeRow,
  openViewContainer,
  quickOpen,
  runCommand,
  setSidebarWidth,
  sidebarView,
  treeRow,
  webviewContent,
} from '../lib/workbench.mjs';
import { assertAccessible, webviewFrame } from '../lib/axe.mjs';

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
