// The engine's model of a workspace: plain, immutable data built from manifests.
// Every object keeps SourceRefs (uri + offsets) for the nodes that findings and hovers point at.
import type { ParsedCorefile } from '../dns/corefileSyntax';
import type { CiliumPolicy } from './cilium/types';
import type { CalicoModel } from './calico/types';

export interface SourceRef {
  uri: string;
  start: number;
  end: number;
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Related {
  ref: SourceRef;
  message: string;
}

/** Something NetLens has to say about the input: an invalid value, a lint rule, a parse error. */
export interface Finding {
  code: string;
  severity: Severity;
  message: string;
  ref: SourceRef;
  related?: Related[];
  /** Rule-specific data for quick fixes (plain JSON). */
  data?: Record<string, unknown>;
}

/** A file or document NetLens did not analyse, and why. */
export interface Skip {
  uri: string;
  reason: string;
  ref?: SourceRef;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

export type Labels = Readonly<Record<string, string>>;

export type SelectorOperator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface LabelRequirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

/** A normalized label selector. `matchLabels` entries are turned into `In` requirements. */
export interface LabelSelector {
  requirements: LabelRequirement[];
  /** The selector as written, for display ("app=web, tier in (a,b)"). */
  text: string;
  ref: SourceRef;
}

export interface Namespace {
  name: string;
  labels: Labels;
  /** false when only implied by objects that name it. */
  declared: boolean;
  ref?: SourceRef;
}

export interface ContainerPort {
  name?: string;
  port: number;
  protocol: Protocol;
  ref: SourceRef;
}

/** A string value inside a container or ConfigMap that may name a host (env value, arg, command). */
export interface TextValue {
  /** e.g. "env API_URL", "args[1]", "data.url" */
  where: string;
  value: string;
  ref: SourceRef;
}

export interface Container {
  name: string;
  ports: ContainerPort[];
  values: TextValue[];
  ref: SourceRef;
}

export type DnsPolicy = 'ClusterFirst' | 'ClusterFirstWithHostNet' | 'Default' | 'None';

export interface DnsConfig {
  nameservers: string[];
  searches: string[];
  options: { name: string; value?: string }[];
}

export type WorkloadKind = 'Pod' | 'Deployment' | 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'CronJob' | 'ReplicationController';

export interface Workload {
  /** `<namespace>/<name>[<Kind>]` */
  id: string;
  kind: WorkloadKind;
  name: string;
  namespace: string;
  /** Labels of the pods (the pod template's labels for controllers). */
  labels: Labels;
  containers: Container[];
  hostNetwork: boolean;
  dnsPolicy: DnsPolicy;
  dnsPolicyExplicit: boolean;
  dnsConfig?: DnsConfig;
  hostname?: string;
  subdomain?: string;
  /** StatefulSet spec.serviceName */
  serviceName?: string;
  replicas?: number;
  podIPs: string[];
  /** Pods of the workspace folded into this workload (owned by it), as ids. */
  members: string[];
  /** metadata.name */
  ref: SourceRef;
  /** the whole object */
  objectRef: SourceRef;
  /** the pod labels map (template.metadata.labels), if written */
  labelsRef?: SourceRef;
  /** keys of `labels` that the controller adds to its pods (model/controllerLabels.ts), not written in the manifest */
  controllerLabels?: string[];
  /** one pod of a StatefulSet, split off because a selector tells its pods apart (model/ordinals.ts) */
  ordinal?: number;
  /** spec.serviceAccountName when written (Calico's serviceAccountSelector reads it; unset: "default") */
  serviceAccountName?: string;
}

export interface ServicePort {
  name?: string;
  port: number;
  /** number, or a container port name */
  targetPort: number | string;
  protocol: Protocol;
  ref: SourceRef;
}

export interface Service {
  id: string;
  name: string;
  namespace: string;
  type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName';
  /** undefined: the Service has no selector (endpoints come from Endpoints/EndpointSlice objects). */
  selector?: Labels;
  selectorRef?: SourceRef;
  ports: ServicePort[];
  clusterIP?: string;
  headless: boolean;
  externalName?: string;
  publishNotReadyAddresses: boolean;
  ref: SourceRef;
  objectRef: SourceRef;
}

/** Endpoints or EndpointSlice addresses for a Service without selector. */
export interface EndpointSet {
  service: string;
  namespace: string;
  addresses: { ip: string; hostname?: string; targetRef?: { kind?: string; name?: string; namespace?: string } }[];
  ports: { name?: string; port: number; protocol: Protocol }[];
  ref: SourceRef;
}

export interface IpBlock {
  cidr: string;
  except: string[];
  ref: SourceRef;
}

/** One entry of a rule's from/to list. Exactly one of the shapes, as the API requires. */
export interface Peer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IpBlock;
  ref: SourceRef;
}

export interface PolicyPort {
  protocol: Protocol;
  /** undefined: every port of the protocol */
  port?: number | string;
  endPort?: number;
  ref: SourceRef;
  /** the `port` value itself */
  portRef?: SourceRef;
}

export interface PolicyRule {
  /** undefined: from/to absent or empty, which matches every peer */
  peers?: Peer[];
  /** undefined: ports absent or empty, which matches every port */
  ports?: PolicyPort[];
  index: number;
  ref: SourceRef;
}

export type Direction = 'Ingress' | 'Egress';

export interface NetworkPolicy {
  id: string;
  name: string;
  namespace: string;
  podSelector: LabelSelector;
  /** Effective policy types (defaulted per the API when not written). */
  policyTypes: Direction[];
  policyTypesExplicit: boolean;
  ingress: PolicyRule[];
  egress: PolicyRule[];
  /** egress rules written while policyTypes (explicit) lacks Egress, and vice versa, for lint. */
  ignoredRules: { direction: Direction; ref: SourceRef }[];
  ref: SourceRef;
  objectRef: SourceRef;
}

export type AdminAction = 'Allow' | 'Deny' | 'Pass';

/** AdminNetworkPolicy subject or `pods` peer: namespaces AND pods. */
export interface AdminPods {
  namespaceSelector: LabelSelector;
  podSelector: LabelSelector;
}

export interface AdminPeer {
  namespaces?: LabelSelector;
  pods?: AdminPods;
  /** egress only: CIDRs */
  networks?: string[];
  /** egress only: node selector (nodes are not in the model; never matches a pod) */
  nodes?: LabelSelector;
  /** egress only (ClusterNetworkPolicy): domain names, exact or `*.` wildcard; match names outside the cluster only */
  domainNames?: string[];
  ref: SourceRef;
}

export interface AdminPort {
  protocol: Protocol;
  /** portNumber / portRange start; undefined with a named port */
  port?: number;
  end?: number;
  /** namedPort: resolved against the destination pod's container ports */
  name?: string;
  ref: SourceRef;
}

export interface AdminRule {
  name: string;
  action: AdminAction;
  peers: AdminPeer[];
  /** undefined: every port */
  ports?: AdminPort[];
  index: number;
  ref: SourceRef;
}

/** AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy (policy.networking.k8s.io). */
export interface AdminPolicy {
  id: string;
  name: string;
  /** the manifest kind; a ClusterNetworkPolicy says Accept where the others say Allow */
  kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';
  /** the Baseline tier (BaselineAdminNetworkPolicy, ClusterNetworkPolicy tier Baseline), else the Admin tier */
  baseline: boolean;
  /** lower is evaluated first within its tier; the BaselineAdminNetworkPolicy has none (after every baseline ClusterNetworkPolicy) */
  priority: number;
  subject: { namespaces?: LabelSelector; pods?: AdminPods };
  ingress: AdminRule[];
  egress: AdminRule[];
  ref: SourceRef;
  objectRef: SourceRef;
  /** the `kind:` value (findings about the kind as a whole, e.g. not enforced by the CNI) */
  kindRef?: SourceRef;
}

/** A string value of a ConfigMap, e.g. a URL another pod reads. */
export interface ConfigMapData {
  id: string;
  name: string;
  namespace: string;
  values: TextValue[];
  ref: SourceRef;
}

export interface ClusterDomainSource {
  domain: string;
  /** where the domain came from, for hovers and `resolve` */
  origin: 'corefile' | 'setting' | 'default';
  ref?: SourceRef;
}

export interface CniInfo {
  plugin: string;
  enforcesPolicy: boolean;
  origin: 'cni-config' | 'manifest' | 'setting';
  ref?: SourceRef;
  /** what decided, e.g. "weave-net DaemonSet without the weave-npc container" */
  evidence?: string;
  /** the object it comes from, e.g. "kube-system/weave-net" */
  object?: string;
  /** manifest hints: the node agent's DaemonSet, or a plugin's settings (cilium-config) */
  role?: 'agent' | 'config';
}

export interface ModelOptions {
  defaultNamespace: string;
  clusterDomain?: string;
  hostNetwork: 'node' | 'pod';
  cni?: string;
  /** without CoreDNS pods in the workspace, assume the standard ones (kube-system, k8s-app=kube-dns); default true */
  assumeClusterDns?: boolean;
}

export interface Model {
  options: ModelOptions;
  namespaces: ReadonlyMap<string, Namespace>;
  workloads: Workload[];
  services: Service[];
  policies: NetworkPolicy[];
  /** Admin tier (ANPs, admin ClusterNetworkPolicies) by priority, then the Baseline tier by priority (the BANP last) */
  adminPolicies: AdminPolicy[];
  endpoints: EndpointSet[];
  configMaps: ConfigMapData[];
  /** zones from Corefiles (standalone or the coredns ConfigMap) */
  corefiles: { zone: string; ref: SourceRef }[];
  /** DNS server configurations: Corefiles, NodeLocal DNSCache's, the legacy kube-dns ConfigMap */
  dnsConfigs: DnsConfigSource[];
  cniHints: CniInfo[];
  findings: Finding[];
  skipped: Skip[];
  /** Cilium layer: CiliumNetworkPolicies and CiliumClusterwideNetworkPolicies (model/cilium, policy/cilium.ts) */
  ciliumPolicies?: CiliumPolicy[];
  /** Calico (projectcalico.org/v3) policies, tiers, network sets, profiles; present when the workspace has a Calico policy */
  calico?: CalicoModel;
}

/** A DNS server configuration of the workspace, as read from its file (dns/dnsServer.ts interprets it). */
export interface DnsConfigSource {
  /** corefile: CoreDNS's (a standalone Corefile or a ConfigMap's Corefile key); node-local-dns: NodeLocal DNSCache's Corefile; kube-dns: the legacy kube-dns ConfigMap */
  kind: 'corefile' | 'node-local-dns' | 'kube-dns';
  /** the ConfigMap id (`kube-system/coredns[ConfigMap]`), or the Corefile's uri */
  name: string;
  ref: SourceRef;
  corefile?: ParsedCorefile;
  /** kube-dns: `stubDomains` (domain -> nameservers) and `upstreamNameservers` */
  stubDomains?: { domain: string; servers: string[] }[];
  upstreamNameservers?: string[];
}
