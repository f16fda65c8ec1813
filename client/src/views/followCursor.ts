// "Follow the editor": while `netlens.tree.followCursor` is on, the workload or policy under the cursor
// (netlens/explainAt) is revealed and selected in the NetLens views that are visible.
import * as vscode from 'vscode';
import type { NetLensClient } from '../client';
import type { Config } from '../config';
import { Settings } from '../config';
import type { ErrorReporter } from '../errors';
import type { ReachabilityTreeProvider } from './reachabilityTree';
import type { PoliciesTreeProvider } from './policiesTree';

const DELAY_MS = 300;

export class FollowCursor implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private cancel: vscode.CancellationTokenSource | undefined;
  private lastWorkload: string | undefined;
  private lastPolicy: string | undefined;

  constructor(
    private readonly client: NetLensClient,
    private readonly config: Config,
    private readonly errors: ErrorReporter,
    private readonly reachability: ReachabilityTreeProvider,
    private readonly policies: PoliciesTreeProvider,
  ) {
    this.subscriptions.push(
      vscode.window.onDidChangeTextEditorSelection((e) => this.schedule(e.textEditor)),
      vscode.window.onDidChangeActiveTextEditor((e) => e && this.schedule(e)),
      config.onDidChange([Settings.followCursor], () => {
        this.lastWorkload = this.lastPolicy = undefined;
        if (config.followCursor && vscode.window.activeTextEditor) this.schedule(vscode.window.activeTextEditor);
      }),
      // after a refresh the selection is gone: reveal again on the next cursor move
      reachability.onDidChangeTreeData(() => (this.lastWorkload = undefined)),
      policies.onDidChangeTreeData(() => (this.lastPolicy = undefined)),
    );
  }

  private schedule(editor: vscode.TextEditor): void {
    if (!this.config.followCursor || !isManifest(editor.document)) return;
    const rv = this.reachability.view;
    const pv = this.policies.view;
    if (!rv?.visible && !pv?.visible) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.follow(editor);
    }, DELAY_MS);
  }

  /** Reveals what is under the editor's cursor; resolves with the ids it found (for tests). */
  async follow(editor: vscode.TextEditor): Promise<{ workload?: string; policy?: string }> {
    this.cancel?.cancel();
    const cts = new vscode.CancellationTokenSource();
    this.cancel = cts;
    try {
      const at = await this.client.explainAt({ uri: editor.document.uri.toString(), position: editor.selection.active }, cts.token);
      if (cts.token.isCancellationRequested) return {};
      if (at.workload && at.workload !== this.lastWorkload && this.reachability.view?.visible) {
        this.lastWorkload = at.workload;
        await this.reachability.revealWorkload(at.workload, { select: true, focus: false });
      }
      if (at.policy && at.policy !== this.lastPolicy && this.policies.view?.visible) {
        this.lastPolicy = at.policy;
        await this.policies.revealPolicy(at.policy, { select: true, focus: false });
      }
      return { ...(at.workload ? { workload: at.workload } : {}), ...(at.policy ? { policy: at.policy } : {}) };
    } catch (err) {
      this.errors.log('following the editor', err);
      return {};
    } finally {
      cts.dispose();
      if (this.cancel === cts) this.cancel = undefined;
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.cancel?.cancel();
    for (const d of this.subscriptions) d.dispose();
  }
}

function isManifest(doc: vscode.TextDocument): boolean {
  return (doc.uri.scheme === 'file' || doc.uri.scheme === 'untitled') && (doc.languageId === 'yaml' || doc.languageId === 'json');
}
