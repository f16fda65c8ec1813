// Results of DNS resolution as a pod would do it (kubernetes/dns docs/specification.md).
import type { DnsPolicy, Service, Workload } from '../model/types';
import type { DnsTraffic } from '../reachability/dnsTraffic';

export type Rcode = 'NOERROR' | 'NXDOMAIN';

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

export type AnswerType = 'Service' | 'HeadlessService' | 'ExternalName' | 'Pod';

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
  /** whether the pod's queries reach the cluster DNS pods; status blocked: the lookup times out whatever the records hold */
  dnsTraffic: DnsTraffic;
}
