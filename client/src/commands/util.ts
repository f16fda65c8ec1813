// Small helpers the commands share: reporting a failed user action, reading ids out of arguments that
// may be a plain string or a tree node.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { errorMessage, isQuiet } from '../errors';
import { isIndexed } from '../status';

const SHOW_OUTPUT = 'Show Output';

/** A command the user ran failed: say so every time (it answers their action) and log it. */
export function commandFailed(ctx: Ctx, doing: string, err: unknown): undefined {
  if (isQuiet(err)) return undefined;
  const message = errorMessage(err);
  ctx.output.error(`${doing}: ${message}`);
  void vscode.window.showErrorMessage(`NetLens: ${doing} failed: ${message}`, SHOW_OUTPUT).then((c) => {
    if (c === SHOW_OUTPUT) ctx.output.show(true);
  });
  return undefined;
}

/** The string property `key` of an argument object, if any. */
export function field(arg: unknown, key: string): string | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const v = (arg as Record<string, unknown>)[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** A workload id from a string argument or a node/object with `workloadId` (or `id` when it is one). */
export function workloadIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg || undefined;
  return field(arg, 'workloadId') ?? field(arg, 'workload');
}

export function policyIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg || undefined;
  return field(arg, 'policyId') ?? field(arg, 'policy');
}

/** Waits (with a progress indicator when it has to) until the server has indexed the workspace. */
export async function whenIndexed(ctx: Ctx): Promise<void> {
  if (ctx.status.last && isIndexed(ctx.status.last)) return;
  await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'NetLens: indexing the workspace…' }, () =>
    ctx.status.whenIndexed(),
  );
}
