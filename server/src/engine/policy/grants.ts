// Per-direction grants: for each class, the rules of the policies that isolate it, each with the
// set of classes its peers match. A class with no isolating policy has `null` (everything allowed).
import type { Direction, Model, NetworkPolicy, PolicyRule } from '../model/types';
import { Bitset } from './bitset';
import { groupClasses, type WorkloadClass } from './classes';
import { peerWorkloads, policyAffects, ruleHasNamedPorts, rulePortSet, selectedWorkloads } from './semantics';
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
  for (const p of model.policies) {
    const sel = new Bitset(n);
    for (const w of selectedWorkloads(model, p)) sel.add(classOf.get(w)!);
    selected.set(p, sel);
    for (const direction of ['Ingress', 'Egress'] as Direction[]) {
      if (!policyAffects(p, direction)) continue;
      const rules = direction === 'Ingress' ? p.ingress : p.egress;
      const grants = rules.map((rule) => makeGrant(p, rule, direction, n, classOf, model));
      grants.forEach((g) => grantOf.set(g.rule, g));
      const target = direction === 'Ingress' ? ingress : egress;
      for (const ci of sel.values()) (target[ci] ??= []).push(...grants);
    }
  }
  return { model, classes, classOf, ingress, egress, selected, grantOf };
}

let nextGrantId = 0;

// Members of a class behave alike, so the classes of the peers' workloads are the classes the peers match.
function makeGrant(policy: NetworkPolicy, rule: PolicyRule, direction: Direction, classCount: number, classOf: Map<Workload, number>, model: Model): Grant {
  let peers: Bitset | null = null;
  if (rule.peers) {
    peers = new Bitset(classCount);
    for (const peer of rule.peers) for (const w of peerWorkloads(model, peer, policy.namespace)) peers.add(classOf.get(w)!);
  }
  const g: Grant = { id: nextGrantId++, policy, rule, direction, peers };
  if (ruleHasNamedPorts(rule)) g.portsByClass = new Map();
  else g.fixedPorts = rulePortSet(rule, undefined);
  return g;
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
