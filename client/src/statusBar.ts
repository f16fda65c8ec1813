// The status bar item: the finding counts of the workspace ("$(shield) NetLens  $(error) 0  $(warning) 1"),
// and the active scope when one is set, while a Kubernetes workspace is open; nothing otherwise. It follows
// NetLensStatus (one netlens/status answer feeds both). Separate from the language status item
// (status.ts), which only shows beside YAML files. Clicking it picks a scope when the scopes command
// exists, else focuses the NetLens views.
import * as vscode from 'vscode';
import type * as P from '../../protocol/messages';
import type { NetLensStatus } from './status';

const SELECT_SCOPE_COMMAND = 'netlens.selectScope';
const FOCUS_VIEW_COMMAND = 'netlens.reachability.focus';

/** The item's text for a status answer: counts, then the scope if any (codicons, no colour needed). */
export function statusBarText(s: P.StatusResult, scope: string | undefined): string {
  const counts = `$(error) ${s.findings.error} $(warning) ${s.findings.warning}`;
  return `$(shield) NetLens${scope ? `: ${scope}` : ''}  ${counts}${s.findingsUpToDate ? '' : ' $(sync~spin)'}`;
}

export function statusBarTooltip(s: P.StatusResult, scope: string | undefined): string {
  const lines = [
    `NetLens: ${s.findings.error} errors, ${s.findings.warning} warnings, ${s.findings.info} info in ${s.files} files${s.findingsUpToDate ? '' : ' (counting…)'}`,
    scope ? `Scope: ${scope}` : 'Scope: the whole workspace',
  ];
  return lines.join('\n');
}

export class NetLensStatusBar implements vscode.Disposable {
  readonly item: vscode.StatusBarItem;
  private scope: string | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(private readonly status: NetLensStatus) {
    this.item = vscode.window.createStatusBarItem('netlens.statusBar', vscode.StatusBarAlignment.Left, 10);
    this.item.name = 'NetLens';
    this.subscriptions.push(
      this.item,
      status.onDidUpdate(() => void this.render()),
    );
  }

  /** Shows the active scope's label in the item (another feature sets it); undefined: the whole workspace. */
  setScope(label: string | undefined): void {
    this.scope = label;
    void this.render();
  }

  /** the label set by setScope */
  get scopeLabel(): string | undefined {
    return this.scope;
  }

  private async render(): Promise<void> {
    const s = this.status.last;
    // nothing in a workspace without Kubernetes content, nor while the server is down or still indexing
    if (!s || !this.status.hasKubernetes) {
      this.item.hide();
      return;
    }
    this.item.text = statusBarText(s, this.scope);
    this.item.tooltip = statusBarTooltip(s, this.scope);
    const commands = await vscode.commands.getCommands(true);
    this.item.command = commands.includes(SELECT_SCOPE_COMMAND)
      ? { title: 'Select Scope', command: SELECT_SCOPE_COMMAND }
      : { title: 'Show NetLens', command: FOCUS_VIEW_COMMAND };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
  }
}
