// "NetLens: Can … reach …?" (netlens.query) and the tree's "Explain" / "Query from Here".
// With {from, to[, port, protocol]} it runs without asking anything; otherwise it asks for what is missing.
// Shows the outcome as a notification and the explanation as a netlens-report document; returns the result.
import * as vscode from 'vscode';
import type * as P from '../../../protocol/messages';
import type { Ctx } from '../ctx';
import { queryTitle, readableId, target, verdictSentence } from '../explain';
import { parsePort, parseProtocol, pickDestination, pickPort, pickProtocol, pickWorkload } from './pickers';
import { commandFailed, field, whenIndexed, workloadIdOf } from './util';

export interface QueryArgs {
  from?: string;
  to?: string;
  port?: number | string | null;
  protocol?: string;
  /** false: return the result without a notification or a report document */
  show?: boolean;
}

/** Accepts QueryArgs, a workload id (the source), or a tree node (peer: its connection; workload: the source). */
function queryArgs(arg: unknown): QueryArgs {
  if (typeof arg === 'string') return { from: arg };
  if (!arg || typeof arg !== 'object') return {};
  const o = arg as QueryArgs & Record<string, unknown>;
  const from = field(o, 'from') ?? workloadIdOf(o);
  const to = field(o, 'to');
  return {
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(o.port !== undefined ? { port: o.port } : {}),
    ...(typeof o.protocol === 'string' ? { protocol: o.protocol } : {}),
    ...(o.show === false ? { show: false } : {}),
  };
}

export async function queryCommand(ctx: Ctx, arg?: unknown): Promise<P.QueryResultDto | undefined> {
  const a = queryArgs(arg);
  const title = a.from ? `NetLens: Can ${a.from} reach …?` : 'NetLens: Can … reach …?';
  try {
    await whenIndexed(ctx);
    const interactive = !(a.from && a.to);
    const from = a.from ?? (await pickWorkload(ctx, { title, step: 1, totalSteps: 4, placeHolder: 'Source workload' }));
    if (!from) return undefined;
    // each prompt's title repeats the answers so far: "Can shop/frontend reach cart on port …?"
    const to =
      a.to ?? (await pickDestination(ctx, { title: `NetLens: Can ${readableId(from)} reach …?`, step: 2, totalSteps: 4, exclude: from }));
    if (!to) return undefined;
    const soFar = `NetLens: Can ${readableId(from)} reach ${readableId(to)}`;
    let port: number | undefined;
    if (a.port !== undefined && a.port !== null && a.port !== '') {
      port = parsePort(a.port);
      if (port === undefined) throw new Error(`the port must be a number from 1 to 65535, not "${String(a.port)}"`);
    } else if (interactive && a.port === undefined) {
      const p = await pickPort({ title: `${soFar} on port …?`, step: 3, totalSteps: 4 });
      if (p === undefined) return undefined;
      port = p ?? undefined;
    }
    let protocol = a.protocol !== undefined ? parseProtocol(a.protocol) : undefined;
    if (a.protocol !== undefined && !protocol) throw new Error(`the protocol must be TCP, UDP or SCTP, not "${a.protocol}"`);
    if (!protocol && interactive) {
      protocol = await pickProtocol({ title: `${soFar}${port !== undefined ? ` on port ${port}` : ''} over …?`, step: 4, totalSteps: 4 });
      if (!protocol) return undefined;
    }
    const params: P.QueryParams = { from, to, ...(port !== undefined ? { port } : {}), ...(protocol ? { protocol } : {}) };
    const result = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'NetLens: querying' }, () =>
      ctx.client.query(params),
    );
    if (a.show !== false) await presentQuery(ctx, result);
    return result;
  } catch (err) {
    return commandFailed(ctx, 'the query', err);
  }
}

/**
 * The report beside, then the verdict as a one-sentence notification (not awaited: it resolves only when
 * dismissed), with "Show Report" only when the report is not already visible.
 */
export async function presentQuery(ctx: Ctx, result: P.QueryResultDto): Promise<void> {
  const reportTitle = queryTitle(result);
  ctx.output.info(`query ${result.from} -> ${target(result)}: ${result.outcome}`);
  try {
    await ctx.reports.show(reportTitle, result.report);
  } catch (err) {
    ctx.errors.report('opening the query report', err);
  }
  const uri = ctx.reports.uriFor(reportTitle).toString();
  const visible = vscode.window.visibleTextEditors.some((e) => e.document.uri.toString() === uri);
  const SHOW = 'Show Report';
  const notify = result.outcome === 'allowed' ? vscode.window.showInformationMessage : vscode.window.showWarningMessage;
  void notify(verdictSentence(result), ...(visible ? [] : [SHOW])).then((c) => {
    if (c === SHOW) void ctx.reports.show(reportTitle, result.report, { preserveFocus: false });
  });
}

/** Tree context menu "Explain": the query between the two workloads of a connection (any port). */
export function explainConnectionCommand(ctx: Ctx, arg?: unknown): Promise<P.QueryResultDto | undefined> {
  const a = queryArgs(arg);
  if (!a.from || !a.to) return queryCommand(ctx, a);
  return queryCommand(ctx, {
    from: a.from,
    to: a.to,
    port: a.port ?? null,
    ...(a.protocol ? { protocol: a.protocol } : {}),
    ...(a.show === false ? { show: false } : {}),
  });
}

/** Tree context menu "Query from Here": the node's workload is the source; the rest is asked. */
export function queryFromHereCommand(ctx: Ctx, arg?: unknown): Promise<P.QueryResultDto | undefined> {
  const from = workloadIdOf(arg) ?? field(arg, 'from');
  return queryCommand(ctx, from ? { from } : undefined);
}
