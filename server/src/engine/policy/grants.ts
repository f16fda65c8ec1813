// Per-direction grants: for each class, the rules of the policies that isolate it, each with the
// set of classes its peers match. A class with no isolating policy has `null` (everything allowed).
import type { Direction, Model, NetworkPolicy, PolicyRule } from '../model/types';
import { Bitset } from './bitset';
import { regroupClasses, type ClassSlots, type WorkloadClass } from './classes';
import {
  peerWorkloads,
  policyAffects,
  policySelects,
  ruleHasNamedPorts,
  ruleMatchesPeer,
  rulePortSet,
  selectedWorkloads,
} from './semantics';
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
  /** class slots; a slot without members is free (its class left the workspace since an earlier index) */
  classes: WorkloadClass[];
  classOf: Map<Workload, number>;
  /** policies selecting each class, per direction (null: not isolated) */
  ingress: (Grant[] | null)[];
  egress: (Grant[] | null)[];
  /** classes each policy selects */
  selected: Map<NetworkPolicy, Bitset>;
  /** the grant made from each rule */
  grantOf: Map<PolicyRule, Grant>;
  /** the grants of the policies that select some class, each once */
  grants: Grant[];
  /** the class slots' keys, and what every selector's answer depends on besides the classes */
  slots: ClassSlots;
  basis: string;
}

// An index built from an earlier one is rebuilt from scratch once this share of its slots is free.
const MAX_FREE_SLOTS = 0.25;

/**
 * The policy index of a model. With `previous` (an index of an earlier model of the same
 * workspace), what the edit did not touch is carried over: policies that are the same objects keep
 * their selected sets and rule peers, re-evaluated only for the class slots that changed.
 */
export function buildPolicyIndex(model: Model, previous?: PolicyIndex): PolicyIndex {
  const basis = basisOf(model);
  const carry = previous && previous.basis === basis ? previous : undefined;
  const { slots, changed } = regroupClasses(model.workloads, carry?.slots);
  const free = slots.classes.reduce((n, c) => n + (c.members.length === 0 ? 1 : 0), 0);
  if (carry && free > MAX_FREE_SLOTS * slots.classes.length) return buildPolicyIndex(model);
  const { classes, classOf } = slots;
  const n = classes.length;
  const ingress: (Grant[] | null)[] = new Array(n).fill(null);
  const egress: (Grant[] | null)[] = new Array(n).fill(null);
  const selected = new Map<NetworkPolicy, Bitset>();
  const grantOf = new Map<PolicyRule, Grant>();
  const attached: Grant[] = [];
  /** `bits` with the changed slots set as `matches` says (a copy only if one differs) */
  const patch = (bits: Bitset, matches: (w: Workload) => boolean): Bitset => {
    let out = bits;
    for (const c of changed) {
      const want = classes[c].members.length > 0 && matches(classes[c].rep);
      if (want === out.has(c)) continue;
      if (out === bits) out = bits.resized(n);
      if (want) out.add(c);
      else out.delete(c);
    }
    return out;
  };
  for (const p of model.policies) {
    const before = carry?.selected.get(p);
    let sel: Bitset;
    if (before) sel = patch(before, (w) => policySelects(p, w, model));
    else {
      sel = new Bitset(n);
      for (const w of selectedWorkloads(model, p)) sel.add(classOf.get(w)!);
    }
    selected.set(p, sel);
    for (const direction of ['Ingress', 'Egress'] as Direction[]) {
      if (!policyAffects(p, direction)) continue;
      const rules = direction === 'Ingress' ? p.ingress : p.egress;
      const grants = rules.map((rule) => {
        const old = before && carry!.grantOf.get(rule);
        if (!old) return makeGrant(p, rule, direction, n, classOf, model);
        const peers = old.peers && patch(old.peers, (w) => ruleMatchesPeer(rule, p.namespace, w, model));
        return withPorts({ id: nextGrantId++, policy: p, rule, direction, peers });
      });
      grants.forEach((g) => grantOf.set(g.rule, g));
      const target = direction === 'Ingress' ? ingress : egress;
      let selects = false;
      sel.forEach((ci) => {
        selects = true;
        (target[ci] ??= []).push(...grants);
      });
      if (selects) attached.push(...grants);
    }
  }
  return { model, classes, classOf, ingress, egress, selected, grantOf, grants: attached, slots, basis };
}

/** What selectors see besides the workloads' classes: namespace labels and the hostNetwork mode. */
function basisOf(model: Model): string {
  const parts: string[] = [model.options.hostNetwork];
  for (const [name, ns] of model.namespaces)
    parts.push(
      `${name}\u0001${Object.keys(ns.labels)
        .sort()
        .map((k) => `${k}=${ns.labels[k]}`)
        .join('\u0001')}`,
    );
  return parts.sort().join('\u0000');
}

let nextGrantId = 0;

// Members of a class behave alike, so the classes of the peers' workloads are the classes the peers match.
function makeGrant(
  policy: NetworkPolicy,
  rule: PolicyRule,
  direction: Direction,
  classCount: number,
  classOf: Map<Workload, number>,
  model: Model,
): Grant {
  let peers: Bitset | null = null;
  if (rule.peers) {
    peers = new Bitset(classCount);
    for (const peer of rule.peers) for (const w of peerWorkloads(model, peer, policy.namespace)) peers.add(classOf.get(w)!);
  }
  return withPorts({ id: nextGrantId++, policy, rule, direction, peers });
}

/** The rule's ports: fixed, or per destination class (named ports), computed on first use. */
function withPorts(g: Grant): Grant {
  if (ruleHasNamedPorts(g.rule)) g.portsByClass = new Map();
  else g.fixedPorts = rulePortSet(g.rule, undefined);
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
