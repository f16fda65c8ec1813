// AdminNetworkPolicy tiers (policy.networking.k8s.io, network-policy-api), shared by AdminNetworkPolicy,
// BaselineAdminNetworkPolicy and ClusterNetworkPolicy: per direction, the Admin tier in priority order decides
// first (the first matching rule wins for each port: Allow/Accept, Deny, or Pass to the next tier); undecided
// and passed ports go to NetworkPolicies; if no NetworkPolicy isolates the pod in that direction, the Baseline
// tier decides the same way (Pass there leaves the port to the default); what is left is allowed.
import type { AdminPeer, AdminPolicy, AdminPort, AdminRule, Direction, Model, Workload } from '../model/types';
import { ALL_PORTS, NO_PORTS, intersect, isEmpty, portSetOf, subtract, union, type PortSet } from '../net/ports';
import { selectorMatches } from '../selectors/match';
import { namespaceLabels, selectable } from './semantics';
import { cidrContainsIp, parseCidr, parseIp } from '../net/cidr';

export interface AdminDecision {
  policy: AdminPolicy;
  rule: AdminRule;
  /** ports this rule decided (after higher-priority rules) */
  ports: PortSet;
}

export interface DirectionOutcome {
  allowed: PortSet;
  /** ANP rules that decided some ports, in evaluation order */
  admin: AdminDecision[];
  /** baseline rules that decided some ports */
  baseline: AdminDecision[];
  /** ports left to NetworkPolicies (undecided by ANPs, or passed) */
  toNetworkPolicies: PortSet;
}

function podsMatch(pods: NonNullable<AdminPeer['pods']>, w: Workload, model: Model): boolean {
  return selectorMatches(pods.namespaceSelector, namespaceLabels(model, w.namespace)) && selectorMatches(pods.podSelector, w.labels);
}

export function adminSubjectMatches(p: AdminPolicy, w: Workload, model: Model): boolean {
  if (!selectable(w, model)) return false;
  if (p.subject.namespaces) return selectorMatches(p.subject.namespaces, namespaceLabels(model, w.namespace));
  return !!p.subject.pods && podsMatch(p.subject.pods, w, model);
}

export function adminPeerMatches(peer: AdminPeer, w: Workload, model: Model): boolean {
  if (peer.networks) {
    const cidrs = peer.networks.map(parseCidr);
    // an unknown pod address is still some address: a /0 network covers it
    if (w.podIPs.length === 0) return cidrs.some((c) => !!c && c.prefix === 0);
    return w.podIPs.some((t) => {
      const ip = parseIp(t);
      return !!ip && cidrs.some((c) => !!c && cidrContainsIp(c, ip));
    });
  }
  // a hostNetwork pod treated as node traffic is a node: only `nodes: {}` (every node) is known to cover it
  if (peer.nodes) return !selectable(w, model) && peer.nodes.requirements.length === 0;
  if (!selectable(w, model)) return false;
  if (peer.namespaces) return selectorMatches(peer.namespaces, namespaceLabels(model, w.namespace));
  if (peer.pods) return podsMatch(peer.pods, w, model);
  return false;
}

function adminPortSet(port: AdminPort, dst: Workload | undefined): PortSet {
  if (port.name !== undefined) {
    if (!dst) return NO_PORTS;
    let out = NO_PORTS;
    for (const c of dst.containers)
      for (const cp of c.ports) if (cp.name === port.name) out = union(out, portSetOf(cp.protocol, [[cp.port, cp.port]]));
    return out;
  }
  return portSetOf(port.protocol, [[port.port!, port.end ?? port.port!]]);
}

export function adminRulePorts(rule: AdminRule, dst: Workload | undefined): PortSet {
  if (!rule.ports) return ALL_PORTS;
  let out = NO_PORTS;
  for (const p of rule.ports) out = union(out, adminPortSet(p, dst));
  return out;
}

/**
 * One direction of a connection. `subject` is the pod whose policies apply (source for egress,
 * destination for ingress), `other` the far end, `dst` the destination (named ports resolve there).
 * `np` is the NetworkPolicy verdict of that direction: whether they isolate the subject, and what they allow.
 */
export function decideDirection(
  model: Model,
  dir: Direction,
  subject: Workload,
  other: Workload,
  dst: Workload,
  np: { isolated: boolean; allowed: PortSet },
): DirectionOutcome {
  let decided = NO_PORTS;
  let allowed = NO_PORTS;
  let passed = NO_PORTS;
  const admin: AdminDecision[] = [];
  const baselineSteps: AdminDecision[] = [];
  const baselines: AdminPolicy[] = [];
  for (const p of model.adminPolicies) {
    if (p.baseline) {
      baselines.push(p);
      continue;
    }
    if (!adminSubjectMatches(p, subject, model)) continue;
    for (const rule of dir === 'Ingress' ? p.ingress : p.egress) {
      if (!rule.peers.some((peer) => adminPeerMatches(peer, other, model))) continue;
      const ports = subtract(adminRulePorts(rule, dst), decided);
      if (isEmpty(ports)) continue;
      admin.push({ policy: p, rule, ports });
      decided = union(decided, ports);
      if (rule.action === 'Allow') allowed = union(allowed, ports);
      else if (rule.action === 'Pass') passed = union(passed, ports);
    }
  }
  const toNetworkPolicies = union(subtract(ALL_PORTS, decided), passed);
  if (np.isolated)
    return { allowed: union(allowed, intersect(np.allowed, toNetworkPolicies)), admin, baseline: baselineSteps, toNetworkPolicies };
  let remaining = toNetworkPolicies;
  for (const baseline of baselines) {
    if (!adminSubjectMatches(baseline, subject, model)) continue;
    for (const rule of dir === 'Ingress' ? baseline.ingress : baseline.egress) {
      if (!rule.peers.some((peer) => adminPeerMatches(peer, other, model))) continue;
      const ports = intersect(adminRulePorts(rule, dst), remaining);
      if (isEmpty(ports)) continue;
      baselineSteps.push({ policy: baseline, rule, ports });
      remaining = subtract(remaining, ports);
      // Pass in the last tier leaves the port to the default: allowed
      if (rule.action !== 'Deny') allowed = union(allowed, ports);
    }
  }
  return { allowed: union(allowed, remaining), admin, baseline: baselineSteps, toNetworkPolicies };
}
