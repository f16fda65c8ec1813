// Cilium endpoint selectors: a Kubernetes LabelSelector whose keys may carry a label source
// (`k8s:app`, `any:app`, `reserved:host`), over identity labels that add the pod's namespace
// (`io.kubernetes.pod.namespace`) and its namespace's labels (`io.cilium.k8s.namespace.labels.<key>`).
import type { BuildContext } from '../context';
import type { LabelRequirement } from '../types';
import type { YNode } from '../../parse/yamlNodes';
import { readSelector } from '../../selectors/parse';
import { selectorText } from '../../selectors/format';
import { CILIUM_ENTITIES, type CiliumEntity, type CiliumSelector } from './types';

export const POD_NAMESPACE_LABEL = 'io.kubernetes.pod.namespace';
export const NAMESPACE_LABELS_PREFIX = 'io.cilium.k8s.namespace.labels.';

// Sources that name Kubernetes labels; `any` matches a label of any source, which for pods are Kubernetes labels.
const POD_SOURCES = ['k8s', 'any'];

/**
 * Reads an endpoint selector. `namespace`: the namespaced policy's namespace, added (as Cilium does)
 * when the selector does not constrain the pod namespace itself; `force` adds it in any case (the
 * subject of a namespaced policy is always in its namespace).
 */
export function readCiliumSelector(
  ctx: BuildContext,
  node: YNode,
  what: string,
  namespace: string | undefined,
  force = false,
): CiliumSelector | undefined {
  const sel = readSelector(ctx, node, what);
  if (!sel) return undefined;
  const requirements: LabelRequirement[] = [];
  const reserved: CiliumEntity[] = [];
  for (const r of sel.requirements) {
    const { source, key } = splitSource(r.key);
    if (source === 'reserved') {
      if ((r.operator === 'Exists' || r.operator === 'In') && (CILIUM_ENTITIES as readonly string[]).includes(key))
        reserved.push(key as CiliumEntity);
      // a reserved label no pod carries: the requirement never holds for a pod (unless it negates)
      else if (r.operator === 'In' || r.operator === 'Exists') requirements.push({ ...r, key: `reserved:${key}` });
      continue;
    }
    requirements.push({ ...r, key: source === undefined || POD_SOURCES.includes(source) ? key : r.key });
  }
  const out: CiliumSelector = { requirements, reserved, text: selectorText(sel.requirements), ref: sel.ref };
  if (namespace !== undefined && reserved.length === 0 && (force || !requirements.some((r) => r.key === POD_NAMESPACE_LABEL))) {
    out.requirements = [...requirements, { key: POD_NAMESPACE_LABEL, operator: 'In', values: [namespace] }];
    out.impliedNamespace = namespace;
  }
  return out;
}

/** `k8s:app` -> source k8s, key app; `app` -> no source. Keys like `app.kubernetes.io/name` have no colon. */
export function splitSource(key: string): { source?: string; key: string } {
  const colon = key.indexOf(':');
  if (colon <= 0) return { key };
  return { source: key.slice(0, colon), key: key.slice(colon + 1) };
}
