// Read-only report documents (query and resolve explanations) under the `netlens-report:` scheme, so
// nothing is written to disk. They use the netlens-report language (syntaxes/netlens-report.tmLanguage.json),
// and the `file:///...:line:col` references in them are links to the manifests.
import * as vscode from 'vscode';

const REPORT_SCHEME = 'netlens-report';
const REPORT_LANGUAGE = 'netlens-report';
const MAX_REPORTS = 50;
const REFERENCE = /\b(file:\/\/[^\s()]+?):(\d+):(\d+)/g;

export class ReportDocuments implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider, vscode.Disposable {
  private readonly reports = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registrations: vscode.Disposable[];

  constructor() {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this),
      vscode.languages.registerDocumentLinkProvider({ scheme: REPORT_SCHEME }, this),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.reports.get(uri.toString()) ?? 'This NetLens report is no longer available: run the query again.\n';
  }

  provideDocumentLinks(document: vscode.TextDocument): vscode.DocumentLink[] {
    const links: vscode.DocumentLink[] = [];
    const text = document.getText();
    for (const m of text.matchAll(REFERENCE)) {
      const start = document.positionAt(m.index);
      const end = document.positionAt(m.index + m[0].length);
      const target = vscode.Uri.parse(m[1]!).with({ fragment: `L${m[2]},${m[3]}` });
      const link = new vscode.DocumentLink(new vscode.Range(start, end), target);
      link.tooltip = 'Open the manifest at this line';
      links.push(link);
    }
    return links;
  }

  /** The uri a report with this title gets (the same title reuses, and refreshes, the same document). */
  uriFor(title: string): vscode.Uri {
    // Workload ids contain "/", which would make path segments: use a look-alike character.
    return vscode.Uri.from({ scheme: REPORT_SCHEME, path: `/${title.replace(/[/\\]/g, '\u2215')}` });
  }

  /** Stores the report and opens it beside the active editor (if any), without taking the focus by default. */
  async show(
    title: string,
    text: string,
    options: { preserveFocus?: boolean; viewColumn?: vscode.ViewColumn } = {},
  ): Promise<vscode.TextEditor> {
    const uri = this.uriFor(title);
    const key = uri.toString();
    const existed = this.reports.has(key);
    this.reports.delete(key); // re-insert: the map's order is the eviction order
    this.reports.set(key, text);
    while (this.reports.size > MAX_REPORTS) this.reports.delete(this.reports.keys().next().value!);
    if (existed) this.changed.fire(uri);
    let doc = await vscode.workspace.openTextDocument(uri);
    if (doc.languageId !== REPORT_LANGUAGE) doc = await vscode.languages.setTextDocumentLanguage(doc, REPORT_LANGUAGE);
    // Beside what is open; with no editor open, "beside" would leave an empty editor group on the left.
    const beside = vscode.window.tabGroups.activeTabGroup.activeTab !== undefined;
    return vscode.window.showTextDocument(doc, {
      viewColumn: options.viewColumn ?? (beside ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active),
      preserveFocus: options.preserveFocus ?? true,
      preview: true,
    });
  }

  /** The text of a report shown before (for tests and the matrix view). */
  get(title: string): string | undefined {
    return this.reports.get(this.uriFor(title).toString());
  }

  dispose(): void {
    for (const d of this.registrations) d.dispose();
    this.changed.dispose();
  }
}
