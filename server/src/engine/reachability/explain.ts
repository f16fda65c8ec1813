// Why a connection is allowed or not: which policies isolate each side, and which rule of which
// policy lets it through (or that none does). Feeds `query`, hovers and diagnostics alike.
import type { Direction, Model, NetworkPolicy, Peer, PolicyRule, Protocol, Workload } from '../model/types';
import { contains, intersect, isEmpty, NO_PORTS, union, ALL_PORTS, type PortSet } from '../net/ports';
import { isolatingPolicies, peerMatches, rulePortSet, selectable } from '../policy/semantics';
import { decideDirection, type DirectionOutcome } from '../policy/admin';
import { ciliumActive, ciliumSide, combineWithNetworkPolicies, type CiliumSide } from '../policy/cilium';
import { calicoActive, decideCalicoDirection, type CalicoDirectionOutcome } from '../policy/calico';

export interface RuleMatch {
  policy: NetworkPolicy;
  rule: PolicyRule;
  /** the peer that matched (undefined: the rule has no peers, so it matches every peer) */
  peer?: Peer;
  /** the rule's ports on the destination */
  ports: PortSet;
}

export interface SideVerdict {
  direction: Direction;
  /** the pod whose policies decide this side: the source for egress, the destination for ingress */
  subject: Workload;
  /** the other end */
  other: Workload;
  isolatedBy: readonly NetworkPolicy[];
  /** rules whose peers match the other end (whatever their ports) */
  matches: RuleMatch[];
  /** ports this side allows towards / from the other end */
  allowed: PortSet;
  /** hostNetwork pod treated as node traffic: policies do not apply to it */
  nodeTraffic: boolean;
  /** AdminNetworkPolicy tiers, when the workspace has any */
  admin?: DirectionOutcome;
  /** the Cilium layer, when Cilium enforces Cilium policies here (policy/cilium.ts) */
  cilium?: CiliumSide;
  /** [calico] Calico's tiers (with every other layer in them), when Calico policies are enforced */
  calico?: CalicoDirectionOutcome;
}

export interface PairVerdict {
  from: Workload;
  to: Workload;
  self: boolean;
  egress: SideVerdict;
  ingress: SideVerdict;
  allowed: PortSet;
}

function side(model: Model, direction: Direction, subject: Workload, other: Workload, dst: Workload): SideVerdict {
  const nodeTraffic = !selectable(subject, model);
  const isolatedBy = nodeTraffic ? [] : isolatingPolicies(model, subject, direction);
  const matches: RuleMatch[] = [];
  let allowed: PortSet = isolatedBy.length === 0 ? ALL_PORTS : NO_PORTS;
  for (const policy of isolatedBy) {
    for (const rule of direction === 'Ingress' ? policy.ingress : policy.egress) {
      let peer: Peer | undefined;
      if (rule.peers) {
        peer = rule.peers.find((p) => peerMatches(p, policy.namespace, other, model));
        if (!peer) continue;
      }
      const ports = rulePortSet(rule, dst);
      matches.push(peer ? { policy, rule, peer, ports } : { policy, rule, ports });
      allowed = union(allowed, ports);
    }
  }
  const verdict: SideVerdict = { direction, subject, other, isolatedBy, matches, allowed, nodeTraffic };
  // [calico] Calico's tiers hold every layer when Calico policies are enforced
  if (calicoActive(model) && !nodeTraffic) {
    verdict.calico = decideCalicoDirection(model, direction, direction === 'Egress' ? subject : other, dst);
    verdict.allowed = verdict.calico.allowed;
    return verdict;
  }
  let layer = { isolated: isolatedBy.length > 0, allowed };
  // Cilium layer: its rules and the NetworkPolicies together make this direction's policy verdict
  if (!nodeTraffic && ciliumActive(model)) {
    verdict.cilium = ciliumSide(model, direction, subject, other, dst);
    layer = combineWithNetworkPolicies(layer, verdict.cilium);
    verdict.allowed = layer.allowed;
  }
  if (model.adminPolicies.length && !nodeTraffic) {
    verdict.admin = decideDirection(model, direction, subject, other, dst, layer);
    verdict.allowed = verdict.admin.allowed;
  }
  return verdict;
}

/** One side of explainPair: egress of `subject` towards `other`, or ingress of `subject` from `other`. */
export function explainSide(model: Model, direction: Direction, subject: Workload, other: Workload): SideVerdict {
  return side(model, direction, subject, other, direction === 'Egress' ? other : subject);
}

export function explainPair(model: Model, from: Workload, to: Workload): PairVerdict {
  const egress = side(model, 'Egress', from, to, to);
  const ingress = side(model, 'Ingress', to, from, to);
  const self = from === to;
  return { from, to, self, egress, ingress, allowed: self ? ALL_PORTS : intersect(egress.allowed, ingress.allowed) };
}

export function sideAllows(s: SideVerdict, protocol: Protocol, port: number | undefined): boolean {
  return port === undefined ? !isEmpty(s.allowed) : contains(s.allowed, protocol, port);
}

/** Rules of one side that allow this protocol/port. */
export function allowingRules(s: SideVerdict, protocol: Protocol, port: number | undefined): RuleMatch[] {
  return s.matches.filter((m) => (port === undefined ? !isEmpty(m.ports) : contains(m.ports, protocol, port)));
}
