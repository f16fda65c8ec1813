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
 * axe's serious and critical violations in `frame` (a Playwright Frame or Page), within `include` (a CSS
 * selector; the whole document by default), as readable lines.
 */
export async function seriousViolations(frame, include) {
  source ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await frame.evaluate(() => typeof window.axe === 'object'))) await frame.evaluate(source);
  const results = await frame.evaluate(
    (sel) => window.axe.run(sel ? { include: [[sel]] } : document, { resultTypes: ['violations'] }),
    include ?? null,
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}: ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')})`,
    );
}

/** Fails with the list when axe finds serious or critical violations. */
export async function assertAccessible(frame, what, include) {
  const found = await seriousViolations(frame, include);
  if (found.length) throw new Error(`accessibility (axe) of ${what}: ${found.length} serious violation(s):\n${found.join('\n')}`);
}
