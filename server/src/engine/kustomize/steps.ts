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
import { patchSteps, type Step } from './patches';
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

/** Per step (position and key) of one kustomization, the result per input resource. */
export type StepMemo = Map<string, Map<Resource, Hit>>;

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
    steps.push({
      key: `replicas\0${exactKey([name, count])}`,
      prepare(list) {
        // r.hadId(name), without a closure per resource (a base of 20,000 objects, per replicas entry)
        const targets: Resource[] = [];
        for (const r of list) {
          const ids = r.ids;
          for (let i = 0; i < ids.length; i++)
            if (ids[i].name === name) {
              targets.push(r);
              break;
            }
        }
        return { targets };
      },
      apply(r) {
        applyReplicas([r], name, count);
        return r;
      },
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
 */
export function runSteps(steps: Step[], input: Resource[], findings: Finding[], was: StepMemo | undefined, now: StepMemo): Resource[] {
  let list = input;
  steps.forEach((step, j) => {
    const prepared = step.prepare(list, findings);
    const key = `${j}\0${step.key}${prepared.key === undefined ? '' : `\0${prepared.key}`}`;
    const before = was?.get(key);
    let after = now.get(key);
    // the last run's map goes on (a new one only once it holds many resources that are gone)
    if (!after) now.set(key, (after = before && before.size <= 2 * list.length + 64 ? before : new Map()));
    const targets = prepared.targets === 'all' ? undefined : prepared.targets;
    if (targets && targets.length === 0) return;
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
    list = out;
  });
  return list;
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
