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
  return ds.map((d) => `[${d.source ?? '?'}:${codeOf(d) ?? '?'}] ${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`).join(' | ');
}

/** Waits until `uri` has a NetLens diagnostic with `code`, and returns it. */
export function waitForNetLensDiagnostic(uri: vscode.Uri, code: string, timeoutMs = 60_000): Promise<vscode.Diagnostic> {
  return waitFor(
    `a netlens '${code}' diagnostic on ${vscode.workspace.asRelativePath(uri)}`,
    () => vscode.languages.getDiagnostics(uri).find((d) => d.source === 'netlens' && codeOf(d) === code),
    { timeoutMs, describe: () => describeDiagnostics(uri) },
  );
}
