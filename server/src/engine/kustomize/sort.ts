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
  const order = legacyOrder(resources, keys);
  const out = new Array<Resource>(order.length);
  for (let j = 0; j < order.length; j++) out[j] = resources[order[j]];
  return out;
}

/** legacySort as the input's indexes: the j-th resource in kustomize's order is resources[order[j]]. */
export function legacyOrder(resources: Resource[], keys?: WeakMap<Resource, SortKey>): Int32Array {
  const all = resources.map((r) => keyOf(r, keys));
  const order = Array.from({ length: resources.length }, (_, i) => i);
  order.sort((i, j) => {
    const a = all[i];
    const b = all[j];
    if (a.gvk !== b.gvk) return a.order - b.order || cmp(a.gvk, b.gvk);
    return cmp(a.id, b.id) || i - j;
  });
  return Int32Array.from(order);
}

/** A resource's sort key (kept in `keys` when given). */
export function keyOf(r: Resource, keys?: WeakMap<Resource, SortKey>): SortKey {
  let key = keys?.get(r);
  if (!key) {
    key = sortKey(r);
    keys?.set(r, key);
  }
  return key;
}

/** Whether two resources have the same place in kustomize's order (against the others). */
export function sameSortKey(a: SortKey, b: SortKey): boolean {
  return a.order === b.order && a.gvk === b.gvk && a.id === b.id;
}

export type { SortKey };
