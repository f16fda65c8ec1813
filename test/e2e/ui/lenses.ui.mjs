// UI: code lenses sit above the object they describe, on its `kind:` line, not between `metadata:` and
// `name:`: the line drawn right below each lens is the object's `kind:` line.
import { codeLensLines, goToLine, quickOpen, waitForCodeLens } from '../lib/workbench.mjs';

async function lensesOf(page, file, expected, line) {
  await quickOpen(page, file);
  await goToLine(page, line); // the objects in view (lenses are drawn for the visible lines only)
  await waitForCodeLens(page, expected);
  await page.waitForTimeout(500);
  return codeLensLines(page);
}

function check(file, lenses, kind) {
  if (lenses.length === 0) throw new Error(`${file}: no code lens drawn`);
  console.log(`      ${file}: ${lenses.map((l) => `${JSON.stringify(l.lens)} above ${JSON.stringify(l.below.trim())}`).join('; ')}`);
  for (const l of lenses) {
    if (!new RegExp(`^\\s*kind:\\s*${kind}\\b`).test(l.below))
      throw new Error(`${file}: the lens ${JSON.stringify(l.lens)} is drawn above ${JSON.stringify(l.below)}, not the kind: line`);
    if (/^\s*metadata:\s*$/.test(l.above)) throw new Error(`${file}: the lens ${JSON.stringify(l.lens)} sits right after metadata:`);
  }
}

export const tests = [
  {
    name: 'code lenses sit on the kind: line of their NetworkPolicy and workload',
    timeoutMs: 120_000,
    async run({ page, shot }) {
      const policies = await lensesOf(page, 'policies.yaml', 'selects 3 workloads', 1);
      check('policies.yaml', policies, 'NetworkPolicy');
      if (!policies.some((l) => l.lens.startsWith('selects 3 workloads')))
        throw new Error(`policies.yaml: lenses ${JSON.stringify(policies.map((l) => l.lens))}`);
      await shot('lenses-policies');
      const frontend = await lensesOf(page, 'frontend.yaml', 'reachable from', 1);
      check(
        'frontend.yaml',
        frontend.filter((l) => l.lens.startsWith('reachable from')),
        'Deployment',
      );
      await shot('lenses-workload');
    },
  },
];
