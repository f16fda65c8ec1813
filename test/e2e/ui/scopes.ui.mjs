// UI: analysis scopes on examples/kustomize (a base and two overlays). The status item names the active
// scope; a click opens the picker; picking the prod overlay changes the Reachability tree: in dev a patch
// lets web query the database (db TCP 5432 under web > Can reach), in prod it cannot.
import {
  answerQuickInput,
  expandTreeRow,
  leftScreenshot,
  openViewContainer,
  runCommand,
  setPaneExpanded,
  setSidebarWidth,
  sideBySide,
  sidebarView,
  statusBarItem,
  treeRow,
} from '../lib/workbench.mjs';

const PICKER = 'NetLens: analysis scope';

/** Clicks the NetLens status item and picks scope `id`; waits until the item names it. */
async function pickScope(page, id, { beforeAccept } = {}) {
  const item = await statusBarItem(page, 'NetLens: kustomize:overlays/');
  await item.click();
  await answerQuickInput(page, { title: PICKER, text: '', pick: id, beforeAccept });
  return statusBarItem(page, `NetLens: ${id}`);
}

/** web > Can reach, expanded, with its first row `child` drawn (the tree refreshes after a scope switch). */
async function canReachOfWeb(view, child) {
  await expandTreeRow(view, 'shop', { child: 'web' });
  await expandTreeRow(view, 'web', { child: 'Can reach' });
  await expandTreeRow(view, 'Can reach', { child });
}

/** The labels of the rows under web > Can reach (the rows after it that are one level deeper). */
async function canReachRows(view) {
  return view.locator('.monaco-list-row').evaluateAll((rows) => {
    const drawn = rows
      .map((r) => ({
        label: r.getAttribute('aria-label') ?? '',
        level: Number(r.getAttribute('aria-level')),
        index: Number(r.dataset.index),
      }))
      .sort((a, b) => a.index - b.index);
    const at = drawn.findIndex((r) => r.label.startsWith('Can reach'));
    if (at < 0) return [];
    const out = [];
    for (const r of drawn.slice(at + 1)) {
      if (r.level <= drawn[at].level) break;
      out.push(r.label);
    }
    return out;
  });
}

export const tests = [
  {
    name: 'Scopes: the status item picks the prod overlay and the Reachability tree loses web -> db',
    example: 'kustomize',
    timeoutMs: 180_000,
    async run({ page, shot, resultsDir }) {
      await openViewContainer(page, 'NetLens');
      await setSidebarWidth(page, 470);
      // the Reachability view alone, so the whole of web's peers shows
      const folded = [];
      for (const pane of ['Policies', 'Changes']) if (await setPaneExpanded(page, pane, false)) folded.push(pane);
      /** the focus in the tree and the pointer off the status item (no tooltip in the screenshots) */
      const still = async () => {
        await runCommand(page, 'Focus on Reachability View');
        await page.mouse.move(900, 400);
      };
      try {
        const view = sidebarView(page, 'Reachability');
        await treeRow(view, 'shop', 60_000); // the server has indexed and rendered an overlay

        // dev: the patch db-from-web.yaml lets web reach the database
        const dev = await pickScope(page, 'kustomize:overlays/dev');
        await canReachOfWeb(view, 'api TCP 8000');
        await treeRow(view, 'db TCP 5432', 20_000);
        const devRows = await canReachRows(view);
        if (!devRows.some((l) => l.startsWith('db TCP 5432'))) throw new Error(`dev: web > Can reach lists ${JSON.stringify(devRows)}`);
        await still();
        const devShot = await leftScreenshot(page, resultsDir, 'ui-kustomize-1-dev', [page.locator('.part.sidebar').first(), dev]);

        // the picker, opened from the status item, lists both overlays
        const prod = await pickScope(page, 'kustomize:overlays/prod', { beforeAccept: () => shot('kustomize-2-picker') });

        // prod: no such patch; the tree refreshes (the expansion may be lost on the way)
        let prodRows = [];
        const deadline = Date.now() + 30_000;
        for (;;) {
          await canReachOfWeb(view, 'api TCP 8000');
          prodRows = await canReachRows(view);
          if (!prodRows.some((l) => l.startsWith('db TCP 5432')) || Date.now() > deadline) break;
          await page.waitForTimeout(500);
        }
        if (prodRows.some((l) => l.startsWith('db TCP 5432')) || !prodRows.some((l) => l.startsWith('api TCP 8000')))
          throw new Error(`prod: web > Can reach lists ${JSON.stringify(prodRows)} (expected api TCP 8000 and no db TCP 5432)`);
        await still();
        const prodShot = await leftScreenshot(page, resultsDir, 'ui-kustomize-3-prod', [page.locator('.part.sidebar').first(), prod]);

        await sideBySide(page, resultsDir, 'ui-kustomize-scopes', [
          { file: devShot, caption: 'overlays/dev: web can reach db on TCP 5432' },
          { file: prodShot, caption: 'overlays/prod, picked in the status item: it cannot' },
        ]);
      } finally {
        await page.keyboard.press('Escape').catch(() => {});
        for (const pane of folded) await setPaneExpanded(page, pane, true).catch(() => {});
        await setSidebarWidth(page, 300).catch(() => {});
        await runCommand(page, 'View: Show Explorer').catch(() => {});
      }
    },
  },
];
