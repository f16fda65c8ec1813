// Commands of the NetLens views: refresh, follow-the-editor on/off, open a definition.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { asLocation, showLocation } from '../location';
import { commandFailed } from './util';

export async function refreshCommand(ctx: Ctx): Promise<void> {
  ctx.reachabilityTree.refresh();
  ctx.policiesTree.refresh();
  ctx.changesTree.refresh(); // also the way to pick up a new commit (git HEAD is not watched)
  await ctx.status.update();
}

export async function setFollowCursorCommand(ctx: Ctx, on: boolean): Promise<boolean> {
  await ctx.config.setFollowCursor(on);
  if (on && vscode.window.activeTextEditor) await ctx.followCursor.follow(vscode.window.activeTextEditor);
  return ctx.config.followCursor;
}

/** Opens a definition (the trees' click action). Accepts a protocol Location or a node carrying one. */
export async function openLocationCommand(ctx: Ctx, arg?: unknown): Promise<vscode.TextEditor | undefined> {
  const loc = asLocation(arg);
  if (!loc) return undefined;
  try {
    return await showLocation(loc, { preview: true, preserveFocus: false });
  } catch (err) {
    return commandFailed(ctx, 'opening the definition', err);
  }
}
