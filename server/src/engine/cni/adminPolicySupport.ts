// Which network plugins implement the network-policy-api kinds (AdminNetworkPolicy,
// BaselineAdminNetworkPolicy, ClusterNetworkPolicy): without one, those objects are stored and ignored.
// Sources: docs/conformance.md ("ClusterNetworkPolicy"). Plugins not listed are unknown: no warning.

const IMPLEMENTS = new Set(['ovn-kubernetes', 'antrea', 'calico', 'canal', 'kube-network-policies']);
const DOES_NOT = new Set(['flannel', 'cilium', 'weave', 'kube-router', 'bridge', 'ptp']);

/** true: implements them; false: known not to; undefined: not known. */
export function implementsAdminPolicies(plugin: string): boolean | undefined {
  if (IMPLEMENTS.has(plugin)) return true;
  if (DOES_NOT.has(plugin)) return false;
  return undefined;
}
