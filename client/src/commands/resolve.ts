// "NetLens: Resolve DNS Name from Pod…" (netlens.resolve): the names the pod's resolver tries and the
// answer. With {from, name} it asks nothing; returns the result.
import * as vscode from 'vscode';
import type * as P from '../../../protocol/messages';
import type { Ctx } from '../ctx';
import { pickWorkload } from './pickers';
import { commandFailed, field, whenIndexed, workloadIdOf } from './util';

export interface ResolveArgs {
  from?: string;
  name?: string;
  show?: boolean;
}

export async function resolveCommand(ctx: Ctx, arg?: unknown): Promise<P.ResolveResultDto | undefined> {
  const title = 'NetLens: Resolve DNS Name from Pod';
  try {
    await whenIndexed(ctx);
    const from =
      field(arg, 'from') ??
      workloadIdOf(arg) ??
      (await pickWorkload(ctx, { title, step: 1, totalSteps: 2, placeHolder: 'The pod (workload) whose resolver is used' }));
    if (!from) return undefined;
    const name =
      field(arg, 'name') ??
      (await vscode.window.showInputBox({
        title: `${title} (2/2)`,
        prompt: `A DNS name as ${from} would look it up`,
        placeHolder: 'e.g. payments-api, payments-api.payments, kubernetes.default.svc.cluster.local',
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() ? undefined : 'Type a name'),
      }));
    if (!name?.trim()) return undefined;
    const result = await ctx.client.resolve({ from, name: name.trim() });
    if ((arg as ResolveArgs | undefined)?.show !== false) await presentResolve(ctx, result);
    return result;
  } catch (err) {
    return commandFailed(ctx, 'resolving the name', err);
  }
}

async function presentResolve(ctx: Ctx, r: P.ResolveResultDto): Promise<void> {
  const a = r.outcome === 'dns-blocked' ? null : r.answer;
  const message =
    r.outcome === 'dns-blocked'
      ? `${r.query} does not resolve from ${r.from}: ${r.dnsTraffic.text}`
      : a
        ? `${r.query} from ${r.from} → ${a.fqdn} (${a.type}) → ${a.target}${a.endpoints.length ? ` · ${a.endpoints.length} endpoint${a.endpoints.length === 1 ? '' : 's'}` : ''}`
        : `${r.query} does not resolve from ${r.from}: ${r.rcode}${r.notes[0] ? ` · ${r.notes[0]}` : ''}`;
  void (a ? vscode.window.showInformationMessage(message) : vscode.window.showWarningMessage(message));
  ctx.output.info(`resolve ${r.query} from ${r.from}: ${r.outcome === 'dns-blocked' ? 'dns-blocked' : a ? a.fqdn : r.rcode}`);
  try {
    await ctx.reports.show(`Resolve ${r.query} from ${r.from}`, r.report);
  } catch (err) {
    ctx.errors.report('opening the resolve report', err);
  }
}
