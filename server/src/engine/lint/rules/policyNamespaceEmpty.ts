// A policy in a namespace where the workspace defines no workloads (maybe a wrong namespace).
import type { Finding } from '../../model/types';
import type { LintRule } from '../rules';

export const policyNamespaceEmpty: LintRule = {
  codes: ['policy-namespace-empty'],
  check(model) {
    const populated = new Set(model.workloads.map((w) => w.namespace));
    if (model.workloads.length === 0) return [];
    const out: Finding[] = [];
    for (const p of model.policies) {
      if (populated.has(p.namespace)) continue;
      out.push({
        code: 'policy-namespace-empty', severity: 'info', ref: p.ref,
        message: `${p.id} is in namespace ${p.namespace}, where the workspace defines no workloads${model.namespaces.get(p.namespace)?.declared ? '' : ' (the namespace is not declared either: a typo?)'}`,
      });
    }
    return out;
  },
};
