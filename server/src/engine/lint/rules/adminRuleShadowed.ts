// A rule of the Admin or Baseline tier that decides no connection between the workspace's workloads:
// every connection it matches is already decided by rules of higher precedence (earlier rules, or
// policies with a lower priority number in the same tier). Rules with networks, nodes or domainNames
// peers also match outside the workspace and are not judged.
import type { AdminPolicy, AdminRule, Direction, Finding, Workload } from '../../model/types';
import type { LintRule } from '../rules';
import { adminPeerMatches, adminRulePorts, adminSubjectMatches } from '../../policy/admin';
import { NO_PORTS, intersect, isEmpty, subtract, union, type PortSet } from '../../net/ports';
import { adminLabel } from '../../reachability/adminText';

// workloads that behave alike for admin policies: one stands for all (pairs grow with the square)
const MAX_KINDS = 200;

function kindKey(w: Workload): string {
  const labels = Object.entries(w.labels).sort(([a], [b]) => (a < b ? -1 : 1));
  const ports = w.containers.flatMap((c) => c.ports.filter((p) => p.name).map((p) => `${p.name}/${p.protocol}/${p.port}`));
  return JSON.stringify([w.namespace, labels, ports.sort(), w.podIPs, w.hostNetwork]);
}

interface RuleState {
  policy: AdminPolicy;
  matched: boolean;
  decides: boolean;
  by?: { policy: AdminPolicy; rule: AdminRule };
}

export const adminRuleShadowed: LintRule = {
  codes: ['admin-rule-shadowed'],
  check(model) {
    if (model.adminPolicies.length === 0) return [];
    const reps = new Map<string, Workload>();
    for (const w of model.workloads) if (!reps.has(kindKey(w))) reps.set(kindKey(w), w);
    if (reps.size > MAX_KINDS) return [];
    const kinds = [...reps.values()];
    const state = new Map<AdminRule, RuleState>();
    for (const baseline of [false, true])
      for (const dir of ['Ingress', 'Egress'] as Direction[]) {
        const policies = model.adminPolicies.filter((p) => p.baseline === baseline);
        const rulesOf = (p: AdminPolicy) => (dir === 'Ingress' ? p.ingress : p.egress);
        for (const p of policies)
          for (const r of rulesOf(p))
            if (!r.peers.some((x) => x.networks || x.nodes || x.domainNames)) state.set(r, { policy: p, matched: false, decides: false });
        for (const subject of kinds) {
          const applying = policies.filter((p) => adminSubjectMatches(p, subject, model));
          if (applying.length === 0) continue;
          for (const other of kinds) {
            const dst = dir === 'Ingress' ? subject : other;
            let decided: PortSet = NO_PORTS;
            const earlier: { policy: AdminPolicy; rule: AdminRule; ports: PortSet }[] = [];
            for (const p of applying)
              for (const rule of rulesOf(p)) {
                if (!rule.peers.some((peer) => adminPeerMatches(peer, other, model))) continue;
                const ports = adminRulePorts(rule, dst);
                const fresh = subtract(ports, decided);
                const s = state.get(rule);
                if (s && !isEmpty(ports)) {
                  s.matched = true;
                  if (!isEmpty(fresh)) s.decides = true;
                  else s.by ??= earlier.find((e) => !isEmpty(intersect(e.ports, ports)));
                }
                decided = union(decided, ports);
                earlier.push({ policy: p, rule, ports });
              }
          }
        }
      }
    const out: Finding[] = [];
    for (const [rule, s] of state) {
      if (!s.matched || s.decides) continue;
      const f: Finding = {
        code: 'admin-rule-shadowed',
        severity: 'warning',
        ref: rule.ref,
        message: `${adminLabel(s.policy)} rule "${rule.name}" never decides a connection between the workspace's workloads: rules of higher precedence already decide every connection it matches${s.by ? ` (first: ${adminLabel(s.by.policy)} rule "${s.by.rule.name}")` : ''}`,
      };
      if (s.by) f.related = [{ ref: s.by.rule.ref, message: `"${s.by.rule.name}" decides these connections first` }];
      out.push(f);
    }
    return out;
  },
};
