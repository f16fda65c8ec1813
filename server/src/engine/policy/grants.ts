// Per-direction grants: for each class, the rules of the policies that isolate it, each with the
// set of classes its peers match. A class with no isolating policy has `null` (everything allowed).
import type { Direction, Model, NetworkPolicy, Peer, PolicyRule } from '../model/types';
import { Bitset } from './bitset';
import { groupClasses, type WorkloadClass } from './classes';
import { namespaceLabels, peerMatches, policyAffects, policySelects, ruleHasNamedPorts, rulePortSet, selectable } from './semantics';
import { selectorMatches } from '../selectors/match';
import type { PortSet } from '../net/ports';
import type { Workload } from '../model/types';

export interface Grant {
  /** unique within one PolicyIndex */
  id: number;
  policy: NetworkPolicy;
  rule: PolicyRule;
  direction: Direction;
  /** classes matched by the rule's peers; null when the rule has no peers (matches all) */
  peers: Bitset | null;
  /** the rule's ports when they do not depend on the destination (no named ports) */
  fixedPorts?: PortSet;
  /** per destination class, for rules with named ports */
  portsByClass?: Map<number, PortSet>;
}

export interface PolicyIndex {
  model: Model;
  classes: WorkloadClass[];
  classOf: Map<Workload, number>;
  /** policies selecting each class, per direction (null: not isolated) */
  ingress: (Grant[] | null)[];
  egress: (Grant[] | null)[];
  /** classes each policy selects */
  selected: Map<NetworkPolicy, Bitset>;
  /** the grant made from each rule */
  grantOf: Map<PolicyRule, Grant>;
}

export function buildPolicyIndex(model: Model): PolicyIndex {
  const { classes, classOf } = groupClasses(model.workloads);
  const n = classes.length;
  const ingress: (Grant[] | null)[] = new Array(n).fill(null);
  const egress: (Grant[] | null)[] = new Array(n).fill(null);
  const selected = new Map<NetworkPolicy, Bitset>();
  const grantOf = new Map<PolicyRule, Grant>();
  const candidates = new Candidates(classes, model);
  for (const p of model.policies) {
    const sel = new Bitset(n);
    for (const c of candidates.inNamespace(p.namespace)) if (policySelects(p, c.rep, model)) sel.add(c.index);
    selected.set(p, sel);
    for (const direction of ['Ingress', 'Egress'] as Direction[]) {
      if (!policyAffects(p, direction)) continue;
      const rules = direction === 'Ingress' ? p.ingress : p.egress;
      const grants = rules.map((rule) => makeGrant(p, rule, direction, candidates, model));
      grants.forEach((g) => grantOf.set(g.rule, g));
      const target = direction === 'Ingress' ? ingress : egress;
      for (const ci of sel.values()) (target[ci] ??= []).push(...grants);
    }
  }
  return { model, classes, classOf, ingress, egress, selected, grantOf };
}

/** Narrows which classes a selector can match, so rules are not checked against every class. */
class Candidates {
  private readonly byNs = new Map<string, WorkloadClass[]>();
  /** classes an ipBlock can match: pods with known IPs, and node-traffic (hostNetwork) pods */
  readonly withAddresses: WorkloadClass[];

  constructor(readonly all: WorkloadClass[], private readonly model: Model) {
    for (const c of all) {
      const list = this.byNs.get(c.rep.namespace);
      if (list) list.push(c);
      else this.byNs.set(c.rep.namespace, [c]);
    }
    this.withAddresses = all.filter((c) => c.rep.podIPs.length > 0 || !selectable(c.rep, model));
  }

  inNamespace(ns: string): WorkloadClass[] {
    return this.byNs.get(ns) ?? [];
  }

  forPeer(peer: Peer, policyNs: string): WorkloadClass[] {
    if (peer.ipBlock) return this.withAddresses;
    if (!peer.namespaceSelector) return this.inNamespace(policyNs);
    const out: WorkloadClass[] = [];
    for (const [ns, list] of this.byNs) if (selectorMatches(peer.namespaceSelector, namespaceLabels(this.model, ns))) out.push(...list);
    return out;
  }
}

let nextGrantId = 0;

function makeGrant(policy: NetworkPolicy, rule: PolicyRule, direction: Direction, candidates: Candidates, model: Model): Grant {
  let peers: Bitset | null = null;
  if (rule.peers) {
    peers = new Bitset(candidates.all.length);
    for (const peer of rule.peers) {
      for (const c of candidates.forPeer(peer, policy.namespace)) if (!peers.has(c.index) && peerMatches(peer, policy.namespace, c.rep, model)) peers.add(c.index);
    }
  }
  const g: Grant = { id: nextGrantId++, policy, rule, direction, peers };
  if (ruleHasNamedPorts(rule)) g.portsByClass = new Map();
  else g.fixedPorts = rulePortSet(rule, undefined);
  return g;
}

/** The workloads a rule's peers match (from the grant's class set; every workload when it has no peers). */
export function ruleWorkloads(index: PolicyIndex, rule: PolicyRule): Workload[] {
  const g = index.grantOf.get(rule);
  if (!g) return [];
  if (!g.peers) return index.model.workloads;
  return [...g.peers.values()].flatMap((c) => index.classes[c].members);
}

/** The destination ports a grant allows on a destination class. */
export function grantPorts(index: PolicyIndex, g: Grant, dstClass: number): PortSet {
  if (g.fixedPorts) return g.fixedPorts;
  let s = g.portsByClass!.get(dstClass);
  if (!s) {
    s = rulePortSet(g.rule, index.classes[dstClass].rep);
    g.portsByClass!.set(dstClass, s);
  }
  return s;
}
