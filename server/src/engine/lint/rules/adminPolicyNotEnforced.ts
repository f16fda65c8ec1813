// AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy only act where the network plugin
// implements the network-policy-api; a detected plugin that does not leaves them without effect.
import type { Finding } from '../../model/types';
import type { LintRule } from '../rules';
import { effectiveCni } from '../../cni/effective';
import { implementsAdminPolicies } from '../../cni/adminPolicySupport';

export const adminPolicyNotEnforced: LintRule = {
  codes: ['admin-policy-not-enforced'],
  check(model) {
    if (model.adminPolicies.length === 0) return [];
    const cni = effectiveCni(model);
    if (!cni || implementsAdminPolicies(cni.plugin) !== false) return [];
    const origin =
      cni.origin === 'setting' ? 'the netlens.cni setting' : cni.origin === 'cni-config' ? 'its CNI config' : 'its install manifest';
    return model.adminPolicies.map((p): Finding => {
      const f: Finding = {
        code: 'admin-policy-not-enforced',
        severity: 'warning',
        ref: p.kindRef ?? p.ref,
        message: `the network plugin ${cni.plugin} (from ${origin}) does not implement ${p.kind} (network-policy-api): ${p.name} has no effect there, and NetLens's verdicts assume a plugin that does`,
      };
      if (cni.ref) f.related = [{ ref: cni.ref, message: `${cni.plugin} is detected here` }];
      return f;
    });
  },
};
