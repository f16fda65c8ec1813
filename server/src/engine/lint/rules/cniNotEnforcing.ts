// NetworkPolicies only work where the network plugin enforces them (flannel alone does not).
import type { Finding } from '../../model/types';
import type { LintRule } from '../rules';
import { cniEvidence, effectiveCni } from '../../cni/effective';

export const cniNotEnforcing: LintRule = {
  codes: ['cni-not-enforcing'],
  check(model) {
    const cni = effectiveCni(model);
    if (!cni || cni.enforcesPolicy || model.policies.length === 0) return [];
    const ref = cni.ref ?? model.policies[0].ref;
    const f: Finding = {
      code: 'cni-not-enforcing',
      severity: 'warning',
      ref,
      message: `the network plugin ${cni.plugin} (from ${cniEvidence(cni)}) does not enforce NetworkPolicy: the ${model.policies.length} policies in the workspace have no effect there`,
    };
    if (cni.ref) f.related = model.policies.slice(0, 5).map((p) => ({ ref: p.ref, message: `${p.id} is not enforced` }));
    return [f];
  },
};
