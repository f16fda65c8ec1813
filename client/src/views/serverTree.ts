// What the trees that show server data share: they redraw after the index changes (debounced, so a burst
// of edits redraws once) or when the server stops or (re)starts (empty until it runs, so that the view's
// welcome says why), keep their roots until then, retry a failed load on the next expansion, and show one
// "could not load" node instead of throwing into VS Code.
import * as vscode from 'vscode';
import type { NetLensClient } from '../client';
import type { ErrorReporter } from '../errors';
import { namedByVisibleText } from './accessibleName';
import { loadErrorNode, type LoadErrorNode } from './messageNode';

const REFRESH_DELAY_MS = 200;

export abstract class ServerTree<Node extends { id: string; parent?: Node }, Roots> implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined | void>();
  readonly onDidChangeTreeData = this.changed.event;
  private roots: Promise<Roots> | undefined;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  protected readonly subscriptions: vscode.Disposable[] = [];
  view: vscode.TreeView<Node> | undefined;

  /** @param title the view's name in error reports ("loading the <title> view") */
  constructor(
    protected readonly client: NetLensClient,
    protected readonly errors: ErrorReporter,
    private readonly title: string,
  ) {
    this.subscriptions.push(
      client.onIndexChanged(() => this.scheduleRefresh()),
      // stopped or (re)starting: the tree empties, so that the view shows its welcome for that state
      // ("Starting the NetLens language server…") instead of the last answers under a progress bar
      client.onDidChangeState((s) => {
        if (s !== 'running') this.refresh();
      }),
    );
  }

  /** Asks the server for the roots (called once per refresh). */
  protected abstract fetchRoots(): Promise<Roots>;
  /** The top-level nodes shown for the roots. */
  protected abstract rootNodes(roots: Roots): Node[];
  /** A node's children (called by getChildren, which reports failures). */
  protected abstract childrenOf(node: Node): Node[] | Promise<Node[]>;
  /** Drops caches other than the roots; called on every refresh. */
  protected clearCaches(): void {}
  /** The node shown when loading failed; each tree has a message node of the error's shape. */
  protected abstract errorNode(node: LoadErrorNode<Node>): Node;
  /** How a node is drawn (getTreeItem names it for screen readers by its visible text). */
  protected abstract treeItem(node: Node): vscode.TreeItem;

  getTreeItem(node: Node): vscode.TreeItem {
    return namedByVisibleText(this.treeItem(node));
  }

  /** Drops every cached answer and redraws the tree. */
  refresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.roots = undefined;
    this.clearCaches();
    this.changed.fire();
  }

  /** Refreshes soon (a burst of events refreshes once). */
  protected scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  getParent(node: Node): Node | undefined {
    return node.parent;
  }

  async getChildren(node?: Node): Promise<Node[]> {
    try {
      if (!node) {
        if (this.client.state !== 'running') return [];
        return this.rootNodes(await this.loadRoots());
      }
      return await this.childrenOf(node);
    } catch (err) {
      this.errors.report(`loading the ${this.title} view`, err);
      return [this.errorNode(loadErrorNode(err, node))];
    }
  }

  protected loadRoots(): Promise<Roots> {
    if (!this.roots) {
      const p = this.fetchRoots();
      this.roots = p;
      p.catch(() => {
        if (this.roots === p) this.roots = undefined; // retry on the next expansion
      });
    }
    return this.roots;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const d of this.subscriptions) d.dispose();
    this.changed.dispose();
  }
}
