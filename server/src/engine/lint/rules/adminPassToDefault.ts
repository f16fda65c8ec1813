// A Pass rule of the Admin tier hands traffic to the NetworkPolicy layer and then the Baseline tier; when
// neither can decide for any pod the policy selects, Pass effectively allows (the default).
import type { AdminPolicy, AdminRule, Direction, Finding, Model, Workload } from '../../model/types';
import type { LintRule } from '../rules';
import { adminSubjectMatches } from '../../policy/admin';
import { isolatingPolicies } from '../../policy/semantics';
import { adminLabel } from '../../reachability/adminText';

function hasLayerBelow(model: Model, w: Workload, dir: Direction, baselines: AdminPolicy[]): boolean {
  if (isolatingPolicies(model, w, dir).length) return true;
  return baselines.some((b) => (dir === 'Ingress' ? b.ingress : b.egress).length > 0 && adminSubjectMatches(b, w, model));
}

export const adminPassToDefault: LintRule = {
  codes: ['admin-pass-to-default'],
  check(model) {
    const out: Finding[] = [];
    const baselines = model.adminPolicies.filter((p) => p.baseline);
    for (const p of model.adminPolicies) {
      if (p.baseline) continue;
      for (const [dir, rules] of [
        ['Ingress', p.ingress],
        ['Egress', p.egress],
      ] as [Direction, AdminRule[]][]) {
        const passes = rules.filter((r) => r.action === 'Pass');
        if (passes.length === 0) continue;
        const subjects = model.workloads.filter((w) => adminSubjectMatches(p, w, model));
        if (subjects.length === 0 || subjects.some((w) => hasLayerBelow(model, w, dir, baselines))) continue;
        for (const r of passes)
          out.push({
            code: 'admin-pass-to-default',
            severity: 'info',
            ref: r.ref,
            message: `${adminLabel(p)} rule "${r.name}" passes ${dir.toLowerCase()} traffic on, but no NetworkPolicy isolates the ${subjects.length} workload(s) it selects for ${dir} and no Baseline tier policy has ${dir.toLowerCase()} rules for them: the traffic it matches is allowed (by default)`,
          });
      }
    }
    return out;
  },
};
