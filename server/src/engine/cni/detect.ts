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
  if (known.some((p) => p.name === 'flannel') && known.some((p) => p.name === 'calico'))
    return { plugin: 'canal', enforcesPolicy: true, origin: 'cni-config', ref };
  const main = known.find((p) => p.enforces) ?? known[0];
  if (main) return { plugin: main.name, enforcesPolicy: main.enforces, origin: 'cni-config', ref };
  const other = types.find((t) => !CHAINED.has(t));
  return other ? { plugin: other, enforcesPolicy: false, origin: 'cni-config', ref } : undefined;
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

export function cniFromAgent(daemonSetName: string, ref: SourceRef): CniInfo | undefined {
  const p = AGENTS[daemonSetName];
  return p ? { plugin: p.name, enforcesPolicy: p.enforces, origin: 'manifest', ref } : undefined;
}

export function cniFromSetting(plugin: string): CniInfo {
  const p = CONFIG_TYPES[plugin] ?? Object.values(AGENTS).find((a) => a.name === plugin);
  return { plugin, enforcesPolicy: p ? p.enforces : true, origin: 'setting' };
}
