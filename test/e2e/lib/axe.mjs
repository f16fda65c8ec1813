// Runs axe-core (the accessibility checker) inside a page or webview frame of the real editor and returns
// the violations of impact serious or critical. The script is evaluated through the DevTools protocol,
// which the webview's Content-Security-Policy does not restrict (the page itself loads nothing new).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let source;

/** The frame of the active webview's content (the iframe inside VS Code's webview iframe). */
export async function webviewFrame(page, timeoutMs = 20_000) {
  const outer = page.locator('iframe.webview.ready').first();
  await outer.waitFor({ state: 'attached', timeout: timeoutMs });
  const f1 = await (await outer.elementHandle()).contentFrame();
  const innerEl = f1.locator('iframe').first();
  await innerEl.waitFor({ state: 'attached', timeout: timeoutMs });
  return (await innerEl.elementHandle()).contentFrame();
}

/**
 * axe's serious and critical violations in `frame` (a Playwright Frame or Page) as readable lines.
 * `include`: a CSS selector or a Playwright Locator (one element) to check only that part; the whole document
 * by default. `disable`: rule ids not to run (each caller says why, and checks the same thing another way).
 * With NETLENS_AXE_DEBUG=1 each node's HTML and axe's reason are printed too.
 */
export async function seriousViolations(frame, include, { disable = [] } = {}) {
  source ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const options = { resultTypes: ['violations'], rules: Object.fromEntries(disable.map((id) => [id, { enabled: false }])) };
  const results =
    include && typeof include !== 'string'
      ? await runOnElement(include, options)
      : await runOnFrame(frame, include ? { include: [[include]] } : null, options);
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes
          .slice(0, 3)
          .map((n) => `${n.target.join(' ')}${process.env.NETLENS_AXE_DEBUG ? ` ${n.html} => ${n.failureSummary}` : ''}`)
          .join(' | ')})`,
    );
}

async function loadAxe(frame) {
  if (!(await frame.evaluate(() => typeof window.axe === 'object'))) await frame.evaluate(source);
}

async function runOnFrame(frame, context, options) {
  await loadAxe(frame);
  return frame.evaluate(([ctx, opts]) => window.axe.run(ctx ?? document, opts), [context, options]);
}

async function runOnElement(locator, options) {
  await loadAxe(locator.page());
  return locator.evaluate((el, opts) => window.axe.run(el, opts), options);
}

/** Fails with the list when axe finds serious or critical violations (arguments as seriousViolations). */
export async function assertAccessible(frame, what, include, opts) {
  const found = await seriousViolations(frame, include, opts);
  if (found.length) throw new Error(`accessibility (axe) of ${what}: ${found.length} serious violation(s):\n${found.join('\n')}`);
}

/**
 * Accessibility of a NetLens tree view (`view`: its pane, as workbench.mjs's sidebarView gives it). Only the
 * rows are checked: the pane header and the workbench around it are VS Code's markup, which NetLens does not
 * write (axe flags the header's action buttons inside its role=button as nested-interactive).
 * axe's label-content-name-mismatch rule is replaced by an exact check of the same requirement (WCAG 2.5.3,
 * the accessible name contains the visible text): VS Code draws a row's label and description as adjacent
 * inline spans separated only by a CSS margin, so axe reads the visible text of "payments" + "1 workload" as
 * "payments1 workload" and flags every row that has a description whatever its name, VS Code's own default
 * name "payments 1 workload" included (seen on VS Code 1.139 with axe-core 4.x: 20 rows, every one of them a
 * row with a description). The exact check fails for a name that is not the visible label then description,
 * e.g. a string tooltip, which VS Code reads instead of the visible text unless the item says otherwise.
 */
export async function assertTreeAccessible(page, view, what) {
  await assertAccessible(page, what, view.locator('.pane-body'), { disable: ['label-content-name-mismatch'] });
  const rows = await view.locator('.pane-body .monaco-list-row').evaluateAll((rs) =>
    rs.map((r) => ({
      name: r.getAttribute('aria-label'),
      label: r.querySelector('.label-name')?.textContent ?? '',
      description: r.querySelector('.label-description')?.textContent ?? '',
    })),
  );
  if (!rows.length) throw new Error(`${what}: no tree rows to check`);
  const wrong = rows.filter((r) => r.name !== (r.description ? `${r.label} ${r.description}` : r.label));
  if (wrong.length)
    throw new Error(
      `accessibility of ${what}: ${wrong.length} row(s) whose accessible name is not their visible text:\n${wrong
        .map((r) => `  ${JSON.stringify(r.name)} shows ${JSON.stringify(r.label)} + ${JSON.stringify(r.description)}`)
        .join('\n')}`,
    );
}
