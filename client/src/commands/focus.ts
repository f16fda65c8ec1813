// "Focus Workload" / "Focus Policy" (netlens.focusWorkload / netlens.focusPolicy): reveal, select and
// expand an item in the NetLens views. Code lenses call them with an id; without one a quick pick asks.
// They resolve with the summary of what was revealed (undefined when not found or cancelled).
import * as vscode from 'vscode';
import type * as P from '../../../protocol/messages';
import type { Ctx } from '../ctx';
import { pickWorkload } from './pickers';
import { commandFailed, policyIdOf, whenIndexed, workloadIdOf } from './util';

export async function focusWorkloadCommand(ctx: Ctx, arg?: unknown): Promise<P.WorkloadSummary | undefined> {
  try {
    await whenIndexed(ctx);
    const id =
      workloadIdOf(arg) ??
      (await pickWorkload(ctx, { title: 'NetLens: Focus Workload', placeHolder: 'Workload to show in the Reachability view' }));
    if (!id) return undefined;
    const node = await ctx.reachabilityTree.revealWorkload(id, { select: true, focus: true, expand: true });
    if (!node) {
      void vscode.window.showWarningMessage(`NetLens: no workload ${id} in the workspace.`);
      return undefined;
    }
    return node.workload;
  } catch (err) {
    return commandFailed(ctx, 'focusing the workload', err);
  }
}

export async function focusPolicyCommand(ctx: Ctx, arg?: unknown): Promise<P.PolicySummary | undefined> {
  try {
    await whenIndexed(ctx);
    let id = policyIdOf(arg);
    if (!id) {
      const policies = await ctx.policiesTree.policies();
      if (policies.length === 0) {
        void vscode.window.showInformationMessage('NetLens found no NetworkPolicies in this workspace.');
        return undefined;
      }
      const picked = await vscode.window.showQuickPick(
        policies.map((p) => ({ label: p.name, description: `${p.namespace} · ${p.policyTypes.join(', ')}`, id: p.id })),
        { title: 'NetLens: Focus Policy', placeHolder: 'NetworkPolicy to show in the Policies view', matchOnDescription: true },
      );
      id = picked?.id;
    }
    if (!id) return undefined;
    const node = await ctx.policiesTree.revealPolicy(id, { select: true, focus: true, expand: true });
    if (!node) {
      void vscode.window.showWarningMessage(`NetLens: no NetworkPolicy ${id} in the workspace.`);
      return undefined;
    }
    return node.policy;
  } catch (err) {
    return commandFailed(ctx, 'focusing the policy', err);
  }
}
