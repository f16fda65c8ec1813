// The verdict on a pair of endpoints in the words a person would use: "allowed on TCP 7070 only",
// "allowed on all ports", "blocked: no rule allows it". The matrix view, the graph's edges and
// their explanations all say it the same way.
import { isAll, isEmpty, type PortSet } from '../net/ports';
import type { Protocol } from '../model/types';
import type { PairVerdict, SideVerdict } from '../reachability/explain';
import type { QueryResult } from '../reachability/query';

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** "TCP 80, 8080-8090 and UDP 53"; "all ports"; "no port". */
export function portsInWords(s: PortSet): string {
  if (isAll(s)) return 'all ports';
  if (isEmpty(s)) return 'no port';
  const parts = PROTOCOLS.filter((p) => s[p].length > 0).map((p) => {
    const ranges = s[p];
    if (ranges.length === 1 && ranges[0][0] <= 1 && ranges[0][1] >= 65535) return `all ${p} ports`;
    return `${p} ${ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ')}`;
  });
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** The short label of an edge: "TCP 7070", "all ports". */
export function portsLabel(s: PortSet): string {
  return portsInWords(s);
}

/** The one-line verdict for the allowed ports between two ends. */
export function verdictText(allowed: PortSet): string {
  if (isAll(allowed)) return 'allowed on all ports';
  if (isEmpty(allowed)) return 'blocked: no rule allows it';
  return `allowed on ${portsInWords(allowed)} only`;
}

/** A side that stops the connection, named: "the ingress policies of shop/redis (shop/redis-in)". */
function blockingSide(s: SideVerdict): string | undefined {
  if (!isEmpty(s.allowed)) return undefined;
  const who = s.direction === 'Egress' ? `the egress of ${s.subject.id}` : `the ingress of ${s.subject.id}`;
  if (s.calico || s.admin || s.cilium) return `${who} (denied by its policy tiers)`;
  if (s.isolatedBy.length) return `${who} (isolated by ${s.isolatedBy.map((p) => `${p.namespace}/${p.name}`).join(', ')})`;
  return undefined;
}

/** The verdict for a pair with its reasons: which side blocks, when one does. */
export function pairVerdictText(v: PairVerdict): string {
  const text = verdictText(v.allowed);
  if (!isEmpty(v.allowed)) return text;
  const sides = [blockingSide(v.egress), blockingSide(v.ingress)].filter((s): s is string => !!s);
  if (sides.length === 0) return text;
  const layered = [v.egress, v.ingress].some((s) => isEmpty(s.allowed) && (s.calico || s.admin || s.cilium));
  return `blocked: ${layered ? 'denied' : 'no rule allows it'} at ${sides.join(' and ')}`;
}

/** A query's answer in one sentence: "allowed on TCP 7070", "blocked: no rule allows it at ...", "blocked: cart does not resolve". */
export function queryVerdictText(r: QueryResult): string {
  const on = r.port !== undefined ? `${r.protocol} ${r.port}` : undefined;
  switch (r.outcome) {
    case 'allowed':
      return on ? `allowed on ${on}` : r.targets[0] ? verdictText(r.targets[0].verdict.allowed) : 'allowed';
    case 'blocked': {
      const t = r.targets.find((x) => !x.allowed);
      // blocked before any pod (e.g. the Service has no such port): the query's own verdict step says why
      if (!t) return `blocked: ${r.steps.find((x) => x.kind === 'verdict')?.text ?? 'no rule allows it'}`;
      if (isEmpty(t.verdict.allowed) || !on) return pairVerdictText(t.verdict);
      return `blocked on ${on}: ${verdictText(t.verdict.allowed)}`;
    }
    case 'nxdomain':
      return `blocked: ${r.to} does not resolve from namespace ${r.from.namespace}`;
    case 'dns-blocked':
      return `blocked: ${r.to} cannot be looked up (the DNS queries of ${r.from.id} never reach the cluster DNS)`;
    case 'no-endpoints':
      return `nothing answers: no pod is behind ${r.to}`;
  }
}
