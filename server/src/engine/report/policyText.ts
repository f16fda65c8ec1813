// Plain-text summaries of a NetworkPolicy's rules for lists and trees (the policies view): who each
// peer is, how many workloads it matches, and which ports a rule opens.
import type { Model, NetworkPolicy, Peer, PolicyRule } from '../model/types';
import { peerWorkloads } from '../policy/semantics';

/** A peer as text, without Markdown: `namespaces team=a AND pods app=b`. */
export function peerPlainText(p: Peer): string {
  const parts: string[] = [];
  if (p.namespaceSelector) parts.push(`namespaces ${p.namespaceSelector.text}`);
  if (p.podSelector) parts.push(`pods ${p.podSelector.text}`);
  if (p.ipBlock) parts.push(`ipBlock ${p.ipBlock.cidr}${p.ipBlock.except.length ? ` except ${p.ipBlock.except.join(',')}` : ''}`);
  return parts.join(' AND ');
}

/** Each peer of a rule with the number of workloads it matches, or "every peer" for a rule without peers. */
export function rulePeersText(model: Model, policy: NetworkPolicy, rule: PolicyRule): string[] {
  if (!rule.peers) return ['every peer'];
  return rule.peers.map((peer) => `${peerPlainText(peer)} (${peerWorkloads(model, peer, policy.namespace).length} workloads)`);
}

/** The ports a rule opens as written: `TCP 80, UDP 53`, `TCP 8000-8100`, `TCP http`, or "all ports". */
export function rulePortsText(rule: PolicyRule): string {
  if (!rule.ports) return 'all ports';
  return rule.ports.map((pp) => `${pp.protocol} ${pp.port ?? 'all'}${pp.endPort ? `-${pp.endPort}` : ''}`).join(', ');
}
