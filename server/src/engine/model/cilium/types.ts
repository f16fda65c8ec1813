// The model of CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2): plain data read by
// model/cilium/read.ts and evaluated by policy/cilium.ts. Selectors are already normalized: source
// prefixes stripped (`k8s:app` is `app`), and a namespaced policy's namespace added where Cilium adds it.
import type { LabelRequirement, Protocol, SourceRef } from '../types';

/** Cilium's entities (pkg/policy/api/entity.go): peers without labels of their own. */
export type CiliumEntity =
  'world' | 'cluster' | 'host' | 'remote-node' | 'kube-apiserver' | 'ingress' | 'init' | 'health' | 'unmanaged' | 'all' | 'none';

export const CILIUM_ENTITIES: readonly CiliumEntity[] = [
  'world',
  'cluster',
  'host',
  'remote-node',
  'kube-apiserver',
  'ingress',
  'init',
  'health',
  'unmanaged',
  'all',
  'none',
];

/** An endpoint selector over a pod's identity labels: its labels, `io.kubernetes.pod.namespace`, `io.cilium.k8s.namespace.labels.*`. */
export interface CiliumSelector {
  requirements: LabelRequirement[];
  /** `reserved:<entity>` keys written in the selector (an entity spelled as a label) */
  reserved: CiliumEntity[];
  /** as written, prefixes included */
  text: string;
  /** the namespace the policy added (a namespaced policy's selector without a namespace label) */
  impliedNamespace?: string;
  ref: SourceRef;
}

export interface CiliumCidr {
  cidr: string;
  except: string[];
  ref: SourceRef;
}

export interface CiliumPort {
  /** undefined: every port of the protocol(s) (`port` absent or "0") */
  port?: number | string;
  endPort?: number;
  /** ANY (or absent) is TCP, UDP and SCTP */
  protocols: Protocol[];
  ref: SourceRef;
}

/** One `toPorts` entry: its ports and, for allow rules, the L7 rules NetLens reports but does not filter by. */
export interface CiliumPortRule {
  ports: CiliumPort[];
  /** e.g. `GET /v1/.*`, `dns matchPattern *` (empty: no L7 rules) */
  l7: string[];
  l7Kind?: 'http' | 'dns' | 'kafka' | 'l7';
  ref: SourceRef;
}

export interface CiliumFqdn {
  /** matchName (exact) or matchPattern (`*` wildcards) */
  name?: string;
  pattern?: string;
  ref: SourceRef;
}

export interface CiliumService {
  name?: string;
  selector?: Record<string, string>;
  namespace?: string;
  ref: SourceRef;
}

/** One ingress, ingressDeny, egress or egressDeny rule: its L3 peers (OR) AND its ports. */
export interface CiliumPeerRule {
  deny: boolean;
  /** `ingress[0]`, `egressDeny[1]` */
  field: string;
  endpoints?: CiliumSelector[];
  /** fromRequires / toRequires: constraints every endpoint peer of the subject's rules must meet */
  requires?: CiliumSelector[];
  entities?: CiliumEntity[];
  cidrs?: CiliumCidr[];
  fqdns?: CiliumFqdn[];
  services?: CiliumService[];
  /** undefined: no toPorts (every port) */
  toPorts?: CiliumPortRule[];
  /** `icmps` written: only ICMP, which NetLens does not model (no TCP/UDP/SCTP port) */
  icmpOnly?: boolean;
  /** fields NetLens reads as matching nothing (fromGroups, toNodes ...) */
  unanalysed: string[];
  ref: SourceRef;
}

export interface CiliumRule {
  /** `spec` or `specs[1]` */
  where: string;
  /** undefined for a host policy (nodeSelector), which NetLens notes but does not analyse */
  endpointSelector?: CiliumSelector;
  ingress: CiliumPeerRule[];
  egress: CiliumPeerRule[];
  /** whether the rule puts the endpoints it selects into default deny, per direction */
  defaultDeny: { ingress: boolean; egress: boolean };
  /** the rule has a section for the direction (ingress or ingressDeny ...), which is what enables its default deny */
  sections: { ingress: boolean; egress: boolean };
  ref: SourceRef;
}

export interface CiliumPolicy {
  /** `ns/name[CiliumNetworkPolicy]`, `name[CiliumClusterwideNetworkPolicy]` */
  id: string;
  kind: 'CiliumNetworkPolicy' | 'CiliumClusterwideNetworkPolicy';
  name: string;
  /** undefined for a CiliumClusterwideNetworkPolicy */
  namespace?: string;
  rules: CiliumRule[];
  ref: SourceRef;
  objectRef: SourceRef;
  kindRef: SourceRef;
}
