// Policies see pod ports after the Service's DNAT: allowing a Service's `port` where its pods
// listen on a different `targetPort` allows the wrong port.
import type { Finding, PolicyRule, Workload } from '../../model/types';
import type { LintRule } from '../rules';
import { mapSelectorMatches } from '../../selectors/match';
import { policyAffects, rulePortSet, ruleWorkloadsOf, selectedWorkloads } from '../../policy/semantics';
import { lookup } from '../../model/lookup';
import { contains } from '../../net/ports';
import { targetPortFor } from '../../dns/endpoints';

export const servicePortInPolicy: LintRule = {
  codes: ['service-port-in-policy'],
  check(model, cx, scope) {
    const out: Finding[] = [];
    const l = lookup(model);
    // the destinations only for a port that some Service has (else no Service port can be meant)
    const check = (rule: PolicyRule, destinations: () => readonly Workload[]) => {
      let dsts: readonly Workload[] | undefined;
      for (const pp of rule.ports ?? []) {
        if (typeof pp.port !== 'number' || pp.endPort !== undefined) continue;
        if (!l.hasServicePort(pp.protocol, pp.port)) continue;
        dsts ??= destinations();
        const listens = (w: Workload) => w.containers.some((c) => c.ports.some((cp) => cp.port === pp.port && cp.protocol === pp.protocol));
        for (const w of dsts) {
          if (listens(w)) continue;
          const svc = l
            .servicesIn(w.namespace)
            .find(
              (s) =>
                s.selector &&
                mapSelectorMatches(s.selector, w.labels) &&
                s.ports.some((sp) => sp.port === pp.port && sp.protocol === pp.protocol),
            );
          const sp = svc?.ports.find((x) => x.port === pp.port && x.protocol === pp.protocol);
          const target = sp ? targetPortFor(sp, w) : undefined;
          if (!svc || !sp || target === undefined || target === pp.port) continue;
          // The rule also lists the pods' port: it works, the Service port entry is only redundant.
          if (contains(rulePortSet(rule, w), pp.protocol, target)) continue;
          out.push({
            code: 'service-port-in-policy',
            severity: 'warning',
            ref: pp.ref,
            message: `port ${pp.port} is the port of Service ${svc.name}; its pods (${w.id}) listen on ${target}. NetworkPolicies match pod ports after the Service translates them, so allow ${target}`,
            data: { port: pp.port, targetPort: target, service: svc.id },
            related: [{ ref: sp.ref, message: `Service port ${sp.port} -> targetPort ${String(sp.targetPort)}` }],
          });
          break;
        }
      }
    };
    for (const p of cx.subjects(scope).policies) {
      if (p.ingress.length > 0) {
        let selected: Workload[] | undefined;
        for (const rule of p.ingress) check(rule, () => (selected ??= selectedWorkloads(model, p)));
      }
      if (!policyAffects(p, 'Egress')) continue;
      for (const rule of p.egress) if (rule.peers) check(rule, () => ruleWorkloadsOf(model, rule, p.namespace));
    }
    return out;
  },
};
