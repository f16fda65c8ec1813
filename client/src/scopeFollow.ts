// Follows the active editor to an analysis scope that contains its file (netlens.scope.followEditor):
// opening a file of the prod overlay while dev is active switches to prod; a file in the active scope,
// or in none, changes nothing.
import * as vscode from 'vscode';
import type { NetLensClient } from './client';
import type { Config } from './config';
import type { NetLensStatus } from './status';

export class ScopeFollower implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly client: NetLensClient,
    private readonly config: Config,
    private readonly status: NetLensStatus,
  ) {
    this.subscriptions.push(vscode.window.onDidChangeActiveTextEditor((e) => void this.follow(e?.document.uri)));
  }

  /** Switches to a scope containing `uri` when the active one does not; resolves with the active scope id. */
  async follow(uri: vscode.Uri | undefined): Promise<string | undefined> {
    if (!uri || uri.scheme !== 'file' || !this.config.scopeFollowEditor || this.client.state !== 'running') return undefined;
    try {
      const s = this.status.last;
      if (s && s.scopeCount <= 1) return s.scope;
      const containing = await this.client.scopesOf(uri.toString());
      const { active } = await this.client.scopes();
      const next = containing[0];
      if (next === undefined || containing.includes(active)) return active;
      const r = await this.client.setScope(next);
      await this.status.update();
      return r.active;
    } catch {
      return undefined; // the server restarting: the next editor change tries again
    }
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
