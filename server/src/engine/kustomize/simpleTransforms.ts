// The kustomization fields that set values across objects: namespace, namePrefix/nameSuffix,
// commonLabels/labels, commonAnnotations, replicas and images.
import { NAMESPACE_SPECS, REPLICA_SPECS, TEMPLATE_LABEL_SPECS, type FieldSpec, type NameReference } from './fieldSpecs';
import { applySpecs } from './fieldPath';
import { renameResources } from './nameReference';
import { isClusterScoped, isObject, type Resource } from './resource';
import type { Json, JsonObject } from './types';

function setPairs(r: Resource, specs: FieldSpec[], pairs: Record<string, string>): void {
  applySpecs(
    r,
    specs,
    () => ({}),
    (parent, key) => {
      const m = parent[key];
      if (!isObject(m)) return;
      for (const [k, v] of Object.entries(pairs)) m[k] = v;
    },
  );
}

export function applyLabels(resources: Resource[], pairs: Record<string, string>, specs: FieldSpec[]): void {
  if (Object.keys(pairs).length) for (const r of resources) setPairs(r, specs, pairs);
}

/** The field specs of one `labels:` entry. */
export function labelEntrySpecs(
  includeSelectors: boolean,
  includeTemplates: boolean,
  extra: FieldSpec[],
  commonLabels: FieldSpec[],
): FieldSpec[] {
  if (includeSelectors) return [...extra, ...commonLabels];
  return [...extra, { path: 'metadata/labels', create: true }, ...(includeTemplates ? TEMPLATE_LABEL_SPECS : [])];
}

export function applyAnnotations(resources: Resource[], pairs: Record<string, string>, specs: FieldSpec[]): void {
  if (Object.keys(pairs).length) for (const r of resources) setPairs(r, specs, pairs);
}

/** The ServiceAccounts among `resources` as applyNamespace matches RBAC subjects: `name|namespace`. */
export function serviceAccountsOf(resources: Resource[]): Set<string> {
  return new Set(resources.filter((r) => r.kind === 'ServiceAccount').map((r) => `${r.name}|${r.namespace}`));
}

/** `accounts`: the ServiceAccounts of the whole list (serviceAccountsOf), when `resources` is a part of it. */
export function applyNamespace(resources: Resource[], namespace: string, accounts = serviceAccountsOf(resources)): void {
  // RBAC subjects move with the ServiceAccounts being moved (and `default` always)
  for (const r of resources) {
    if (!isClusterScoped(r.kind)) r.metadata.namespace = namespace;
    applySpecs(
      r,
      NAMESPACE_SPECS,
      () => '',
      (parent, key) => {
        parent[key] = namespace;
      },
    );
    if (r.kind === 'RoleBinding' || r.kind === 'ClusterRoleBinding') {
      const subjects = r.obj.subjects;
      if (Array.isArray(subjects))
        for (const s of subjects)
          if (
            isObject(s) &&
            s.kind === 'ServiceAccount' &&
            (s.name === 'default' || accounts.has(`${String(s.name)}|${typeof s.namespace === 'string' ? s.namespace : ''}`))
          )
            s.namespace = namespace;
    }
    r.noteId();
  }
}

const PREFIX_SKIPPED = new Set(['CustomResourceDefinition', 'APIService', 'Namespace']);

export function applyPrefixSuffix(resources: Resource[], prefix: string, suffix: string, refs: NameReference[]): void {
  if (!prefix && !suffix) return;
  const renames = new Map<Resource, string>();
  for (const r of resources) if (!PREFIX_SKIPPED.has(r.kind)) renames.set(r, prefix + r.name + suffix);
  renameResources(resources, renames, refs);
}

export function applyReplicas(resources: Resource[], name: string, count: Json): void {
  for (const r of resources) {
    if (!r.hadId(name)) continue;
    applySpecs(
      r,
      REPLICA_SPECS,
      () => 0,
      (parent, key) => {
        parent[key] = count;
      },
    );
  }
}

export interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Splits `repo/name:tag@digest` into name, tag and digest. */
function splitImage(image: string): [string, string, string] {
  let name = image;
  let digest = '';
  const at = name.indexOf('@');
  if (at >= 0) {
    digest = name.slice(at + 1);
    name = name.slice(0, at);
  }
  let tag = '';
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/')) {
    tag = name.slice(colon + 1);
    name = name.slice(0, colon);
  }
  return [name, tag, digest];
}

export function updateImage(image: string, rule: ImageRule): string {
  if (!new RegExp(`^${escapeRegExp(rule.name)}(@sha256)?(:[a-zA-Z0-9_.{}-]*)?$`).test(image)) return image;
  let [name, tag, digest] = splitImage(image);
  if (rule.newName) name = rule.newName;
  if (rule.newTag && rule.digest) {
    tag = rule.newTag;
    digest = rule.digest;
  } else if (rule.newTag) {
    tag = rule.newTag;
    digest = '';
  } else if (rule.digest) {
    tag = '';
    digest = rule.digest;
  }
  return name + (tag ? ':' + tag : '') + (digest ? '@' + digest : '');
}

/** Every `containers`/`initContainers` list anywhere in the object, as kustomize's image transformer finds them. */
function visitContainers(node: Json, fn: (c: JsonObject) => void): void {
  if (Array.isArray(node)) for (const el of node) visitContainers(el, fn);
  else if (isObject(node))
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) for (const c of v) if (isObject(c)) fn(c);
      visitContainers(v, fn);
    }
}

export function applyImages(resources: Resource[], rules: ImageRule[]): void {
  for (const r of resources)
    visitContainers(r.obj, (c) => {
      if (typeof c.image !== 'string') return;
      // one transformer per entry, in order, as kustomize runs them
      for (const rule of rules) c.image = updateImage(c.image as string, rule);
    });
}
