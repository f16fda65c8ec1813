// A policy whose podSelector selects no workload does nothing; a peer that matches no workload
// allows nothing (often a typo in a label).
import type { Finding } from '../../model/types';
import type { LintRule } from '../rules';
import { peerMatches } from '../../policy/semantics';

const KUBE_DNS_KEYS = new Set(['k8s-app']);

export const selectorMatchesNothing: LintRule = {
  codes: ['selector-matches-nothing', 'peer-matches-nothing'],
  check(model, cx) {
    const out: Finding[] = [];
    const populated = new Set(model.workloads.map((w) => w.namespace));
    for (const p of model.policies) {
      if (!populated.has(p.namespace)) continue; // policy-namespace-empty says it better
      const sel = cx.index.selected.get(p);
      if (sel && sel.count() === 0) {
        out.push({
          code: 'selector-matches-nothing', severity: 'warning', ref: p.podSelector.ref,
          message: `podSelector ${p.podSelector.text} of ${p.id} selects no workload in namespace ${p.namespace}, so the policy has no effect`,
        });
      }
      for (const rule of [...p.ingress, ...p.egress]) {
        for (const peer of rule.peers ?? []) {
          if (peer.ipBlock || !peer.podSelector) continue;
          if (peer.podSelector.requirements.some((r) => KUBE_DNS_KEYS.has(r.key))) continue; // cluster add-ons often live outside the repo
          if (model.workloads.some((w) => peerMatches(peer, p.namespace, w, model))) continue;
          out.push({
            code: 'peer-matches-nothing', severity: 'info', ref: peer.podSelector.ref,
            message: `this peer (podSelector ${peer.podSelector.text}${peer.namespaceSelector ? ` in namespaces ${peer.namespaceSelector.text}` : ` in ${p.namespace}`}) matches no workload in the workspace`,
          });
        }
      }
    }
    return out;
  },
};
