// Exposure analysis, as np-guard's netpol-analyzer defines it (docs/exposure_analysis.md there):
// what each workload's policies grant to pods that are not in the manifests, as representative
// peers ("entire-cluster", "[namespace with {..}]/[all pods]", "[all namespaces]/[pod with {..}]",
// a podSelector of the policy's namespace that matches no workload here), plus the IP ranges (the
// matrix's external ranges), and the workloads no policy protects per direction.
// NetworkPolicies only: admin tiers and Cilium/Calico layers are not part of np-guard's analysis.
import type { Direction, LabelSelector, Model, Peer, Workload } from '../model/types';
import { isolatingPolicies, peerWorkloads, rulePortSet, selectable } from '../policy/semantics';
import { ALL_PORTS, union, type PortSet } from '../net/ports';
import { externalConnections } from './externals';
import type { PolicyIndex } from '../policy/grants';

export interface ExposureItem {
  workload: Workload;
  direction: 'ingress' | 'egress';
  /** the representative peer or the IP range, np-guard's text */
  peer: string;
  kind: 'entire-cluster' | 'representative' | 'ip-range';
  allowed: PortSet;
}

export interface ExposureReport {
  items: ExposureItem[];
  /** workloads that no NetworkPolicy selects for a direction */
  unprotected: { workload: Workload; direction: Direction }[];
}

export const ENTIRE_CLUSTER = 'entire-cluster';

const empty = (s: LabelSelector | undefined) => !s || s.requirements.length === 0;
const withLabels = (s: LabelSelector) => `{${s.text}}`;

/** The representative peer a rule's peer stands for, or undefined when it only means pods of the manifests. */
function representative(peer: Peer, policyNs: string, model: Model): { text: string; kind: ExposureItem['kind'] } | undefined {
  if (peer.ipBlock) return undefined; // IP ranges come from the external ranges
  if (peer.namespaceSelector) {
    const ns = empty(peer.namespaceSelector) ? '[all namespaces]' : `[namespace with ${withLabels(peer.namespaceSelector)}]`;
    const pods = empty(peer.podSelector) ? '[all pods]' : `[pod with ${withLabels(peer.podSelector!)}]`;
    if (ns === '[all namespaces]' && pods === '[all pods]') return { text: ENTIRE_CLUSTER, kind: 'entire-cluster' };
    return { text: `${ns}/${pods}`, kind: 'representative' };
  }
  // a podSelector of the policy's own namespace: the manifests hold that namespace, so only a
  // selector that matches nothing here stands for pods not in the manifests
  if (peer.podSelector && peerWorkloads(model, peer, policyNs).length === 0)
    return { text: `${policyNs}/[pod with ${withLabels(peer.podSelector)}]`, kind: 'representative' };
  return undefined;
}

export function exposureAnalysis(model: Model, index: PolicyIndex): ExposureReport {
  const items = new Map<string, ExposureItem>();
  const add = (workload: Workload, direction: ExposureItem['direction'], peer: string, kind: ExposureItem['kind'], ports: PortSet) => {
    const k = `${workload.id}\u0000${direction}\u0000${peer}`;
    const prev = items.get(k);
    items.set(k, { workload, direction, peer, kind, allowed: prev ? union(prev.allowed, ports) : ports });
  };
  const unprotected: ExposureReport['unprotected'] = [];
  for (const w of model.workloads) {
    if (!selectable(w, model)) continue;
    for (const dir of ['Egress', 'Ingress'] as const) {
      const direction = dir === 'Ingress' ? 'ingress' : 'egress';
      const policies = isolatingPolicies(model, w, dir);
      if (policies.length === 0) {
        unprotected.push({ workload: w, direction: dir });
        add(w, direction, ENTIRE_CLUSTER, 'entire-cluster', ALL_PORTS);
        continue;
      }
      for (const p of policies)
        for (const rule of dir === 'Ingress' ? p.ingress : p.egress) {
          const ports = rulePortSet(rule, dir === 'Ingress' ? w : undefined);
          if (!rule.peers) {
            add(w, direction, ENTIRE_CLUSTER, 'entire-cluster', ports);
            continue;
          }
          for (const peer of rule.peers) {
            const r = representative(peer, p.namespace, model);
            if (r) add(w, direction, r.text, r.kind, ports);
          }
        }
    }
  }
  for (const e of externalConnections(model, index)) add(e.workload, e.direction, e.range, 'ip-range', e.allowed);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    items: [...items.values()].sort((a, b) => cmp(a.workload.id, b.workload.id) || cmp(a.peer, b.peer)),
    unprotected,
  };
}
