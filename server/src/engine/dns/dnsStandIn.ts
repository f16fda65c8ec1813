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

/** The DNS pods of the workspace, or the stand-in. */
export function dnsPodsOrStandIn(model: Model): { pods: readonly Workload[]; standIn: boolean } {
  const { pods } = kubeDnsPods(model);
  return pods.length ? { pods, standIn: false } : { pods: [KUBE_DNS_STAND_IN], standIn: true };
}
