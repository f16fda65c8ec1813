// NetLens: Select Analysis Scope: a quick pick of the workspace's scopes (Kustomize overlays, Helm charts
// with a values file, loose files); every view and answer then comes from the chosen one.
import * as vscode from 'vscode';
import type { Ctx } from '../ctx';

const KIND_LABEL = { kustomize: 'Kustomize overlay', helm: 'Helm chart', loose: 'loose manifests' } as const;

/** Switches to `arg` (a scope id) or to the one picked; returns the active scope id afterwards. */
export async function selectScopeCommand(ctx: Ctx, arg?: unknown): Promise<string | undefined> {
  let id = typeof arg === 'string' ? arg : undefined;
  if (id === undefined) {
    const { scopes, active } = await ctx.client.scopes();
    const picked = await vscode.window.showQuickPick(
      scopes.map((s) => ({
        id: s.id,
        // a name from .netlens.yaml or the netlens.scopes setting is the label; the id follows it
        label: s.name ?? s.id,
        description: `${s.name !== undefined ? `${s.id} · ` : ''}${KIND_LABEL[s.kind]}${s.id === active ? ' (active)' : ''}`,
        detail: `${s.files} file${s.files === 1 ? '' : 's'}${s.root ? ` · ${vscode.workspace.asRelativePath(s.root)}` : ''}`,
      })),
      { title: 'NetLens: analysis scope', placeHolder: `active: ${active}` },
    );
    if (!picked) return active;
    id = picked.id;
  }
  try {
    const r = await ctx.client.setScope(id);
    await ctx.status.update();
    return r.active;
  } catch (err) {
    ctx.errors.report(`switching to scope ${id}`, err);
    return undefined;
  }
}
