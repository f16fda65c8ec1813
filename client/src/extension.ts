// NetLens extension, loaded by the small entry (main.ts: dist/client.js) as dist/clientMain.js: builds the
// shared context (server connection, views, status), registers the commands, starts the language server (the
// process the entry forked ahead, if any), and returns the API object (the same context) for tests.
import * as vscode from 'vscode';
import { NetLensClient } from './client';
import { registerCommands } from './commands';
import { NetLensUriHandler } from './commands/uriHandler';
import { Config } from './config';
import type { NetLensApi } from './ctx';
import { ErrorReporter } from './errors';
import { NetLensStatus } from './status';
import { NetLensStatusBar } from './statusBar';
import { ScopeFollower } from './scopeFollow';
import { FollowCursor } from './views/followCursor';
import { MatrixPanel } from './views/matrixPanel';
import { GraphPanel } from './views/graphPanel';
import { PoliciesTreeProvider } from './views/policiesTree';
import { ReachabilityTreeProvider } from './views/reachabilityTree';
import { ReportDocuments } from './views/reportDocuments';
import { ChangesTreeProvider } from './views/changesTree';
import type { PrestartedServer } from './serverProcess';

let api: NetLensApi | undefined;

export async function activate(context: vscode.ExtensionContext, prestarted?: PrestartedServer): Promise<NetLensApi> {
  const output = vscode.window.createOutputChannel('NetLens', { log: true });
  const client = new NetLensClient(context, output, prestarted);
  const errors = new ErrorReporter(output);
  const config = new Config();
  const reports = new ReportDocuments();
  const reachabilityTree = new ReachabilityTreeProvider(client, errors);
  const policiesTree = new PoliciesTreeProvider(client, errors);
  const reachabilityView = vscode.window.createTreeView('netlens.reachability', {
    treeDataProvider: reachabilityTree,
    showCollapseAll: true,
  });
  const policiesView = vscode.window.createTreeView('netlens.policies', { treeDataProvider: policiesTree, showCollapseAll: true });
  reachabilityTree.view = reachabilityView;
  policiesTree.view = policiesView;
  const changesTree = new ChangesTreeProvider(client, errors);
  const changesView = vscode.window.createTreeView('netlens.changes', { treeDataProvider: changesTree, showCollapseAll: true });
  changesTree.view = changesView;
  const followCursor = new FollowCursor(client, config, errors, reachabilityTree, policiesTree);
  const matrix = new MatrixPanel(context.extensionUri, client, errors, reports, changesTree);
  const graph = new GraphPanel(context.extensionUri, client, errors);
  const status = new NetLensStatus(client, errors);
  const statusBar = new NetLensStatusBar(status);
  const scopeFollower = new ScopeFollower(client, config, status);
  api = {
    extension: context,
    client,
    output,
    errors,
    config,
    reports,
    reachabilityTree,
    reachabilityView,
    policiesTree,
    policiesView,
    changesTree,
    changesView,
    followCursor,
    matrix,
    graph,
    status,
    statusBar,
    scopeFollower,
  };

  context.subscriptions.push(
    client,
    reports,
    reachabilityTree,
    policiesTree,
    reachabilityView,
    policiesView,
    changesTree,
    changesView,
    followCursor,
    matrix,
    graph,
    status,
    statusBar,
    scopeFollower,
    ...registerCommands(api),
    vscode.window.registerUriHandler(new NetLensUriHandler()),
  );
  await client.start();
  return api;
}

export async function deactivate(): Promise<void> {
  await api?.client.stop();
  api = undefined;
}
