// CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy act only where Cilium is the network plugin and
// enforces policies; elsewhere NetLens leaves them out of its verdicts and says so on their kind.
import type { Finding } from '../../model/types';
import type { LintRule } from '../rules';
import { effectiveCni } from '../../cni/effective';
import { ciliumEnforcement } from '../../policy/ciliumEnforcement';

export const ciliumPolicyNotEnforced: LintRule = {
  codes: ['cilium-policy-not-enforced'],
  check(model) {
    const policies = model.ciliumPolicies ?? [];
    if (policies.length === 0) return [];
    const e = ciliumEnforcement(model);
    if (e.enforced) return [];
    const cni = effectiveCni(model);
    return policies.map((p): Finding => {
      const f: Finding = {
        code: 'cilium-policy-not-enforced',
        severity: 'warning',
        ref: p.kindRef,
        message: `${p.kind} ${p.name} is not enforced: ${e.reason}; NetLens leaves it out of the matrix and queries`,
      };
      if (cni?.ref) f.related = [{ ref: cni.ref, message: `${cni.plugin} is detected here` }];
      return f;
    });
  },
};
