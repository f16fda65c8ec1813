// A stand-in for the cluster DNS pods when the workspace does not contain the cluster add-ons:
// CoreDNS's usual labels and ports in kube-system, so egress rules towards DNS can still be checked.
import type { Model, Workload } from '../model/types';
import { kubeDnsPods } from './kubeDns';

const NO_REF = { uri: '', start: 0, end: 0 };

export const KUBE_DNS_STAND_IN: Workload = {
  id: 'kube-system/coredns[Deployment]',
  kind: 'Deployment',
  name: 'coredns',
  namespace: 'kube-system',
  labels: { 'k8s-app': 'kube-dns' },
  containers: [
    {
      name: 'coredns',
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', ref: NO_REF },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', ref: NO_REF },
      ],
      values: [],
      ref: NO_REF,
    },
  ],
  hostNetwork: false,
  dnsPolicy: 'Default',
  dnsPolicyExplicit: true,
  podIPs: [],
  members: [],
  ref: NO_REF,
  objectRef: NO_REF,
};

/** Whether NetLens assumes the standard CoreDNS pods when the workspace has none (setting netlens.dns.assumeClusterDns, --no-assume-dns). */
export function assumesClusterDns(model: Model): boolean {
  return model.options.assumeClusterDns !== false;
}

/** The DNS pods of the workspace, or the stand-in (none when assuming them is turned off). */
export function dnsPodsOrStandIn(model: Model): { pods: readonly Workload[]; standIn: boolean } {
  const { pods } = kubeDnsPods(model);
  if (pods.length) return { pods, standIn: false };
  return assumesClusterDns(model) ? { pods: [KUBE_DNS_STAND_IN], standIn: true } : { pods: [], standIn: false };
}
