// Patch and replacement targets: which resources a selector (group, version, kind, name and namespace
// regexes, label and annotation selectors) picks, matching original or current names as kustomize does.
import { isClusterScoped, isObject, type Resource } from './resource';
import { parseSelectorString, selectorStringMatches } from './selectorString';
import type { Json } from './types';

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export function readSelector(v: Json | undefined): Selector | undefined {
  if (!isObject(v)) return undefined;
  const s: Selector = {};
  for (const k of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const)
    if (v[k] !== undefined && v[k] !== null) s[k] = String(v[k]);
  return s;
}

function anchored(pattern: string): RegExp | string {
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch {
    return `invalid regular expression '${pattern}'`;
  }
}

function effectiveNamespace(r: Resource, ns: string): string {
  return isClusterScoped(r.kind) ? '' : ns || 'default';
}

/** The resources `s` selects, or an error message. */
export function selectResources(resources: Resource[], s: Selector): Resource[] | string {
  const pick = selectorPredicate(s);
  return typeof pick === 'string' ? pick : resources.filter(pick);
}

/** Whether `s` selects a resource (one resource at a time: steps.ts re-checks only the resources that changed), or an error message. */
export function selectorPredicate(s: Selector): ((r: Resource) => boolean) | string {
  const name = s.name ? anchored(s.name) : undefined;
  const ns = s.namespace ? anchored(s.namespace) : undefined;
  if (typeof name === 'string') return name;
  if (typeof ns === 'string') return ns;
  const labels = s.labelSelector ? parseSelectorString(s.labelSelector) : undefined;
  const annotations = s.annotationSelector ? parseSelectorString(s.annotationSelector) : undefined;
  if (typeof labels === 'string') return labels;
  if (typeof annotations === 'string') return annotations;
  return (r) => {
    const org = r.ids[0];
    if (ns && !ns.test(effectiveNamespace(r, org.namespace)) && !ns.test(effectiveNamespace(r, r.namespace))) return false;
    if (name && !name.test(org.name) && !name.test(r.name)) return false;
    if (s.kind && s.kind !== r.kind) return false;
    if (s.group !== undefined && s.group !== '' && s.group !== r.group) return false;
    if (s.version && s.version !== r.version) return false;
    if (labels && !selectorStringMatches(labels, r.labels)) return false;
    if (annotations && !selectorStringMatches(annotations, r.annotations)) return false;
    return true;
  };
}
