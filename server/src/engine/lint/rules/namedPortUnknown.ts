// A named port resolves against the destination pods' container ports; if none of them has the
// name (with that protocol), the rule allows nothing.
import type { Finding, PolicyRule, Workload, Direction } from '../../model/types';
import type { LintRule } from '../rules';
import { ruleWorkloads } from '../../policy/grants';

export const namedPortUnknown: LintRule = {
  codes: ['named-port-unknown'],
  check(model, cx) {
    const out: Finding[] = [];
    const check = (rule: PolicyRule, dir: Direction, dsts: Workload[]) => {
      if (dsts.length === 0) return;
      for (const pp of rule.ports ?? []) {
        if (typeof pp.port !== 'string') continue;
        const has = dsts.some((w) => w.containers.some((c) => c.ports.some((cp) => cp.name === pp.port && cp.protocol === pp.protocol)));
        if (has) continue;
        const names = [...new Set(dsts.flatMap((w) => w.containers.flatMap((c) => c.ports.filter((cp) => cp.name).map((cp) => `${cp.name} (${cp.protocol} ${cp.port})`))))];
        out.push({
          code: 'named-port-unknown', severity: 'warning', ref: pp.ref,
          message: `no ${dir === 'Ingress' ? 'selected' : 'destination'} pod has a ${pp.protocol} container port named "${pp.port}", so this port allows nothing${names.length ? `; named ports there: ${names.slice(0, 5).join(', ')}` : ''}`,
        });
      }
    };
    for (const p of model.policies) {
      const selected = [...(cx.index.selected.get(p)?.values() ?? [])].flatMap((c) => cx.index.classes[c].members);
      for (const rule of p.ingress) check(rule, 'Ingress', selected);
      for (const rule of p.egress) {
        if (!rule.peers) continue;
        check(rule, 'Egress', ruleWorkloads(cx.index, rule));
      }
    }
    return out;
  },
};
