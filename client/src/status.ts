// The language status item shown for YAML documents ("NetLens: 12 workloads · 4 policies · 3 findings ·
// CNI: calico"), busy while the server indexes. It also sets the context keys the welcome views use, and
// netlens.hasKubernetes, which shows the views: a workspace without Kubernetes content (only CI
// workflows, compose files...) gets neither item nor views until a Kubernetes file appears or is opened.
import * as vscode from 'vscode';
import type * as P from '../../protocol/messages';
import type { NetLensClient } from './client';
import type { ErrorReporter } from './errors';
import { plural } from './text';

const POLL_WHILE_INDEXING_MS = 1000;
const REFRESH_DELAY_MS = 150;

/**
 * The first indexing is done, so answers cover the whole workspace. Before it starts the server reports
 * `indexing: false` with an empty snapshot; `lastIndex` is what tells the two apart.
 */
export function isIndexed(s: P.StatusResult): boolean {
  return !s.indexing && s.lastIndex !== undefined;
}

export class NetLensStatus implements vscode.Disposable {
  /** the status item, created once the workspace is known to hold Kubernetes content */
  item: vscode.LanguageStatusItem | undefined;
  /** the workspace has shown Kubernetes content in this window (stays true, so views do not come and go) */
  hasKubernetes = false;
  /** the last answer of netlens/status (undefined before the first one or while the server is down) */
  last: P.StatusResult | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private updating: Promise<void> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly updatedEmitter = new vscode.EventEmitter<P.StatusResult | undefined>();
  readonly onDidUpdate = this.updatedEmitter.event;

  constructor(
    private readonly client: NetLensClient,
    private readonly errors: ErrorReporter,
  ) {
    this.subscriptions.push(
      { dispose: () => this.item?.dispose() },
      this.updatedEmitter,
      client.onIndexChanged(() => this.schedule(REFRESH_DELAY_MS)),
      client.onFindingsCounted(() => this.schedule(0)),
      client.onDidChangeState((s) => {
        if (s === 'stopped') this.showStopped();
        else if (s === 'starting') this.showStarting();
        else this.schedule(0);
      }),
    );
  }

  /** Asks the server for its status now and updates the item; resolves with the answer. */
  update(): Promise<void> {
    if (!this.updating) {
      this.updating = this.doUpdate().finally(() => {
        this.updating = undefined;
      });
    }
    return this.updating;
  }

  /**
   * Resolves true once the server has finished its first indexing (so answers cover the whole workspace),
   * false after `timeoutMs` or when the server is not running. Commands wait on it; views need not (they
   * refresh on netlens/indexChanged).
   */
  async whenIndexed(timeoutMs = 30_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.last && isIndexed(this.last)) return true;
      if (this.client.state === 'stopped' || Date.now() > deadline) return false;
      await this.update();
      if (this.last && isIndexed(this.last)) return true;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.update();
    }, delay);
  }

  private async doUpdate(): Promise<void> {
    if (this.client.state === 'stopped') {
      this.showStopped();
      return;
    }
    let s: P.StatusResult;
    try {
      s = await this.client.status();
    } catch (err) {
      this.errors.report('reading the NetLens status', err);
      if (!this.item) return;
      this.item.severity = vscode.LanguageStatusSeverity.Error;
      this.item.busy = false;
      this.item.text = 'NetLens: error';
      this.item.detail = 'see the output';
      return;
    }
    this.last = s;
    const indexing = !isIndexed(s);
    if (s.kubernetes && !this.hasKubernetes) {
      this.hasKubernetes = true;
      void vscode.commands.executeCommand('setContext', 'netlens.hasKubernetes', true);
    }
    if (this.hasKubernetes) this.render(this.showItem(), s, indexing);
    void vscode.commands.executeCommand('setContext', 'netlens.indexing', indexing);
    void vscode.commands.executeCommand('setContext', 'netlens.empty', !indexing && s.workloads === 0 && s.policies === 0);
    void vscode.commands.executeCommand('setContext', 'netlens.noPolicies', !indexing && s.policies === 0);
    this.updatedEmitter.fire(s);
    if (indexing) this.schedule(POLL_WHILE_INDEXING_MS);
  }

  /** The item, created on first use. */
  private showItem(): vscode.LanguageStatusItem {
    if (!this.item) {
      this.item = vscode.languages.createLanguageStatusItem('netlens.status', [{ language: 'yaml' }]);
      this.item.name = 'NetLens';
    }
    return this.item;
  }

  private render(item: vscode.LanguageStatusItem, s: P.StatusResult, indexing: boolean): void {
    const findings = s.findings.error + s.findings.warning + s.findings.info;
    const cni = s.cni ? s.cni.plugin : 'unknown';
    item.busy = indexing;
    // with several scopes (overlays, charts, loose files) every answer is in one: say which
    const scope = s.scopeCount > 1 ? ` [${s.scope}]` : '';
    item.text = indexing
      ? `NetLens: indexing${s.progress ? ` (${s.progress})` : '…'}`
      : `NetLens${scope}: ${plural(s.workloads, 'workload')} · ${plural(s.policies, 'policy', 'policies')} · ${plural(findings, 'finding')}${s.findingsUpToDate ? '' : ' (counting…)'} · CNI: ${cni}`;
    const details = [`cluster domain ${s.clusterDomain.domain} (${s.clusterDomain.origin})`];
    if (s.cni) details.push(`CNI ${s.cni.plugin} from ${s.cni.origin}${s.cni.enforcesPolicy ? '' : ': does NOT enforce NetworkPolicy'}`);
    else details.push('CNI not found in the workspace (setting netlens.cni)');
    details.push(
      `${plural(s.files, 'file')} · ${plural(s.services, 'service')}${s.skipped ? ` · ${s.skipped} skipped` : ''} · hostNetwork: ${s.hostNetwork}`,
    );
    if (s.lastIndex)
      details.push(
        `indexed ${plural(s.lastIndex.files, 'file')} in ${s.lastIndex.ms} ms${s.lastIndex.reused ? ` (${s.lastIndex.reused} from the saved index)` : ''}`,
      );
    if (findings) details.push(`findings: ${s.findings.error} errors, ${s.findings.warning} warnings, ${s.findings.info} info`);
    item.detail = details.join(' · ');
    item.severity = s.cni && !s.cni.enforcesPolicy ? vscode.LanguageStatusSeverity.Warning : vscode.LanguageStatusSeverity.Information;
    item.command =
      s.scopeCount > 1
        ? { title: 'Select Scope', command: 'netlens.selectScope', tooltip: `analysis scope ${s.scope} (${s.scopeCount} scopes)` }
        : { title: 'Show Output', command: 'netlens.showOutput' };
  }

  private showStarting(): void {
    this.last = undefined;
    if (!this.item) return;
    this.item.text = 'NetLens: starting…';
    this.item.busy = true;
    this.item.detail = undefined;
    this.item.severity = vscode.LanguageStatusSeverity.Information;
  }

  private showStopped(): void {
    this.last = undefined;
    void vscode.commands.executeCommand('setContext', 'netlens.empty', false);
    this.updatedEmitter.fire(undefined);
    if (!this.item) return;
    this.item.text = 'NetLens: server not running';
    this.item.busy = false;
    this.item.detail = 'the language server stopped';
    this.item.severity = vscode.LanguageStatusSeverity.Error;
    this.item.command = { title: 'Restart Server', command: 'netlens.restartServer' };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.subscriptions) d.dispose();
  }
}
