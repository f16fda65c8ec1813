// Rules for a direction the policy does not declare in policyTypes are ignored by the API.
import type { Finding } from '../../model/types';
import type { LintRule } from '../rules';

export const rulesIgnored: LintRule = {
  codes: ['rules-ignored'],
  check(_model, cx, scope) {
    const out: Finding[] = [];
    for (const p of cx.subjects(scope).policies) {
      for (const r of p.ignoredRules) {
        out.push({
          code: 'rules-ignored',
          severity: 'warning',
          ref: r.ref,
          message: `${r.direction.toLowerCase()} rules of ${p.id} are ignored: policyTypes is [${p.policyTypes.join(', ')}] and lacks ${r.direction}. Add ${r.direction} to policyTypes or remove these rules`,
          data: { direction: r.direction },
        });
      }
    }
    return out;
  },
};
