// Whether Cilium enforces CiliumNetworkPolicies here, and in which mode: only when the network plugin in
// effect is Cilium (engine/cni/effective.ts), and not with policy enforcement `never` (cilium-config
// `enable-policy`). Mode `always` puts every endpoint into default deny in both directions.
import type { Model } from '../model/types';
import { effectiveCni } from '../cni/effective';

export type CiliumMode = 'default' | 'always' | 'never';

export interface CiliumEnforcement {
  enforced: boolean;
  mode: CiliumMode;
  /** why not enforced (for findings and explanations) */
  reason?: string;
}

const cache = new WeakMap<Model, CiliumEnforcement>();

export function ciliumEnforcement(model: Model): CiliumEnforcement {
  let out = cache.get(model);
  if (!out) cache.set(model, (out = decide(model)));
  return out;
}

/** Cilium policies (or mode always) are enforced: the matrix, queries and explanations evaluate the Cilium layer. */
export function ciliumActive(model: Model): boolean {
  const e = ciliumEnforcement(model);
  // mode always isolates every endpoint, with or without Cilium policies
  return e.enforced && (!!model.ciliumPolicies?.length || e.mode === 'always');
}

/** The cilium-config ConfigMap's `enable-policy` (the Helm value policyEnforcementMode). */
export function ciliumConfigMode(model: Model): CiliumMode {
  for (const c of model.configMaps) {
    if (c.name !== 'cilium-config') continue;
    const v = c.values.find((x) => x.where === 'data.enable-policy' || x.where === 'data.policy-enforcement-mode');
    const mode = v?.value.trim().toLowerCase();
    if (mode === 'always' || mode === 'never') return mode;
  }
  return 'default';
}

function decide(model: Model): CiliumEnforcement {
  const cni = effectiveCni(model);
  const mode = ciliumConfigMode(model);
  if (!cni)
    return {
      enforced: false,
      mode,
      reason: 'no network plugin is detected (no CNI config, no install manifest of Cilium; set netlens.cni or --cni cilium)',
    };
  if (cni.plugin !== 'cilium') return { enforced: false, mode, reason: `the network plugin in effect is ${cni.plugin}, not Cilium` };
  if (!cni.enforcesPolicy || mode === 'never')
    return { enforced: false, mode: 'never', reason: 'Cilium runs with policy enforcement never (cilium-config enable-policy)' };
  return { enforced: true, mode };
}
