// The graph webview (netlens.showGraph): who talks to whom in the workspace, laid out by dagre in the
// webview script (client/src/webview/graph/, bundled to dist/webview/graph.js). The data comes from
// netlens/graph; clicking an edge explains it with netlens/query; a query's path can be highlighted;
// the picture exports as SVG or PNG. Same strict CSP as the matrix: only our script (nonce) and CSS.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type * as P from '../../../protocol/messages';
import type { NetLensClient } from '../client';
import type { ErrorReporter } from '../errors';
import { errorMessage } from '../errors';
import { asLocation, showLocation } from '../location';
import type { ExportFormat, FromWebview, GraphFilter, ToWebview } from '../webview/graph/messages';

const GRAPH_VIEW_TYPE = 'netlens.graph';

export class GraphPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private panelSubscriptions: vscode.Disposable[] = [];
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private filter: GraphFilter = {};
  private exportId = 0;
  private readonly exports = new Map<number, (data: string) => void>();
  private readyWaiters: (() => void)[] = [];
  /** the graph last sent to the webview */
  data: P.GraphResult | undefined;
  /** true once the webview's script runs */
  webviewReady = false;
  /** messages the webview sent, newest last (bounded; for tests) */
  readonly received: FromWebview[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly client: NetLensClient,
    private readonly errors: ErrorReporter,
  ) {
    this.subscriptions.push(
      client.onIndexChanged(() => {
        if (!this.panel) return;
        if (this.refreshTimer) clearTimeout(this.refreshTimer);
        this.refreshTimer = setTimeout(() => void this.load(), 300);
      }),
    );
  }

  get isOpen(): boolean {
    return this.panel !== undefined;
  }

  /** Opens (or reveals) the panel and loads the graph, optionally filtered; resolves with the graph shown. */
  async show(filter?: GraphFilter, column: vscode.ViewColumn = vscode.ViewColumn.Active): Promise<P.GraphResult | undefined> {
    if (filter) this.filter = filter;
    if (this.panel) {
      this.panel.reveal(column);
    } else {
      const media = vscode.Uri.joinPath(this.extensionUri, 'media');
      const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, 'NetLens: Connection Graph', column, {
        enableScripts: true,
        enableFindWidget: false,
        localResourceRoots: [media, vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview')],
        retainContextWhenHidden: false,
      });
      panel.iconPath = vscode.Uri.joinPath(media, 'netlens.svg');
      this.panel = panel;
      this.webviewReady = false;
      panel.webview.html = this.html(panel.webview);
      this.panelSubscriptions = [
        panel.webview.onDidReceiveMessage((m: FromWebview) => void this.onMessage(m)),
        panel.onDidDispose(() => {
          this.panel = undefined;
          this.webviewReady = false;
          for (const d of this.panelSubscriptions) d.dispose();
          this.panelSubscriptions = [];
        }),
      ];
    }
    return this.load();
  }

  async load(filter: GraphFilter = this.filter): Promise<P.GraphResult | undefined> {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.filter = filter;
    void this.post({ type: 'loading' });
    try {
      const graph = await this.client.graph(filter);
      this.data = graph;
      void this.post({ type: 'data', graph, filter });
      return graph;
    } catch (err) {
      this.errors.report('loading the connection graph', err);
      void this.post({ type: 'error', message: `Could not load the graph: ${errorMessage(err)}` });
      return undefined;
    }
  }

  /** Explains an edge as a click does: its verdict, and the query's steps where a query can check it. */
  async explainEdge(from: string, to: string, port?: number): Promise<P.QueryResultDto | undefined> {
    const edge = this.data?.edges.find((e) => e.from === from && e.to === to);
    const verdict = edge?.verdict ?? '';
    // Workload to workload and workload to DNS name are queries; merged namespaces and address ranges are
    // explained by the example the server gives (one workload pair, or an address of the range).
    const target = edge?.example ? edge.example.to : to.startsWith('dns:') ? to.slice(4) : to.includes(':') ? undefined : to;
    const source = edge?.example ? edge.example.from : from;
    if (source.includes(':') || !target) {
      void this.post({ type: 'explanation', from, to, verdict });
      return undefined;
    }
    try {
      const result = await this.client.query({ from: source, to: target, ...(port !== undefined ? { port } : {}) });
      void this.post({ type: 'explanation', from, to, verdict, result });
      return result;
    } catch (err) {
      this.errors.log('explaining a graph edge', err);
      void this.post({ type: 'explanation', from, to, verdict });
      return undefined;
    }
  }

  /** Runs a query and highlights its path in the graph. */
  async highlightPath(from: string, to: string, port?: number): Promise<P.QueryResultDto | undefined> {
    try {
      const result = await this.client.query({ from, to, ...(port !== undefined ? { port } : {}) });
      void this.post({ type: 'path', from, to, result });
      return result;
    } catch (err) {
      void this.post({ type: 'error', message: errorMessage(err) });
      return undefined;
    }
  }

  /** Renders the graph as SVG text or a PNG data: URL (from the webview); writes it to `target` when given. */
  async exportImage(format: ExportFormat, target?: vscode.Uri): Promise<string | undefined> {
    if (!this.panel) return undefined;
    await this.whenReady();
    const id = ++this.exportId;
    const data = await new Promise<string>((resolve) => {
      this.exports.set(id, resolve);
      void this.post({ type: 'export', id, format });
    });
    if (data.startsWith('error:')) throw new Error(data.slice(6).trim());
    if (target) {
      const bytes = format === 'svg' ? Buffer.from(data, 'utf8') : Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64');
      await vscode.workspace.fs.writeFile(target, bytes);
    }
    return data;
  }

  private whenReady(): Promise<void> {
    return this.webviewReady ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private async saveAs(format: ExportFormat): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, `netlens-graph.${format}`) } : {}),
      filters: format === 'svg' ? { 'SVG image': ['svg'] } : { 'PNG image': ['png'] },
    });
    if (!target) return;
    try {
      await this.exportImage(format, target);
      void vscode.window.showInformationMessage(`NetLens: graph saved to ${vscode.workspace.asRelativePath(target)}`);
    } catch (err) {
      this.errors.report('exporting the graph', err);
    }
  }

  private async onMessage(m: FromWebview): Promise<void> {
    this.received.push(m.type === 'exported' ? { ...m, data: `${m.data.length} characters` } : m);
    if (this.received.length > 50) this.received.shift();
    switch (m.type) {
      case 'ready':
        this.webviewReady = true;
        for (const w of this.readyWaiters.splice(0)) w();
        if (this.data) void this.post({ type: 'data', graph: this.data, filter: this.filter });
        else await this.load();
        return;
      case 'load':
        await this.load(m.filter);
        return;
      case 'explainEdge':
        await this.explainEdge(m.from, m.to, m.port);
        return;
      case 'path':
        await this.highlightPath(m.from, m.to, m.port);
        return;
      case 'export':
        await this.saveAs(m.format);
        return;
      case 'exported':
        this.exports.get(m.id)?.(m.data);
        this.exports.delete(m.id);
        return;
      case 'open': {
        const loc = asLocation(m.location);
        if (loc)
          await showLocation(loc, { viewColumn: vscode.ViewColumn.One, preview: true }).catch((err) =>
            this.errors.report('opening a manifest', err),
          );
        return;
      }
    }
  }

  private post(message: ToWebview): Thenable<boolean> {
    return this.panel ? this.panel.webview.postMessage(message) : Promise.resolve(false);
  }

  private html(webview: vscode.Webview): string {
    const media = vscode.Uri.joinPath(this.extensionUri, 'media');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'graph.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'graph.css'));
    const nonce = randomBytes(16).toString('hex');
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
<title>NetLens: Connection Graph</title>
</head>
<body>
<header class="toolbar">
  <select id="namespace" aria-label="Show a namespace"></select>
  <select id="workload" aria-label="Show a workload and its peers"></select>
  <form id="pathForm" class="path" aria-label="Highlight a query's path">
    <select id="pathFrom" aria-label="Path from workload"></select>
    <input id="pathTo" type="text" placeholder="to: name, IP or workload" aria-label="Path to (name, IP or workload)" spellcheck="false">
    <input id="pathPort" type="number" min="1" max="65535" placeholder="port" aria-label="Port">
    <button id="pathGo" type="submit">Highlight path</button>
  </form>
  <span class="export">
    <button id="exportSvg" type="button">Export SVG</button>
    <button id="exportPng" type="button">Export PNG</button>
  </span>
  <span id="summary" class="summary" aria-live="polite"></span>
  <span class="legend" aria-label="Legend">
    <span class="sample all" aria-hidden="true"></span>all ports
    <span class="sample some" aria-hidden="true"></span>some ports (labelled)
  </span>
</header>
<main>
  <section id="viewport" aria-label="Connection graph: arrows go from the client to the server. Tab moves between workloads and connections; Enter explains.">
    <svg id="graph" role="group" aria-label="Connection graph"></svg>
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
    this.panel?.dispose();
    for (const d of this.subscriptions) d.dispose();
  }
}
