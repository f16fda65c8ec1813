// The CNI plugin in effect: the setting wins; else the lexicographically first CNI config file
// (as the container runtime picks it); else the install manifests, judged per install: calico-node
// beside flannel is canal, a cilium-config with enable-policy: never switches Cilium's enforcement off.
import type { CniInfo, Model } from '../model/types';
import { cniFromSetting } from './detect';

export function effectiveCni(model: Model): CniInfo | undefined {
  if (model.options.cni) return cniFromSetting(model.options.cni);
  const configs = model.cniHints
    .filter((h) => h.origin === 'cni-config')
    .sort((a, b) => (baseName(a.ref?.uri ?? '') < baseName(b.ref?.uri ?? '') ? -1 : 1));
  if (configs.length) return configs[0];
  const manifests = model.cniHints.filter((h) => h.origin === 'manifest');
  const agents = manifests.filter((h) => h.role !== 'config');
  const calico = agents.find((h) => h.plugin === 'calico');
  const flannel = agents.find((h) => h.plugin === 'flannel');
  if (calico && flannel)
    return {
      ...calico,
      plugin: 'canal',
      evidence: `${calico.evidence} beside flannel's ${flannel.object} DaemonSet (canal: Calico enforces policy on flannel's network)`,
    };
  const agent = agents.find((h) => h.enforcesPolicy) ?? agents[0];
  const cilium = manifests.find((h) => h.role === 'config' && h.plugin === 'cilium');
  if (cilium && (!agent || agent.plugin === 'cilium')) {
    // The ConfigMap decides the mode; the agent, when there, is what runs it.
    if (!cilium.enforcesPolicy || !agent) return cilium;
    return { ...agent, evidence: `${agent.evidence}, ${cilium.evidence}` };
  }
  return agent;
}

/** What decided, without its location: e.g. "weave-net DaemonSet without the weave-npc container (kube-system/weave-net)". */
export function cniEvidence(cni: CniInfo): string {
  if (cni.origin === 'setting') return 'the netlens.cni setting / --cni';
  const what = cni.evidence ?? (cni.origin === 'cni-config' ? `CNI config ${baseName(cni.ref?.uri ?? '')}` : 'its install manifest');
  return cni.object ? `${what} (${cni.object})` : what;
}

function baseName(uri: string): string {
  return uri.slice(Math.max(uri.lastIndexOf('/'), uri.lastIndexOf('\\')) + 1);
}
