// The incremental pipeline: a kustomization's transformers and patches as steps over its resources, each
// step's result kept per input resource, so that a re-render after an edit redoes only what the edit can
// change. Resources are never changed in place here: a step that changes one works on its own copy, and
// an unchanged input (the same object as in the last render) gets the same output object back without
// running the step. A base file's resources are kept by its text, so a base whose files did not change
// gives the same objects, every step of the overlay finds them in its memo, and the printed YAML of each
// object is kept by the object (print.ts): an edit to one patch re-applies it to the resources it picks,
// and every other object keeps its text.
//
// The kustomizations whose features are not steps (namePrefix/nameSuffix and generators, which rename
// across objects; components; replacements; vars; transformer configs) render as before (render.ts
// accumulateFile, in place, on fresh copies), and so do the ones they include.
// test/engine/kustomize-incremental.test.ts checks that a render through the steps equals a fresh one.
import type { Finding } from '../model/types';
import type { TransformerConfig } from './config';
import { finding, KUSTOMIZE_ERROR, type KustomizationFile } from './kustomizationFile';
import { patchSteps, SELECT_ALL, type Step, type StepSelect } from './patches';
import { exactKey, isObject, stringMap, type Resource } from './resource';
import {
  applyAnnotations,
  applyImages,
  applyLabels,
  applyNamespace,
  applyReplicas,
  labelEntrySpecs,
  serviceAccountsOf,
  type ImageRule,
} from './simpleTransforms';
import type { KustomizeFs } from './types';

export type { Step } from './patches';

/** A step's result for one input resource: its output (null: removed) and the findings about it. */
interface Hit {
  out: Resource | null;
  findings: Finding[];
}

/** One step's last run: its input and output lists, what it picked, and its result per input resource. */
interface StepRun {
  input: Resource[];
  /** the output; with `clean`, position for position the input's (the picked ones changed) */
  output: Resource[];
  /** steps with `select`: how many it picked, and whether it changed them (`finish`) and what it said about the list */
  count: number;
  active: boolean;
  whole: Finding[];
  /** a `select` step that removed nothing and said nothing about any one resource: a re-run can redo only the changed positions */
  clean: boolean;
  hits: Map<Resource, Hit>;
}

/** Per step (position and key) of one kustomization, its last run. */
export type StepMemo = Map<string, StepRun>;

/** Changed positions beyond this many: a step runs over the whole list. */
const MAX_CHANGED = 256;

/** Whether the kustomization's own work is all steps (else it renders in place, as before). */
export function stepsCanRender(k: KustomizationFile): boolean {
  const prefix = k.get('namePrefix');
  const suffix = k.get('nameSuffix');
  if ((typeof prefix === 'string' && prefix !== '') || (typeof suffix === 'string' && suffix !== '')) return false;
  for (const field of ['components', 'configMapGenerator', 'secretGenerator', 'replacements', 'transformers', 'vars'])
    if (k.list(field).length) return false;
  return true;
}

/** The patch steps, read before the kustomization's resources (undefined: some patch is not a step). */
export interface PatchPlan {
  strategic: Step[];
  patches: Step[];
  json6902: Step[];
}

export function planPatches(fs: KustomizeFs, k: KustomizationFile): PatchPlan | undefined {
  const strategic = patchSteps(fs, k, 'patchesStrategicMerge');
  const patches = patchSteps(fs, k, 'patches');
  const json6902 = patchSteps(fs, k, 'patchesJson6902');
  return strategic && patches && json6902 ? { strategic, patches, json6902 } : undefined;
}

function allStep(key: string, apply: (r: Resource) => void, shallow = false): Step {
  return {
    key,
    shallow,
    prepare: () => ({ targets: 'all' }),
    apply: (r) => {
      apply(r);
      return r;
    },
    select: SELECT_ALL,
  };
}

function errorAt(k: KustomizationFile, message: string, ...at: (string | number)[]): Step {
  return {
    key: `error\0${message}`,
    prepare(_list, findings) {
      findings.push(finding(KUSTOMIZE_ERROR, 'error', message, k.locate(...at)));
      return { targets: [] };
    },
    apply: (r) => r,
  };
}

/** The kustomization's steps in accumulateFile's order (its transformers given `config`). */
export function kustomizationSteps(k: KustomizationFile, plan: PatchPlan, config: TransformerConfig): Step[] {
  const steps: Step[] = [...plan.strategic, ...plan.patches];
  const ns = k.get('namespace');
  if (typeof ns === 'string' && ns !== '') {
    let accounts = new Set<string>();
    steps.push({
      key: `namespace\0${ns}`,
      prepare(list) {
        accounts = serviceAccountsOf(list);
        return { targets: 'all', key: [...accounts].sort().join('\0') };
      },
      apply(r) {
        applyNamespace([r], ns, accounts);
        return r;
      },
    });
  }
  const labelStep = (what: string, pairs: Record<string, string>, specs: typeof config.commonLabels): void => {
    if (Object.keys(pairs).length) steps.push(allStep(`${what}\0${exactKey([pairs, specs])}`, (r) => applyLabels([r], pairs, specs)));
  };
  labelStep('commonLabels', stringMap(k.get('commonLabels')), config.commonLabels);
  k.list('labels').forEach((l) => {
    if (!isObject(l)) return;
    const fields = Array.isArray(l.fields)
      ? l.fields.filter(isObject).map((f) => ({ ...f, path: String(f.path), create: f.create === true }) as never)
      : [];
    labelStep(
      'labels',
      stringMap(l.pairs),
      labelEntrySpecs(l.includeSelectors === true, l.includeTemplates === true, fields, config.commonLabels),
    );
  });
  const annotations = stringMap(k.get('commonAnnotations'));
  if (Object.keys(annotations).length)
    steps.push(
      allStep(`commonAnnotations\0${exactKey([annotations, config.commonAnnotations])}`, (r) =>
        applyAnnotations([r], annotations, config.commonAnnotations),
      ),
    );
  steps.push(...plan.json6902);
  k.list('replicas').forEach((e, i) => {
    if (!isObject(e) || typeof e.name !== 'string')
      return void steps.push(errorAt(k, 'a replicas entry needs name and count', 'replicas', i));
    const name = e.name;
    const count = e.count ?? 0;
    // r.hadId(name), without a closure per id
    const pick = (r: Resource): boolean => {
      const ids = r.ids;
      for (let i = 0; i < ids.length; i++) if (ids[i].name === name) return true;
      return false;
    };
    steps.push({
      key: `replicas\0${exactKey([name, count])}`,
      prepare: (list) => ({ targets: list.filter(pick) }),
      apply(r) {
        applyReplicas([r], name, count);
        return r;
      },
      select: { pick, finish: () => true },
    });
  });
  const images = imageRules(k);
  if (images.length) steps.push(allStep(`images\0${exactKey(images)}`, (r) => applyImages([r], images)));
  // the kustomization each resource passed through (ObjectOrigin.kustomizations)
  steps.push(allStep(`kustomization\0${k.path}`, (r) => r.origin.kustomizations.push(k.path), true));
  return steps;
}

/**
 * Runs `steps` over `input` (which it does not change), with the results of the last run (`was`) for the
 * resources that are the same objects; `now` receives this run's, for the next. Findings come in the
 * order the in-place pipeline gives them: per step, the whole list's, then each changed resource's.
 *
 * A step that chooses one resource at a time (`select`) and whose input has the same length as last time,
 * with few positions holding other objects, redoes only those positions: its output is the last output
 * with them replaced (the same array when none changed, so the steps after it see the same list too).
 */
export function runSteps(steps: Step[], input: Resource[], findings: Finding[], was: StepMemo | undefined, now: StepMemo): Resource[] {
  let list = input;
  steps.forEach((step, j) => {
    if (step.select) {
      list = runSelect(step, step.select, `${j}\0${step.key}`, list, findings, was, now);
      return;
    }
    const prepared = step.prepare(list, findings);
    const key = `${j}\0${step.key}${prepared.key === undefined ? '' : `\0${prepared.key}`}`;
    const before = was?.get(key)?.hits;
    const had = now.get(key)?.hits;
    // the last run's map goes on (a new one only once it holds many resources that are gone)
    const after = had ?? (before && before.size <= 2 * list.length + 64 ? before : new Map<Resource, Hit>());
    const targets = prepared.targets === 'all' ? undefined : prepared.targets;
    const run = (output: Resource[]): StepRun => ({ input: list, output, count: 0, active: true, whole: [], clean: false, hits: after });
    if (targets && targets.length === 0) {
      now.set(key, run(list));
      return;
    }
    const picked = targets && new Set(targets);
    const out: Resource[] = [];
    for (const r of list) {
      if (picked && !picked.has(r)) {
        out.push(r);
        continue;
      }
      let hit = after.get(r) ?? before?.get(r);
      if (!hit) {
        const own: Finding[] = [];
        hit = { out: step.apply(r.copy(step.shallow), own), findings: own };
      }
      after.set(r, hit);
      for (const f of hit.findings) findings.push(f);
      if (hit.out) out.push(hit.out);
    }
    now.set(key, run(out));
    list = out;
  });
  return list;
}

/** A step's result for `r` (the step's memo, else the step run on a copy), kept in `hits`. */
function hitOf(step: Step, r: Resource, hits: Map<Resource, Hit>, before: Map<Resource, Hit> | undefined): Hit {
  let hit = hits.get(r) ?? before?.get(r);
  if (!hit) {
    const own: Finding[] = [];
    hit = { out: step.apply(r.copy(step.shallow), own), findings: own };
  }
  hits.set(r, hit);
  return hit;
}

function runSelect(
  step: Step,
  sel: StepSelect,
  key: string,
  list: Resource[],
  findings: Finding[],
  was: StepMemo | undefined,
  now: StepMemo,
): Resource[] {
  const prev = now.get(key) ?? was?.get(key);
  const limit = 2 * list.length + 64;
  if (prev?.clean && prev.input.length === list.length && prev.hits.size <= limit) {
    const run = rerun(step, sel, prev, list);
    if (run) {
      for (const f of run.whole) findings.push(f);
      now.set(key, run);
      return run.output;
    }
  }
  // the whole list: what it picks, what that says about the list, then each picked resource
  const before = prev?.hits;
  // the last run's map goes on (a new one only once it holds many resources that are gone)
  const hits = before && before.size <= limit ? before : new Map<Resource, Hit>();
  if (sel.kind !== undefined) return runKind(step, sel, sel.kind, key, list, findings, now, hits, before);
  const picked: Resource[] = [];
  for (const r of list) if (sel.pick(r)) picked.push(r);
  const whole: Finding[] = [];
  const active = sel.finish(picked.length, whole);
  for (const f of whole) findings.push(f);
  if (!active || picked.length === 0) {
    now.set(key, { input: list, output: list, count: picked.length, active, whole, clean: true, hits });
    return list;
  }
  const only = picked.length === list.length ? undefined : new Set(picked);
  const out: Resource[] = [];
  let clean = true;
  for (const r of list) {
    if (only && !only.has(r)) {
      out.push(r);
      continue;
    }
    const hit = hitOf(step, r, hits, before);
    for (const f of hit.findings) findings.push(f);
    if (hit.findings.length || !hit.out) clean = false;
    if (hit.out) out.push(hit.out);
  }
  now.set(key, { input: list, output: out, count: picked.length, active, whole, clean, hits });
  return out;
}

/** Each kind's positions in a list (kept per list: the resources of a kustomization are the same list while its base is unchanged). */
const kindsOf = new WeakMap<Resource[], Map<string, number[]>>();

function kindIndex(list: Resource[]): Map<string, number[]> {
  let m = kindsOf.get(list);
  if (!m) {
    m = new Map();
    for (let i = 0; i < list.length; i++) {
      const kind = list[i].kind;
      const at = m.get(kind);
      if (at) at.push(i);
      else m.set(kind, [i]);
    }
    kindsOf.set(list, m);
  }
  return m;
}

/** runSelect over the whole list for a step that picks resources of one kind: that kind's positions only. */
function runKind(
  step: Step,
  sel: StepSelect,
  kind: string,
  key: string,
  list: Resource[],
  findings: Finding[],
  now: StepMemo,
  hits: Map<Resource, Hit>,
  before: Map<Resource, Hit> | undefined,
): Resource[] {
  const picked = (kindIndex(list).get(kind) ?? []).filter((i) => sel.pick(list[i]));
  const whole: Finding[] = [];
  const active = sel.finish(picked.length, whole);
  for (const f of whole) findings.push(f);
  if (!active || picked.length === 0) {
    now.set(key, { input: list, output: list, count: picked.length, active, whole, clean: true, hits });
    return list;
  }
  let out = list.slice();
  let clean = true;
  const removed = new Set<number>();
  for (const i of picked) {
    const hit = hitOf(step, list[i], hits, before);
    for (const f of hit.findings) findings.push(f);
    if (hit.findings.length) clean = false;
    if (hit.out) out[i] = hit.out;
    else removed.add(i);
  }
  if (removed.size) {
    clean = false;
    out = out.filter((_, i) => !removed.has(i));
  }
  now.set(key, { input: list, output: out, count: picked.length, active, whole, clean, hits });
  return out;
}

/**
 * A `select` step's run over `list` from its last run over a list of the same length: only the positions
 * holding other objects are redone. Undefined when that cannot give what a run over the whole list gives
 * (many changed positions, the step turning on or off, a resource removed or a finding about one).
 */
function rerun(step: Step, sel: StepSelect, prev: StepRun, list: Resource[]): StepRun | undefined {
  const old = prev.input;
  const changed: number[] = [];
  for (let i = 0; i < list.length; i++)
    if (list[i] !== old[i]) {
      changed.push(i);
      if (changed.length > MAX_CHANGED) return undefined;
    }
  let count = prev.count;
  for (const i of changed) {
    if (sel.pick(old[i])) count--;
    if (sel.pick(list[i])) count++;
  }
  // said again (not kept): the same step of an edited kustomization file says it at another place
  const whole: Finding[] = [];
  const active = sel.finish(count, whole);
  if (active !== prev.active) return undefined;
  if (changed.length === 0) return { ...prev, input: list, whole };
  if (!active) return { input: list, output: list, count, active, whole, clean: true, hits: prev.hits };
  const output = prev.output.slice();
  for (const i of changed) {
    const r = list[i];
    if (!sel.pick(r)) {
      output[i] = r;
      continue;
    }
    const hit = hitOf(step, r, prev.hits, undefined);
    if (!hit.out || hit.findings.length) return undefined;
    output[i] = hit.out;
  }
  return { input: list, output, count, active, whole, clean: true, hits: prev.hits };
}

/** The kustomization's `images` entries that name an image (both render paths read them the same way). */
export function imageRules(k: KustomizationFile): ImageRule[] {
  return k
    .list('images')
    .filter(isObject)
    .filter((i) => typeof i.name === 'string')
    .map((i) => ({
      name: String(i.name),
      newName: i.newName == null ? undefined : String(i.newName),
      newTag: i.newTag == null ? undefined : String(i.newTag),
      digest: i.digest == null ? undefined : String(i.digest),
    }));
}
