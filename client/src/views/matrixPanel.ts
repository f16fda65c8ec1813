// The policy matrix webview: workloads as rows (sources) and columns (destinations), grouped by namespace,
// drawn on a canvas by the webview script (client/src/webview/matrix/, bundled to dist/webview/matrix.js; only the
// visible cells, so thousands of workloads stay smooth). Clicking a cell runs netlens/query for that pair and shows
// the explanation in the view's side panel. "Show changes" lays the Changes view's diff against git HEAD over
// the cells: the panel sends the diff the Changes view holds (ChangesTreeProvider: one netlens/changes for both)
// whenever that view refreshes (edits, saves, a restart) and when the matrix reloads.
// Strict CSP: no remote content, only dist/webview/matrix.js (with a nonce) and media/matrix.css.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type * as P from '../../../protocol/messages';
import type { NetLensClient } from '../client';
import type { ErrorReporter } from '../errors';
import { errorMessage } from '../errors';
import { queryTitle } from '../explain';
import { asLocation, showLocation } from '../location';
import type { FromWebview, ToWebview } from '../webview/matrix/messages';
import type { ChangesTreeProvider } from './changesTree';
import type { ReportDocuments } from './reportDocuments';
import { fromWebview } from './webviewMessage';

const MATRIX_VIEW_TYPE = 'netlens.matrix';

type ChangesMessage = Extract<ToWebview, { type: 'changes' }>;
type OverlayMessage = Extract<FromWebview, { type: 'overlay' }>;

export class MatrixPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private panelSubscriptions: vscode.Disposable[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  /** the fetch in progress: cancelled by the next one and when the panel closes */
  private loading: vscode.CancellationTokenSource | undefined;
  /** the matrix last sent to the webview */
  data: P.MatrixResult | undefined;
  /** the last explanation shown in the side panel */
  lastExplanation: P.QueryResultDto | undefined;
  /** true once the webview's script runs and asked for data (false again when the panel closes or reloads) */
  webviewReady = false;
  /** messages the webview sent, newest last (bounded; for tests) */
  readonly received: FromWebview[] = [];
  /** the diff against git HEAD last sent to the webview */
  changes: ChangesMessage | undefined;
  /** counts the fetches of the diff: only the newest is sent */
  private changesSeq = 0;
  private readyWaiters: (() => void)[] = [];
  private readonly overlayWaiters = new Map<number, (m: OverlayMessage | undefined) => void>();
  private overlayId = 0;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: NetLensClient,
    private readonly errors: ErrorReporter,
    private readonly reports: ReportDocuments,
    private readonly changesTree: ChangesTreeProvider,
  ) {
    this.subscriptions.push(
      client.onIndexChanged(() => {
        if (!this.panel) return;
        if (this.refreshTimer) clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(() => void this.load(), 300);
      }),
      // the Changes view refreshes (debounced) after every edit, save and server (re)start
      changesTree.onDidChangeTreeData(() => {
        if (this.panel) void this.loadChanges();
      }),
    );
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens (or reveals) the panel and loads the matrix; resolves with the matrix shown. */
  async show(column: vscode.ViewColumn = vscode.ViewColumn.Active): Promise<P.MatrixResult | undefined> {
    if (this.panel) {
      this.panel.reveal(column);
    } else {
      const media = vscode.Uri.joinPath(this.extensionUri, 'media');
      const panel = vscode.window.createWebviewPanel(MATRIX_VIEW_TYPE, 'NetLens: Policy Matrix', column, {
        enableScripts: true,
        enableFindWidget: false,
        localResourceRoots: [media, vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')],
        retainContextWhenHidden: false,
      });
      panel.iconPath = vscode.Uri.joinPath(media, 'netlens.svg');
      this.panel = panel;
      panel.webview.html = this.html(panel.webview);
      this.webviewReady = false;
      this.panelSubscriptions = [
        panel.webview.onDidReceiveMessage((raw: unknown) => {
          const m = fromWebview(raw);
          if (m) void this.onMessage(m);
          else this.errors.log('the matrix webview', new Error(`ignored a malformed message: ${JSON.stringify(raw)?.slice(0, 200)}`));
        }),
        panel.onDidDispose(() => {
          this.loading?.cancel();
          this.panel = undefined;
          this.webviewReady = false;
          this.changes = undefined;
          this.changesSeq++;
          for (const w of this.overlayWaiters.values()) w(undefined);
          this.overlayWaiters.clear();
          for (const w of this.readyWaiters.splice(0)) w();
          for (const d of this.panelSubscriptions) d.dispose();
          this.panelSubscriptions = [];
        }),
      ];
    }
    void this.loadChanges();
    return this.load();
  }

  /** Fetches the matrix and sends it to the webview (which also asks for it when it (re)loads). */
  async load(): Promise<P.MatrixResult | undefined> {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    void this.post({ type: 'loading' });
    this.loading?.cancel();
    const loading = (this.loading = new vscode.CancellationTokenSource());
    try {
      const matrix = await this.client.matrix(loading.token);
      if (loading.token.isCancellationRequested) return undefined;
      this.data = matrix;
      void this.post({ type: 'data', matrix });
      return matrix;
    } catch (err) {
      if (loading.token.isCancellationRequested) return undefined; // a newer load, or the panel closed
      this.errors.report('loading the policy matrix', err);
      void this.post({ type: 'error', message: errorMessage(err) });
      return undefined;
    } finally {
      if (this.loading === loading) this.loading = undefined;
      loading.dispose();
    }
  }

  /** Sends the Changes view's diff against git HEAD to the webview (the view's answer: no second diff). While a
   *  new one is computed the webview keeps the last one it has; it hears "computing" only when it has none. */
  async loadChanges(): Promise<ChangesMessage | undefined> {
    const seq = ++this.changesSeq;
    if (this.client.state !== 'running') {
      const waiting: ChangesMessage = { type: 'changes', status: 'computing', reason: 'waiting for the language server', entries: [] };
      this.changes = waiting;
      void this.post(waiting);
      return waiting;
    }
    if (this.changes?.status !== 'ready') {
      this.changes = { type: 'changes', status: 'computing', entries: [] };
      void this.post(this.changes);
    }
    let next: ChangesMessage;
    try {
      const r = await this.changesTree.changes();
      next = r.available
        ? { type: 'changes', status: 'ready', head: r.commits.map((c) => c.slice(0, 7)).join(', '), entries: r.entries }
        : { type: 'changes', status: 'unavailable', reason: r.reason ?? 'no git repository', entries: [] };
    } catch (err) {
      this.errors.log('loading the changes for the matrix', err);
      next = { type: 'changes', status: 'failed', reason: errorMessage(err), entries: [] };
    }
    if (seq !== this.changesSeq) return undefined; // a newer fetch, or the panel closed
    this.changes = next;
    void this.post(next);
    return next;
  }

  /** Presses ("on") or releases the webview's "Show changes" button; resolves with what the overlay then shows. */
  async showChanges(on: boolean): Promise<OverlayMessage | undefined> {
    if (!this.panel) return undefined;
    if (!this.webviewReady) await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
    if (!this.panel) return undefined;
    const id = ++this.overlayId;
    return new Promise<OverlayMessage | undefined>((resolve) => {
      this.overlayWaiters.set(id, resolve);
      void this.post({ type: 'showChanges', on, id });
    });
  }

  /** Runs the query for a cell, as a click in the webview does, and shows it in the side panel. */
  async explain(from: string, to: string, port?: number, protocol?: P.QueryParams['protocol']): Promise<P.QueryResultDto | undefined> {
    try {
      const result = await this.client.query({ from, to, ...(port !== undefined ? { port } : {}), ...(protocol ? { protocol } : {}) });
      this.lastExplanation = result;
      void this.post({ type: 'explanation', from, to, result });
      return result;
    } catch (err) {
      this.errors.log('explaining a matrix cell', err);
      void this.post({ type: 'error', message: errorMessage(err), from, to });
      return undefined;
    }
  }

  private async onMessage(m: FromWebview): Promise<void> {
    this.received.push(m);
    if (this.received.length > 50) this.received.shift();
    switch (m.type) {
      case 'ready':
        this.webviewReady = true;
        for (const w of this.readyWaiters.splice(0)) w();
        if (this.changes) void this.post(this.changes);
        if (this.data) void this.post({ type: 'data', matrix: this.data });
        else await this.load();
        return;
      case 'refresh':
        this.changesTree.refresh(); // asks the server again (HEAD is watched only at a workspace folder's top)
        await this.load();
        return;
      case 'overlay':
        // the answer to showChanges (other overlay messages follow new data or a new diff)
        if (m.id !== undefined) {
          this.overlayWaiters.get(m.id)?.(m);
          this.overlayWaiters.delete(m.id);
        }
        return;
      case 'query':
        await this.explain(m.from, m.to, m.port, m.protocol);
        return;
      case 'open': {
        const loc = asLocation(m.location);
        if (loc)
          await showLocation(loc, { viewColumn: vscode.ViewColumn.One, preview: true }).catch((err) =>
            this.errors.report('opening a manifest', err),
          );
        return;
      }
      case 'showReport':
        await this.reports.show(queryTitle({ from: m.from, to: m.to }), m.text, { preserveFocus: false });
        return;
    }
  }

  private post(message: ToWebview): Thenable<boolean> {
    return this.panel ? this.panel.webview.postMessage(message) : Promise.resolve(false);
  }

  private html(webview: vscode.Webview): string {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'matrix.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'matrix.css'));
    const nonce = makeNonce();
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      `img-src ${webview.cspSource} data:`,
      `script-src 'nonce-${nonce}'`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>NetLens: Policy Matrix</title>
</head>
<body>
<header class="toolbar">
  <input id="filter" type="search" placeholder="Filter workloads (name, namespace/name, kind)" aria-label="Filter workloads" spellcheck="false">
  <select id="filterMode" aria-label="Apply the filter to">
    <option value="both">rows and columns</option>
    <option value="rows">rows (sources)</option>
    <option value="cols">columns (destinations)</option>
  </select>
  <span class="zoom">
    <button id="zoomOut" type="button" title="Smaller cells" aria-label="Smaller cells">−</button>
    <button id="zoomIn" type="button" title="Larger cells" aria-label="Larger cells">+</button>
  </span>
  <span class="changes">
    <button id="showChanges" type="button" aria-pressed="false" disabled title="Changes: comparing with git HEAD…">Show changes</button>
    <span id="changesNote" class="summary changes-note" aria-live="polite">Changes: comparing with git HEAD…</span>
  </span>
  <span id="summary" class="summary" aria-live="polite"></span>
  <span class="legend" aria-label="Legend">
    <span class="swatch all" aria-hidden="true">✓</span>all ports
    <span class="swatch some" aria-hidden="true">◐</span>some ports (written in the cell, or on hover)
    <span class="swatch none" aria-hidden="true"></span>blocked
    <span class="swatch self" aria-hidden="true">⁄</span>same workload
  </span>
</header>
<div id="changesBar" class="changesbar" hidden>
  <span class="legend" aria-label="Legend of the changes against git HEAD">
    <span class="swatch added" aria-hidden="true">+</span>added
    <span class="swatch removed" aria-hidden="true">−</span>removed
    <span class="swatch changed" aria-hidden="true">~</span>changed against git HEAD (hover a cell: ports before -> after)
  </span>
  <span id="changesOutside" class="outside" hidden></span>
</div>
<main>
  <section id="viewport" aria-label="Policy matrix: rows are sources, columns are destinations">
    <canvas id="canvas"></canvas>
    <div id="scroller" tabindex="0" role="grid" aria-label="Policy matrix cells. Arrow keys move, Enter explains."><div id="spacer"></div></div>
    <div id="tooltip" role="tooltip" hidden></div>
    <div id="message" class="message" hidden></div>
  </section>
  <aside id="details" hidden aria-live="polite">
    <header>
      <h2 id="detailsTitle">Explanation</h2>
      <button id="closeDetails" type="button" title="Close" aria-label="Close the explanation">×</button>
    </header>
    <div id="detailsBody"></div>
  </aside>
</main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.loading?.cancel();
    this.panel?.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}

function makeNonce(): string {
  return randomBytes(16).toString('hex');
}
