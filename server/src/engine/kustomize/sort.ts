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

interface SortKey {
  order: number;
  gvk: string;
  id: string;
}

function sortKey(r: Resource): SortKey {
  return { order: typeOrder(r.kind), gvk: gvkString(r), id: `${r.namespace || '~X'}|${r.name || '~N'}` };
}

/**
 * The resources in kustomize's order (a stable sort). `keys` keeps each resource's sort key across calls,
 * for resources that never change (the incremental render's).
 */
export function legacySort(resources: Resource[], keys?: WeakMap<Resource, SortKey>): Resource[] {
  const keyed = resources.map((r) => {
    let key = keys?.get(r);
    if (!key) {
      key = sortKey(r);
      keys?.set(r, key);
    }
    return { r, key };
  });
  keyed.sort(({ key: a }, { key: b }) => {
    if (a.gvk !== b.gvk) return a.order - b.order || cmp(a.gvk, b.gvk);
    return cmp(a.id, b.id);
  });
  return keyed.map((x) => x.r);
}

export type { SortKey };
