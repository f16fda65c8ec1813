// A stand-in for the cluster DNS pods when the workspace does not contain the cluster add-ons:
// CoreDNS's usual labels and ports in kube-system, so egress rules towards DNS can still be checked.
import type { Model, Service, Workload } from '../model/types';
import { kubeDnsPods } from './kubeDns';
import { lookup } from '../model/lookup';

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
        { name: 'metrics', port: 9153, protocol: 'TCP', ref: NO_REF },
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

/** The standard kube-dns Service in front of the stand-in pods (53/UDP+TCP, metrics on 9153/TCP). */
export const KUBE_DNS_SERVICE_STAND_IN: Service = {
  id: 'kube-system/kube-dns[Service]',
  name: 'kube-dns',
  namespace: 'kube-system',
  type: 'ClusterIP',
  selector: { 'k8s-app': 'kube-dns' },
  ports: [
    { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP', ref: NO_REF },
    { name: 'dns-tcp', port: 53, targetPort: 53, protocol: 'TCP', ref: NO_REF },
    { name: 'metrics', port: 9153, targetPort: 9153, protocol: 'TCP', ref: NO_REF },
  ],
  headless: false,
  publishNotReadyAddresses: false,
  ref: NO_REF,
  objectRef: NO_REF,
};

/** The stand-in Service when the stand-in pods are in use and the workspace has no kube-dns Service. */
export function kubeDnsServiceStandIn(model: Model): Service | undefined {
  if (!dnsPodsOrStandIn(model).standIn) return undefined;
  return lookup(model)
    .servicesIn('kube-system')
    .some((s) => s.name === 'kube-dns')
    ? undefined
    : KUBE_DNS_SERVICE_STAND_IN;
}

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
