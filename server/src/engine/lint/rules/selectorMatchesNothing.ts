// A policy whose podSelector selects no workload does nothing; a peer that matches no workload
// allows nothing (often a typo in a label).
import type { Finding } from '../../model/types';
import type { LintRule } from '../rules';
import { peerMatchesAny, selectedWorkloads } from '../../policy/semantics';
import { lookup } from '../../model/lookup';
import { unknownValueRequirements } from './labelValueUnknown';
import { selectorMatches } from '../../selectors/match';

const KUBE_DNS_KEYS = new Set(['k8s-app']);

export const selectorMatchesNothing: LintRule = {
  codes: ['selector-matches-nothing', 'peer-matches-nothing'],
  check(model, cx, scope) {
    const out: Finding[] = [];
    const l = lookup(model);
    for (const p of cx.subjects(scope).policies) {
      if (l.workloadsIn(p.namespace).length === 0) continue; // policy-namespace-empty says it better
      // label-value-unknown explains a selector on a value only the cluster knows
      if (selectedWorkloads(model, p).length === 0 && unknownValueRequirements(model, p.podSelector.requirements).length === 0) {
        // With --host-network node (the default) hostNetwork pods are node traffic: the selector may match them all the same.
        const hostPods = l.workloadsIn(p.namespace).filter((w) => w.hostNetwork && selectorMatches(p.podSelector, w.labels));
        const names = hostPods.map((w) => w.id);
        out.push({
          code: 'selector-matches-nothing',
          severity: 'warning',
          ref: p.podSelector.ref,
          message: hostPods.length
            ? `podSelector ${p.podSelector.text} of ${p.id} selects only hostNetwork pods (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}), which policies do not isolate (their traffic is node traffic; setting netlens.hostNetwork / --host-network), so the policy has no effect`
            : `podSelector ${p.podSelector.text} of ${p.id} selects no workload in namespace ${p.namespace}, so the policy has no effect`,
        });
      }
      for (const rule of [...p.ingress, ...p.egress]) {
        for (const peer of rule.peers ?? []) {
          if (peer.ipBlock || !peer.podSelector) continue;
          if (peer.podSelector.requirements.some((r) => KUBE_DNS_KEYS.has(r.key))) continue; // cluster add-ons often live outside the repo
          if (peerMatchesAny(model, peer, p.namespace)) continue;
          if (unknownValueRequirements(model, peer.podSelector.requirements).length > 0) continue;
          out.push({
            code: 'peer-matches-nothing',
            severity: 'info',
            ref: peer.podSelector.ref,
            message: `this peer (podSelector ${peer.podSelector.text}${peer.namespaceSelector ? ` in namespaces ${peer.namespaceSelector.text}` : ` in ${p.namespace}`}) matches no workload in the workspace`,
          });
        }
      }
    }
    return out;
  },
};
