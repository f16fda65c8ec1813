// UI: the connection graph webview on the demo (examples/shop): the right edges with their ports, keyboard
// use (Tab to an edge, Enter explains it), a query's path highlighted, and axe finds no serious violation.
import { editorTab, runCommand, webviewContent } from '../lib/workbench.mjs';
import { assertAccessible, webviewFrame } from '../lib/axe.mjs';

const FRONTEND = 'shop/frontend[Deployment]';
const CART = 'shop/cart[Deployment]';

/** The demo's connections between workloads, with their port labels (docs: examples/shop). */
const EXPECTED_EDGES = [
  [FRONTEND, CART, 'TCP 7070'],
  [FRONTEND, 'payments/payments-api[Deployment]', 'TCP 8443'],
  [CART, 'shop/redis[StatefulSet]', 'TCP 6379'],
  ['monitoring/prometheus[Deployment]', FRONTEND, 'TCP 8080'],
];

const edgeSel = (from, to) => `g.edge[data-from="${from}"][data-to="${to}"]`;

export const tests = [
  {
    name: 'Connection graph renders the demo with its edges, works by keyboard, highlights a path, passes axe',
    timeoutMs: 150_000,
    async run({ page, shot }) {
      await runCommand(page, 'View: Close Primary Side Bar'); // room for the graph and its explanation
      try {
        await runCommand(page, 'NetLens: Show Connection Graph');
        await editorTab(page, 'NetLens: Connection Graph');
        const view = webviewContent(page);
        const summary = view.locator('#summary');
        await summary
          .filter({ hasText: /^5 workloads, \d+ connections$/ })
          .waitFor({ state: 'visible', timeout: 60_000 })
          .catch(async () => {
            throw new Error(`the graph summary reads ${JSON.stringify(await summary.innerText().catch(() => '(no webview content)'))}`);
          });
        for (const [from, to, label] of EXPECTED_EDGES) {
          const got = await view
            .locator(`${edgeSel(from, to)} .edge-label`)
            .textContent({ timeout: 5_000 })
            .catch(() => '(no such edge)');
          if (got !== label) throw new Error(`edge ${from} -> ${to}: expected ${label}, got ${got}`);
        }
        if ((await view.locator(edgeSel(CART, FRONTEND)).count()) !== 0) throw new Error('cart must not reach frontend');
        const groups = await view.locator('g.group .group-label').allTextContents();
        for (const ns of ['monitoring', 'payments', 'shop'])
          if (!groups.includes(ns)) throw new Error(`no namespace group ${ns}; groups: ${groups.join(', ')}`);
        if ((await view.locator('g.node.external').count()) === 0) throw new Error('no external address node');
        await shot('graph-1-loaded');

        // Keyboard only: Tab from the first connection until the frontend -> cart one has the focus, then Enter.
        await view.locator('g.edge').first().focus();
        let focused = '';
        for (let i = 0; i < 40; i++) {
          focused = await view
            .locator(':focus')
            .getAttribute('aria-label')
            .catch(() => '');
          if (focused?.startsWith('shop/frontend to shop/cart')) break;
          await page.keyboard.press('Tab');
        }
        if (!focused?.startsWith('shop/frontend to shop/cart: allowed on TCP 7070 only'))
          throw new Error(`Tab never reached the frontend -> cart edge (last focus: ${JSON.stringify(focused)})`);
        await page.keyboard.press('Enter');
        const details = view.locator('#details');
        await details
          .filter({ hasText: 'allowed on TCP 7070 only' })
          .filter({ hasText: /ALLOWED|allowed by/ })
          .waitFor({ state: 'visible', timeout: 30_000 })
          .catch(async () => {
            throw new Error(`the explanation shows ${JSON.stringify(await details.innerText().catch(() => '(hidden)'))}`);
          });

        // A query's path: frontend -> cart:7070 highlights the edge
        await view.locator('#pathFrom').selectOption(FRONTEND);
        await view.locator('#pathTo').fill('cart');
        await view.locator('#pathPort').fill('7070');
        await view.locator('#pathGo').click();
        await view.locator(`${edgeSel(FRONTEND, CART)}.highlighted`).waitFor({ state: 'attached', timeout: 30_000 });
        // beside the explanation the whole graph stays in view: nothing past the right or bottom edge
        await page.waitForTimeout(500); // the resize that the panel's opening causes
        const fit = await view.locator('#viewport').evaluate((v) => {
          const svg = v.querySelector('svg').getBoundingClientRect();
          const box = v.getBoundingClientRect();
          const details = document.getElementById('details').getBoundingClientRect();
          return {
            scrolls: v.scrollWidth > v.clientWidth || v.scrollHeight > v.clientHeight,
            right: Math.round(svg.right),
            bottom: Math.round(svg.bottom),
            viewRight: Math.round(box.right),
            viewBottom: Math.round(box.bottom),
            panelLeft: Math.round(details.left),
            direction: v.querySelector('svg').dataset.direction,
          };
        });
        if (fit.scrolls || fit.right > fit.viewRight || fit.bottom > fit.viewBottom || fit.right > fit.panelLeft)
          throw new Error(`the graph does not fit beside the explanation: ${JSON.stringify(fit)}`);
        await shot('graph');

        await assertAccessible(await webviewFrame(page), 'the connection graph webview');
      } finally {
        await runCommand(page, 'View: Show Explorer').catch(() => {});
      }
    },
  },
];
