// Egress to addresses outside the workspace's pods: only ipBlock rules (or rules without peers)
// can allow it, and for a name whose address a static analysis cannot know, only blocks that
// cover every address of the family do so for sure.
import type { Model, Protocol, Workload } from '../model/types';
import { contains, isEmpty } from '../net/ports';
import { cidrContainsIp, parseCidr, parseIp } from '../net/cidr';
import { isolatingPolicies, rulePortSet, selectable } from '../policy/semantics';
import type { Step } from './query';
import { externalTierDecision, type ExternalTierResult } from '../policy/adminExternal';
import { adminLabel, ruleText } from './adminText';
import { ciliumActive } from '../policy/cilium';
import { calicoActive } from '../policy/calico';
import { withCiliumExternal } from './ciliumExternal';

export function externalEgress(
  model: Model,
  from: Workload,
  ip: string | undefined,
  protocol: Protocol,
  port: number | undefined,
  names: string[] = [],
): { allowed: boolean; steps: Step[] } {
  const np = networkPolicyExternalEgress(model, from, ip, protocol, port, names);
  // the Cilium layer joins the NetworkPolicy verdict (reachability/ciliumExternal.ts)
  const out = ciliumActive(model) && selectable(from, model) ? withCiliumExternal(model, from, { ip, names }, protocol, port, np) : np;
  // Calico's tiers are evaluated between pods only: say so rather than let the verdict look complete
  if (calicoActive(model) && selectable(from, model))
    out.steps.push({
      kind: 'note',
      text: `Calico policies are not evaluated for destinations outside the workspace's pods yet: this verdict counts ${model.adminPolicies.length ? 'the Admin and Baseline tiers and ' : ''}Kubernetes NetworkPolicies only, and a Calico rule with nets may decide otherwise`,
    });
  return out;
}

function networkPolicyExternalEgress(
  model: Model,
  from: Workload,
  ip: string | undefined,
  protocol: Protocol,
  port: number | undefined,
  names: string[],
): { allowed: boolean; steps: Step[] } {
  const steps: Step[] = [];
  const who = `egress of ${from.id}`;
  if (!selectable(from, model))
    return { allowed: true, steps: [{ kind: 'egress', text: `${who}: hostNetwork pod, node traffic; policies do not apply` }] };
  const tiers = model.adminPolicies.length > 0;
  const target = { ...(ip ? { ip } : {}), names };
  let passNote = '';
  if (tiers) {
    const admin = externalTierDecision(model, from, target, protocol, port, false);
    const d = admin.decision;
    if (d && d.rule.action !== 'Pass') return tierVerdict(who, 'Admin', admin, '', ', before any NetworkPolicy');
    if (d) passNote = ` (the Admin tier passes it on: ${adminLabel(d.policy)} ${ruleText(d.policy, d.rule, 'egress')}, peer ${d.matched})`;
    else if (admin.maybe.length)
      passNote = ` (Admin tier rules that match only if the address falls in their networks, which a static analysis cannot know: ${admin.maybe.join('; ')})`;
  }
  const policies = isolatingPolicies(model, from, 'Egress');
  if (policies.length === 0) {
    if (tiers) {
      const base = externalTierDecision(model, from, target, protocol, port, true);
      if (base.decision) return tierVerdict(who, 'Baseline', base, `no NetworkPolicy isolates it${passNote}; `, '');
      return {
        allowed: true,
        steps: [
          {
            kind: 'egress',
            text: `${who}: not isolated${passNote}; no Admin or Baseline tier rule decides it (domainNames peers match the name, networks peers its address), so all egress (also outside the cluster) is allowed`,
          },
        ],
      };
    }
    return {
      allowed: true,
      steps: [{ kind: 'egress', text: `${who}: not isolated, so all egress (also outside the cluster) is allowed` }],
    };
  }
  const addr = ip ? parseIp(ip) : undefined;
  const maybe: string[] = [];
  for (const p of policies) {
    for (const rule of p.egress) {
      const ports = rulePortSet(rule, undefined);
      const portOk = port === undefined ? !isEmpty(ports) : contains(ports, protocol, port);
      if (!portOk) continue;
      if (!rule.peers) {
        steps.push({
          kind: 'egress',
          text: `${who}: ${tiers ? `NetworkPolicy layer${passNote}: ` : ''}allowed by ${p.id} egress[${rule.index}] (no to: every destination)`,
          ref: rule.ref,
        });
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
              text: `${who}: ${tiers ? `NetworkPolicy layer${passNote}: ` : ''}allowed by ${p.id} egress[${rule.index}] ipBlock ${peer.ipBlock.cidr}`,
              ref: peer.ipBlock.ref,
            });
            return { allowed: true, steps };
          }
        } else if (cidr.prefix === 0 && peer.ipBlock.except.length === 0) {
          steps.push({
            kind: 'egress',
            text: `${who}: ${tiers ? `NetworkPolicy layer${passNote}: ` : ''}allowed by ${p.id} egress[${rule.index}] ipBlock ${peer.ipBlock.cidr} (every address)`,
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
  const isolated = `${tiers ? 'NetworkPolicy layer: ' : ''}isolated by ${policies.map((p) => p.id).join(', ')}${passNote}`;
  const tail = maybe.length ? `; allowed only if its address falls in ${maybe.join(' or ')}, which a static analysis cannot know` : '';
  steps.push({
    kind: 'egress',
    text: `${who}: ${isolated}; denied: no egress rule allows ${ip ?? 'this external address'}${tail}`,
    ref: policies[0].ref,
  });
  return { allowed: false, steps };
}

/** The step for a decision of the Admin or Baseline tier (Pass in the Baseline tier leaves it to the default: allowed). */
function tierVerdict(
  who: string,
  tier: 'Admin' | 'Baseline',
  r: ExternalTierResult,
  before: string,
  after: string,
): { allowed: boolean; steps: Step[] } {
  const d = r.decision!;
  const allowed = d.rule.action !== 'Deny';
  const verb = d.rule.action === 'Pass' ? 'passed on (nothing below: allowed by default)' : allowed ? 'allowed' : 'denied';
  const maybe = r.maybe.length ? `; earlier rules match only if the address falls in their networks (${r.maybe.join('; ')})` : '';
  const how = d.matched.startsWith('domainNames')
    ? ' (domainNames are symbolic: the implementation matches the name the pod looks up, whatever its addresses)'
    : '';
  return {
    allowed,
    steps: [
      {
        kind: 'egress',
        text: `${who}: ${before}${verb} in the ${tier} tier by ${adminLabel(d.policy)} ${ruleText(d.policy, d.rule, 'egress')}, peer ${d.matched}${how}${after}${maybe}`,
        ref: d.rule.ref,
      },
    ],
  };
}
