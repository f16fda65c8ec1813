// How a query explains one direction decided by the Cilium layer together with NetworkPolicies: the deny
// rule that blocks it, or the Cilium or NetworkPolicy rule that allows it (with its L7 rules), or that none does.
import type { Protocol } from '../model/types';
import { contains, describe, isEmpty, type PortSet } from '../net/ports';
import { ciliumRuleText } from '../policy/cilium';
import { allowingRules, type SideVerdict } from './explain';
import type { Step } from './query';

export function ciliumSideStep(s: SideVerdict, protocol: Protocol, port: number | undefined): Step {
  const c = s.cilium!;
  const kind = s.direction === 'Egress' ? 'egress' : 'ingress';
  const who = `${kind} of ${s.subject.id}`;
  const what = port === undefined ? 'any port' : `${protocol} ${port}`;
  const covers = (ports: PortSet) => (port === undefined ? !isEmpty(ports) : contains(ports, protocol, port));
  const deny = c.denies.find((m) => covers(m.ports));
  if (deny)
    return {
      kind,
      text: `${who}: denied by ${ciliumRuleText(deny)} (peer ${deny.peer}, ports ${describe(deny.ports)}); a Cilium deny rule beats every allow, Cilium's or a NetworkPolicy's`,
      ref: deny.peerRule.ref,
    };
  const isolators = [
    ...s.isolatedBy.map((p) => p.id),
    ...c.isolating.map((r) => ciliumRuleText(r)),
    ...(c.always ? ['Cilium policy enforcement mode always'] : []),
  ];
  if (isolators.length === 0) {
    const optOut = c.selecting.length
      ? `; ${c.selecting.map((r) => ciliumRuleText(r)).join(', ')} select${c.selecting.length === 1 ? 's' : ''} it with enableDefaultDeny.${kind} false`
      : '';
    return {
      kind,
      text: `${who}: not isolated (no NetworkPolicy or Cilium rule with ${kind} selects it${optOut}), so all ${kind} is allowed`,
    };
  }
  const isolated = `isolated by ${isolators.join(', ')}`;
  const allow = c.allows.find((m) => covers(m.ports));
  if (allow) {
    const l7 = allow.l7.length
      ? `; L7 rule: allowed only for ${allow.l7.join(' or ')} (Cilium's proxy filters the requests; NetLens checks ports only)`
      : '';
    return {
      kind,
      text: `${who}: ${isolated}; allowed by ${ciliumRuleText(allow)} (peer ${allow.peer}), ports ${describe(allow.ports)}${l7}`,
      ref: allow.peerRule.ref,
    };
  }
  const np = allowingRules(s, protocol, port)[0];
  if (np) {
    const field = s.direction === 'Ingress' ? 'ingress' : 'egress';
    return {
      kind,
      text: `${who}: ${isolated}; allowed by NetworkPolicy ${np.policy.id} ${field}[${np.rule.index}] (Cilium adds NetworkPolicy allows to its own), ports ${describe(np.ports)}`,
      ref: np.rule.ref,
    };
  }
  const near = [
    ...c.allows.map((m) => `${ciliumRuleText(m)} ${describe(m.ports)}`),
    ...s.matches.map((m) => `${m.policy.id} ${describe(m.ports)}`),
  ];
  return {
    kind,
    text: `${who}: ${isolated}; denied: no ${kind} rule of these policies (Cilium or NetworkPolicy) allows ${s.other.id} on ${what}${near.length ? `; rules that match ${s.other.id} allow only: ${near.join('; ')}` : ''}`,
    ref: c.isolating[0]?.rule.ref ?? s.isolatedBy[0]?.ref,
  };
}
