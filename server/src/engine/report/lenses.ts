// The code lenses' text (what a NetworkPolicy selects and allows, how connected a workload is) and their
// place: the object's `kind:` line, so that a lens sits above the object rather than between
// `metadata:` and `name:`.
import type { Model, NetworkPolicy, Peer, PolicyRule, Workload } from '../model/types';
import { ruleWorkloadsOf, selectedWorkloads } from '../policy/semantics';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A rule port that carries DNS: 53 or a port named like CoreDNS's (dns, dns-tcp). */
function isDnsPort(port: number | string | undefined): boolean {
  return port === 53 || port === 'dns' || port === 'dns-tcp';
}

/** the peer names the cluster DNS pods (label k8s-app=kube-dns) */
function isKubeDnsPeer(peer: Peer): boolean {
  return !!peer.podSelector?.requirements.some((r) => r.key === 'k8s-app' && r.operator === 'In' && r.values.includes('kube-dns'));
}

/** Every rule allows DNS ports only: the policy lets its pods look names up and nothing else. */
export function isDnsOnly(rules: readonly PolicyRule[]): boolean {
  return rules.length > 0 && rules.every((r) => !!r.ports && r.ports.length > 0 && r.ports.every((p) => isDnsPort(p.port)));
}

function peerSummary(model: Model, p: NetworkPolicy, rules: PolicyRule[]): string {
  if (rules.length === 0) return 'nothing';
  if (rules.some((r) => !r.peers)) return 'everyone';
  const matched = new Set<Workload>();
  for (const r of rules) for (const w of ruleWorkloadsOf(model, r, p.namespace)) matched.add(w);
  const ip = rules.some((r) => r.peers!.some((peer) => peer.ipBlock)) ? ' + IP ranges' : '';
  return `${plural(matched.size, 'workload')}${ip}`;
}

/** "selects 3 workloads · ingress from 1 workload · egress: DNS only (kube-dns)" */
export function policyLensTitle(model: Model, p: NetworkPolicy): string {
  const parts = [`selects ${plural(selectedWorkloads(model, p).length, 'workload')}`];
  if (p.policyTypes.includes('Ingress')) parts.push(`ingress from ${peerSummary(model, p, p.ingress)}`);
  if (p.policyTypes.includes('Egress')) {
    if (isDnsOnly(p.egress)) {
      const kubeDns = p.egress.every((r) => r.peers?.length && r.peers.every(isKubeDnsPeer));
      parts.push(`egress: DNS only${kubeDns ? ' (kube-dns)' : ''}`);
    } else parts.push(`egress to ${peerSummary(model, p, p.egress)}`);
  }
  return parts.join(' · ');
}

export function workloadLensTitle(degree: { reachableFrom: number; reaches: number }): string {
  return `reachable from ${degree.reachableFrom} · reaches ${degree.reaches}`;
}

/**
 * The offset a lens goes to: the start of the object's top-level `kind:` line (between the object's
 * start and its name), else the name itself.
 */
export function lensOffset(text: string, objectStart: number, nameStart: number): number {
  const head = text.slice(objectStart, nameStart);
  const m = /(^|\n)kind[ \t]*:/.exec(head);
  if (!m) return nameStart;
  return objectStart + m.index + m[1]!.length;
}
