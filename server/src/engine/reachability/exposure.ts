// Exposure analysis, as np-guard's netpol-analyzer defines it (docs/exposure_analysis.md there):
// what each workload's policies grant to pods that are not in the manifests, as representative
// peers ("entire-cluster", "[namespace with {..}]/[all pods]", "[all namespaces]/[pod with {..}]",
// a podSelector of the policy's namespace that matches no workload here), plus the IP ranges (the
// matrix's external ranges), and the workloads no policy protects per direction.
// NetworkPolicies only: admin tiers and Cilium/Calico layers are not part of np-guard's analysis.
import type { Direction, LabelSelector, Model, Peer, SourceRef, Workload } from '../model/types';
import { isolatingPolicies, peerWorkloads, rulePortSet, selectable } from '../policy/semantics';
import { ALL_PORTS, intersect, isEmpty, union, type PortSet } from '../net/ports';
import type { IpInterval } from '../net/ipRanges';
import { externalConnections, peerCovers } from './externals';
import type { PolicyIndex } from '../policy/grants';

/** Which pods a representative peer stands for, for comparing peers (a broader peer covers a narrower one). */
export interface PeerScope {
  /** every namespace, the namespaces a selector picks, or one namespace by name (a podSelector's own) */
  namespaces: { all: true } | { selector: LabelSelector } | { name: string };
  pods: { all: true } | { selector: LabelSelector };
}

export interface ExposureItem {
  workload: Workload;
  direction: 'ingress' | 'egress';
  /** the representative peer or the IP range, np-guard's text */
  peer: string;
  kind: 'entire-cluster' | 'representative' | 'ip-range';
  allowed: PortSet;
  /** entire-cluster and representative peers: the pods the peer stands for */
  scope?: PeerScope;
  /** ip-range: the range as numbers */
  interval?: IpInterval;
  /** for people: what grants it ("ingress rule 1 of shop/web-in admits every pod of every namespace") */
  why: string;
  /** where: the first rule (or its peer) that grants it, or the workload when no policy protects it */
  ref: SourceRef;
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
const EVERYONE: PeerScope = { namespaces: { all: true }, pods: { all: true } };

function representative(
  peer: Peer,
  policyNs: string,
  model: Model,
): { text: string; kind: ExposureItem['kind']; scope: PeerScope } | undefined {
  if (peer.ipBlock) return undefined; // IP ranges come from the external ranges
  const pods: PeerScope['pods'] = empty(peer.podSelector) ? { all: true } : { selector: peer.podSelector! };
  if (peer.namespaceSelector) {
    const ns = empty(peer.namespaceSelector) ? '[all namespaces]' : `[namespace with ${withLabels(peer.namespaceSelector)}]`;
    const podsText = empty(peer.podSelector) ? '[all pods]' : `[pod with ${withLabels(peer.podSelector!)}]`;
    const scope: PeerScope = { namespaces: empty(peer.namespaceSelector) ? { all: true } : { selector: peer.namespaceSelector }, pods };
    if (ns === '[all namespaces]' && podsText === '[all pods]') return { text: ENTIRE_CLUSTER, kind: 'entire-cluster', scope };
    return { text: `${ns}/${podsText}`, kind: 'representative', scope };
  }
  // a podSelector of the policy's own namespace: the manifests hold that namespace, so only a
  // selector that matches nothing here stands for pods not in the manifests
  if (peer.podSelector && peerWorkloads(model, peer, policyNs).length === 0)
    return {
      text: `${policyNs}/[pod with ${withLabels(peer.podSelector)}]`,
      kind: 'representative',
      scope: { namespaces: { name: policyNs }, pods },
    };
  return undefined;
}

/**
 * The first rule of `w`'s isolating policies that admits the address range (and some of `ports`, when
 * given), for the place of an ip-range item.
 */
export function rangeOpener(
  model: Model,
  w: Workload,
  dir: Direction,
  interval: IpInterval,
  ports?: PortSet,
): { why: string; ref: SourceRef } {
  const policies = isolatingPolicies(model, w, dir);
  const d = dir.toLowerCase();
  if (policies.length === 0) return { why: `no NetworkPolicy isolates ${w.id} for ${d}`, ref: w.ref };
  const at: IpInterval = { family: interval.family, start: interval.start, end: interval.start };
  for (const p of policies)
    for (const rule of dir === 'Ingress' ? p.ingress : p.egress) {
      const what = `${d} rule ${rule.index + 1} of ${p.id}`;
      if (ports && isEmpty(intersect(rulePortSet(rule, dir === 'Ingress' ? w : undefined), ports))) continue;
      if (!rule.peers) return { why: `${what} has no peers`, ref: rule.ref };
      const peer = rule.peers.find((x) => peerCovers(x, at));
      if (peer) return { why: `${what} admits ${peer.ipBlock!.cidr}`, ref: peer.ref };
    }
  return { why: `a policy layer other than NetworkPolicy admits it for ${d}`, ref: w.ref };
}

export function exposureAnalysis(model: Model, index: PolicyIndex): ExposureReport {
  const items = new Map<string, ExposureItem>();
  const add = (item: ExposureItem) => {
    const k = `${item.workload.id}\u0000${item.direction}\u0000${item.peer}`;
    const prev = items.get(k);
    // the first place that grants it stays the item's place; the ports add up
    items.set(k, prev ? { ...prev, allowed: union(prev.allowed, item.allowed) } : item);
  };
  const unprotected: ExposureReport['unprotected'] = [];
  for (const w of model.workloads) {
    if (!selectable(w, model)) continue;
    for (const dir of ['Egress', 'Ingress'] as const) {
      const direction = dir === 'Ingress' ? 'ingress' : 'egress';
      const policies = isolatingPolicies(model, w, dir);
      if (policies.length === 0) {
        unprotected.push({ workload: w, direction: dir });
        const why = `no NetworkPolicy isolates ${w.id} for ${direction}`;
        add({ workload: w, direction, peer: ENTIRE_CLUSTER, kind: 'entire-cluster', allowed: ALL_PORTS, scope: EVERYONE, why, ref: w.ref });
        continue;
      }
      for (const p of policies)
        for (const rule of dir === 'Ingress' ? p.ingress : p.egress) {
          const ports = rulePortSet(rule, dir === 'Ingress' ? w : undefined);
          const what = `${direction} rule ${rule.index + 1} of ${p.id}`;
          if (!rule.peers) {
            const why = `${what} has no peers`;
            add({
              workload: w,
              direction,
              peer: ENTIRE_CLUSTER,
              kind: 'entire-cluster',
              allowed: ports,
              scope: EVERYONE,
              why,
              ref: rule.ref,
            });
            continue;
          }
          for (const peer of rule.peers) {
            const r = representative(peer, p.namespace, model);
            if (!r) continue;
            const why = r.kind === 'entire-cluster' ? `${what} admits every pod of every namespace` : `${what} admits ${r.text}`;
            add({ workload: w, direction, peer: r.text, kind: r.kind, allowed: ports, scope: r.scope, why, ref: peer.ref });
          }
        }
    }
  }
  for (const e of externalConnections(model, index)) {
    const opener = rangeOpener(model, e.workload, e.direction === 'ingress' ? 'Ingress' : 'Egress', e.interval);
    add({
      workload: e.workload,
      direction: e.direction,
      peer: e.range,
      kind: 'ip-range',
      allowed: e.allowed,
      interval: e.interval,
      ...opener,
    });
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return {
    items: [...items.values()].sort((a, b) => cmp(a.workload.id, b.workload.id) || cmp(a.peer, b.peer)),
    unprotected,
  };
}
