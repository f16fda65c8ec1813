// Per-direction grants: for each class, the rules of the policies that isolate it, each with the
// set of classes its peers match. A class with no isolating policy has `null` (everything allowed).
//
// A rule's peers are kept as their distinct peers ("atoms": a namespace part and a pod part, or an
// ipBlock), each atom's classes computed once per index however many rules repeat it. A rule that
// selects `tier: api` in every namespace labelled `env: prod` is in every prod namespace's policy:
// one atom, not one set over all classes per rule (grants x classes on a large workspace).
import type { Direction, Model, NetworkPolicy, Peer, PolicyRule } from '../model/types';
import { ClassSet } from './classSet';
import { regroupClasses, type ClassSlots, type WorkloadClass } from './classes';
import {
  peerKey,
  peerMatches,
  peerWorkloads,
  policyAffects,
  policySelects,
  ruleHasNamedPorts,
  rulePortSet,
  selectedWorkloads,
} from './semantics';
import type { PortSet } from '../net/ports';
import type { Workload } from '../model/types';

/** One distinct peer of the index's rules, with the classes it matches. */
export interface PeerAtom {
  /** `peerKey` of the peer and its policy's namespace: equal peers are one atom */
  key: string;
  peer: Peer;
  policyNs: string;
  classes: ClassSet;
}

/** The classes a rule's peers match: the union of its atoms'. */
export class PeerSet {
  constructor(readonly atoms: readonly PeerAtom[]) {}

  has(c: number): boolean {
    for (const a of this.atoms) if (a.classes.has(c)) return true;
    return false;
  }

  /** Calls `f` with each member once, in increasing order. */
  forEach(f: (c: number) => void): void {
    if (this.atoms.length === 1) return this.atoms[0].classes.forEach(f);
    const all: number[] = [];
    for (const a of this.atoms) a.classes.forEach((c) => all.push(c));
    all.sort((x, y) => x - y);
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) f(all[i]);
  }

  values(): IterableIterator<number> {
    const out: number[] = [];
    this.forEach((c) => out.push(c));
    return out.values();
  }
}

export interface Grant {
  /** unique within one PolicyIndex */
  id: number;
  policy: NetworkPolicy;
  rule: PolicyRule;
  direction: Direction;
  /** classes matched by the rule's peers; null when the rule has no peers (matches all) */
  peers: PeerSet | null;
  /** the rule's ports when they do not depend on the destination (no named ports) */
  fixedPorts?: PortSet;
  /** per destination class, for rules with named ports */
  portsByClass?: Map<number, PortSet>;
}

export interface PolicyIndex {
  model: Model;
  /** class slots; a slot without members is free (its class left the workspace since an earlier index) */
  classes: WorkloadClass[];
  classOf: ReadonlyMap<Workload, number>;
  /** policies selecting each class, per direction (null: not isolated) */
  ingress: (Grant[] | null)[];
  egress: (Grant[] | null)[];
  /** classes each policy selects */
  selected: ReadonlyMap<NetworkPolicy, ClassSet>;
  /** the distinct peers of the rules, by key */
  atoms: ReadonlyMap<string, PeerAtom>;
  /** the grant made from each rule */
  grantOf: ReadonlyMap<PolicyRule, Grant>;
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
  const selected = new Map<NetworkPolicy, ClassSet>();
  const grantOf = new Map<PolicyRule, Grant>();
  const attached: Grant[] = [];
  const atoms = new Map<string, PeerAtom>();
  const live = (c: number) => classes[c].members.length > 0;
  const atomOf = (peer: Peer, policyNs: string): PeerAtom => {
    const key = peerKey(peer, policyNs);
    let a = atoms.get(key);
    if (!a) {
      const old = carry?.atoms.get(key);
      const set = old
        ? old.classes.patched(changed, (c) => live(c) && peerMatches(peer, policyNs, classes[c].rep, model), n)
        : ClassSet.of(
            peerWorkloads(model, peer, policyNs).map((w) => classOf.get(w)!),
            n,
          );
      a = old && old.classes === set ? old : { key, peer, policyNs, classes: set };
      atoms.set(key, a);
    }
    return a;
  };
  for (const p of model.policies) {
    const before = carry?.selected.get(p);
    const sel = before
      ? before.patched(changed, (c) => live(c) && policySelects(p, classes[c].rep, model), n)
      : ClassSet.of(
          selectedWorkloads(model, p).map((w) => classOf.get(w)!),
          n,
        );
    selected.set(p, sel);
    for (const direction of ['Ingress', 'Egress'] as Direction[]) {
      if (!policyAffects(p, direction)) continue;
      const rules = direction === 'Ingress' ? p.ingress : p.egress;
      const grants = rules.map((rule) => {
        const peers = rule.peers ? new PeerSet(rule.peers.map((peer) => atomOf(peer, p.namespace))) : null;
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
  return { model, classes, classOf, ingress, egress, selected, atoms, grantOf, grants: attached, slots, basis };
}

/** What selectors see besides the workloads' classes: namespace labels and the hostNetwork mode. */
export function basisOf(model: Model): string {
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

/** A new grant (a fresh id) of a policy's rule, with its ports. */
export function makeGrant(policy: NetworkPolicy, rule: PolicyRule, direction: Direction, peers: PeerSet | null): Grant {
  return withPorts({ id: nextGrantId++, policy, rule, direction, peers });
}

/** A copy of a grant with a fresh id, other peers, and the destination ports cached per class except `stale` slots'. */
export function regrant(g: Grant, peers: PeerSet | null, stale: readonly number[]): Grant {
  const out: Grant = { id: nextGrantId++, policy: g.policy, rule: g.rule, direction: g.direction, peers };
  if (g.fixedPorts) out.fixedPorts = g.fixedPorts;
  else {
    out.portsByClass = new Map(g.portsByClass);
    for (const c of stale) out.portsByClass.delete(c);
  }
  return out;
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
