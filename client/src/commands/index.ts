// Registers every NetLens command. Each one returns its result (for tests and other extensions) besides
// showing it, and takes optional arguments that skip its prompts.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';
import { openDemoCommand } from './demo';
import { explainAtCursorCommand, type ExplainAtArgs } from './explainAtCursor';
import { focusPolicyCommand, focusWorkloadCommand } from './focus';
import { explainConnectionCommand, queryCommand, queryFromHereCommand } from './query';
import { resolveCommand } from './resolve';
import { selectScopeCommand } from './scope';
import { openDocsCommand, restartServerCommand, showOutputCommand } from './server';
import { whenIndexed } from './util';
import { openLocationCommand, refreshCommand, setFollowCursorCommand } from './views';

const Commands = {
  query: 'netlens.query',
  resolve: 'netlens.resolve',
  explainAtCursor: 'netlens.explainAtCursor',
  showMatrix: 'netlens.showMatrix',
  showGraph: 'netlens.showGraph',
  restartServer: 'netlens.restartServer',
  showOutput: 'netlens.showOutput',
  focusPolicy: 'netlens.focusPolicy',
  focusWorkload: 'netlens.focusWorkload',
  openDocs: 'netlens.openDocs',
  refresh: 'netlens.refresh',
  followCursorOn: 'netlens.followCursor.enable',
  followCursorOff: 'netlens.followCursor.disable',
  explainConnection: 'netlens.explainConnection',
  queryFromHere: 'netlens.queryFromHere',
  openLocation: 'netlens.openLocation',
  openDemo: 'netlens.openDemo',
  selectScope: 'netlens.selectScope',
} as const;

export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- VS Code passes command arguments untyped
  const reg = (id: string, fn: (...args: any[]) => unknown): vscode.Disposable => vscode.commands.registerCommand(id, fn);
  return [
    reg(Commands.query, (arg?: unknown) => queryCommand(ctx, arg)),
    reg(Commands.resolve, (arg?: unknown) => resolveCommand(ctx, arg)),
    reg(Commands.explainAtCursor, (arg?: ExplainAtArgs) =>
      explainAtCursorCommand(ctx, arg && typeof arg === 'object' && !(arg instanceof vscode.Uri) ? arg : undefined),
    ),
    reg(Commands.showMatrix, async () => {
      await whenIndexed(ctx);
      return ctx.matrix.show();
    }),
    reg(Commands.showGraph, async (arg?: unknown) => {
      await whenIndexed(ctx);
      return ctx.graph.show(graphFilterArg(arg));
    }),
    reg(Commands.restartServer, () => restartServerCommand(ctx)),
    reg(Commands.showOutput, () => showOutputCommand(ctx)),
    reg(Commands.focusPolicy, (arg?: unknown) => focusPolicyCommand(ctx, arg)),
    reg(Commands.focusWorkload, (arg?: unknown) => focusWorkloadCommand(ctx, arg)),
    reg(Commands.openDocs, () => openDocsCommand(ctx)),
    reg(Commands.refresh, () => refreshCommand(ctx)),
    reg(Commands.followCursorOn, () => setFollowCursorCommand(ctx, true)),
    reg(Commands.followCursorOff, () => setFollowCursorCommand(ctx, false)),
    reg(Commands.explainConnection, (arg?: unknown) => explainConnectionCommand(ctx, arg)),
    reg(Commands.queryFromHere, (arg?: unknown) => queryFromHereCommand(ctx, arg)),
    reg(Commands.openLocation, (arg?: unknown) => openLocationCommand(ctx, arg)),
    reg(Commands.openDemo, (arg?: unknown) => openDemoCommand(ctx, arg)),
    reg(Commands.selectScope, (arg?: unknown) => selectScopeCommand(ctx, arg)),
  ];
}

/** `{ namespace }` or `{ workload }` from a command argument (a walkthrough, a test, a link); anything else shows all. */
function graphFilterArg(arg: unknown): { namespace?: string; workload?: string } | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as Record<string, unknown>;
  if (typeof a.workload === 'string') return { workload: a.workload };
  if (typeof a.namespace === 'string') return { namespace: a.namespace };
  return {};
}
