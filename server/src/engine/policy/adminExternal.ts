// Admin and Baseline tier rules for egress to a destination outside the workspace's pods (an IP, or a
// name resolved upstream): `networks` match its address, `domainNames` its name; selectors never match it.
import type { AdminPeer, AdminPolicy, AdminRule, Model, Protocol, Workload } from '../model/types';
import { contains, isEmpty } from '../net/ports';
import { cidrContainsIp, parseCidr, parseIp } from '../net/cidr';
import { adminRulePorts, adminSubjectMatches } from './admin';

export interface ExternalTarget {
  /** the address, when the query named one */
  ip?: string;
  /** the names the connection goes to (the name asked, a CNAME target), without a trailing dot */
  names: string[];
}

export interface ExternalAdminDecision {
  policy: AdminPolicy;
  rule: AdminRule;
  /** what matched: `networks 0.0.0.0/0`, `domainNames *.example.com (example.com)` */
  matched: string;
}

export interface ExternalTierResult {
  decision?: ExternalAdminDecision;
  /** earlier rules that would match only if the unknown address falls in their networks */
  maybe: string[];
}

/** Does a DomainName (exact, or `*.` + name = one or more labels before it) match a name? Case-insensitive. */
export function domainNameMatches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const n = name.toLowerCase().replace(/\.$/, '');
  if (p.startsWith('*.')) return n.endsWith(p.slice(1)) && n.length > p.length - 1;
  return p === n;
}

type PeerMatch = { matched: string } | 'maybe' | undefined;

function peerMatch(peer: AdminPeer, target: ExternalTarget): PeerMatch {
  if (peer.domainNames) {
    for (const d of peer.domainNames) {
      const name = target.names.find((n) => domainNameMatches(d, n));
      if (name) return { matched: `domainNames ${d} (${name})` };
    }
    return undefined;
  }
  if (!peer.networks) return undefined;
  const ip = target.ip ? parseIp(target.ip) : undefined;
  let maybe = false;
  for (const n of peer.networks) {
    const c = parseCidr(n);
    if (!c) continue;
    if (ip ? cidrContainsIp(c, ip) : c.prefix === 0) return { matched: `networks ${n}` };
    if (!ip) maybe = true;
  }
  return maybe ? 'maybe' : undefined;
}

/** The first rule of one tier (in evaluation order) that decides egress from `from` to the external target. */
export function externalTierDecision(
  model: Model,
  from: Workload,
  target: ExternalTarget,
  protocol: Protocol,
  port: number | undefined,
  baseline: boolean,
): ExternalTierResult {
  const maybe: string[] = [];
  for (const p of model.adminPolicies) {
    if (p.baseline !== baseline || !adminSubjectMatches(p, from, model)) continue;
    for (const rule of p.egress) {
      const ports = adminRulePorts(rule, undefined);
      if (port === undefined ? isEmpty(ports) : !contains(ports, protocol, port)) continue;
      for (const peer of rule.peers) {
        const m = peerMatch(peer, target);
        if (m === 'maybe') maybe.push(`${p.name} rule "${rule.name}" networks ${peer.networks!.join(',')}`);
        else if (m) return { decision: { policy: p, rule, matched: m.matched }, maybe };
      }
    }
  }
  return { maybe };
}
