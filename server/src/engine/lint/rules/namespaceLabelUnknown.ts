// A namespaceSelector on a label no namespace carries matches nothing. The usual cause: selecting
// `name: x` instead of the label the API server sets, kubernetes.io/metadata.name.
import type { Finding } from '../../model/types';
import type { LintRule } from '../rules';
import { selectorMatches } from '../../selectors/match';
import { NAME_LABEL } from '../../model/build';

export const namespaceLabelUnknown: LintRule = {
  codes: ['namespace-label-unknown'],
  check(model, cx, scope) {
    const out: Finding[] = [];
    const namespaces = [...model.namespaces.values()];
    for (const p of cx.subjects(scope).policies) {
      for (const rule of [...p.ingress, ...p.egress]) {
        for (const peer of rule.peers ?? []) {
          const sel = peer.namespaceSelector;
          if (!sel || sel.requirements.length === 0) continue;
          if (namespaces.some((ns) => selectorMatches(sel, ns.labels))) continue;
          const missing = sel.requirements.filter(
            (r) => (r.operator === 'In' || r.operator === 'Exists') && !namespaces.some((ns) => r.key in ns.labels),
          );
          if (missing.length === 0) continue;
          const r = missing[0];
          const suggest = r.operator === 'In' && r.values.length === 1 ? r.values[0] : undefined;
          const known = suggest !== undefined && model.namespaces.has(suggest);
          out.push({
            code: 'namespace-label-unknown',
            severity: 'warning',
            ref: sel.ref,
            message: `no namespace has the label "${r.key}", so this namespaceSelector matches nothing${suggest !== undefined ? `; to select namespace ${suggest} use ${NAME_LABEL}: ${suggest}${known ? '' : ' (not declared in the workspace)'}` : ''}`,
            ...(suggest !== undefined ? { data: { key: r.key, value: suggest } } : {}),
          });
        }
      }
    }
    return out;
  },
};
