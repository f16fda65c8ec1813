// Browser side: Debian's chromium driven by playwright-core, and a few workbench gestures for the UI tests.
// VS Code's DOM classes are not an API: keep the selectors here, few and forgiving, so one place changes
// when the workbench does.
import { chromium } from 'playwright-core';
import path from 'node:path';
import { mkdirSync } from 'node:fs';

export async function launchBrowser({ executablePath, profileDir }) {
  mkdirSync(profileDir, { recursive: true });
  return chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    viewport: { width: 1440, height: 900 },
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
  // The explorer shows the folder once the remote file system answers.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: timeoutMs });
}

const quickInput = (page) => page.locator('.quick-input-widget input[type="text"], .quick-input-widget input.input').first();

async function openQuickInput(page) {
  await page.keyboard.press('F1');
  const input = quickInput(page);
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  return input;
}

/** Runs a command by its palette label (e.g. 'View: Focus Problems'), via F1. */
export async function runCommand(page, label, timeoutMs = 15_000) {
  const input = await openQuickInput(page);
  await input.fill(`>${label}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: timeoutMs }).catch(() => {
    throw new Error(`command palette has no entry '${label}'`);
  });
  await row.click();
  await quickInput(page).waitFor({ state: 'hidden', timeout: timeoutMs });
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
