// Recognises the CNI plugin from CNI config files or from its install manifests, and whether it
// enforces NetworkPolicy.
import type { CniInfo, SourceRef } from '../model/types';

interface Plugin {
  name: string;
  enforces: boolean;
}

// CNI config `type` values.
const CONFIG_TYPES: Record<string, Plugin> = {
  calico: { name: 'calico', enforces: true },
  cilium: { name: 'cilium', enforces: true },
  'cilium-cni': { name: 'cilium', enforces: true },
  flannel: { name: 'flannel', enforces: false },
  'weave-net': { name: 'weave', enforces: true },
  weave: { name: 'weave', enforces: true },
  antrea: { name: 'antrea', enforces: true },
  'ovn-k8s-cni-overlay': { name: 'ovn-kubernetes', enforces: true },
  'kube-ovn': { name: 'kube-ovn', enforces: true },
  bridge: { name: 'bridge', enforces: false },
  ptp: { name: 'ptp', enforces: false },
};

// Install manifests: DaemonSet names of each plugin's node agent.
const AGENTS: Record<string, Plugin> = {
  'calico-node': { name: 'calico', enforces: true },
  canal: { name: 'canal', enforces: true },
  cilium: { name: 'cilium', enforces: true },
  'cilium-agent': { name: 'cilium', enforces: true },
  'kube-flannel-ds': { name: 'flannel', enforces: false },
  'kube-flannel-ds-amd64': { name: 'flannel', enforces: false },
  'weave-net': { name: 'weave', enforces: true },
  'antrea-agent': { name: 'antrea', enforces: true },
  'kube-router': { name: 'kube-router', enforces: true },
  'ovnkube-node': { name: 'ovn-kubernetes', enforces: true },
  'kube-ovn-cni': { name: 'kube-ovn', enforces: true },
  'kube-network-policies': { name: 'kube-network-policies', enforces: true },
};

const CHAINED = new Set(['portmap', 'bandwidth', 'tuning', 'firewall', 'sbr', 'host-local', 'loopback']);

export function isCniConfigUri(uri: string): boolean {
  return /\.(conf|conflist)$/.test(uri);
}

/**
 * Reads a CNI config (`.conf` or `.conflist`, JSON). Any plugin of a chain that enforces wins
 * (Cilium chained behind a cloud CNI); flannel with calico, chained or as flannel's delegate
 * (older canal manifests), is canal.
 */
export function cniFromConfig(uri: string, text: string): CniInfo | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!json || typeof json !== 'object') return undefined;
  const o = json as { plugins?: unknown };
  const types = [...pluginTypes(o)];
  if (Array.isArray(o.plugins)) for (const p of o.plugins) types.push(...pluginTypes(p));
  const known = types.map((t) => CONFIG_TYPES[t]).filter((p): p is Plugin => !!p);
  const ref: SourceRef = { uri, start: 0, end: Math.min(text.length, 1) };
  const evidence = `CNI config ${uri.slice(Math.max(uri.lastIndexOf('/'), uri.lastIndexOf('\\')) + 1)} (plugins ${types.join(', ')})`;
  if (known.some((p) => p.name === 'flannel') && known.some((p) => p.name === 'calico'))
    return { plugin: 'canal', enforcesPolicy: true, origin: 'cni-config', ref, evidence };
  const main = known.find((p) => p.enforces) ?? known[0];
  if (main) return { plugin: main.name, enforcesPolicy: main.enforces, origin: 'cni-config', ref, evidence };
  const other = types.find((t) => !CHAINED.has(t));
  return other ? { plugin: other, enforcesPolicy: false, origin: 'cni-config', ref, evidence } : undefined;
}

/** A plugin's `type` and, for flannel, the `delegate.type` it hands the pod network to. */
function pluginTypes(p: unknown): string[] {
  if (!p || typeof p !== 'object') return [];
  const o = p as { type?: unknown; delegate?: { type?: unknown } };
  const out: string[] = [];
  if (typeof o.type === 'string') out.push(o.type);
  if (o.delegate && typeof o.delegate === 'object' && typeof o.delegate.type === 'string') out.push(o.delegate.type);
  return out;
}

/** The node agent DaemonSet of a plugin, judged by its containers: enforcement is per install, not per plugin name. */
export function cniFromAgent(
  daemonSet: { name: string; namespace: string; containers: readonly string[] },
  ref: SourceRef,
): CniInfo | undefined {
  const { name, containers } = daemonSet;
  const object = `${daemonSet.namespace}/${name}`;
  const has = (...names: string[]) => names.some((n) => containers.includes(n));
  const hint = (plugin: string, enforcesPolicy: boolean, evidence: string): CniInfo => ({
    plugin,
    enforcesPolicy,
    origin: 'manifest',
    ref,
    evidence,
    object,
    role: 'agent',
  });
  // Weave Net enforces policies only through its weave-npc container (the network policy controller).
  if (name === 'weave-net' || (has('weave') && name.includes('weave')))
    return has('weave-npc')
      ? hint('weave', true, `${name} DaemonSet with the weave-npc container`)
      : hint('weave', false, `${name} DaemonSet without the weave-npc container`);
  // canal: calico-node (policy only) beside flannel in one DaemonSet.
  if (has('calico-node') && has('kube-flannel', 'flannel'))
    return hint(
      'canal',
      true,
      `${name} DaemonSet with calico-node and flannel containers (canal: Calico enforces policy on flannel's network)`,
    );
  if (name === 'canal' || name === 'rke2-canal')
    return hint('canal', true, `${name} DaemonSet (canal: Calico enforces policy on flannel's network)`);
  const p = AGENTS[name];
  if (!p) return undefined;
  if (p.name === 'flannel') return hint('flannel', false, `${name} DaemonSet (flannel alone does not enforce NetworkPolicy)`);
  return hint(p.name, p.enforces, `${name} DaemonSet`);
}

// cilium-config's key for the policy enforcement mode (Helm value policyEnforcementMode); the
// second spelling is accepted as written by hand.
const CILIUM_MODE_KEYS = ['enable-policy', 'policy-enforcement-mode'];

/** Cilium's agent settings: policy enforcement mode never means no policy is enforced (default and always enforce). */
export function cniFromCiliumConfig(
  configMap: { name: string; namespace: string; data: ReadonlyMap<string, string> },
  ref: SourceRef,
): CniInfo | undefined {
  if (configMap.name !== 'cilium-config') return undefined;
  const key = CILIUM_MODE_KEYS.find((k) => configMap.data.has(k));
  const mode = key ? configMap.data.get(key)!.trim().toLowerCase() : 'default';
  return {
    plugin: 'cilium',
    enforcesPolicy: mode !== 'never',
    origin: 'manifest',
    ref,
    evidence: key ? `cilium-config ConfigMap with ${key}: ${mode}` : 'cilium-config ConfigMap without enable-policy (mode default)',
    object: `${configMap.namespace}/${configMap.name}`,
    role: 'config',
  };
}

export function cniFromSetting(plugin: string): CniInfo {
  const p = CONFIG_TYPES[plugin] ?? Object.values(AGENTS).find((a) => a.name === plugin);
  return { plugin, enforcesPolicy: p ? p.enforces : true, origin: 'setting' };
}
