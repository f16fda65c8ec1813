// Typed access to the `netlens.*` settings the client itself reads (the server reads the rest through
// workspace/configuration), and a helper to flip a boolean setting where the user set it.
import * as vscode from 'vscode';

const SECTION = 'netlens';

export const Settings = {
  followCursor: 'tree.followCursor',
  scopeFollowEditor: 'scope.followEditor',
} as const;

export class Config {
  private get cfg(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration(SECTION);
  }

  /** netlens.tree.followCursor: reveal the workload/policy under the cursor in the NetLens views. */
  get followCursor(): boolean {
    return this.cfg.get<boolean>(Settings.followCursor, true);
  }

  /** netlens.scope.followEditor: switch to a scope that contains the active editor's file. */
  get scopeFollowEditor(): boolean {
    return this.cfg.get<boolean>(Settings.scopeFollowEditor, true);
  }

  async setFollowCursor(value: boolean): Promise<void> {
    await this.update(Settings.followCursor, value);
  }

  /** Calls `listener` when one of the given settings (relative to `netlens.`) changes. */
  onDidChange(keys: readonly string[], listener: () => void): vscode.Disposable {
    return vscode.workspace.onDidChangeConfiguration((e) => {
      if (keys.some((k) => e.affectsConfiguration(`${SECTION}.${k}`))) listener();
    });
  }

  /** Writes at the most specific level that already has a value, so the change takes effect. */
  private async update(key: string, value: unknown): Promise<void> {
    const info = this.cfg.inspect(key);
    let target = vscode.ConfigurationTarget.Global;
    if (info?.workspaceValue !== undefined) target = vscode.ConfigurationTarget.Workspace;
    await this.cfg.update(key, value, target);
  }
}
