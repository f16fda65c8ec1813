// A StatefulSet's pods differ only by their ordinal labels (statefulset.kubernetes.io/pod-name,
// apps.kubernetes.io/pod-index). While no selector tells them apart, the StatefulSet stays one
// workload (ids and outputs as before); when one does, each pod becomes a workload of its own,
// `<namespace>/<statefulset>[StatefulSet]/<statefulset>-<ordinal>`, so the selector picks only its pods.
import type { AdminPolicy, LabelRequirement, NetworkPolicy, Service, Workload } from './types';
import { requirementMatches } from '../selectors/match';
import { POD_INDEX_LABEL, POD_NAME_LABEL, ordinalLabels } from './controllerLabels';

/** Ordinals beyond this are not split off (the DNS records stop at the same bound). */
export const MAX_ORDINALS = 1000;

function ordinalId(w: Workload, ordinal: number): string {
  return `${w.namespace}/${w.name}[StatefulSet]/${w.name}-${ordinal}`;
}

/** The selectors (as requirement lists) that name a pod's ordinal labels. */
function ordinalSelectors(
  policies: readonly NetworkPolicy[],
  services: readonly Service[],
  admin: readonly AdminPolicy[],
): LabelRequirement[][] {
  const out: LabelRequirement[][] = [];
  const add = (reqs: readonly LabelRequirement[] | undefined) => {
    if (reqs?.some((r) => r.key === POD_NAME_LABEL || r.key === POD_INDEX_LABEL)) out.push([...reqs]);
  };
  for (const p of policies) {
    add(p.podSelector.requirements);
    for (const rule of [...p.ingress, ...p.egress]) for (const peer of rule.peers ?? []) add(peer.podSelector?.requirements);
  }
  for (const s of services)
    if (s.selector) add(Object.entries(s.selector).map(([key, value]) => ({ key, operator: 'In' as const, values: [value] })));
  for (const a of admin) {
    add(a.subject.pods?.podSelector.requirements);
    for (const rule of [...a.ingress, ...a.egress]) for (const peer of rule.peers) add(peer.pods?.podSelector.requirements);
  }
  return out;
}

function matches(reqs: readonly LabelRequirement[], labels: Readonly<Record<string, string>>): boolean {
  return reqs.every((r) => requirementMatches(r, labels));
}

/**
 * The workloads with every StatefulSet whose pods some selector tells apart replaced by one workload
 * per pod. `memberIps`: the pod IPs of pods folded into their controller, by pod id.
 */
export function splitOrdinals(
  workloads: Workload[],
  policies: readonly NetworkPolicy[],
  services: readonly Service[],
  admin: readonly AdminPolicy[],
  memberIps: ReadonlyMap<string, readonly string[]>,
): Workload[] {
  const selectors = ordinalSelectors(policies, services, admin);
  if (selectors.length === 0) return workloads;
  const out: Workload[] = [];
  for (const w of workloads) {
    const n = Math.min(w.replicas ?? 1, MAX_ORDINALS);
    if (w.kind !== 'StatefulSet' || w.ordinal !== undefined || n < 2) {
      out.push(w);
      continue;
    }
    const pods = Array.from({ length: n }, (_, i) => ({ ...w.labels, ...ordinalLabels(w.name, i) }));
    const apart = selectors.some((reqs) => {
      const first = matches(reqs, pods[0]);
      return pods.some((labels) => matches(reqs, labels) !== first);
    });
    if (!apart) {
      out.push(w);
      continue;
    }
    pods.forEach((labels, i) => {
      const podId = `${w.namespace}/${w.name}-${i}[Pod]`;
      const members = w.members.filter((m) => m === podId);
      out.push({ ...w, id: ordinalId(w, i), labels, ordinal: i, members, podIPs: members.flatMap((m) => memberIps.get(m) ?? []) });
    });
  }
  return out;
}

/** Whether some selector of these objects names a pod's ordinal labels (then StatefulSets may be split). */
export function hasOrdinalSelectors(
  policies: readonly NetworkPolicy[],
  services: readonly Service[],
  admin: readonly AdminPolicy[],
): boolean {
  return ordinalSelectors(policies, services, admin).length > 0;
}
