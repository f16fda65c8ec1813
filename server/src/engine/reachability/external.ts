// Egress to addresses outside the workspace's pods: only ipBlock rules (or rules without peers)
// can allow it, and for a name whose address a static analysis cannot know, only blocks that
// cover every address of the family do so for sure.
import type { Model, Protocol, Workload } from '../model/types';
import { contains, isEmpty } from '../net/ports';
import { cidrContainsIp, parseCidr, parseIp } from '../net/cidr';
import { isolatingPolicies, rulePortSet, selectable } from '../policy/semantics';
import type { Step } from './query';

export function externalEgress(
  model: Model,
  from: Workload,
  ip: string | undefined,
  protocol: Protocol,
  port: number | undefined,
): { allowed: boolean; steps: Step[] } {
  const steps: Step[] = [];
  const who = `egress of ${from.id}`;
  if (!selectable(from, model))
    return { allowed: true, steps: [{ kind: 'egress', text: `${who}: hostNetwork pod, node traffic; policies do not apply` }] };
  const policies = isolatingPolicies(model, from, 'Egress');
  if (policies.length === 0)
    return {
      allowed: true,
      steps: [{ kind: 'egress', text: `${who}: not isolated, so all egress (also outside the cluster) is allowed` }],
    };
  const addr = ip ? parseIp(ip) : undefined;
  const maybe: string[] = [];
  for (const p of policies) {
    for (const rule of p.egress) {
      const ports = rulePortSet(rule, undefined);
      const portOk = port === undefined ? !isEmpty(ports) : contains(ports, protocol, port);
      if (!portOk) continue;
      if (!rule.peers) {
        steps.push({ kind: 'egress', text: `${who}: allowed by ${p.id} egress[${rule.index}] (no to: every destination)`, ref: rule.ref });
        return { allowed: true, steps };
      }
      for (const peer of rule.peers) {
        if (!peer.ipBlock) continue;
        const cidr = parseCidr(peer.ipBlock.cidr);
        if (!cidr) continue;
        if (addr) {
          const excepts = peer.ipBlock.except.map(parseCidr);
          if (cidrContainsIp(cidr, addr) && !excepts.some((e) => e && cidrContainsIp(e, addr))) {
            steps.push({
              kind: 'egress',
              text: `${who}: allowed by ${p.id} egress[${rule.index}] ipBlock ${peer.ipBlock.cidr}`,
              ref: peer.ipBlock.ref,
            });
            return { allowed: true, steps };
          }
        } else if (cidr.prefix === 0 && peer.ipBlock.except.length === 0) {
          steps.push({
            kind: 'egress',
            text: `${who}: allowed by ${p.id} egress[${rule.index}] ipBlock ${peer.ipBlock.cidr} (every address)`,
            ref: peer.ipBlock.ref,
          });
          return { allowed: true, steps };
        } else
          maybe.push(
            `${peer.ipBlock.cidr}${peer.ipBlock.except.length ? ` except ${peer.ipBlock.except.join(',')}` : ''} (${p.id} egress[${rule.index}])`,
          );
      }
    }
  }
  const isolated = `isolated by ${policies.map((p) => p.id).join(', ')}`;
  const tail = maybe.length ? `; allowed only if its address falls in ${maybe.join(' or ')}, which a static analysis cannot know` : '';
  steps.push({
    kind: 'egress',
    text: `${who}: ${isolated}; denied: no egress rule allows ${ip ?? 'this external address'}${tail}`,
    ref: policies[0].ref,
  });
  return { allowed: false, steps };
}
