// A policy in a namespace where the workspace defines no workloads (maybe a wrong namespace).
import type { Finding } from '../../model/types';
import type { LintRule } from '../rules';
import { lookup } from '../../model/lookup';

export const policyNamespaceEmpty: LintRule = {
  codes: ['policy-namespace-empty'],
  check(model, cx, scope) {
    if (model.workloads.length === 0) return [];
    const l = lookup(model);
    const out: Finding[] = [];
    for (const p of cx.subjects(scope).policies) {
      if (l.workloadsIn(p.namespace).length > 0) continue;
      out.push({
        code: 'policy-namespace-empty',
        severity: 'info',
        ref: p.ref,
        message: `${p.id} is in namespace ${p.namespace}, where the workspace defines no workloads${model.namespaces.get(p.namespace)?.declared ? '' : ' (the namespace is not declared either: a typo?)'}`,
      });
    }
    return out;
  },
};
