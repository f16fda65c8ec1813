// Shared helpers for the extension-host tests (bundled into each *.test.js by build.mjs).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'netlens.netlens';

/** The workspace the runner opened (a scratch copy of examples/shop). */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open: the runner must open a copy of examples/shop');
  return folder.uri;
}

export function fileUri(relative: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), ...relative.split('/'));
}

export async function openDocument(relative: string): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(fileUri(relative));
  return vscode.window.showTextDocument(doc, { preview: false });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * Polls `probe` until it returns a truthy value (returned) or `timeoutMs` passes (throws, naming `what` and
 * describing the last value seen via `describe`).
 */
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  opts: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() > deadline) {
      const seen = opts.describe ? `; last seen: ${opts.describe()}` : '';
      const err = lastError ? `; last error: ${String(lastError)}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${seen}${err}`);
    }
    await sleep(opts.intervalMs ?? 200);
  }
}

/** Activates NetLens (idempotent) and returns the extension. */
export async function activateNetLens(): Promise<vscode.Extension<unknown>> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this extension host`);
  if (!ext.isActive) await ext.activate();
  assert.ok(ext.isActive, `${EXTENSION_ID} did not activate`);
  return ext;
}

/** A diagnostic's code as a string, whether given as a value or as {value, target}. */
export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

export function describeDiagnostics(uri: vscode.Uri): string {
  const ds = vscode.languages.getDiagnostics(uri);
  if (ds.length === 0) return 'no diagnostics';
  return ds
    .map((d) => `[${d.source ?? '?'}:${codeOf(d) ?? '?'}] ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`)
    .join(' | ');
}

/** Waits until `uri` has a NetLens diagnostic with `code`, and returns it. */
export function waitForNetLensDiagnostic(uri: vscode.Uri, code: string, timeoutMs = 60_000): Promise<vscode.Diagnostic> {
  return waitFor(
    `a netlens '${code}' diagnostic on ${vscode.workspace.asRelativePath(uri)}`,
    () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'netlens' && codeOf(d) === code),
    { timeoutMs, describe: () => describeDiagnostics(uri) },
  );
}

/** NetLens's API (the value of activate()); types only, so nothing of the client is bundled into the tests. */
export type NetLensApi = import('../../../client/src/ctx').NetLensApi;

/** Activates NetLens and returns its API, once the server has indexed the workspace. */
export async function netlensApi(): Promise<NetLensApi> {
  const ext = await activateNetLens();
  const api = ext.exports as NetLensApi | undefined;
  assert.ok(api && api.reachabilityTree && api.status, 'activate() returned no NetLens API');
  assert.ok(await api.status.whenIndexed(60_000), `the server did not index the workspace (state ${api.client.state})`);
  return api;
}

/** The position of the `occurrence`-th (0-based) `needle` at or after `after` (a string that comes first) in `doc`. */
export function positionOf(doc: vscode.TextDocument, needle: string, opts: { after?: string; offset?: number } = {}): vscode.Position {
  const text = doc.getText();
  const from = opts.after ? text.indexOf(opts.after) : 0;
  assert.ok(from >= 0, `${vscode.workspace.asRelativePath(doc.uri)} has no ${JSON.stringify(opts.after)}`);
  const i = text.indexOf(needle, from);
  assert.ok(
    i >= 0,
    `${vscode.workspace.asRelativePath(doc.uri)} has no ${JSON.stringify(needle)}${opts.after ? ` after ${JSON.stringify(opts.after)}` : ''}`,
  );
  return doc.positionAt(i + (opts.offset ?? 0));
}

/** The plain text of hovers (MarkdownString or MarkedString contents), joined. */
export function hoverText(hovers: readonly vscode.Hover[] | undefined): string {
  return (hovers ?? [])
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : String(c)))
    .join('\n---\n');
}

/** Reverts the document to its saved state (undoing edits a test applied) and closes its editors. */
export async function revertAndClose(uri: vscode.Uri): Promise<void> {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (doc?.isDirty) {
    await vscode.window.showTextDocument(doc, { preview: false });
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
  const tabs = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === uri.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}

/** Labels of the open tabs, for messages. */
export function tabLabels(): string[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs.map((t) => t.label));
}
