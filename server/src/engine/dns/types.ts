// Results of DNS resolution as a pod would do it (kubernetes/dns docs/specification.md).
import type { DnsPolicy, Service, SourceRef, Workload } from '../model/types';
import type { DnsTraffic } from '../reachability/dnsTraffic';

/** SERVFAIL: no plugin of the server block answers; REFUSED: no server block serves the name */
export type Rcode = 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL' | 'REFUSED';

export interface ResolvConf {
  nameservers: string[];
  searches: string[];
  ndots: number;
  options: { name: string; value?: string }[];
  /** why it looks like this, e.g. "hostNetwork with ClusterFirst falls back to Default" */
  notes: string[];
  /** false when the pod does not use cluster DNS (dnsPolicy Default, or None without the cluster nameserver) */
  usesClusterDns: boolean;
  /** the policy kubelet applied (ClusterFirst on hostNetwork becomes Default) */
  effectivePolicy: DnsPolicy;
}

/** Address: an A record that names no cluster object (a `hosts` entry, a `pods insecure` record of an unknown IP) */
export type AnswerType = 'Service' | 'HeadlessService' | 'ExternalName' | 'Pod' | 'Address';

export interface DnsAnswer {
  fqdn: string;
  type: AnswerType;
  /** `ns/name[Service]` or a pod workload id */
  target: string;
  /** backing workloads (ids) */
  endpoints: string[];
  service?: Service;
  /** the workloads behind the answer (for a Pod record or a headless per-pod name: that one) */
  workloads: Workload[];
  /** ExternalName target */
  cname?: string;
  /** SRV answers for `_port._proto.svc...` queries */
  srv?: { port: number; target: string }[];
  /** endpoint addresses no workload of the workspace has (Endpoints of a Service without selector) */
  addresses?: string[];
  /** the pod's name when the answer names one pod of a controller (StatefulSet `web-1`) */
  podName?: string;
}

export interface DnsAttempt {
  name: string;
  /** UNKNOWN: the name is outside the cluster and goes to upstream DNS (external is set) */
  rcode: Rcode | 'UNKNOWN';
  /** set when this name is outside the cluster zone and cannot be known statically */
  external?: boolean;
  /** the plugin that decided (kubernetes, hosts, forward, ...); unset when the pod does not ask the cluster DNS */
  plugin?: string;
  /** what the DNS server's plugins did with the name, in order */
  steps?: DnsStep[];
  /** the upstreams a forwarded name goes to */
  forwardedTo?: string[];
}

/** One thing a plugin did with a name: rewrote it, answered, said NXDOMAIN, passed it on, forwarded it. */
export interface DnsStep {
  /** kubernetes, rewrite, hosts, forward; `server` when no server block or plugin takes the name; `upstream` for what upstream DNS is assumed to say */
  plugin: string;
  action: 'rewrite' | 'answer' | 'nxdomain' | 'fallthrough' | 'forward' | 'refused' | 'servfail';
  /** rewrite: the new name */
  name?: string;
  /** forward: the upstreams; hosts answers: the addresses */
  to?: string[];
  /** done by NodeLocal DNSCache's Corefile, before the cluster DNS */
  nodeLocal?: boolean;
  ref?: SourceRef;
}

export interface ResolveResult {
  from: string;
  query: string;
  /** absolute names tried, in order */
  tried: DnsAttempt[];
  answer: DnsAnswer | null;
  rcode: Rcode;
  resolvConf: ResolvConf;
  clusterDomain: string;
  /** plain-language notes for reports */
  notes: string[];
  /** set when no cluster name answered and a name went to upstream DNS (rcode is then NOERROR, answer null) */
  external?: boolean;
  /** an ExternalName answer whose CNAME target is itself a cluster name: that name's answer */
  cnameAnswer?: DnsAnswer;
  /** FQDNs of cluster records the query probably meant (e.g. the Service in another namespace) */
  suggestions?: string[];
  /** the DNS server configuration the names went through, when the workspace has one (else kubeadm's default is assumed) */
  dnsConfig?: { origin: 'corefile' | 'kube-dns'; name: string; ref: SourceRef; nodeLocal?: { name: string; ref: SourceRef } };
  /** whether the pod's queries reach the cluster DNS pods; status blocked: the lookup times out whatever the records hold */
  dnsTraffic: DnsTraffic;
}
