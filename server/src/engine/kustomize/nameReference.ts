// Renames objects and updates the fields of other objects that refer to them by name (a ConfigMap
// in volumes, envFrom and env valueFrom; a ServiceAccount in subjects; a Role in roleRef; ...).
import type { NameReference } from './fieldSpecs';
import { splitFieldPathMarked, specSelects, visitFields } from './fieldPath';
import { isClusterScoped, isObject, sameNamespace, type Resource } from './resource';
import type { Json } from './types';

interface Rename {
  kind: string;
  group: string;
  namespace: string;
  clusterScoped: boolean;
  from: string;
  to: string;
}

/** Gives each resource its new name, then points every reference to an old name at the new one. */
export function renameResources(all: Resource[], renames: Map<Resource, string>, refs: NameReference[]): void {
  const changes: Rename[] = [];
  for (const [r, to] of renames) {
    if (r.name === to) continue;
    changes.push({ kind: r.kind, group: r.group, namespace: r.namespace, clusterScoped: isClusterScoped(r.kind), from: r.name, to });
    r.setName(to);
  }
  if (changes.length) updateReferences(all, changes, refs);
}

function updateReferences(all: Resource[], changes: Rename[], refs: NameReference[]): void {
  for (const ref of refs) {
    const relevant = changes.filter((c) => c.kind === ref.kind && (ref.group === undefined || ref.group === c.group));
    if (relevant.length === 0) continue;
    for (const referrer of all) {
      for (const spec of ref.referrers) {
        if (!specSelects(spec, referrer)) continue;
        const applies = (c: Rename, ns?: string) =>
          c.clusterScoped || isClusterScoped(referrer.kind)
            ? ns === undefined || sameNamespace(ns, c.namespace) || c.clusterScoped
            : sameNamespace(ns ?? referrer.namespace, c.namespace);
        const lookup = (name: Json, ns?: string) => relevant.find((c) => c.from === name && applies(c, ns));
        visitFields(
          referrer.obj,
          splitFieldPathMarked(spec.path),
          false,
          () => null,
          (parent, key) => {
            const v = parent[key];
            if (typeof v === 'string') {
              const c = lookup(v);
              if (c) parent[key] = c.to;
            } else if (Array.isArray(v)) {
              parent[key] = v.map((el) => {
                if (typeof el === 'string') return lookup(el)?.to ?? el;
                // RBAC subjects
                if (isObject(el) && el.kind === ref.kind && typeof el.name === 'string') {
                  const c = lookup(el.name, typeof el.namespace === 'string' ? el.namespace : undefined);
                  if (c) return { ...el, name: c.to };
                }
                return el;
              });
            } else if (isObject(v) && typeof v.name === 'string') {
              // webhook clientConfig.service: {name, namespace}
              const c = lookup(v.name, typeof v.namespace === 'string' ? v.namespace : undefined);
              if (c) v.name = c.to;
            }
          },
        );
      }
    }
  }
}
