// The pods that serve cluster DNS, for checks such as "egress allows UDP 53 to kube-dns".
import type { Model, Service, Workload } from '../model/types';
import { clusterDnsServer } from './clusterDns';
import { serviceEndpoints } from './endpoints';
import { lookup } from '../model/lookup';

// CoreDNS and kube-dns pods carry this label in kubeadm, k3s, EKS, GKE and AKS alike.
const DNS_LABEL = ['k8s-app', 'kube-dns'] as const;

export interface KubeDns {
  /** the workloads behind the cluster DNS Service, else the kube-system workloads labelled k8s-app=kube-dns */
  pods: readonly Workload[];
  service?: Service;
}

export function kubeDnsPods(model: Model): KubeDns {
  const { service } = clusterDnsServer(model);
  const fromService = service ? serviceEndpoints(model, service) : [];
  const pods = fromService.length
    ? fromService
    : lookup(model)
        .workloadsIn('kube-system')
        .filter((w) => w.labels[DNS_LABEL[0]] === DNS_LABEL[1]);
  return service ? { pods, service } : { pods };
}
