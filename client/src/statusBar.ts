// The status bar item: the finding counts of the workspace ("$(shield) NetLens  $(error) 0  $(warning) 1"),
// and the active scope when there are several, while a Kubernetes workspace is open; nothing otherwise.
// It follows NetLensStatus (one netlens/status answer feeds both; wording in statusBarView.ts). Separate
// from the language status item (status.ts), which only shows beside YAML files.
import * as vscode from 'vscode';
import type { NetLensStatus } from './status';
import { statusBarView } from './statusBarView';

export class NetLensStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly status: NetLensStatus) {
    this.item = vscode.window.createStatusBarItem('netlens.statusBar', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'NetLens';
    this.subscriptions.push(
      this.item,
      status.onDidUpdate(() => this.render()),
    );
  }

  private render(): void {
    const s = this.status.last;
    // nothing in a workspace without Kubernetes content, nor while the server is down or still indexing
    if (!s || !this.status.hasKubernetes) {
      this.item.hide();
      return;
    }
    const view = statusBarView(s);
    this.item.text = view.text;
    this.item.tooltip = view.tooltip;
    this.item.command = view.command;
    this.item.show();
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
