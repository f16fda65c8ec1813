// The "Policies" tree: each NetworkPolicy > "Selects" (the workloads it isolates) and its rules, each
// rule > its peers. Data: netlens/policies.
import * as vscode from 'vscode';
import { compareNames } from '../compare';
import type * as P from '../../../protocol/messages';
import type { NetLensClient } from '../client';
import type { ErrorReporter } from '../errors';
import { escape, mdCode, safeMarkdown } from '../explain';
import { shortLocation } from '../location';
import { Icons } from './icons';
import { openCommand } from './reachabilityTree';
import { messageTreeItem, type LoadErrorNode } from './messageNode';
import { ServerTree } from './serverTree';

interface Base {
  id: string;
  parent?: PolicyTreeNode;
  location?: P.Location;
}
export interface PolicyNode extends Base {
  kind: 'policy';
  policy: P.PolicySummary;
  policyId: string;
}
export interface SelectsNode extends Base {
  kind: 'selects';
  policy: P.PolicySummary;
  parent: PolicyNode;
}
export interface SelectedWorkloadNode extends Base {
  kind: 'selected';
  workload: P.WorkloadSummary;
  workloadId: string;
  parent: SelectsNode;
}
export interface RuleNode extends Base {
  kind: 'rule';
  rule: P.RuleSummary;
  policy: P.PolicySummary;
  parent: PolicyNode;
}
export interface RulePeerNode extends Base {
  kind: 'rulePeer';
  text: string;
  rule: P.RuleSummary;
  parent: RuleNode;
}
export interface PolicyMessageNode extends Base {
  kind: 'message';
  text: string;
  icon: vscode.ThemeIcon;
  tooltip?: string;
}
export type PolicyTreeNode = PolicyNode | SelectsNode | SelectedWorkloadNode | RuleNode | RulePeerNode | PolicyMessageNode;

export class PoliciesTreeProvider extends ServerTree<PolicyTreeNode, PolicyNode[]> implements vscode.TreeDataProvider<PolicyTreeNode> {
  constructor(client: NetLensClient, errors: ErrorReporter) {
    super(client, errors, 'Policies');
  }

  protected rootNodes(roots: PolicyNode[]): PolicyTreeNode[] {
    return roots;
  }

  protected errorNode(node: LoadErrorNode<PolicyTreeNode>): PolicyTreeNode {
    return node;
  }

  protected childrenOf(node: PolicyTreeNode): PolicyTreeNode[] {
    switch (node.kind) {
      case 'policy':
        return this.policyChildren(node);
      case 'selects':
        if (node.policy.selected.length === 0) {
          return [
            {
              kind: 'message',
              id: `${node.id}/none`,
              text: 'no workload: the policy has no effect',
              icon: Icons.warning,
              parent: node,
              tooltip: `podSelector ${node.policy.podSelector} matches no pod in namespace ${node.policy.namespace}`,
            },
          ];
        }
        return [...node.policy.selected]
          .sort((a, b) => compareNames(a.name, b.name))
          .map((w) => ({
            kind: 'selected',
            id: `${node.id}/w:${w.id}`,
            workload: w,
            workloadId: w.id,
            location: w.location,
            parent: node,
          }));
      case 'rule':
        return node.rule.peers.map((text, i) => ({
          kind: 'rulePeer',
          id: `${node.id}/peer:${i}`,
          text,
          rule: node.rule,
          location: node.rule.location,
          parent: node,
        }));
      default:
        return [];
    }
  }

  protected treeItem(node: PolicyTreeNode): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'policy': {
        const p = node.policy;
        const item = new vscode.TreeItem(p.name, C.Collapsed);
        item.description = `${p.namespace} · ${p.policyTypes.join(', ')}`;
        item.iconPath = p.selected.length ? Icons.policy : Icons.policyIdle;
        item.contextValue = 'policy';
        const md = safeMarkdown(`**NetworkPolicy ${escape(p.id)}**\n\n`);
        md.appendMarkdown(
          `podSelector: ${mdCode(p.podSelector || '{}')} · selects ${p.selected.length} workload${p.selected.length === 1 ? '' : 's'}\n\n`,
        );
        md.appendMarkdown(`policyTypes: ${p.policyTypes.join(', ')} · ${p.rules.length} rule${p.rules.length === 1 ? '' : 's'}\n\n`);
        md.appendMarkdown(`Defined at ${escape(shortLocation(p.location))}`);
        item.tooltip = md;
        item.command = openCommand(p.location);
        return item;
      }
      case 'selects': {
        const item = new vscode.TreeItem('Selects', C.Collapsed);
        item.description = `${node.policy.selected.length} workload${node.policy.selected.length === 1 ? '' : 's'}`;
        item.iconPath = Icons.selects;
        item.tooltip = `podSelector ${node.policy.podSelector || '{}'} in namespace ${node.policy.namespace}`;
        item.contextValue = 'selects';
        return item;
      }
      case 'selected': {
        const w = node.workload;
        const item = new vscode.TreeItem(w.name, C.None);
        item.description = `${w.namespace} · ${w.kind}`;
        item.iconPath = Icons.isolated;
        item.contextValue = 'workloadRef';
        item.tooltip = `${w.id} (${shortLocation(w.location)})`;
        item.command = openCommand(w.location);
        return item;
      }
      case 'rule': {
        const r = node.rule;
        const item = new vscode.TreeItem(`${r.direction} rule ${r.index + 1}`, r.peers.length ? C.Collapsed : C.None);
        item.description = `${r.direction === 'Ingress' ? 'from' : 'to'} ${r.peers.length === 1 ? r.peers[0] : `${r.peers.length} peers`} · ${r.ports}`;
        item.iconPath = r.direction === 'Ingress' ? Icons.ingressRule : Icons.egressRule;
        item.contextValue = 'rule';
        const md = safeMarkdown(`**${r.direction} rule ${r.index + 1}** of ${escape(node.policy.id)}\n\n`);
        md.appendMarkdown(
          `${r.direction === 'Ingress' ? 'From' : 'To'}:\n\n${r.peers.map((p) => `- ${escape(p)}`).join('\n')}\n\nPorts: ${escape(r.ports)}\n\n`,
        );
        md.appendMarkdown(`Defined at ${escape(shortLocation(r.location))}`);
        item.tooltip = md;
        item.command = openCommand(r.location);
        return item;
      }
      case 'rulePeer': {
        const item = new vscode.TreeItem(node.text, C.None);
        item.iconPath = Icons.peer;
        item.tooltip = `${node.text} · ${node.rule.ports}`;
        item.contextValue = 'rulePeer';
        item.command = openCommand(node.rule.location);
        return item;
      }
      case 'message':
        return messageTreeItem(node);
    }
  }

  /** The node of a policy (by id, or by name when unique). */
  async findPolicy(idOrName: string): Promise<PolicyNode | undefined> {
    const roots = await this.loadRoots();
    return roots.find((p) => p.policyId === idOrName) ?? single(roots.filter((p) => p.policy.name === idOrName));
  }

  async revealPolicy(
    idOrName: string,
    options: { select?: boolean; focus?: boolean; expand?: boolean | number } = {},
  ): Promise<PolicyNode | undefined> {
    const node = await this.findPolicy(idOrName);
    if (node && this.view)
      await this.view.reveal(node, { select: options.select ?? true, focus: options.focus ?? false, expand: options.expand ?? false });
    return node;
  }

  async policies(): Promise<P.PolicySummary[]> {
    return (await this.loadRoots()).map((n) => n.policy);
  }

  protected async fetchRoots(): Promise<PolicyNode[]> {
    const r = await this.client.policies();
    return [...r.policies]
      .sort((x, y) => compareNames(x.namespace, y.namespace) || compareNames(x.name, y.name))
      .map((policy): PolicyNode => ({ kind: 'policy', id: `p:${policy.id}`, policy, policyId: policy.id, location: policy.location }));
  }

  private policyChildren(node: PolicyNode): PolicyTreeNode[] {
    const p = node.policy;
    const out: PolicyTreeNode[] = [{ kind: 'selects', id: `${node.id}/selects`, policy: p, parent: node }];
    for (const direction of ['Ingress', 'Egress'] as const) {
      const rules = p.rules.filter((r) => r.direction === direction);
      if (rules.length === 0 && p.policyTypes.includes(direction)) {
        out.push({
          kind: 'message',
          id: `${node.id}/${direction}/none`,
          text: `${direction}: no rules, all ${direction.toLowerCase()} denied`,
          icon: Icons.blocked,
          parent: node,
          tooltip: `policyTypes includes ${direction} and the policy has no ${direction.toLowerCase()} rule: the selected pods accept no ${direction === 'Ingress' ? 'incoming' : 'outgoing'} traffic (unless another policy allows it)`,
        });
      }
      for (const rule of rules)
        out.push({ kind: 'rule', id: `${node.id}/${direction}/${rule.index}`, rule, policy: p, location: rule.location, parent: node });
    }
    return out;
  }
}

function single<T>(xs: T[]): T | undefined {
  return xs.length === 1 ? xs[0] : undefined;
}
