// UI: "NetLens: Can … reach …?" from the command palette, answered step by step like a user would, with
// frontend.yaml (whose CART_URL is http://cart:7070) open; the result is a notification and a report beside.
import { answerQuickInput, editorTab, editorText, notification, quickOpen, runCommand } from '../lib/workbench.mjs';

export const tests = [
  {
    name: 'Query from the command palette: frontend -> cart on TCP 7070 is allowed',
    timeoutMs: 150_000,
    async run({ page, shot }) {
      await quickOpen(page, 'frontend.yaml');
      await runCommand(page, 'View: Close Primary Side Bar'); // room for the manifest and the report
      try {
        await runCommand(page, 'NetLens: Can … reach …?', { opensInput: true });
        await answerQuickInput(page, { title: '(1/4)', text: 'frontend', pick: 'frontend', beforeAccept: () => shot('query-1-source') });
        // "cart" as a DNS name, resolved from the source pod like its CART_URL (the row below the workload cart)
        await answerQuickInput(page, {
          title: 'Can shop/frontend reach …?',
          text: 'cart',
          pick: 'Use "cart"',
          beforeAccept: () => shot('query-2-destination'),
        });
        // later prompts show the earlier answers in their titles
        await answerQuickInput(page, {
          title: 'Can shop/frontend reach cart on port',
          text: '7070',
          beforeAccept: () => shot('query-3-port'),
        });
        await answerQuickInput(page, {
          title: 'Can shop/frontend reach cart on port 7070 over',
          text: 'TCP',
          pick: 'TCP',
          beforeAccept: () => shot('query-4-protocol'),
        });

        // one verdict sentence; no "Show Report" button, since the report is already open beside
        const toast = await notification(page, 'reach cart:7070?');
        const message = (await toast.innerText()).replace(/\s+/g, ' ');
        if (!message.includes('Can shop/frontend reach cart:7070? Allowed on TCP 7070.')) {
          throw new Error(`the notification does not give the verdict sentence: ${JSON.stringify(message)}`);
        }
        if (/Show Report/.test(message)) throw new Error(`the notification offers Show Report for an open report: ${message}`);
        // The report opens beside the manifest: "Can shop∕frontend reach cart:7070"
        const tab = await editorTab(page, 'reach cart');
        const report = await editorText(page, tab);
        for (const want of ['DNS:', 'cart.shop.svc.cluster.local', 'Service:', 'Policy:', 'Outcome: ALLOWED']) {
          if (!report.includes(want)) throw new Error(`the report lacks ${JSON.stringify(want)}:\n${report}`);
        }
        // files relative to the workspace folder, never file:// URIs
        if (report.includes('file://') || !/shop\/cart\.yaml:\d+:\d+/.test(report)) {
          throw new Error(`the report does not name files relative to the workspace:\n${report}`);
        }
        await shot('query-report');
      } finally {
        await runCommand(page, 'View: Show Explorer').catch(() => {});
      }
    },
  },
];
