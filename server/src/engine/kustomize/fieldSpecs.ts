// Kustomize's built-in field specs (which fields of which kinds each transformer touches), as in
// kustomize v5's api/konfig/builtinpluginconsts: labels and their selectors, annotations, namespaces,
// name references, images, replicas and var references.

export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  /** slash-separated; `\/` escapes a slash inside a key; `x[]` marks a list */
  path: string;
  create?: boolean;
}

const WORKLOADS_WITH_TEMPLATE: [kind: string, group?: string][] = [
  ['ReplicationController'],
  ['Deployment'],
  ['ReplicaSet'],
  ['DaemonSet'],
  ['StatefulSet', 'apps'],
  ['Job', 'batch'],
];

/** labels on objects and pod templates (`labels:` without includeSelectors, with includeTemplates). */
export const TEMPLATE_LABEL_SPECS: FieldSpec[] = [
  { path: 'metadata/labels', create: true },
  ...WORKLOADS_WITH_TEMPLATE.map(([kind, group]) => ({ kind, group, path: 'spec/template/metadata/labels', create: true })),
  { group: 'apps', kind: 'StatefulSet', path: 'spec/volumeClaimTemplates[]/metadata/labels', create: true },
  { group: 'batch', kind: 'CronJob', path: 'spec/jobTemplate/metadata/labels', create: true },
  { group: 'batch', kind: 'CronJob', path: 'spec/jobTemplate/spec/template/metadata/labels', create: true },
];

const AFFINITY_SELECTORS = [
  'spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels',
];

/** commonLabels (and `labels:` with includeSelectors): objects, templates and the selectors that pick them. */
export const COMMON_LABEL_SPECS: FieldSpec[] = [
  { version: 'v1', kind: 'Service', path: 'spec/selector', create: true },
  { version: 'v1', kind: 'ReplicationController', path: 'spec/selector', create: true },
  { kind: 'Deployment', path: 'spec/selector/matchLabels', create: true },
  ...AFFINITY_SELECTORS.map((path) => ({ group: 'apps', kind: 'Deployment', path, create: false })),
  { kind: 'ReplicaSet', path: 'spec/selector/matchLabels', create: true },
  { kind: 'DaemonSet', path: 'spec/selector/matchLabels', create: true },
  { group: 'apps', kind: 'StatefulSet', path: 'spec/selector/matchLabels', create: true },
  ...AFFINITY_SELECTORS.map((path) => ({ group: 'apps', kind: 'StatefulSet', path, create: false })),
  { group: 'batch', kind: 'Job', path: 'spec/selector/matchLabels', create: false },
  { group: 'batch', kind: 'CronJob', path: 'spec/jobTemplate/spec/selector/matchLabels', create: false },
  { group: 'policy', kind: 'PodDisruptionBudget', path: 'spec/selector/matchLabels', create: false },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy', path: 'spec/podSelector/matchLabels', create: false },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy', path: 'spec/ingress/from/podSelector/matchLabels', create: false },
  { group: 'networking.k8s.io', kind: 'NetworkPolicy', path: 'spec/egress/to/podSelector/matchLabels', create: false },
  ...TEMPLATE_LABEL_SPECS,
];

export const COMMON_ANNOTATION_SPECS: FieldSpec[] = [
  { path: 'metadata/annotations', create: true },
  ...WORKLOADS_WITH_TEMPLATE.map(([kind, group]) => ({ kind, group, path: 'spec/template/metadata/annotations', create: true })),
  { group: 'batch', kind: 'CronJob', path: 'spec/jobTemplate/metadata/annotations', create: true },
  { group: 'batch', kind: 'CronJob', path: 'spec/jobTemplate/spec/template/metadata/annotations', create: true },
];

/** namespace fields other than metadata/namespace (handled on its own: cluster-scoped kinds keep none). */
export const NAMESPACE_SPECS: FieldSpec[] = [
  { kind: 'Namespace', path: 'metadata/name', create: true },
  { group: 'apiregistration.k8s.io', kind: 'APIService', path: 'spec/service/namespace', create: true },
  { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition', path: 'spec/conversion/webhook/clientConfig/service/namespace' },
];

export const REPLICA_SPECS: FieldSpec[] = ['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet'].map((kind) => ({
  kind,
  path: 'spec/replicas',
  create: true,
}));

/** A referenced kind and the fields of other objects that hold its name. */
export interface NameReference {
  kind: string;
  group?: string;
  referrers: FieldSpec[];
}

const POD_TEMPLATE_KINDS: [kind: string, prefix: string][] = [
  ['Pod', 'spec'],
  ['Deployment', 'spec/template/spec'],
  ['ReplicaSet', 'spec/template/spec'],
  ['DaemonSet', 'spec/template/spec'],
  ['StatefulSet', 'spec/template/spec'],
  ['Job', 'spec/template/spec'],
  ['CronJob', 'spec/jobTemplate/spec/template/spec'],
];

function podSpecs(suffixes: string[], kinds = POD_TEMPLATE_KINDS): FieldSpec[] {
  return kinds.flatMap(([kind, prefix]) => suffixes.map((s) => ({ kind, path: `${prefix}/${s}` })));
}

const CONFIGMAP_FIELDS = [
  'volumes/configMap/name',
  'containers/env/valueFrom/configMapKeyRef/name',
  'initContainers/env/valueFrom/configMapKeyRef/name',
  'containers/envFrom/configMapRef/name',
  'initContainers/envFrom/configMapRef/name',
  'volumes/projected/sources/configMap/name',
];
const SECRET_FIELDS = [
  'volumes/secret/secretName',
  'containers/env/valueFrom/secretKeyRef/name',
  'initContainers/env/valueFrom/secretKeyRef/name',
  'containers/envFrom/secretRef/name',
  'initContainers/envFrom/secretRef/name',
  'imagePullSecrets/name',
  'volumes/projected/sources/secret/name',
];
const WITH_RC: [string, string][] = [...POD_TEMPLATE_KINDS, ['ReplicationController', 'spec/template/spec']];

export const NAME_REFERENCES: NameReference[] = [
  ...['Deployment', 'ReplicationController', 'ReplicaSet', 'StatefulSet'].map((kind) => ({
    kind,
    referrers: [{ kind: 'HorizontalPodAutoscaler', path: 'spec/scaleTargetRef/name' }],
  })),
  {
    kind: 'ConfigMap',
    referrers: [
      ...podSpecs(CONFIGMAP_FIELDS),
      { kind: 'Node', path: 'spec/configSource/configMap' },
      { kind: 'Role', path: 'rules/resourceNames' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap' },
      { group: 'serving.knative.dev', kind: 'Service', path: 'spec/template/spec/containers/env/valueFrom/configMapKeyRef/name' },
      { group: 'serving.knative.dev', kind: 'Service', path: 'spec/template/spec/containers/envFrom/configMapRef/name' },
    ],
  },
  {
    kind: 'Secret',
    referrers: [
      ...podSpecs(SECRET_FIELDS),
      { kind: 'Ingress', path: 'spec/tls/secretName' },
      { kind: 'Ingress', path: 'metadata/annotations/ingress.kubernetes.io\\/auth-secret' },
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret' },
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret' },
      { kind: 'ServiceAccount', path: 'imagePullSecrets/name' },
      ...['secretName', 'adminSecretName', 'userSecretName', 'secretRef'].map((p) => ({ kind: 'StorageClass', path: `parameters/${p}` })),
      { kind: 'Role', path: 'rules/resourceNames' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
      { group: 'serving.knative.dev', kind: 'Service', path: 'spec/template/spec/containers/env/valueFrom/secretKeyRef/name' },
      { kind: 'PersistentVolume', path: 'spec/azureFile/secretName' },
    ],
  },
  {
    kind: 'Service',
    group: '',
    referrers: [
      { group: 'apps', kind: 'StatefulSet', path: 'spec/serviceName' },
      { kind: 'Ingress', path: 'spec/rules/http/paths/backend/serviceName' },
      { kind: 'Ingress', path: 'spec/backend/serviceName' },
      { kind: 'Ingress', path: 'spec/rules/http/paths/backend/service/name' },
      { kind: 'Ingress', path: 'spec/defaultBackend/service/name' },
      { group: 'apiregistration.k8s.io', kind: 'APIService', path: 'spec/service/name' },
      { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration', path: 'webhooks/clientConfig/service' },
      { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration', path: 'webhooks/clientConfig/service' },
    ],
  },
  { kind: 'Role', group: 'rbac.authorization.k8s.io', referrers: [{ kind: 'RoleBinding', path: 'roleRef/name' }] },
  {
    kind: 'ClusterRole',
    group: 'rbac.authorization.k8s.io',
    referrers: [
      { kind: 'RoleBinding', path: 'roleRef/name' },
      { kind: 'ClusterRoleBinding', path: 'roleRef/name' },
    ],
  },
  {
    kind: 'ServiceAccount',
    referrers: [
      { kind: 'RoleBinding', path: 'subjects' },
      { kind: 'ClusterRoleBinding', path: 'subjects' },
      ...podSpecs(['serviceAccountName'], WITH_RC),
    ],
  },
  { kind: 'PersistentVolumeClaim', referrers: podSpecs(['volumes/persistentVolumeClaim/claimName'], WITH_RC) },
  {
    kind: 'PersistentVolume',
    referrers: [
      { kind: 'PersistentVolumeClaim', path: 'spec/volumeName' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
    ],
  },
  {
    kind: 'StorageClass',
    referrers: [
      { kind: 'PersistentVolume', path: 'spec/storageClassName' },
      { kind: 'PersistentVolumeClaim', path: 'spec/storageClassName' },
      { kind: 'StatefulSet', path: 'spec/volumeClaimTemplates/spec/storageClassName' },
    ],
  },
  { kind: 'PriorityClass', referrers: podSpecs(['priorityClassName'], WITH_RC) },
  { kind: 'IngressClass', referrers: [{ kind: 'Ingress', path: 'spec/ingressClassName' }] },
];

const VAR_POD_FIELDS = [
  'containers/args',
  'containers/command',
  'containers/env/value',
  'containers/volumeMounts/mountPath',
  'initContainers/args',
  'initContainers/command',
  'initContainers/env/value',
  'initContainers/volumeMounts/mountPath',
  'volumes/nfs/server',
];

export const VAR_REFERENCE_SPECS: FieldSpec[] = [
  ...podSpecs(VAR_POD_FIELDS),
  { kind: 'Ingress', path: 'spec/rules/host' },
  { kind: 'Ingress', path: 'spec/tls/hosts' },
  { kind: 'Ingress', path: 'spec/tls/secretName' },
  { kind: 'Service', path: 'spec/ports/port' },
  { kind: 'Service', path: 'spec/ports/targetPort' },
  { kind: 'StatefulSet', path: 'spec/volumeClaimTemplates/spec/nfs/server' },
  { kind: 'PersistentVolume', path: 'spec/nfs/server' },
  { path: 'metadata/labels' },
  { path: 'metadata/annotations' },
];
