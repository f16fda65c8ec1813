// A named port resolves against the destination pods' container ports; if none of them has the
// name (with that protocol), the rule allows nothing.
import type { Finding, PolicyRule, Workload, Direction } from '../../model/types';
import type { LintRule } from '../rules';
import { policyAffects, ruleWorkloadsOf, selectedWorkloads } from '../../policy/semantics';

export const namedPortUnknown: LintRule = {
  codes: ['named-port-unknown'],
  check(model, cx, scope) {
    const out: Finding[] = [];
    // the destinations only for a rule with a named port (most have none: no peer's workloads to gather)
    const check = (rule: PolicyRule, dir: Direction, destinations: () => readonly Workload[]) => {
      if (!rule.ports?.some((pp) => typeof pp.port === 'string')) return;
      const dsts = destinations();
      if (dsts.length === 0) return;
      for (const pp of rule.ports) {
        if (typeof pp.port !== 'string') continue;
        const has = dsts.some((w) => w.containers.some((c) => c.ports.some((cp) => cp.name === pp.port && cp.protocol === pp.protocol)));
        if (has) continue;
        const names = [
          ...new Set(
            dsts.flatMap((w) =>
              w.containers.flatMap((c) => c.ports.filter((cp) => cp.name).map((cp) => `${cp.name} (${cp.protocol} ${cp.port})`)),
            ),
          ),
        ];
        out.push({
          code: 'named-port-unknown',
          severity: 'warning',
          ref: pp.ref,
          message: `no ${dir === 'Ingress' ? 'selected' : 'destination'} pod has a ${pp.protocol} container port named "${pp.port}", so this port allows nothing${names.length ? `; named ports there: ${names.slice(0, 5).join(', ')}` : ''}`,
        });
      }
    };
    for (const p of cx.subjects(scope).policies) {
      if (p.ingress.length > 0) {
        let selected: Workload[] | undefined;
        for (const rule of p.ingress) check(rule, 'Ingress', () => (selected ??= selectedWorkloads(model, p)));
      }
      if (!policyAffects(p, 'Egress')) continue;
      for (const rule of p.egress) if (rule.peers) check(rule, 'Egress', () => ruleWorkloadsOf(model, rule, p.namespace));
    }
    return out;
  },
};
