// Why a diff entry differs: the policies and rules (and the workloads', namespaces', Services' and DNS
// configurations' changes) on its path, with their place in the version that holds them.
import type { AdminPolicy, Direction, Model, NetworkPolicy, PolicyRule, Workload } from '../model/types';
import { writtenLabels } from '../model/controllerLabels';
import { isolatingPolicies, ruleMatchesPeer } from '../policy/semantics';
import type { DiffCause } from './types';
import { fingerprint } from './fingerprint';

export interface Versions {
  base: Model;
  head: Model;
}

const policyMeaning = (p: NetworkPolicy) => fingerprint({ s: p.podSelector, t: p.policyTypes, i: p.ingress, e: p.egress });

function byId<T extends { id: string }>(list: readonly T[]): Map<string, T> {
  return new Map(list.map((x) => [x.id, x]));
}

const idMaps = new WeakMap<Model, { policies: Map<string, NetworkPolicy>; workloads: Map<string, Workload> }>();
function maps(model: Model) {
  let m = idMaps.get(model);
  if (!m) idMaps.set(model, (m = { policies: byId(model.policies), workloads: byId(model.workloads) }));
  return m;
}

/** Keeps the first cause per (kind, id, text): paths through several pairs name the same change. */
export class CauseSet {
  private readonly seen = new Map<string, DiffCause>();
  add(c: DiffCause): void {
    const k = `${c.kind}\u0000${c.id}\u0000${c.text}`;
    if (!this.seen.has(k)) this.seen.set(k, c);
  }
  list(): DiffCause[] {
    return [...this.seen.values()];
  }
}

const dirWord = (d: Direction) => (d === 'Ingress' ? 'ingress' : 'egress');

/** Rules of one direction that changed, were added or removed, among those that `matters` in either version. */
function ruleCauses(
  pb: NetworkPolicy,
  ph: NetworkPolicy,
  dir: Direction,
  matters: (r: PolicyRule, v: 'base' | 'head') => boolean,
  out: CauseSet,
): boolean {
  const rb = dir === 'Ingress' ? pb.ingress : pb.egress;
  const rh = dir === 'Ingress' ? ph.ingress : ph.egress;
  let found = false;
  for (let i = 0; i < Math.max(rb.length, rh.length); i++) {
    const b = rb[i];
    const h = rh[i];
    if (b && h && fingerprint(b) === fingerprint(h)) continue;
    if (!(b && matters(b, 'base')) && !(h && matters(h, 'head'))) continue;
    found = true;
    const what = `${dirWord(dir)} rule ${i + 1} of ${ph.id}`;
    if (h && b) out.add({ kind: 'rule', change: 'modified', id: ph.id, text: `${what} changed`, version: 'head', ref: h.ref });
    else if (h) out.add({ kind: 'rule', change: 'added', id: ph.id, text: `${what} added`, version: 'head', ref: h.ref });
    else out.add({ kind: 'rule', change: 'removed', id: pb.id, text: `${what} removed`, version: 'base', ref: b.ref });
  }
  return found;
}

/**
 * The policies of one direction on a path: those isolating `subject` in either version that were
 * added, removed or changed; for a changed one, the rules that matter (`matters`) or, failing that,
 * the policy itself (its selector or types).
 */
export function policyCauses(
  v: Versions,
  dir: Direction,
  subjectId: string,
  matters: (r: PolicyRule, version: 'base' | 'head', p: NetworkPolicy) => boolean,
  out: CauseSet,
): void {
  const ids = new Set<string>();
  const subject = { base: maps(v.base).workloads.get(subjectId), head: maps(v.head).workloads.get(subjectId) };
  for (const version of ['base', 'head'] as const) {
    const w = subject[version];
    if (w) for (const p of isolatingPolicies(v[version], w, dir)) ids.add(p.id);
  }
  for (const id of [...ids].sort()) {
    const pb = maps(v.base).policies.get(id);
    const ph = maps(v.head).policies.get(id);
    if (!pb && ph) out.add({ kind: 'policy', change: 'added', id, text: `policy ${id} added`, version: 'head', ref: ph.ref });
    else if (pb && !ph) out.add({ kind: 'policy', change: 'removed', id, text: `policy ${id} removed`, version: 'base', ref: pb.ref });
    else if (pb && ph && policyMeaning(pb) !== policyMeaning(ph)) {
      const rulesFound = ruleCauses(pb, ph, dir, (r, ver) => matters(r, ver, ver === 'base' ? pb : ph), out);
      const selectorChanged = fingerprint([pb.podSelector, pb.policyTypes]) !== fingerprint([ph.podSelector, ph.policyTypes]);
      if (selectorChanged || !rulesFound)
        out.add({
          kind: 'policy',
          change: 'modified',
          id,
          text: `policy ${id} changed (pod selector or policy types)`,
          version: 'head',
          ref: ph.ref,
        });
    }
  }
}

/** A workload added, removed, relabelled, or with other container ports (named ports). */
export function workloadCauses(v: Versions, id: string, out: CauseSet): void {
  const b = maps(v.base).workloads.get(id);
  const h = maps(v.head).workloads.get(id);
  if (!b && h) out.add({ kind: 'workload', change: 'added', id, text: `workload ${id} added`, version: 'head', ref: h.ref });
  else if (b && !h) out.add({ kind: 'workload', change: 'removed', id, text: `workload ${id} removed`, version: 'base', ref: b.ref });
  else if (b && h) {
    if (fingerprint(writtenLabels(b)) !== fingerprint(writtenLabels(h)))
      out.add({ kind: 'workload', change: 'modified', id, text: `labels of ${id} changed`, version: 'head', ref: h.labelsRef ?? h.ref });
    const ports = (w: Workload) => fingerprint(w.containers.map((c) => c.ports));
    if (ports(b) !== ports(h))
      out.add({
        kind: 'workload',
        change: 'modified',
        id,
        text: `container ports of ${id} changed`,
        version: 'head',
        ref: h.containers[0]?.ref ?? h.ref,
      });
    if (b.hostNetwork !== h.hostNetwork || fingerprint(b.podIPs) !== fingerprint(h.podIPs))
      out.add({
        kind: 'workload',
        change: 'modified',
        id,
        text: `network of ${id} changed (hostNetwork or pod IPs)`,
        version: 'head',
        ref: h.ref,
      });
  }
}

/** A namespace's labels changed (namespaceSelectors match it differently). */
export function namespaceCauses(v: Versions, ns: string, out: CauseSet): void {
  const b = v.base.namespaces.get(ns);
  const h = v.head.namespaces.get(ns);
  if (fingerprint(b?.labels ?? {}) === fingerprint(h?.labels ?? {})) return;
  const ref = h?.ref ?? b?.ref;
  out.add({
    kind: 'namespace',
    change: !b?.declared && h?.declared ? 'added' : b?.declared && !h?.declared ? 'removed' : 'modified',
    id: ns,
    text: `labels of namespace ${ns} changed`,
    version: h?.ref ? 'head' : 'base',
    ...(ref ? { ref } : {}),
  });
}

/** Admin tiers (ANP, BANP, ClusterNetworkPolicy) and Cilium/Calico layers decide across namespaces: any change there is named. */
export function layerCauses(v: Versions, out: CauseSet): void {
  const b = byId<AdminPolicy>(v.base.adminPolicies);
  const h = byId<AdminPolicy>(v.head.adminPolicies);
  for (const id of [...new Set([...b.keys(), ...h.keys()])].sort()) {
    const pb = b.get(id);
    const ph = h.get(id);
    if (pb && ph && fingerprint(pb) === fingerprint(ph)) continue;
    const change = !pb ? 'added' : !ph ? 'removed' : 'modified';
    const at = ph ?? pb!;
    out.add({
      kind: 'admin-policy',
      change,
      id,
      text: `${at.kind} ${id} ${change === 'modified' ? 'changed' : change}`,
      version: ph ? 'head' : 'base',
      ref: at.ref,
    });
  }
  const layer = (m: Model) => fingerprint([m.ciliumPolicies ?? [], m.calico ?? null]);
  if (layer(v.base) !== layer(v.head))
    out.add({ kind: 'admin-policy', change: 'modified', id: 'cilium/calico', text: 'Cilium or Calico policies changed', version: 'head' });
}

/** Every cause on the path from one workload to another (or to an address: `to` undefined). */
export function pathCauses(v: Versions, from: string | undefined, to: string | undefined, out: CauseSet, externalsOnly = false): void {
  const get = (m: Model, id: string | undefined) => (id ? maps(m).workloads.get(id) : undefined);
  // a rule matters when its peers match the other end (or, towards addresses, when it has ipBlocks or no peers)
  const matterer = (other: string | undefined) => (r: PolicyRule, version: 'base' | 'head', p: NetworkPolicy) => {
    if (externalsOnly || !other) return !r.peers || r.peers.some((x) => !!x.ipBlock);
    const w = get(v[version], other);
    return !!w && ruleMatchesPeer(r, p.namespace, w, v[version]);
  };
  if (from) policyCauses(v, 'Egress', from, matterer(to), out);
  if (to) policyCauses(v, 'Ingress', to, matterer(from), out);
  for (const id of [from, to]) {
    if (!id) continue;
    workloadCauses(v, id, out);
    const w = get(v.head, id) ?? get(v.base, id);
    if (w) namespaceCauses(v, w.namespace, out);
  }
  layerCauses(v, out);
}
