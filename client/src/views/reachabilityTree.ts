// The "Reachability" tree: namespaces > workloads > "Can reach" / "Reachable from" (grouped by namespace,
// each peer with its ports), "Policies selecting it" and "Services". Data comes from netlens/namespaces,
// netlens/policies (for the isolation icons) and, lazily per expanded workload, netlens/workload.
import * as vscode from 'vscode';
import { compareNames } from '../compare';
import type * as P from '../../../protocol/messages';
import type { NetLensClient } from '../client';
import type { ErrorReporter } from '../errors';
import { escape, explanationMarkdown, mdCode, safeMarkdown } from '../explain';
import { shortLocation } from '../location';
import { Icons } from './icons';
import { plural } from '../text';
import { messageTreeItem, type LoadErrorNode } from './messageNode';
import { ServerTree } from './serverTree';

export type Direction = 'canReach' | 'reachableFrom';
export type Section = Direction | 'policies' | 'services';

interface Base {
  /** stable across refreshes: VS Code keeps expansion and selection by it */
  id: string;
  parent?: ReachabilityNode;
  location?: P.Location;
}
export interface NamespaceNode extends Base {
  kind: 'namespace';
  namespace: P.NamespaceSummary;
}
export interface WorkloadNode extends Base {
  kind: 'workload';
  workload: P.WorkloadSummary;
  workloadId: string;
  isolation: { ingress: boolean; egress: boolean };
  parent: NamespaceNode;
}
export interface SectionNode extends Base {
  kind: 'section';
  section: Section;
  owner: P.WorkloadSummary;
  detail: P.WorkloadResult;
  parent: WorkloadNode;
}
export interface PeerNamespaceNode extends Base {
  kind: 'peerNamespace';
  section: Direction;
  namespace: string;
  peers: P.PeerConnection[];
  owner: P.WorkloadSummary;
  parent: SectionNode;
}
export interface PeerNode extends Base {
  kind: 'peer';
  section: Direction;
  connection: P.PeerConnection;
  owner: P.WorkloadSummary;
  /** the connection's source and destination workload ids (for "Explain") */
  from: string;
  to: string;
  /** the peer's id (for "Query from here" / "Focus workload") */
  workloadId: string;
  parent: PeerNamespaceNode;
}
export interface PolicyRefNode extends Base {
  kind: 'policyRef';
  policyId: string;
  directions: ('Ingress' | 'Egress')[];
  parent: SectionNode;
}
export interface ServiceNode extends Base {
  kind: 'service';
  service: P.WorkloadResult['services'][number];
  parent: SectionNode;
}
export interface MessageNode extends Base {
  kind: 'message';
  text: string;
  icon: vscode.ThemeIcon;
  tooltip?: string;
}
export type ReachabilityNode =
  NamespaceNode | WorkloadNode | SectionNode | PeerNamespaceNode | PeerNode | PolicyRefNode | ServiceNode | MessageNode;

interface Roots {
  version: number;
  namespaces: NamespaceNode[];
  workloads: Map<string, WorkloadNode>;
}

function portsText(c: P.PeerConnection): string {
  return c.all ? 'all ports' : c.ports;
}

export class ReachabilityTreeProvider extends ServerTree<ReachabilityNode, Roots> implements vscode.TreeDataProvider<ReachabilityNode> {
  private readonly details = new Map<string, Promise<P.WorkloadResult>>();

  constructor(client: NetLensClient, errors: ErrorReporter) {
    super(client, errors, 'Reachability');
  }

  protected override clearCaches(): void {
    this.details.clear();
  }

  protected rootNodes(roots: Roots): ReachabilityNode[] {
    return roots.namespaces;
  }

  protected errorNode(node: LoadErrorNode<ReachabilityNode>): ReachabilityNode {
    return node;
  }

  protected async childrenOf(node: ReachabilityNode): Promise<ReachabilityNode[]> {
    switch (node.kind) {
      case 'namespace': {
        const roots = await this.loadRoots();
        return roots.namespaces.find((n) => n.id === node.id)?.namespace.workloads.flatMap((w) => roots.workloads.get(w.id) ?? []) ?? [];
      }
      case 'workload':
        return this.sections(node, await this.detail(node.workloadId));
      case 'section':
        return this.sectionChildren(node);
      case 'peerNamespace':
        return node.peers.map((c) => this.peerNode(node, c));
      default:
        return [];
    }
  }

  protected treeItem(node: ReachabilityNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'namespace': {
        const ns = node.namespace;
        const item = new vscode.TreeItem(ns.name, ns.workloads.length ? C.Collapsed : C.None);
        // short enough for the default side bar width; the rest is in the tooltip
        item.description = plural(ns.workloads.length, 'workload');
        item.iconPath = ns.declared ? Icons.namespace : Icons.namespaceUndeclared;
        item.contextValue = 'namespace';
        const md = safeMarkdown(`**Namespace ${escape(ns.name)}**${ns.declared ? '' : ' (referenced, not declared in the workspace)'}\n\n`);
        const labels = Object.entries(ns.labels);
        if (labels.length) md.appendMarkdown(`Labels: ${labels.map(([k, v]) => mdCode(`${k}=${v}`)).join(' ')}\n\n`);
        if (ns.location) md.appendMarkdown(`Defined at ${escape(shortLocation(ns.location))}`);
        item.tooltip = md;
        // no click command: a click expands the namespace (Go to Definition is in its context menu)
        return item;
      }
      case 'workload': {
        const w = node.workload;
        const item = new vscode.TreeItem(w.name, C.Collapsed);
        const iso = node.isolation;
        const isoText =
          iso.ingress && iso.egress
            ? 'isolated: ingress, egress'
            : iso.ingress
              ? 'isolated: ingress'
              : iso.egress
                ? 'isolated: egress'
                : 'not isolated';
        // the kind only (plus hostNetwork, which changes what policies mean for it): the isolation is the
        // icon's, and both are spelled out in the tooltip
        item.description = w.hostNetwork ? `${w.kind} · hostNetwork` : w.kind;
        item.iconPath = w.hostNetwork ? Icons.hostNetwork : iso.ingress || iso.egress ? Icons.isolated : Icons.open;
        item.contextValue = 'workload';
        item.tooltip = workloadTooltip(w, isoText);
        item.command = openCommand(w.location);
        return item;
      }
      case 'section': {
        const d = node.detail;
        const [label, count, icon] =
          node.section === 'canReach'
            ? ['Can reach', plural(d.canReach.length, 'workload'), Icons.canReach]
            : node.section === 'reachableFrom'
              ? ['Reachable from', plural(d.reachableFrom.length, 'workload'), Icons.reachableFrom]
              : node.section === 'policies'
                ? ['Policies selecting it', plural(d.policies.length, 'policy').replace('policys', 'policies'), Icons.policies]
                : ['Services', plural(d.services.length, 'service'), Icons.services];
        const item = new vscode.TreeItem(label, C.Collapsed);
        item.description = count;
        item.iconPath = icon;
        item.contextValue = `section.${node.section}`;
        return item;
      }
      case 'peerNamespace': {
        const item = new vscode.TreeItem(node.namespace, C.Expanded);
        item.description = plural(node.peers.length, 'workload');
        item.iconPath = Icons.namespace;
        item.contextValue = 'peerNamespace';
        return item;
      }
      case 'peer': {
        const c = node.connection;
        const item = new vscode.TreeItem(c.workload.name, C.None);
        item.description = c.decidedBy ? `${portsText(c)} · ${c.decidedBy}` : portsText(c);
        item.iconPath = c.all ? Icons.allowedAll : Icons.allowedSome;
        item.contextValue = 'peer';
        item.command = openCommand(c.workload.location);
        // No tooltip here: VS Code calls resolveTreeItem on hover only for an undefined tooltip, and that is
        // where the explanation (a netlens/query) is fetched.
        return item;
      }
      case 'policyRef': {
        const item = new vscode.TreeItem(node.policyId, C.None);
        item.description = node.directions.join(', ');
        item.iconPath = Icons.policy;
        item.contextValue = 'policyRef';
        item.tooltip = `${node.policyId} isolates ${node.parent.owner.name} for ${node.directions.join(' and ')} traffic`;
        if (node.location) item.command = openCommand(node.location);
        return item;
      }
      case 'service': {
        const item = new vscode.TreeItem(node.service.id, C.None);
        item.description = node.service.fqdn;
        item.iconPath = Icons.services;
        item.contextValue = 'service';
        item.command = openCommand(node.service.location);
        return item;
      }
      case 'message':
        return messageTreeItem(node);
    }
  }

  async resolveTreeItem(item: vscode.TreeItem, node: ReachabilityNode, token: vscode.CancellationToken): Promise<vscode.TreeItem> {
    if (node.kind !== 'peer') return item;
    try {
      const dto = await this.client.query({ from: node.from, to: node.to }, token);
      const md = explanationMarkdown(dto);
      md.appendMarkdown(`\n\nAllowed ports: ${escape(portsText(node.connection))}`);
      if (node.connection.decidedBy) md.appendMarkdown(`\n\nDecided by: ${escape(node.connection.decidedBy)}`);
      item.tooltip = md;
    } catch (err) {
      this.errors.log('explaining a connection for a tooltip', err);
      item.tooltip = safeMarkdown(`**${escape(node.from)}** → **${escape(node.to)}**: ${escape(portsText(node.connection))}`);
    }
    return item;
  }

  // ---- lookups (follow-the-editor, focus commands, tests) ------------------------------------------------

  /** The tree node of a workload (by id, or by name when unique), or undefined. */
  async findWorkload(idOrName: string): Promise<WorkloadNode | undefined> {
    const roots = await this.loadRoots();
    const exact = roots.workloads.get(idOrName);
    if (exact) return exact;
    const byName = [...roots.workloads.values()].filter((w) => w.workload.name === idOrName);
    return byName.length === 1 ? byName[0] : undefined;
  }

  /** Shows the workload in the view (selected, optionally focused and expanded). */
  async revealWorkload(
    idOrName: string,
    options: { select?: boolean; focus?: boolean; expand?: boolean | number } = {},
  ): Promise<WorkloadNode | undefined> {
    const node = await this.findWorkload(idOrName);
    if (node && this.view)
      await this.view.reveal(node, { select: options.select ?? true, focus: options.focus ?? false, expand: options.expand ?? false });
    return node;
  }

  /** Every workload the view knows (for quick picks). */
  async workloads(): Promise<P.WorkloadSummary[]> {
    return [...(await this.loadRoots()).workloads.values()].map((n) => n.workload);
  }

  // ---- internals -----------------------------------------------------------------------------------------

  protected async fetchRoots(): Promise<Roots> {
    const [ns, pol] = await Promise.all([this.client.namespaces(), this.client.policies()]);
    const isolation = new Map<string, { ingress: boolean; egress: boolean }>();
    for (const p of pol.policies) {
      for (const w of p.selected) {
        const iso = isolation.get(w.id) ?? { ingress: false, egress: false };
        if (p.policyTypes.includes('Ingress')) iso.ingress = true;
        if (p.policyTypes.includes('Egress')) iso.egress = true;
        isolation.set(w.id, iso);
      }
    }
    const roots: Roots = { version: ns.version, namespaces: [], workloads: new Map() };
    const total = ns.namespaces.reduce((n, x) => n + x.workloads.length, 0);
    // An empty tree lets the welcome view ("no Kubernetes manifests") show.
    if (total === 0 && pol.policies.length === 0) return roots;
    for (const namespace of ns.namespaces) {
      const workloads = [...namespace.workloads].sort((a, b) => compareNames(a.name, b.name) || compareNames(a.kind, b.kind));
      const node: NamespaceNode = {
        kind: 'namespace',
        id: `ns:${namespace.name}`,
        namespace: { ...namespace, workloads },
        ...(namespace.location ? { location: namespace.location } : {}),
      };
      roots.namespaces.push(node);
      for (const w of workloads) {
        roots.workloads.set(w.id, {
          kind: 'workload',
          id: `w:${w.id}`,
          workload: w,
          workloadId: w.id,
          isolation: isolation.get(w.id) ?? { ingress: false, egress: false },
          parent: node,
          location: w.location,
        });
      }
    }
    return roots;
  }

  private detail(id: string): Promise<P.WorkloadResult> {
    let d = this.details.get(id);
    if (!d) {
      d = this.client.workload(id);
      this.details.set(id, d);
      d.catch(() => this.details.delete(id));
    }
    return d;
  }

  private sections(node: WorkloadNode, detail: P.WorkloadResult): SectionNode[] {
    const sections: Section[] = ['canReach', 'reachableFrom', 'policies'];
    if (detail.services.length) sections.push('services');
    return sections.map((section) => ({
      kind: 'section',
      id: `${node.id}/${section}`,
      section,
      owner: detail.workload,
      detail,
      parent: node,
    }));
  }

  private sectionChildren(node: SectionNode): ReachabilityNode[] {
    const d = node.detail;
    const message = (text: string, icon: vscode.ThemeIcon, tooltip?: string): MessageNode => ({
      kind: 'message',
      id: `${node.id}/message`,
      text,
      icon,
      parent: node,
      ...(tooltip ? { tooltip } : {}),
    });
    switch (node.section) {
      case 'canReach':
      case 'reachableFrom': {
        const peers = node.section === 'canReach' ? d.canReach : d.reachableFrom;
        if (peers.length === 0) {
          const isolated = node.section === 'canReach' ? d.isolated.egress : d.isolated.ingress;
          return [
            node.section === 'canReach'
              ? message(
                  'reaches no other workload',
                  Icons.blocked,
                  isolated
                    ? 'Its egress policies allow no workload of the workspace.'
                    : 'The ingress policies of every other workload block it.',
                )
              : message(
                  'no other workload reaches it',
                  Icons.blocked,
                  isolated
                    ? 'Its ingress policies allow no workload of the workspace.'
                    : 'The egress policies of every other workload block it.',
                ),
          ];
        }
        const byNs = new Map<string, P.PeerConnection[]>();
        for (const c of peers) {
          const list = byNs.get(c.workload.namespace) ?? [];
          list.push(c);
          byNs.set(c.workload.namespace, list);
        }
        return [...byNs.entries()]
          .sort(([a], [b]) => (a === d.workload.namespace ? -1 : b === d.workload.namespace ? 1 : compareNames(a, b)))
          .map(([namespace, list]) => ({
            kind: 'peerNamespace',
            id: `${node.id}/ns:${namespace}`,
            section: node.section as Direction,
            namespace,
            owner: d.workload,
            parent: node,
            peers: list.sort((a, b) => compareNames(a.workload.name, b.workload.name)),
          }));
      }
      case 'policies':
        if (d.policies.length === 0)
          return [
            message(
              'none: all traffic is allowed',
              Icons.open,
              'No NetworkPolicy selects this workload, so it is not isolated in either direction.',
            ),
          ];
        return d.policies.map((p) => ({
          kind: 'policyRef',
          id: `${node.id}/p:${p.id}`,
          policyId: p.id,
          directions: p.directions,
          location: p.location,
          parent: node,
        }));
      case 'services':
        return d.services.map((s) => ({ kind: 'service', id: `${node.id}/s:${s.id}`, service: s, location: s.location, parent: node }));
    }
  }

  private peerNode(parent: PeerNamespaceNode, c: P.PeerConnection): PeerNode {
    const owner = parent.owner;
    const [from, to] = parent.section === 'canReach' ? [owner.id, c.workload.id] : [c.workload.id, owner.id];
    return {
      kind: 'peer',
      id: `${parent.id}/w:${c.workload.id}`,
      section: parent.section,
      connection: c,
      owner,
      from,
      to,
      workloadId: c.workload.id,
      location: c.workload.location,
      parent,
    };
  }
}

function workloadTooltip(w: P.WorkloadSummary, isolation: string): vscode.MarkdownString {
  const md = safeMarkdown(`**${escape(w.id)}**\n\n`);
  const labels = Object.entries(w.labels);
  if (labels.length) md.appendMarkdown(`Labels: ${labels.map(([k, v]) => mdCode(`${k}=${v}`)).join(' ')}\n\n`);
  md.appendMarkdown(
    w.hostNetwork
      ? 'hostNetwork pod (see the setting `netlens.hostNetwork`)\n\n'
      : `${escape(isolation[0]!.toUpperCase() + isolation.slice(1))}\n\n`,
  );
  md.appendMarkdown(`Defined at ${escape(shortLocation(w.location))}`);
  return md;
}

export function openCommand(location: P.Location): vscode.Command {
  return { title: 'Go to Definition', command: 'netlens.openLocation', arguments: [location] };
}
