// A selector that needs the value of a label a controller sets to something only the cluster knows
// (pod-template-hash, controller-revision-hash, a CronJob's job-name, ...): NetLens cannot tell which
// pods it matches, and says so instead of reporting "no pods".
import type { Finding, LabelRequirement, LabelSelector, Labels, Model, SourceRef } from '../../model/types';
import type { LintRule } from '../rules';
import { UNKNOWN_LABEL_VALUE, UNKNOWN_VALUE_LABELS } from '../../model/controllerLabels';

// Keys whose value is unknown on every pod that has them (job-name is known on a Job's own pods).
const ALWAYS_UNKNOWN = new Set([
  'pod-template-hash',
  'controller-revision-hash',
  'pod-template-generation',
  'batch.kubernetes.io/controller-uid',
  'controller-uid',
]);

const perModel = new WeakMap<Model, Set<string>>();

/** Label keys some workload of the model carries with a value only known in a cluster. */
function unknownKeys(model: Model): Set<string> {
  let keys = perModel.get(model);
  if (!keys) {
    keys = new Set(ALWAYS_UNKNOWN);
    for (const w of model.workloads) for (const k of w.controllerLabels ?? []) if (w.labels[k] === UNKNOWN_LABEL_VALUE) keys.add(k);
    perModel.set(model, keys);
  }
  return keys;
}

/** The requirements of a selector that compare an unknown-value label with values (In, NotIn). */
export function unknownValueRequirements(model: Model, reqs: readonly LabelRequirement[]): LabelRequirement[] {
  const keys = unknownKeys(model);
  return reqs.filter(
    (r) =>
      (r.operator === 'In' || r.operator === 'NotIn') &&
      keys.has(r.key) &&
      // a job-name that some Job's pods have (known) is about that Job
      (ALWAYS_UNKNOWN.has(r.key) || !model.workloads.some((w) => r.values.includes(w.labels[r.key]))),
  );
}

export function serviceRequirements(selector: Labels): LabelRequirement[] {
  return Object.entries(selector).map(([key, value]) => ({ key, operator: 'In', values: [value] }));
}

function finding(model: Model, reqs: readonly LabelRequirement[], ref: SourceRef, what: string): Finding[] {
  return unknownValueRequirements(model, reqs).map((r) => ({
    code: 'label-value-unknown',
    severity: 'warning',
    ref,
    message: `${r.key} is set by ${UNKNOWN_VALUE_LABELS[r.key] ?? 'a controller'}; its value is only known in a cluster, so NetLens cannot tell which pods ${what} matches: it takes the value to differ from ${r.values.map((v) => `"${v}"`).join(', ')} (pods where it is unknown ${r.operator === 'In' ? 'do not match' : 'match'})`,
  }));
}

export const labelValueUnknown: LintRule = {
  codes: ['label-value-unknown'],
  check(model, cx, scope) {
    const out: Finding[] = [];
    const selector = (sel: LabelSelector, what: string) => out.push(...finding(model, sel.requirements, sel.ref, what));
    const subjects = cx.subjects(scope);
    for (const p of subjects.policies) {
      selector(p.podSelector, `the podSelector of ${p.id}`);
      for (const rule of [...p.ingress, ...p.egress])
        for (const peer of rule.peers ?? []) if (peer.podSelector) selector(peer.podSelector, 'this peer');
    }
    for (const s of subjects.services)
      if (s.selector) out.push(...finding(model, serviceRequirements(s.selector), s.selectorRef ?? s.ref, `the selector of ${s.id}`));
    return out;
  },
};
