// Browser side: Debian's chromium driven by playwright-core, and a few workbench gestures for the UI tests.
// VS Code's DOM classes are not an API: keep the selectors here, few and forgiving, so one place changes
// when the workbench does.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { mkdirSync, readFileSync } from 'node:fs';

export async function launchBrowser({ executablePath, profileDir }) {
  mkdirSync(profileDir, { recursive: true });
  return chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 800 }, // the size of the README screenshots
    timeout: 60_000,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** `http://host:port/?folder=...` plus an optional VS Code payload (array of [key, value]). */
export function workbenchUrl(server, folder, payload) {
  let url = `${server.url}/?folder=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** The URI code-server's workbench uses for a path on its own machine. */
export function remoteUri(server, absPath) {
  return `vscode-remote://127.0.0.1:${server.port}${absPath}`;
}

export async function waitForWorkbench(page, timeoutMs = 60_000) {
  await page.locator('.monaco-workbench').first().waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.statusbar').first().waitFor({ state: 'visible', timeout: timeoutMs });
  // The explorer shows the folder once the remote file system answers. An earlier test may have left another
  // view container (NetLens) or a hidden side bar: the layout is restored from the browser's storage.
  const explorer = page.locator('.explorer-folders-view').first();
  const explorerRow = page.locator('.explorer-folders-view .monaco-list-row').first();
  await explorer.waitFor({ state: 'visible', timeout: 5_000 }).catch(() => {});
  if (!(await explorer.isVisible())) await runCommand(page, 'View: Show Explorer');
  await explorerRow.waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * Starts a test from a known layout whatever earlier tests left behind (the workbench restores editors and
 * panels): no editors, no panel, the Explorer showing.
 */
export async function resetWorkbench(page) {
  await runCommand(page, 'View: Close All Editors').catch(() => {});
  if (
    await page
      .locator('.part.panel')
      .first()
      .isVisible()
      .catch(() => false)
  ) {
    await runCommand(page, 'View: Hide Panel').catch(() => runCommand(page, 'View: Toggle Panel Visibility').catch(() => {}));
  }
  await page.keyboard.press('Escape');
}

// The quick input (palette, quick picks, input boxes): one widget, re-rendered at each step of a multi-step
// command, so wait for it to be visible (and for the step's title) before typing.
const quickInputWidget = (page) => page.locator('.quick-input-widget').filter({ visible: true }).first();
const quickInput = (page) => quickInputWidget(page).locator('input[type="text"], input.input').first();
const quickInputRows = (page) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row');

async function openQuickInput(page) {
  await page.keyboard.press('F1');
  const input = quickInput(page);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  return input;
}

/**
 * One step of a quick pick or input box: waits until the widget's title matches `title`, types `text`, waits
 * for a row matching `pick` (quick picks; omit for input boxes) to be the active one, and accepts with Enter.
 */
export async function answerQuickInput(page, { title, text, pick, beforeAccept, timeoutMs = 20_000 }) {
  const widget = quickInputWidget(page);
  const titleEl = page.locator('.quick-input-widget .quick-input-title').filter({ visible: true }).first();
  await titleEl
    .filter({ hasText: title })
    .waitFor({ state: 'visible', timeout: timeoutMs })
    .catch(async () => {
      const seen = await titleEl.innerText().catch(() => '(no quick input)');
      throw new Error(`expected a quick input titled ${title}; it shows ${JSON.stringify(seen)}`);
    });
  const input = quickInput(page);
  await input.fill(text);
  if (pick) {
    const row = quickInputRows(page).filter({ hasText: pick }).first();
    await row.waitFor({ state: 'visible', timeout: timeoutMs }).catch(async () => {
      const rows = await quickInputRows(page)
        .allInnerTexts()
        .catch(() => []);
      throw new Error(`quick pick ${title} has no row ${pick}; rows: ${JSON.stringify(rows.map((r) => r.replace(/\s+/g, ' ')))}`);
    });
    await beforeAccept?.();
    // the first row (the active one) must be the one wanted: Enter accepts the active row
    const first = (await quickInputRows(page).first().innerText()).replace(/\s+/g, ' ');
    if (!(typeof pick === 'string' ? first.includes(pick) : pick.test(first))) await row.click();
    else await page.keyboard.press('Enter');
  } else {
    await page.waitForTimeout(200); // validation runs on input
    await beforeAccept?.();
    await page.keyboard.press('Enter');
  }
  return widget;
}

/** Puts the cursor at line:column (1-based) of the active editor, with the line scrolled towards the middle. */
export async function goToLine(page, line, column = 1) {
  for (const target of [':999999', `:${line}:${column}`]) {
    // going to the end first makes the reveal of an earlier line scroll it to the centre
    const input = await openQuickInput(page);
    await input.fill(target);
    await page.waitForTimeout(200);
    await page.keyboard.press('Enter');
    await quickInput(page).waitFor({ state: 'hidden', timeout: 10_000 });
  }
  await page
    .locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` })
    .first()
    .waitFor({ state: 'visible', timeout: 10_000 })
    .catch(() => {});
}

/** Waits for a code lens containing `text` in the active editor (a sign the language server has answered). */
export async function waitForCodeLens(page, text, timeoutMs = 60_000) {
  const lens = page.locator('.editor-instance .monaco-editor .codelens-decoration', { hasText: text }).first();
  await lens.waitFor({ state: 'visible', timeout: timeoutMs }).catch(async () => {
    const seen = await page
      .locator('.editor-instance .monaco-editor .codelens-decoration')
      .allInnerTexts()
      .catch(() => []);
    throw new Error(`no code lens with ${JSON.stringify(text)}; code lenses: ${JSON.stringify(seen)}`);
  });
  return lens;
}

/** The text of the hover widget, once shown. */
const hoverWidget = (page) => page.locator('.monaco-hover:not(.hidden)').filter({ visible: true }).first();

/**
 * Hovers the mouse over the first token containing `token` on the cursor's line of the active editor and
 * returns the hover's text once it contains `expect`. Hovers are flaky (they fade in and close when the
 * mouse moves): retries a few times, moving the mouse away in between.
 */
export async function hoverToken(page, token, { expect, attempts = 5, timeoutMs = 5_000 } = {}) {
  let last = '';
  for (let i = 0; i < attempts; i++) {
    const box = await page.evaluate((tok) => {
      const ed = document.querySelector('.editor-instance .monaco-editor');
      const cur = ed?.querySelector('.view-overlays .current-line');
      const top = cur?.parentElement?.style.top;
      const line = [...(ed?.querySelectorAll('.view-lines .view-line') ?? [])].find((l) => l.style.top === top);
      const span = [...(line?.querySelectorAll('span span') ?? [])].find((s) => s.textContent.includes(tok));
      if (!span) return null;
      const r = span.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    }, token);
    if (!box) throw new Error(`the cursor's line has no token ${JSON.stringify(token)}`);
    await page.mouse.move(5, 5);
    await page.waitForTimeout(300);
    await page.mouse.move(box.x + Math.min(box.width / 2, 20), box.y + box.height / 2, { steps: 5 });
    const hover = hoverWidget(page);
    try {
      await hover.waitFor({ state: 'visible', timeout: timeoutMs });
      await page.waitForTimeout(500); // fade-in, and the language server's answer may replace "Loading..."
      last = await hover.innerText();
      if (!expect || (typeof expect === 'string' ? last.includes(expect) : expect.test(last))) return last;
    } catch {
      /* no hover this time */
    }
  }
  throw new Error(
    `no hover over ${JSON.stringify(token)}${expect ? ` containing ${expect}` : ''} after ${attempts} attempts; last hover: ${JSON.stringify(last)}`,
  );
}

/** A notification toast containing `text` (waits for it). */
export async function notification(page, text, timeoutMs = 30_000) {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ state: 'visible', timeout: timeoutMs }).catch(async () => {
    const all = await page
      .locator('.notifications-toasts .notification-toast')
      .allInnerTexts()
      .catch(() => []);
    throw new Error(`no notification with ${JSON.stringify(text)}; shown: ${JSON.stringify(all)}`);
  });
  return toast;
}

/** The editor tab whose label contains `text` (waits for it). */
export async function editorTab(page, text, timeoutMs = 20_000) {
  const tab = page.locator('.tabs-container .tab', { hasText: text }).first();
  await tab.waitFor({ state: 'visible', timeout: timeoutMs }).catch(async () => {
    const all = await page
      .locator('.tabs-container .tab')
      .allInnerTexts()
      .catch(() => []);
    throw new Error(`no editor tab with ${JSON.stringify(text)}; tabs: ${JSON.stringify(all)}`);
  });
  return tab;
}

/** The text of the visible editor whose tab is active in the group holding `tab`. */
export async function editorText(page, tab) {
  const group = page.locator('.editor-group-container', { has: tab });
  return (await group.locator('.monaco-editor .view-lines').first().innerText()).replace(/\u00a0/g, ' ');
}

/** Shows a view container from the activity bar by its title (e.g. 'NetLens'). */
export async function openViewContainer(page, title) {
  const item = page.locator(`.activitybar .action-item a[aria-label^="${title}"]`).first();
  await item.waitFor({ state: 'visible', timeout: 20_000 }).catch(() => {
    throw new Error(`no activity bar item ${title}`);
  });
  if (
    (await item.getAttribute('aria-expanded')) !== 'true' &&
    !(await item.evaluate((a) => a.closest('.action-item')?.classList.contains('checked')))
  )
    await item.click();
  await page.locator('.part.sidebar .composite.title', { hasText: title }).first().waitFor({ state: 'visible', timeout: 20_000 });
}

/** A view (pane) of the side bar by its title, e.g. 'Reachability'. */
export function sidebarView(page, title) {
  return page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: title }) }).first();
}

/**
 * The row of a tree item whose accessible label starts with `label` (waits for it). The tree draws only the
 * rows inside its pane, so a row below the fold is scrolled to (the wheel over the list) before giving up.
 */
export async function treeRow(view, label, timeoutMs = 30_000) {
  const row = view.locator(`.monaco-list-row[aria-label^="${label}"]`).first();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await row.isVisible().catch(() => false)) return row;
    if (await scrollTreeUntil(view, row)) return row;
    if (Date.now() > deadline) break;
    await pageOf(view).waitForTimeout(500);
  }
  const rows = await view
    .locator('.monaco-list-row')
    .evaluateAll((rs) => rs.map((r) => r.getAttribute('aria-label')))
    .catch(() => []);
  throw new Error(`no tree row ${JSON.stringify(label)}; rows: ${JSON.stringify(rows)}`);
}

/** Scrolls the view's list from its top down a step at a time until `row` is drawn; false once it stops moving. */
async function scrollTreeUntil(view, row) {
  try {
    return await scrollRowsUntil(view, row);
  } finally {
    await pageOf(view)
      .mouse.move(1, 1)
      .catch(() => {}); // the pointer left on a row would show its tooltip over the tree (and in screenshots)
  }
}

async function scrollRowsUntil(view, row) {
  const list = view.locator('.monaco-list').first();
  const box = await list.boundingBox().catch(() => null);
  if (!box) return false;
  const page = pageOf(view);
  await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 40));
  let last = '';
  if (!(await row.isVisible().catch(() => false))) await page.mouse.wheel(0, -100_000);
  for (let i = 0; i < 40; i++) {
    if (await row.isVisible().catch(() => false)) return true;
    const drawn = await list
      .locator('.monaco-list-row')
      .evaluateAll((rs) =>
        rs
          .map((r) => r.getAttribute('data-index'))
          .sort()
          .join(','),
      )
      .catch(() => '');
    if (i > 0 && drawn === last) return false; // the list no longer scrolls: the row is not there
    last = drawn;
    await page.mouse.wheel(0, 66);
    await page.waitForTimeout(150);
  }
  return row.isVisible().catch(() => false);
}

/**
 * Expands a tree item through its twistie (a click on the row would run the item's command instead) and, with
 * `child`, waits for that child row. The tree may refresh meanwhile (the server re-indexes): then the expansion
 * can be lost or the children never drawn, so it collapses and expands again, up to `attempts` times.
 */
export async function expandTreeRow(view, label, { child, attempts = 3 } = {}) {
  let state = '';
  for (let i = 0; i < attempts; i++) {
    const row = await treeRow(view, label);
    if ((await row.getAttribute('aria-expanded')) === 'true' && i > 0) {
      await row.locator('.monaco-tl-twistie').click(); // collapse, to expand afresh
      await pageOf(view).waitForTimeout(300);
    }
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.locator('.monaco-tl-twistie').click();
    await pageOf(view).waitForTimeout(300);
    state = (await row.getAttribute('aria-expanded')) ?? '(none)';
    if (state !== 'true') {
      console.log(`      (tree row ${label} did not expand; trying again)`);
      continue;
    }
    if (!child) return row;
    try {
      await treeRow(view, child, 10_000);
      return row;
    } catch {
      // not drawn: say so (a flaky tree is worth knowing about) and try again
      console.log(`      (tree row ${label} is expanded but shows no ${child}; expanding it again)`);
    }
  }
  const rows = await view
    .locator('.monaco-list-row')
    .evaluateAll((rs) => rs.map((r) => `${r.getAttribute('aria-label')} [${r.getAttribute('aria-expanded')}]`))
    .catch(() => []);
  throw new Error(
    `tree row ${label} does not expand${child ? ` to show ${child}` : ''} (aria-expanded ${state}); rows: ${JSON.stringify(rows)}`,
  );
}
const pageOf = (locator) => locator.page();

/** Drags the side bar's edge (its sash) so that it is `width` pixels wide (tree labels are long). */
export async function setSidebarWidth(p, width) {
  const bar = await p.locator('.part.sidebar').first().boundingBox();
  if (!bar || Math.abs(bar.width - width) < 4) return;
  const sash = await p
    .locator('.monaco-sash.vertical.primary-sidebar-sash')
    .first()
    .boundingBox()
    .catch(() => null);
  const x = sash ? sash.x + sash.width / 2 : bar.x + bar.width + 2;
  const y = bar.y + bar.height / 2;
  await p.mouse.move(x, y);
  await p.mouse.down();
  await p.mouse.move(x + 20, y, { steps: 3 });
  await p.mouse.move(bar.x + width, y, { steps: 5 });
  await p.mouse.up();
}

/** The content of the webview editor (VS Code nests it in two iframes). */
export function webviewContent(p) {
  return p.frameLocator('iframe.webview.ready').first().frameLocator('iframe').first();
}

/**
 * Runs a command by its palette label (e.g. 'View: Focus Problems'), via F1. `opensInput`: the command asks
 * something in the quick input itself, so the widget stays open (with another placeholder) instead of closing.
 */
export async function runCommand(page, label, opts = {}) {
  const { timeoutMs = 15_000, opensInput = false } = typeof opts === 'number' ? { timeoutMs: opts } : opts;
  const input = await openQuickInput(page);
  await input.fill(`>${label}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs }).catch(() => {
    throw new Error(`command palette has no entry '${label}'`);
  });
  const paletteLabel = await input.getAttribute('aria-label');
  await row.click();
  if (opensInput) {
    await page.waitForFunction(
      (palette) => {
        const el = [...document.querySelectorAll('.quick-input-widget input')].find((i) => i.offsetParent);
        return el && el.getAttribute('aria-label') !== palette;
      },
      paletteLabel,
      { timeout: timeoutMs },
    );
  } else {
    await quickInput(page).waitFor({ state: 'hidden', timeout: timeoutMs });
  }
}

/** Opens a workspace file by name through Quick Open (F1, then a query without '>'). */
export async function quickOpen(page, query, tabLabel = path.basename(query), timeoutMs = 20_000) {
  const input = await openQuickInput(page);
  await input.fill(query);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(query) }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs }).catch(() => {
    throw new Error(`Quick Open found no file for '${query}'`);
  });
  await page.keyboard.press('Enter');
  await page.locator('.tabs-container .tab', { hasText: tabLabel }).first().waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Screenshot into the results folder; returns its path. */
export async function screenshot(page, dir, name) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.waitForTimeout(500); // hovers and panels fade in
  await page.screenshot({ path: file });
  return file;
}

/** The accessible label of the tree row that has the keyboard focus in `view` ('' when none). */
export async function focusedTreeRow(view) {
  return (
    (await view
      .locator('.monaco-list-row.focused')
      .first()
      .getAttribute('aria-label', { timeout: 2_000 })
      .catch(() => null)) ?? ''
  );
}

/**
 * Moves the tree's keyboard focus with the arrow keys (down from where it is, wrapping once through Home)
 * until the focused row's label starts with `label`. Keys only: no click.
 */
export async function arrowToTreeRow(view, label, maxSteps = 40) {
  const page = pageOf(view);
  const seen = [];
  for (let i = 0; i < maxSteps; i++) {
    const now = await focusedTreeRow(view);
    if (now.startsWith(label)) return now;
    seen.push(now);
    await page.keyboard.press(i === maxSteps / 2 ? 'Home' : 'ArrowDown');
    await page.waitForTimeout(60);
  }
  throw new Error(`the arrow keys never reached the tree row ${JSON.stringify(label)}; focus went ${JSON.stringify(seen.slice(0, 12))}`);
}

/** The status bar item whose text contains `text` (waits for it). */
export async function statusBarItem(page, text, timeoutMs = 30_000) {
  const item = page.locator('.part.statusbar .statusbar-item', { hasText: text }).first();
  await item.waitFor({ state: 'visible', timeout: timeoutMs }).catch(async () => {
    const all = await page
      .locator('.part.statusbar .statusbar-item')
      .allInnerTexts()
      .catch(() => []);
    throw new Error(`no status bar item with ${JSON.stringify(text)}; items: ${JSON.stringify(all.map((t) => t.trim()).filter(Boolean))}`);
  });
  return item;
}

/** Screenshot of the window's left part, from its left edge to the right edge of every locator given (plus a margin). */
export async function leftScreenshot(page, dir, name, locators) {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.waitForTimeout(500);
  const view = page.viewportSize() ?? { width: 1280, height: 800 };
  let right = 0;
  for (const l of locators) {
    const b = await l.boundingBox();
    if (b) right = Math.max(right, b.x + b.width);
  }
  const width = Math.min(view.width, Math.ceil(right) + 24);
  await page.screenshot({ path: file, clip: { x: 0, y: 0, width, height: view.height } });
  return file;
}

/** Two or more screenshots side by side, each under its caption, as one PNG (a before/after figure). */
export async function sideBySide(page, dir, name, panels) {
  const escape = (s) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const figures = panels
    .map(
      ({ file, caption }) =>
        `<figure style="margin:0"><figcaption style="padding:0 0 8px">${escape(caption)}</figcaption>` +
        `<img style="display:block;border:1px solid #555" src="data:image/png;base64,${readFileSync(file).toString('base64')}"></figure>`,
    )
    .join('');
  const p = await page.context().newPage();
  try {
    await p.setContent(
      `<!doctype html><body style="margin:0;display:inline-flex;gap:20px;padding:14px;background:#181818;color:#e8e8e8;font:600 18px system-ui,sans-serif">${figures}</body>`,
    );
    const box = await p.locator('body').boundingBox();
    await p.setViewportSize({ width: Math.ceil(box.width), height: Math.ceil(box.height) });
    const file = path.join(dir, `${name}.png`);
    await p.locator('body').screenshot({ path: file });
    return file;
  } finally {
    await p.close().catch(() => {});
  }
}

/** Expands or collapses a side bar view (pane) by its header; returns whether it was expanded before. */
export async function setPaneExpanded(page, title, expanded) {
  const header = page.locator('.part.sidebar .pane-header', { hasText: title }).first();
  await header.waitFor({ state: 'visible', timeout: 10_000 });
  const was = (await header.getAttribute('aria-expanded')) === 'true';
  if (was !== expanded) {
    await header.click({ position: { x: 12, y: 10 } });
    await page.waitForTimeout(300);
  }
  return was;
}

/** The welcome content a view shows instead of an empty tree ('' when it shows none). */
export async function viewWelcome(view) {
  const content = view.locator('.welcome-view-content').first();
  if (!(await content.isVisible().catch(() => false))) return '';
  return (await content.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
}

/** Text VS Code shows in a view that has no tree data provider (yet). */
export const NO_DATA_PROVIDER = 'There is no data provider registered';

/**
 * The status bar entry whose accessible label matches `label` (a RegExp or a string it starts with), or
 * null when there is none. VS Code draws an extension's entry with the id `<publisher.name>.<item id>`.
 */
export async function statusBarEntry(page, id) {
  const entry = page.locator(`.part.statusbar .statusbar-item[id$="${id}"]`).first();
  if (!(await entry.isVisible().catch(() => false))) return null;
  return {
    text: (await entry.innerText().catch(() => '')).replace(/\s+/g, ' ').trim(),
    label:
      (await entry
        .locator('a')
        .first()
        .getAttribute('aria-label')
        .catch(() => null)) ??
      (await entry.getAttribute('aria-label')) ??
      '',
    locator: entry,
  };
}

/**
 * The status bar entry of an extension's item `id` (VS Code gives it the element id `<extension>.<id>`):
 * its text with icons written as $(name), as the extension set it; null when it is not shown.
 */
export async function statusBarText(page, id) {
  const entry = page.locator(`.part.statusbar .statusbar-item[id$=".${id}"]`).first();
  if (!(await entry.isVisible().catch(() => false))) return null;
  return entry.evaluate((el) => {
    const out = [];
    const walk = (n) => {
      for (const c of n.childNodes) {
        if (c.nodeType === Node.TEXT_NODE) out.push(c.textContent);
        else if (c instanceof Element) {
          const icon = [...c.classList].find((k) => k.startsWith('codicon-'));
          if (icon) out.push(`$(${icon.slice('codicon-'.length)})`);
          else walk(c);
        }
      }
    };
    walk(el.querySelector('.statusbar-item-label') ?? el);
    return out.join('').replace(/\s+/g, ' ').trim();
  });
}

/**
 * For each code lens of the active editor: its text and the text of the editor line drawn right below it
 * (the line it belongs to), by their positions on the screen.
 */
export async function codeLensLines(page) {
  return page.evaluate(() => {
    const ed = document.querySelector('.editor-instance .monaco-editor');
    if (!ed) return [];
    const box = (ed.querySelector('.overflow-guard') ?? ed).getBoundingClientRect();
    const inView = (r) => r.height > 0 && r.top >= box.top && r.bottom <= box.bottom;
    const lines = [...ed.querySelectorAll('.view-lines .view-line')]
      .map((l) => ({ r: l.getBoundingClientRect(), text: l.textContent }))
      .filter((l) => inView(l.r));
    // lenses drawn inside the editor's visible area, right above a drawn line (a lens whose line is not
    // drawn yet is parked at the editor's top)
    const drawn = (c) => {
      const r = c.getBoundingClientRect();
      return inView(r) && getComputedStyle(c).visibility !== 'hidden' && lines.some((l) => Math.abs(l.r.top - r.bottom) <= 2);
    };
    return [...ed.querySelectorAll('.codelens-decoration')].filter(drawn).map((c) => {
      const r = c.getBoundingClientRect();
      const below = lines.filter((l) => l.r.top >= r.bottom - 2).sort((a, b) => a.r.top - b.r.top)[0];
      const above = lines.filter((l) => l.r.bottom <= r.top + 2).sort((a, b) => b.r.bottom - a.r.bottom)[0];
      return {
        lens: c.textContent.replace(/\s+/g, ' ').trim(),
        below: (below?.text ?? '').replace(/\u00a0/g, ' '),
        above: (above?.text ?? '').replace(/\u00a0/g, ' '),
        gap: below ? Math.round(below.r.top - r.bottom) : null,
      };
    });
  });
}
