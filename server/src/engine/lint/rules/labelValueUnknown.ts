// A selector that needs the value of a label a controller sets to something only the cluster knows
// (pod-template-hash, controller-revision-hash, a CronJob's job-name, ...): NetLens cannot tell which
// pods it matches, and says so instead of reporting "no pods".
import type { Finding, LabelRequirement, LabelSelector, Labels, Model, SourceRef, Workload } from '../../model/types';
import { lookup } from '../../model/lookup';
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

const perModel = new WeakMap<Model, Map<string, number>>();

/** How many workloads carry each label key with a value only known in a cluster. */
function unknownCounts(model: Model): Map<string, number> {
  let counts = perModel.get(model);
  if (counts) return counts;
  // after an edit: the previous model's counts, patched with the edited files' workloads
  const change = lookup(model).change;
  const from = change?.from.deref();
  const before = from && perModel.get(from);
  const add = (to: Map<string, number>, w: Workload, d: number) => {
    for (const k of w.controllerLabels ?? []) if (w.labels[k] === UNKNOWN_LABEL_VALUE) to.set(k, (to.get(k) ?? 0) + d);
  };
  if (change && before) {
    counts = new Map(before);
    for (const w of change.removed.workloads) add(counts, w, -1);
    for (const w of change.added.workloads) add(counts, w, 1);
  } else {
    counts = new Map();
    for (const w of model.workloads) add(counts, w, 1);
  }
  perModel.set(model, counts);
  return counts;
}

/** Whether some workload of the model carries the label key with a value only known in a cluster (or always does). */
function unknownKey(model: Model, key: string): boolean {
  return ALWAYS_UNKNOWN.has(key) || (unknownCounts(model).get(key) ?? 0) > 0;
}

/** The requirements of a selector that compare an unknown-value label with values (In, NotIn). */
export function unknownValueRequirements(model: Model, reqs: readonly LabelRequirement[]): LabelRequirement[] {
  return reqs.filter(
    (r) =>
      (r.operator === 'In' || r.operator === 'NotIn') &&
      unknownKey(model, r.key) &&
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
