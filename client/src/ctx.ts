// What commands and views share: the server connection and the long-lived UI pieces. Built once in
// activate(); also the API object the extension returns (tests drive the extension through it).
import type * as vscode from 'vscode';
import type { NetLensClient } from './client';
import type { Config } from './config';
import type { ErrorReporter } from './errors';
import type { ScopeFollower } from './scopeFollow';
import type { NetLensStatus } from './status';
import type { NetLensStatusBar } from './statusBar';
import type { FollowCursor } from './views/followCursor';
import type { GraphPanel } from './views/graphPanel';
import type { MatrixPanel } from './views/matrixPanel';
import type { PoliciesTreeProvider, PolicyTreeNode } from './views/policiesTree';
import type { ReachabilityNode, ReachabilityTreeProvider } from './views/reachabilityTree';
import type { ReportDocuments } from './views/reportDocuments';
import type { ChangesNode, ChangesTreeProvider } from './views/changesTree';

export interface Ctx {
  readonly extension: vscode.ExtensionContext;
  readonly client: NetLensClient;
  readonly output: vscode.LogOutputChannel;
  readonly errors: ErrorReporter;
  readonly config: Config;
  readonly reports: ReportDocuments;
  readonly reachabilityTree: ReachabilityTreeProvider;
  readonly reachabilityView: vscode.TreeView<ReachabilityNode>;
  readonly policiesTree: PoliciesTreeProvider;
  readonly policiesView: vscode.TreeView<PolicyTreeNode>;
  /** the working state against git HEAD */
  readonly changesTree: ChangesTreeProvider;
  readonly changesView: vscode.TreeView<ChangesNode>;
  readonly followCursor: FollowCursor;
  readonly matrix: MatrixPanel;
  readonly graph: GraphPanel;
  readonly status: NetLensStatus;
  readonly statusBar: NetLensStatusBar;
  /** switches the analysis scope to the active editor's file (netlens.scope.followEditor) */
  readonly scopeFollower: ScopeFollower;
}

/** The value of activate(): the same objects, for tests and other extensions. */
export type NetLensApi = Ctx;
