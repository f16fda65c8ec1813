// Egress to an address or a name outside the workspace's pods when Cilium enforces its policies: its deny
// rules first, then its allows (toEntities world, toCIDR/toCIDRSet, toFQDNs by name, toServices without a
// selector) added to the NetworkPolicy verdict. toFQDNs is symbolic: Cilium learns the addresses from DNS answers.
import type { Model, Protocol, Workload } from '../model/types';
import { ciliumExternalEgress, ciliumRuleText } from '../policy/cilium';
import { isolatingPolicies } from '../policy/semantics';
import type { Step } from './query';

export function withCiliumExternal(
  model: Model,
  from: Workload,
  target: { ip: string | undefined; names: string[] },
  protocol: Protocol,
  port: number | undefined,
  np: { allowed: boolean; steps: Step[] },
): { allowed: boolean; steps: Step[] } {
  const c = ciliumExternalEgress(model, from, { ...(target.ip ? { ip: target.ip } : {}), names: target.names }, protocol, port);
  const who = `egress of ${from.id}`;
  const step = (text: string, ref?: Step['ref']): Step => (ref ? { kind: 'egress', text, ref } : { kind: 'egress', text });
  if (c.deny)
    return {
      allowed: false,
      steps: [
        step(
          `${who}: denied by ${ciliumRuleText(c.deny)} (peer ${c.deny.peer}); a Cilium deny rule beats every allow`,
          c.deny.peerRule.ref,
        ),
      ],
    };
  const npPolicies = isolatingPolicies(model, from, 'Egress');
  const isolators = [
    ...npPolicies.map((p) => p.id),
    ...c.isolating.map((r) => ciliumRuleText(r)),
    ...(c.always ? ['Cilium policy enforcement mode always'] : []),
  ];
  if (isolators.length === 0)
    return {
      allowed: true,
      steps: [
        step(
          `${who}: not isolated (no NetworkPolicy or Cilium rule with egress selects it), so all egress (also outside the cluster) is allowed`,
        ),
      ],
    };
  const isolated = `isolated by ${isolators.join(', ')}`;
  if (c.allow) {
    const notes: string[] = [];
    if (c.fqdn) notes.push(fqdnNote(c));
    if (c.allow.l7.length) notes.push(`L7 rule: allowed only for ${c.allow.l7.join(' or ')}`);
    return {
      allowed: true,
      steps: [
        step(
          `${who}: ${isolated}; allowed by ${ciliumRuleText(c.allow)} (peer ${c.allow.peer})${notes.map((n) => `; ${n}`).join('')}`,
          c.allow.peerRule.ref,
        ),
      ],
    };
  }
  if (npPolicies.length && np.allowed) return np;
  const maybe = c.maybe.length ? `; allowed only if its address falls in ${c.maybe.join(' or ')}, which a static analysis cannot know` : '';
  const fqdns = c.selecting.some((r) => r.rule.egress.some((e) => e.fqdns?.length))
    ? '; toFQDNs rules match names outside the cluster (query the name, not an address)'
    : '';
  return {
    allowed: false,
    steps: [
      step(
        `${who}: ${isolated}; denied: no egress rule (Cilium or NetworkPolicy) allows ${target.ip ?? 'this external name'}${maybe}${fqdns}`,
        c.isolating[0]?.rule.ref ?? npPolicies[0]?.ref,
      ),
    ],
  };
}

/** toFQDNs works through Cilium's DNS proxy, which sees only DNS traffic matched by an L7 DNS rule. */
function fqdnNote(c: ReturnType<typeof ciliumExternalEgress>): string {
  const dnsRule = c.selecting.some((r) => r.rule.egress.some((e) => e.toPorts?.some((p) => p.l7Kind === 'dns')));
  return dnsRule
    ? 'toFQDNs is symbolic: Cilium allows the addresses its DNS proxy saw in answers for the name'
    : 'toFQDNs is symbolic, and no egress rule selecting this pod has a DNS rule (toPorts rules.dns on port 53): Cilium learns the addresses only from DNS answers its proxy sees, so without one the connection is likely blocked';
}
