// UI: hovering the podSelector of the web-tier NetworkPolicy shows the workloads it selects.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { goToLine, hoverToken, quickOpen, waitForCodeLens } from '../lib/workbench.mjs';

/** 1-based line and column of the `podSelector:` key of the policy named `policy` in `file`. */
export function podSelectorOf(file, policy) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const named = lines.findIndex((l) => l.trim() === `name: ${policy}`);
  const i = lines.findIndex((l, n) => n > named && /^\s*podSelector:/.test(l));
  if (named < 0 || i < 0) throw new Error(`${file} has no podSelector for policy ${policy}`);
  return { line: i + 1, column: lines[i].indexOf('podSelector') + 1 };
}

export const tests = [
  {
    name: 'Hover on the web-tier podSelector in policies.yaml lists the pods it selects',
    timeoutMs: 120_000,
    async run({ page, shot, workspace }) {
      await quickOpen(page, 'policies.yaml');
      const { line, column } = podSelectorOf(path.join(workspace, 'shop/policies.yaml'), 'web-tier');
      // the policies' code lenses ("selects 3 workloads · ...") show once the server has indexed the workspace
      await waitForCodeLens(page, 'selects 3 workloads'); // default-deny's, at the top
      await goToLine(page, line, column);
      // hovers are flaky (fade in, close when the mouse strays): hoverToken retries
      const text = await hoverToken(page, 'podSelector', { expect: 'shop/frontend[Deployment]', attempts: 8 });
      if (!/podSelector\s+tier=web\s+selects 1 workload in namespace\s+shop/.test(text.replace(/\s+/g, ' '))) {
        throw new Error(`the hover does not say what the selector selects: ${JSON.stringify(text)}`);
      }
      for (const other of ['cart', 'redis', 'payments-api']) {
        if (text.includes(other)) throw new Error(`the hover lists ${other}, which web-tier does not select: ${JSON.stringify(text)}`);
      }
      await shot('hover-podselector');
    },
  },
];
