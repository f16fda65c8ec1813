// The cluster DNS server that kubelet writes into pods' resolv.conf (its --cluster-dns flag, which
// a workspace does not show): the kube-dns Service's ClusterIP when the manifests have it.
import type { Model, Service } from '../model/types';
import { canonicalIp } from './names';
import { lookup } from '../model/lookup';

/** Stands for the cluster DNS address when no kube-dns Service with a ClusterIP is in the workspace. */
export const CLUSTER_DNS = '<cluster-dns>';
/** Stands for the node's nameservers (dnsPolicy Default), which a static analysis cannot see. */
export const NODE_DNS = '<node-dns>';

// ClusterIPs common distributions give kube-dns (kubeadm, k3s/RKE2, AKS/GKE, EKS, MicroK8s, the
// docs' example) and NodeLocal DNSCache's link-local address: a dnsConfig nameserver equal to one
// of them is most likely the cluster DNS.
const WELL_KNOWN = ['10.96.0.10', '10.43.0.10', '10.0.0.10', '10.100.0.10', '172.20.0.10', '10.152.183.10', '10.32.0.10'];
const NODE_LOCAL_DNS = '169.254.20.10';

export interface ClusterDnsServer {
  /** the ClusterIP, or CLUSTER_DNS when unknown */
  address: string;
  service?: Service;
}

const serverCache = new WeakMap<Model, ClusterDnsServer>();

export function clusterDnsServer(model: Model): ClusterDnsServer {
  let s = serverCache.get(model);
  if (!s) {
    s = findClusterDnsServer(model);
    serverCache.set(model, s);
  }
  return s;
}

function findClusterDnsServer(model: Model): ClusterDnsServer {
  const candidates = lookup(model)
    .servicesIn('kube-system')
    .filter((s) => !s.headless && s.clusterIP && s.type !== 'ExternalName');
  // CoreDNS keeps the Service name kube-dns for compatibility; some distributions call it coredns.
  const svc = candidates.find((s) => s.name === 'kube-dns') ?? candidates.find((s) => s.name === 'coredns');
  return svc?.clusterIP ? { address: svc.clusterIP, service: svc } : { address: CLUSTER_DNS };
}

/** 'known': the workspace's kube-dns ClusterIP; 'assumed': a well-known default address; else false. */
export function isClusterDnsAddress(model: Model, address: string): 'known' | 'assumed' | false {
  const server = clusterDnsServer(model);
  if (address === CLUSTER_DNS) return 'known';
  const ip = canonicalIp(address);
  if (!ip) return false;
  if (server.service && canonicalIp(server.address) === ip) return 'known';
  // NodeLocal DNSCache forwards the cluster zone to kube-dns whatever its ClusterIP is.
  if (ip === NODE_LOCAL_DNS) return 'assumed';
  return !server.service && WELL_KNOWN.includes(ip) ? 'assumed' : false;
}
