// How explanations name an admin-tier policy and its rules: kind, name, tier and priority, and the
// action as the manifest spells it (a ClusterNetworkPolicy says Accept where ANP/BANP say Allow).
import type { AdminPolicy, AdminRule } from '../model/types';

function tierOf(p: AdminPolicy): 'Admin' | 'Baseline' {
  return p.baseline ? 'Baseline' : 'Admin';
}

/** e.g. `ClusterNetworkPolicy deny-all (tier Admin, priority 5)`, `AdminNetworkPolicy x (priority 3)`, `BaselineAdminNetworkPolicy default`. */
export function adminLabel(p: AdminPolicy): string {
  if (p.kind === 'ClusterNetworkPolicy') return `ClusterNetworkPolicy ${p.name} (tier ${tierOf(p)}, priority ${p.priority})`;
  if (p.kind === 'BaselineAdminNetworkPolicy') return `BaselineAdminNetworkPolicy ${p.name}`;
  return `AdminNetworkPolicy ${p.name} (priority ${p.priority})`;
}

export function actionWord(p: AdminPolicy, rule: AdminRule): string {
  return rule.action === 'Allow' && p.kind === 'ClusterNetworkPolicy' ? 'Accept' : rule.action;
}

/** `egress rule "name" (Deny)` of a policy, with its index when the name is the default. */
export function ruleText(p: AdminPolicy, rule: AdminRule, dir: 'ingress' | 'egress'): string {
  return `${dir} rule "${rule.name}" (${actionWord(p, rule)})`;
}
