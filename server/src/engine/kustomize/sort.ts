// kustomize's default ("legacy") output order: kinds that others depend on first, webhooks last,
// then by group/version/kind, namespace and name.
import type { Resource } from './resource';

const ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function typeOrder(kind: string): number {
  const i = ORDER_FIRST.indexOf(kind);
  if (i >= 0) return i - ORDER_FIRST.length;
  const j = ORDER_LAST.indexOf(kind);
  return j >= 0 ? j + 1 : 0;
}

function gvkString(r: Resource): string {
  return [r.group || '~G', r.version || '~V', r.kind || '~K'].join('_');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function legacySort(resources: Resource[]): Resource[] {
  return [...resources].sort((a, b) => {
    const ga = gvkString(a);
    const gb = gvkString(b);
    if (ga !== gb) return typeOrder(a.kind) - typeOrder(b.kind) || cmp(ga, gb);
    return cmp(`${a.namespace || '~X'}|${a.name || '~N'}`, `${b.namespace || '~X'}|${b.name || '~N'}`);
  });
}
