// The NetworkPolicy rules of kubernetes.io "Network Policies", as small predicates shared by the
// matrix (which applies them to classes of identical workloads) and by explanations.
import type { Model, NetworkPolicy, Peer, PolicyPort, PolicyRule, Workload, Direction, Labels } from '../model/types';
import { selectorMatches } from '../selectors/match';
import { ALL_PORTS, NO_PORTS, portSetOf, union, type PortSet } from '../net/ports';
import { cidrContainsIp, parseCidr, parseIp } from '../net/cidr';
import { lookup, selectorKey } from '../model/lookup';

/** In `node` mode hostNetwork pods are node traffic: no selector picks them. */
export function selectable(w: Workload, model: Model): boolean {
  return !(w.hostNetwork && model.options.hostNetwork === 'node');
}

export function namespaceLabels(model: Model, ns: string): Labels {
  return lookup(model).namespaceLabels(ns);
}

/** Does the policy select this workload's pods (its podSelector, in its namespace)? */
export function policySelects(p: NetworkPolicy, w: Workload, model: Model): boolean {
  return w.namespace === p.namespace && selectable(w, model) && selectorMatches(p.podSelector, w.labels);
}

export function policyAffects(p: NetworkPolicy, dir: Direction): boolean {
  return p.policyTypes.includes(dir);
}

// Explanations ask this of the same workloads again and again (every reference to a Service, every hover).
const isolatingCache = new WeakMap<Model, { Ingress: WeakMap<Workload, NetworkPolicy[]>; Egress: WeakMap<Workload, NetworkPolicy[]> }>();

/** Policies that isolate the workload in a direction (selected by a policy with that type). */
export function isolatingPolicies(model: Model, w: Workload, dir: Direction): readonly NetworkPolicy[] {
  let byDir = isolatingCache.get(model);
  if (!byDir) isolatingCache.set(model, (byDir = { Ingress: new WeakMap(), Egress: new WeakMap() }));
  let out = byDir[dir].get(w);
  if (!out) byDir[dir].set(w, (out = policiesIn(model, w.namespace).filter((p) => policyAffects(p, dir) && policySelects(p, w, model))));
  return out;
}

/** The policies of a namespace (queries and lint ask this per workload). */
export function policiesIn(model: Model, ns: string): readonly NetworkPolicy[] {
  return lookup(model).policiesIn(ns);
}

/** Does the ipBlock contain one of the workload's known IPs (outside `except`)? */
// ipBlocks are checked against many workloads: parse each CIDR text once.
const cidrCache = new Map<string, ReturnType<typeof parseCidr>>();
function cachedCidr(text: string): ReturnType<typeof parseCidr> {
  if (!cidrCache.has(text)) {
    if (cidrCache.size > 50_000) cidrCache.clear();
    cidrCache.set(text, parseCidr(text));
  }
  return cidrCache.get(text);
}

function ipBlockMatches(block: NonNullable<Peer['ipBlock']>, w: Workload, model: Model): boolean {
  if (w.podIPs.length === 0 && selectable(w, model)) return false;
  const cidr = cachedCidr(block.cidr);
  if (!cidr) return false;
  if (w.podIPs.length === 0) {
    // A hostNetwork pod's address is its node's, unknown here: only a block that covers every address of its family can match.
    return !selectable(w, model) && cidr.prefix === 0 && block.except.length === 0;
  }
  const excepts = block.except.map(cachedCidr);
  return w.podIPs.some((text) => {
    const ip = parseIp(text);
    return !!ip && cidrContainsIp(cidr, ip) && !excepts.some((e) => e && cidrContainsIp(e, ip));
  });
}

/** Does one peer of a rule of a policy in `policyNs` match the workload on the other side? */
export function peerMatches(peer: Peer, policyNs: string, w: Workload, model: Model): boolean {
  if (peer.ipBlock) return ipBlockMatches(peer.ipBlock, w, model);
  if (!selectable(w, model)) return false;
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  if (peer.namespaceSelector) {
    if (!selectorMatches(peer.namespaceSelector, namespaceLabels(model, w.namespace))) return false;
  } else if (w.namespace !== policyNs) return false;
  return !peer.podSelector || selectorMatches(peer.podSelector, w.labels);
}

// What a peer matches, per model: lint, hovers and code lenses ask about the same peers many times,
// and many policies repeat the same peer (the DNS egress peer of every namespace), so equal peers share one answer.
const peerCache = new WeakMap<Model, Map<string, readonly Workload[]>>();

/** The workloads one peer matches (same answer as peerMatches over every workload, without scanning them all). */
export function peerWorkloads(model: Model, peer: Peer, policyNs: string): readonly Workload[] {
  let m = peerCache.get(model);
  if (!m) peerCache.set(model, (m = new Map()));
  const key = peerKey(peer, policyNs);
  let out = m.get(key);
  if (!out) {
    out = matchPeer(model, peer, policyNs);
    m.set(key, out);
  }
  return out;
}

/** Equal peers (in the same namespace, for those that depend on it) have equal keys. */
export function peerKey(peer: Peer, policyNs: string): string {
  if (peer.ipBlock) return `ip ${peer.ipBlock.cidr} ${peer.ipBlock.except.join(' ')}`;
  const ns = peer.namespaceSelector ? `nsSel ${selectorKey(peer.namespaceSelector)}` : `ns ${policyNs}`;
  return `${ns} | ${peer.podSelector ? selectorKey(peer.podSelector) : '*'}`;
}

/**
 * Whether a peer matches some workload (what peerWorkloads(...).length > 0 says): the lint of an edited
 * policy file asks it of each peer, on a new model whose answers are not cached yet, so it stops at the first.
 */
export function peerMatchesAny(model: Model, peer: Peer, policyNs: string): boolean {
  const known = peerCache.get(model)?.get(peerKey(peer, policyNs));
  if (known) return known.length > 0;
  if (peer.ipBlock) return peerWorkloads(model, peer, policyNs).length > 0;
  if (!peer.podSelector && !peer.namespaceSelector) return false;
  const l = lookup(model);
  const namespaces = peer.namespaceSelector ? l.namespacesMatching(peer.namespaceSelector) : [policyNs];
  for (const ns of namespaces)
    for (const w of l.workloadsIn(ns))
      if (selectable(w, model) && (!peer.podSelector || selectorMatches(peer.podSelector, w.labels))) return true;
  return false;
}

function matchPeer(model: Model, peer: Peer, policyNs: string): Workload[] {
  const l = lookup(model);
  if (peer.ipBlock) return l.addressed.filter((w) => ipBlockMatches(peer.ipBlock!, w, model));
  if (!peer.podSelector && !peer.namespaceSelector) return [];
  const namespaces = peer.namespaceSelector ? l.namespacesMatching(peer.namespaceSelector) : [policyNs];
  // the namespaces already match: what is left of peerMatches is the podSelector
  const out: Workload[] = [];
  for (const ns of namespaces)
    for (const w of l.workloadsIn(ns))
      if (selectable(w, model) && (!peer.podSelector || selectorMatches(peer.podSelector, w.labels))) out.push(w);
  return out;
}

/** The workloads a policy selects. */
export function selectedWorkloads(model: Model, p: NetworkPolicy): Workload[] {
  return lookup(model)
    .workloadsIn(p.namespace)
    .filter((w) => policySelects(p, w, model));
}

/** The workloads on the other side of a rule: every workload when it has no peers, else those of any peer. */
export function ruleWorkloadsOf(model: Model, rule: PolicyRule, policyNs: string): readonly Workload[] {
  if (!rule.peers) return model.workloads;
  if (rule.peers.length === 1) return peerWorkloads(model, rule.peers[0], policyNs);
  const seen = new Set<Workload>();
  for (const peer of rule.peers) for (const w of peerWorkloads(model, peer, policyNs)) seen.add(w);
  return [...seen];
}

/** A rule with no peers matches everyone; otherwise one of its peers must (peers are OR'ed). */
export function ruleMatchesPeer(rule: PolicyRule, policyNs: string, w: Workload, model: Model): boolean {
  if (!rule.peers) return true;
  return rule.peers.some((peer) => peerMatches(peer, policyNs, w, model));
}

/** The destination pod's ports a policy port covers; named ports resolve against its containers (name and protocol). */
export function policyPortSet(pp: PolicyPort, dst: Workload | undefined): PortSet {
  if (pp.port === undefined) return portSetOf(pp.protocol, [[1, 65535]]);
  if (typeof pp.port === 'number') return portSetOf(pp.protocol, [[pp.port, pp.endPort ?? pp.port]]);
  if (!dst) return NO_PORTS;
  const nums: [number, number][] = [];
  for (const c of dst.containers)
    for (const cp of c.ports) if (cp.name === pp.port && cp.protocol === pp.protocol) nums.push([cp.port, cp.port]);
  return portSetOf(pp.protocol, nums);
}

export function rulePortSet(rule: PolicyRule, dst: Workload | undefined): PortSet {
  if (!rule.ports) return ALL_PORTS;
  let out = NO_PORTS;
  for (const pp of rule.ports) out = union(out, policyPortSet(pp, dst));
  return out;
}

export function ruleHasNamedPorts(rule: PolicyRule): boolean {
  return !!rule.ports && rule.ports.some((p) => typeof p.port === 'string');
}
