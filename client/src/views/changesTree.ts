// The "Changes" tree: what the working state (unsaved buffers included) opens, closes or alters against
// git HEAD. "Newly exposed" first (workloads the change opens to the whole cluster or to 0.0.0.0/0),
// then Changed / Added / Removed (np-guard's order) > namespace > "source → destination" > causes.
// Data: netlens/changes; redrawn as the index changes, like the other trees.
import * as vscode from 'vscode';
import { compareNames } from '../compare';
import type * as P from '../../../protocol/messages';
import type { NetLensClient } from '../client';
import type { ErrorReporter } from '../errors';
import { escape, mdCode, safeMarkdown } from '../explain';
import { shortLocation } from '../location';
import { Icons } from './icons';
import { plural } from '../text';
import { messageTreeItem, type LoadErrorNode } from './messageNode';
import { openCommand } from './reachabilityTree';
import { ServerTree } from './serverTree';

interface Base {
  id: string;
  parent?: ChangesNode;
  location?: P.Location;
}
export interface ExposedSectionNode extends Base {
  kind: 'exposedSection';
  exposed: P.ChangeExposureDto[];
}
export interface ExposedNode extends Base {
  kind: 'exposed';
  exposure: P.ChangeExposureDto;
  parent: ExposedSectionNode;
}
export interface CategoryNode extends Base {
  kind: 'category';
  category: P.ChangeCategory;
  entries: P.ChangeEntryDto[];
}
export interface ChangeNamespaceNode extends Base {
  kind: 'namespace';
  namespace: string;
  entries: P.ChangeEntryDto[];
  parent: CategoryNode;
}
export interface EntryNode extends Base {
  kind: 'entry';
  entry: P.ChangeEntryDto;
  parent: ChangeNamespaceNode;
}
export interface CauseNode extends Base {
  kind: 'cause';
  cause: P.ChangeCauseDto;
  parent: EntryNode;
}
export interface ChangesMessageNode extends Base {
  kind: 'message';
  text: string;
  icon: vscode.ThemeIcon;
  tooltip?: string;
}
export type ChangesNode =
  ExposedSectionNode | ExposedNode | CategoryNode | ChangeNamespaceNode | EntryNode | CauseNode | ChangesMessageNode;

const CATEGORIES: readonly P.ChangeCategory[] = ['changed', 'added', 'removed'];
const TITLES: Record<P.ChangeCategory, string> = { changed: 'Changed', added: 'Added', removed: 'Removed' };
const CATEGORY_ICONS: Record<P.ChangeCategory, vscode.ThemeIcon> = {
  changed: new vscode.ThemeIcon('diff-modified', new vscode.ThemeColor('gitDecoration.modifiedResourceForeground')),
  added: new vscode.ThemeIcon('diff-added', new vscode.ThemeColor('gitDecoration.addedResourceForeground')),
  removed: new vscode.ThemeIcon('diff-removed', new vscode.ThemeColor('gitDecoration.deletedResourceForeground')),
};

const endText = (e: P.ChangeEnd) => `${e.id}${e.workload ? ` (${e.workload})` : ''}`;

export class ChangesTreeProvider extends ServerTree<ChangesNode, ChangesNode[]> implements vscode.TreeDataProvider<ChangesNode> {
  /** the last answer (tests and the status read it) */
  last: P.ChangesResult | undefined;

  constructor(client: NetLensClient, errors: ErrorReporter) {
    super(client, errors, 'Changes');
    // a commit or checkout: the same working state compares with another HEAD (the matrix follows this view)
    this.subscriptions.push(client.onHeadChanged(() => this.scheduleRefresh()));
  }

  protected rootNodes(roots: ChangesNode[]): ChangesNode[] {
    return roots;
  }

  protected errorNode(node: LoadErrorNode<ChangesNode>): ChangesNode {
    return node;
  }

  /** The current answer, as the view shows it (loads it when the view has not yet). */
  async changes(): Promise<P.ChangesResult> {
    await this.loadRoots();
    return this.last!;
  }

  protected async fetchRoots(): Promise<ChangesNode[]> {
    const r = await this.client.changes();
    this.last = r;
    if (!r.available)
      return [{ kind: 'message', id: 'unavailable', text: 'Nothing to compare with', icon: Icons.info, tooltip: r.reason ?? '' }];
    const head = r.commits.map((c) => c.slice(0, 7)).join(', ');
    if (r.entries.length === 0 && r.exposed.length === 0)
      return [{ kind: 'message', id: 'none', text: `No connectivity changes against HEAD (${head})`, icon: Icons.info }];
    const out: ChangesNode[] = [];
    if (r.exposed.length) out.push({ kind: 'exposedSection', id: 'exposed', exposed: r.exposed });
    for (const category of CATEGORIES) {
      const entries = r.entries.filter((e) => e.category === category);
      if (entries.length) out.push({ kind: 'category', id: `c:${category}`, category, entries });
    }
    return out;
  }

  protected childrenOf(node: ChangesNode): ChangesNode[] {
    switch (node.kind) {
      case 'exposedSection':
        return node.exposed.map((exposure) => ({
          kind: 'exposed',
          id: `${node.id}/${exposure.workload}\u0000${exposure.direction}\u0000${exposure.peer}`,
          exposure,
          location: exposure.location,
          parent: node,
        }));
      case 'category': {
        const names = [...new Set(node.entries.map((e) => e.namespace))].sort(compareNames);
        return names.map((namespace) => ({
          kind: 'namespace',
          id: `${node.id}/ns:${namespace}`,
          namespace,
          entries: node.entries.filter((e) => e.namespace === namespace),
          parent: node,
        }));
      }
      case 'namespace':
        return node.entries.map((entry) => ({
          kind: 'entry',
          id: `${node.id}/${entry.source.id}\u0000${entry.destination.id}`,
          entry,
          ...(entry.causes.find((c) => c.location) ? { location: entry.causes.find((c) => c.location)!.location } : {}),
          parent: node,
        }));
      case 'entry':
        return node.entry.causes.map((cause, i) => ({
          kind: 'cause',
          id: `${node.id}/cause:${i}`,
          cause,
          ...(cause.location ? { location: cause.location } : {}),
          parent: node,
        }));
      default:
        return [];
    }
  }

  protected treeItem(node: ChangesNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'exposedSection': {
        const item = new vscode.TreeItem('Newly exposed', C.Expanded);
        // one row per workload, direction and peer: the count is of workloads, as the label says
        item.description = plural(new Set(node.exposed.map((x) => x.workload)).size, 'workload');
        item.iconPath = Icons.warning;
        item.tooltip =
          'What this change newly opens to pods or addresses outside the manifests: the entire cluster, pods of some namespaces, address ranges';
        item.contextValue = 'changesExposed';
        return item;
      }
      case 'exposed': {
        const x = node.exposure;
        const item = new vscode.TreeItem(x.workload, C.None);
        item.description = `${x.what}: ${x.ports}`;
        item.iconPath = Icons.warning;
        const md = safeMarkdown(`**${escape(x.workload)}** is newly open to ${escape(x.what)}\n\n`);
        md.appendMarkdown(`${escape(x.ports)} (HEAD -> now)\n\n${escape(x.why)}\n\nAt ${escape(shortLocation(x.location))}`);
        item.tooltip = md;
        item.command = openCommand(x.location);
        return item;
      }
      case 'category': {
        const item = new vscode.TreeItem(TITLES[node.category], C.Expanded);
        item.description = plural(node.entries.length, 'connection');
        item.iconPath = CATEGORY_ICONS[node.category];
        item.contextValue = 'changesCategory';
        return item;
      }
      case 'namespace': {
        const item = new vscode.TreeItem(node.namespace || '(outside the cluster)', C.Expanded);
        item.description = plural(node.entries.length, 'connection');
        item.iconPath = Icons.namespace;
        return item;
      }
      case 'entry': {
        const e = node.entry;
        const item = new vscode.TreeItem(`${endText(e.source)} → ${endText(e.destination)}`, e.causes.length ? C.Collapsed : C.None);
        item.description = e.ports;
        item.iconPath = CATEGORY_ICONS[e.category];
        item.contextValue = 'changesEntry';
        const md = safeMarkdown(`**${TITLES[e.category]}**: ${mdCode(e.source.id)} → ${mdCode(e.destination.id)}\n\n`);
        md.appendMarkdown(`${escape(e.ports)}\n\n`);
        if (e.causes.length) md.appendMarkdown(`Because:\n\n${e.causes.map((c) => `- ${escape(c.text)}`).join('\n')}`);
        item.tooltip = md;
        if (node.location) item.command = openCommand(node.location);
        return item;
      }
      case 'cause': {
        const c = node.cause;
        const item = new vscode.TreeItem(c.text, C.None);
        item.iconPath = Icons.peer;
        item.description = c.location ? shortLocation(c.location) : 'in HEAD';
        item.tooltip = c.location ? `${c.text} (${shortLocation(c.location)})` : `${c.text} (only in HEAD)`;
        if (c.location) item.command = openCommand(c.location);
        return item;
      }
      case 'message':
        return messageTreeItem(node);
    }
  }
}
