// What NetLens reads from a manifest object, decided by its API group and kind together: a
// NetworkPolicy of crd.antrea.io or a Service of serving.knative.dev is not the Kubernetes one.

/** How the model builder uses an object. */
export type KindRole =
  | 'namespace'
  | 'workload'
  | 'service'
  | 'networkPolicy'
  | 'adminPolicy'
  | 'endpoints'
  | 'configMap'
  /** an operator's custom resource that becomes pods (model/podMakers) */
  | 'podMaker'
  /** CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy (model/cilium) */
  | 'ciliumPolicy'
  /** a network policy of an API NetLens does not analyse: reported, never read as another kind */
  | 'policyNotAnalysed'
  /** Calico objects (model/calico/read.ts), and ServiceAccounts for Calico's serviceAccountSelector */
  | 'calico'
  | 'other';

export interface KindInfo {
  group: string;
  kind: string;
  role: KindRole;
  clusterScoped: boolean;
  /** how object keys and messages name the kind: `Deployment` for Kubernetes kinds, `Service.serving.knative.dev` otherwise */
  label: string;
}

interface Entry {
  role: KindRole;
  clusterScoped?: boolean;
}

const ns = (role: KindRole): Entry => ({ role });
const cluster = (role: KindRole): Entry => ({ role, clusterScoped: true });

/**
 * The kinds NetLens knows, by group ('' is the core group of `apiVersion: v1`). Versions do not
 * matter: within a group a kind keeps its meaning. Workloads are also read from the groups they
 * were served from before apps/v1 (extensions/v1beta1 Deployment, ReplicaSet and DaemonSet;
 * apps/v1beta1 and v1beta2 share the `apps` group; batch/v1beta1 CronJob shares `batch`): their
 * pod templates have the same shape. extensions/v1beta1 NetworkPolicy, served until Kubernetes
 * 1.16, has the same fields and meaning as networking.k8s.io/v1 and is read as one.
 */
const TABLE: Record<string, Record<string, Entry>> = {
  '': {
    Namespace: cluster('namespace'),
    Pod: ns('workload'),
    ReplicationController: ns('workload'),
    Service: ns('service'),
    Endpoints: ns('endpoints'),
    ConfigMap: ns('configMap'),
    Node: cluster('other'),
    PersistentVolume: cluster('other'),
    ServiceAccount: ns('calico'),
  },
  apps: { Deployment: ns('workload'), ReplicaSet: ns('workload'), StatefulSet: ns('workload'), DaemonSet: ns('workload') },
  extensions: { Deployment: ns('workload'), ReplicaSet: ns('workload'), DaemonSet: ns('workload'), NetworkPolicy: ns('networkPolicy') },
  batch: { Job: ns('workload'), CronJob: ns('workload') },
  'networking.k8s.io': { NetworkPolicy: ns('networkPolicy'), IngressClass: cluster('other') },
  'discovery.k8s.io': { EndpointSlice: ns('endpoints') },
  'policy.networking.k8s.io': {
    AdminNetworkPolicy: cluster('adminPolicy'),
    BaselineAdminNetworkPolicy: cluster('adminPolicy'),
    // v1alpha2, the successor of both (model/clusterNetworkPolicies.ts)
    ClusterNetworkPolicy: cluster('adminPolicy'),
  },
  'rbac.authorization.k8s.io': { ClusterRole: cluster('other'), ClusterRoleBinding: cluster('other') },
  'apiextensions.k8s.io': { CustomResourceDefinition: cluster('other') },
  'storage.k8s.io': { StorageClass: cluster('other') },
  'scheduling.k8s.io': { PriorityClass: cluster('other') },
  'monitoring.coreos.com': { Prometheus: ns('podMaker'), Alertmanager: ns('podMaker'), ThanosRuler: ns('podMaker') },
  // network policies of CNI plugins, which have their own semantics (actions, tiers, priorities)
  'crd.antrea.io': { NetworkPolicy: ns('policyNotAnalysed'), ClusterNetworkPolicy: cluster('policyNotAnalysed') },
  'security.antrea.tanzu.vmware.com': { NetworkPolicy: ns('policyNotAnalysed'), ClusterNetworkPolicy: cluster('policyNotAnalysed') },
  'projectcalico.org': calicoPolicies(),
  // Calico's storage CRDs, written by its API server (names and defaults rewritten): editing them directly is
  // unsupported, so they stay reported, not analysed
  'crd.projectcalico.org': {
    NetworkPolicy: ns('policyNotAnalysed'),
    GlobalNetworkPolicy: cluster('policyNotAnalysed'),
    StagedNetworkPolicy: ns('policyNotAnalysed'),
    StagedGlobalNetworkPolicy: cluster('policyNotAnalysed'),
    StagedKubernetesNetworkPolicy: ns('policyNotAnalysed'),
  },
  'cilium.io': { CiliumNetworkPolicy: ns('ciliumPolicy'), CiliumClusterwideNetworkPolicy: cluster('ciliumPolicy') },
  'k8s.cni.cncf.io': { MultiNetworkPolicy: ns('policyNotAnalysed') },
};

function calicoPolicies(): Record<string, Entry> {
  return {
    NetworkPolicy: ns('calico'),
    GlobalNetworkPolicy: cluster('calico'),
    Tier: cluster('calico'),
    NetworkSet: ns('calico'),
    GlobalNetworkSet: cluster('calico'),
    Profile: cluster('calico'),
    // staged policies are previews: Calico does not enforce them
    StagedNetworkPolicy: ns('policyNotAnalysed'),
    StagedGlobalNetworkPolicy: cluster('policyNotAnalysed'),
    StagedKubernetesNetworkPolicy: ns('policyNotAnalysed'),
  };
}

/** The API group of an apiVersion: `apps/v1` -> `apps`, `v1` -> `` (core). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function kindInfo(apiVersion: string, kind: string): KindInfo {
  const group = apiGroup(apiVersion);
  const entry = Object.prototype.hasOwnProperty.call(TABLE, group) ? TABLE[group][kind] : undefined;
  const label = isKubernetesGroup(group) ? kind : `${kind}.${group}`;
  if (entry && Object.prototype.hasOwnProperty.call(TABLE[group], kind))
    return { group, kind, role: entry.role, clusterScoped: entry.clusterScoped ?? false, label };
  // Any other group's network policy (a plugin NetLens does not know yet) is reported, not ignored.
  if (kind.endsWith('NetworkPolicy') && group !== '')
    return { group, kind, role: 'policyNotAnalysed', clusterScoped: /^(Global|Cluster)/.test(kind), label };
  return { group, kind, role: 'other', clusterScoped: false, label };
}

/**
 * The Kubernetes groups that have this kind, when `apiVersion` names another Kubernetes group that
 * lacks it (`apps/v1` CronJob, `v1` Deployment): a manifest the API server rejects. Empty otherwise.
 */
export function groupsWithKind(apiVersion: string, kind: string): string[] {
  const group = apiGroup(apiVersion);
  if (!isKubernetesGroup(group) || (Object.prototype.hasOwnProperty.call(TABLE, group) && TABLE[group][kind])) return [];
  return Object.keys(TABLE).filter((g) => isKubernetesGroup(g) && Object.prototype.hasOwnProperty.call(TABLE[g], kind));
}

/** Groups whose kinds are named without their group (Kubernetes' own APIs). */
function isKubernetesGroup(group: string): boolean {
  return group === '' || !group.includes('.') || group.endsWith('.k8s.io');
}
