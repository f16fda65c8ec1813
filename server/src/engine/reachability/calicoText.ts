// How explanations name what decided one direction under Calico: layer, tier, order, policy and rule
// ("denied by Calico GlobalNetworkPolicy security.deny-db (tier security, order 100) ingress rule 1 (Deny)").
import type { Protocol, SourceRef } from '../model/types';
import { contains, isEmpty, type PortSet } from '../net/ports';
import type { CalicoDirectionOutcome, CalicoStep, Tier, TierPolicy } from '../policy/calico';
import { adminLabel, actionWord } from './adminText';

function orderText(order: number | undefined): string {
  return order === undefined ? 'no order: last' : String(order);
}

function tierText(t: Tier): string {
  return `tier ${t.name}${t.layer === 'calico' ? '' : t.layer === 'admin' ? ' (Admin tier)' : ' (Baseline tier)'}`;
}

/** e.g. `Calico NetworkPolicy shop/allow-web (tier default, order 100)`. */
export function tierPolicyLabel(e: TierPolicy, tier: Tier): string {
  if (e.kind === 'calico') {
    const p = e.policy;
    const name = p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name;
    return `Calico ${p.kind} ${name} (${tierText(tier)}, order ${orderText(p.order)})`;
  }
  if (e.kind === 'k8s')
    return `Kubernetes NetworkPolicy ${e.policy.namespace}/${e.policy.name} (${tierText(tier)}, order ${e.order}, as knp.default.${e.policy.name})`;
  return `${adminLabel(e.policy)} (${tierText(tier)})`;
}

/** The rule of a step, 1-based as a reader counts them: `ingress rule 2 (Deny)`. */
function ruleLabel(step: CalicoStep, dir: 'ingress' | 'egress'): string {
  const r = step.rule!;
  const action = step.entry?.kind === 'admin' && 'name' in r && 'peers' in r ? actionWord(step.entry.policy, r) : step.action;
  return `${dir} rule ${r.index + 1} (${action})`;
}

export function calicoStepText(step: CalicoStep, dir: 'ingress' | 'egress'): string {
  if (!step.entry) return `no rule of ${tierText(step.tier)} matched: its default action ${step.tier.defaultAction}`;
  return `${tierPolicyLabel(step.entry, step.tier)} ${ruleLabel(step, dir)}`;
}

/** The text (and where to point) for one direction, for the port asked (any port when none). */
export function calicoSideText(
  o: CalicoDirectionOutcome,
  who: string,
  protocol: Protocol,
  port: number | undefined,
): { text: string; ref?: SourceRef } {
  const dir = who.startsWith('egress') ? 'egress' : 'ingress';
  const covers = (ports: PortSet) => (port === undefined ? !isEmpty(ports) : contains(ports, protocol, port));
  const passes: string[] = [];
  for (const step of o.steps) {
    if (!covers(step.ports)) continue;
    if (step.action === 'Pass') {
      passes.push(step.entry ? `passed on by ${calicoStepText(step, dir)}` : `passed on by ${tierText(step.tier)}'s default action`);
      continue;
    }
    const verb = step.action === 'Allow' ? 'allowed' : 'denied';
    const passed = passes.length ? ` (${passes.join('; ')})` : '';
    const ref = step.rule?.ref ?? step.entry?.policy.ref ?? step.tier.decl?.ref;
    return { text: `${who}: ${verb} by ${calicoStepText(step, dir)}${passed}`, ...(ref ? { ref } : {}) };
  }
  const passed = passes.length ? ` (${passes.join('; ')})` : '';
  const pr = o.profile;
  if (!pr) return { text: `${who}: no Calico tier decides it${passed}` };
  if (!pr.declared) {
    const lead = o.steps.length ? 'no tier decides it' : 'no policy in any tier selects it';
    return { text: `${who}: ${lead}${passed}; the namespace profile ${pr.name} (Calico's default for a Kubernetes namespace) allows it` };
  }
  const ok = covers(pr.allowed);
  return {
    text: `${who}: no tier decides it${passed}; ${ok ? 'allowed' : 'denied'} by Calico Profile ${pr.name}${pr.rule ? ` ${dir} rule ${pr.rule.index + 1} (${pr.rule.action})` : ' (no rule matches)'}`,
    ...(pr.rule ? { ref: pr.rule.ref } : {}),
  };
}
