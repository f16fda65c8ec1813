// Which workloads a change newly opens to the whole cluster or to every address (0.0.0.0/0, ::/0)
// for ingress: no policy isolates them, or an isolating policy has a rule whose peers are everyone.
// (NetworkPolicies only; admin tiers and Cilium/Calico layers are named as causes by the diff.)
import type { Model, Peer, SourceRef, Workload } from '../model/types';
import { isolatingPolicies, selectable } from '../policy/semantics';
import { parseCidr } from '../net/cidr';

export type ExposureScope = 'entire cluster' | '0.0.0.0/0';

export interface Exposure {
  workload: string;
  to: ExposureScope;
  /** the rule that opens it, or the workload when no policy protects it */
  why: string;
  ref: SourceRef;
}

const everyPod = (p: Peer) =>
  !!p.namespaceSelector && p.namespaceSelector.requirements.length === 0 && (!p.podSelector || p.podSelector.requirements.length === 0);
const everyAddress = (p: Peer) => !!p.ipBlock && parseCidr(p.ipBlock.cidr)?.prefix === 0;

export function ingressExposure(model: Model, w: Workload): Exposure[] {
  if (!selectable(w, model)) return [];
  const policies = isolatingPolicies(model, w, 'Ingress');
  if (policies.length === 0)
    return (['entire cluster', '0.0.0.0/0'] as const).map((to) => ({
      workload: w.id,
      to,
      why: `no NetworkPolicy isolates ${w.id} for ingress`,
      ref: w.ref,
    }));
  const out: Exposure[] = [];
  const add = (to: ExposureScope, why: string, ref: SourceRef) => {
    if (!out.some((e) => e.to === to)) out.push({ workload: w.id, to, why, ref });
  };
  for (const p of policies)
    for (const r of p.ingress) {
      const what = `ingress rule ${r.index + 1} of ${p.id}`;
      if (!r.peers) {
        add('entire cluster', `${what} has no peers`, r.ref);
        add('0.0.0.0/0', `${what} has no peers`, r.ref);
        continue;
      }
      for (const peer of r.peers) {
        if (everyPod(peer)) add('entire cluster', `${what} admits every pod of every namespace`, peer.ref);
        if (everyAddress(peer)) add('0.0.0.0/0', `${what} admits every address`, peer.ref);
      }
    }
  return out;
}

/** Exposures of the head version that the base version does not have (by workload id and scope). */
export function newlyExposed(base: Model, head: Model): Exposure[] {
  const before = new Set<string>();
  for (const w of base.workloads) for (const e of ingressExposure(base, w)) before.add(`${e.workload}\u0000${e.to}`);
  const out: Exposure[] = [];
  for (const w of head.workloads) for (const e of ingressExposure(head, w)) if (!before.has(`${e.workload}\u0000${e.to}`)) out.push(e);
  return out.sort((a, b) => (a.workload < b.workload ? -1 : a.workload > b.workload ? 1 : a.to < b.to ? -1 : 1));
}
