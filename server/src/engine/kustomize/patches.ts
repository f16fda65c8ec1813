// patchesStrategicMerge, patches (strategic merge or JSON 6902, inline or from a file, with targets)
// and patchesJson6902: reads each entry and applies it to the resources it names or selects.
import { applyJsonPatch, PatchError } from './jsonPatch';
import { finding, KUSTOMIZE_ERROR, type KustomizationFile } from './kustomizationFile';
import { joinPath } from './paths';
import { deepCopy, exactKey, isObject, type Resource } from './resource';
import { strategicMerge } from './strategicMerge';
import { readSelector, selectorPredicate, selectResources, type Selector } from './target';
import type { Finding } from '../model/types';
import type { Json, JsonObject, KustomizeFs } from './types';
import { parseYamlStream } from './yamlText';

interface PatchSource {
  docs: Json[];
  /** the patch file, or `<kustomization>#<field>[i]` for an inline patch */
  label: string;
}

function parseYamlDocs(text: string): Json[] | string {
  const parsed = parseYamlStream(text);
  return 'error' in parsed ? parsed.error : parsed.docs;
}

/** A patch given as a path (read relative to the kustomization) or inline text. */
function readPatch(fs: KustomizeFs, k: KustomizationFile, value: string, inlineLabel: string, asPath: boolean): PatchSource | string {
  if (asPath) {
    const path = joinPath(k.dir, value);
    const text = fs.readFile(path);
    if (text === undefined) return `patch file '${value}' not found`;
    const docs = parseYamlDocs(text);
    return typeof docs === 'string' ? `patch file '${value}': ${docs}` : { docs, label: path };
  }
  const docs = parseYamlDocs(value);
  return typeof docs === 'string' ? `inline patch: ${docs}` : { docs, label: inlineLabel };
}

/** The one resource a strategic merge patch names by kind, name and namespace (original or current). */
function patchTarget(resources: Resource[], patch: JsonObject): Resource[] {
  return resources.filter(patchPicks(patch));
}

/** Whether a strategic merge patch names a resource (patchTarget, one resource at a time). */
function patchPicks(patch: JsonObject): (r: Resource) => boolean {
  const meta = isObject(patch.metadata) ? patch.metadata : {};
  const name = typeof meta.name === 'string' ? meta.name : '';
  const ns = typeof meta.namespace === 'string' ? meta.namespace : '';
  const apiVersion = typeof patch.apiVersion === 'string' ? patch.apiVersion : '';
  return (r) => r.kind === patch.kind && (apiVersion === '' || r.apiVersion === apiVersion) && r.hadId(name, ns);
}

/**
 * Applies a strategic merge patch to `r` (which it changes); false when the patch is a top-level
 * `$patch: delete` (the resource goes).
 */
function mergeOne(r: Resource, patch: JsonObject, label: string): boolean {
  if (patch.$patch === 'delete') return false;
  const copy = deepCopy(patch);
  const meta = isObject(copy.metadata) ? copy.metadata : (copy.metadata = {});
  meta.name = r.name;
  if (r.namespace) meta.namespace = r.namespace;
  else delete meta.namespace;
  // kustomize reads a patch's labels and annotations as strings: `null` there is the text "null", not a deletion
  for (const key of ['labels', 'annotations']) {
    const m = meta[key];
    if (isObject(m)) for (const [k, v] of Object.entries(m)) if (v === null) m[k] = 'null';
  }
  copy.kind = r.kind;
  copy.apiVersion = r.apiVersion;
  r.obj = strategicMerge(r.obj, copy) as JsonObject;
  r.origin.patches.push(label);
  return true;
}

/** Applies JSON 6902 operations to `r` (which it changes); the error's message when one fails. */
function jsonPatchOne(r: Resource, ops: Json, label: string): string | undefined {
  try {
    r.obj = applyJsonPatch(r.obj, ops) as JsonObject;
    r.origin.patches.push(label);
    return undefined;
  } catch (e) {
    if (!(e instanceof PatchError)) throw e;
    return e.message;
  }
}

export class Patcher {
  constructor(
    private readonly fs: KustomizeFs,
    private readonly k: KustomizationFile,
    private readonly findings: Finding[],
  ) {}

  private error(message: string, ...at: (string | number)[]): void {
    this.findings.push(finding(KUSTOMIZE_ERROR, 'error', message, this.k.locate(...at)));
  }

  /** Applies a strategic merge patch to one resource; a top-level `$patch: delete` removes it. */
  private merge(resources: Resource[], r: Resource, patch: JsonObject, label: string): void {
    if (!mergeOne(r, patch, label)) resources.splice(resources.indexOf(r), 1);
  }

  private mergeByName(resources: Resource[], src: PatchSource, at: (string | number)[]): void {
    for (const doc of src.docs) {
      if (!isObject(doc)) {
        this.error('a strategic merge patch must be a mapping (or give a `target` for a JSON 6902 patch)', ...at);
        continue;
      }
      const targets = patchTarget(resources, doc);
      const meta = isObject(doc.metadata) ? doc.metadata : {};
      const id = `${String(doc.kind)} ${String(meta.name ?? '')}${meta.namespace ? ` in namespace ${String(meta.namespace)}` : ''}`;
      if (targets.length === 0) this.error(`no resource matches the strategic merge patch for ${id}`, ...at);
      else if (targets.length > 1) this.error(`several resources match the strategic merge patch for ${id}`, ...at);
      else this.merge(resources, targets[0], doc, src.label);
    }
  }

  private jsonPatch(resources: Resource[], targets: Resource[], ops: Json, label: string, at: (string | number)[]): void {
    for (const r of targets) {
      const failed = jsonPatchOne(r, ops, label);
      if (failed !== undefined) this.error(`JSON patch on ${r.kind} ${r.name}: ${failed}`, ...at);
    }
    void resources;
  }

  private select(resources: Resource[], sel: Selector, at: (string | number)[]): Resource[] {
    const found = selectResources(resources, sel);
    if (typeof found === 'string') {
      this.error(found, ...at);
      return [];
    }
    return found;
  }

  patchesStrategicMerge(resources: Resource[]): void {
    this.k.list('patchesStrategicMerge').forEach((entry, i) => {
      const at = ['patchesStrategicMerge', i];
      if (typeof entry !== 'string') return this.error('each patchesStrategicMerge entry is a path or an inline patch', ...at);
      const isPath = !entry.includes('\n') && this.fs.readFile(joinPath(this.k.dir, entry)) !== undefined;
      const src = readPatch(this.fs, this.k, entry, `${this.k.path}#patchesStrategicMerge[${i}]`, isPath);
      if (typeof src === 'string') return this.error(src, ...at);
      this.mergeByName(resources, src, at);
    });
  }

  patches(resources: Resource[]): void {
    this.k.list('patches').forEach((entry, i) => {
      const at = ['patches', i];
      if (!isObject(entry)) return this.error('each patches entry needs `path` or `patch`', ...at);
      const hasPath = typeof entry.path === 'string';
      const hasPatch = typeof entry.patch === 'string';
      if (hasPath === hasPatch) return this.error('a patches entry needs exactly one of `path` and `patch`', ...at);
      const src = readPatch(this.fs, this.k, String(hasPath ? entry.path : entry.patch), `${this.k.path}#patches[${i}]`, hasPath);
      if (typeof src === 'string') return this.error(src, ...at, hasPath ? 'path' : 'patch');
      const sel = readSelector(entry.target);
      const isJson = src.docs.length === 1 && Array.isArray(src.docs[0]);
      if (isJson) {
        if (!sel) return this.error('a JSON 6902 patch needs a `target`', ...at);
        return this.jsonPatch(resources, this.select(resources, sel, [...at, 'target']), src.docs[0], src.label, at);
      }
      if (!sel) return this.mergeByName(resources, src, at);
      for (const r of this.select(resources, sel, [...at, 'target']))
        for (const doc of src.docs) if (isObject(doc)) this.merge(resources, r, doc, src.label);
    });
  }

  patchesJson6902(resources: Resource[]): void {
    this.k.list('patchesJson6902').forEach((entry, i) => {
      const at = ['patchesJson6902', i];
      if (!isObject(entry)) return this.error('each patchesJson6902 entry needs `target` and `path` or `patch`', ...at);
      const sel = readSelector(entry.target);
      if (!sel) return this.error('a patchesJson6902 entry needs a `target`', ...at);
      const hasPath = typeof entry.path === 'string';
      const raw = hasPath ? entry.path : entry.patch;
      if (typeof raw !== 'string' && !Array.isArray(raw)) return this.error('a patchesJson6902 entry needs `path` or `patch`', ...at);
      let ops: Json;
      let label = `${this.k.path}#patchesJson6902[${i}]`;
      if (Array.isArray(raw)) ops = raw;
      else {
        const src = readPatch(this.fs, this.k, raw, label, hasPath);
        if (typeof src === 'string') return this.error(src, ...at);
        ops = src.docs[0] ?? [];
        label = src.label;
      }
      this.jsonPatch(resources, this.select(resources, sel, [...at, 'target']), ops, label, at);
    });
  }
}

/**
 * One patch entry (or one document of a strategic merge patch) as a step of the incremental pipeline
 * (steps.ts): the same reads, findings and changes as Patcher, split into what concerns the whole list
 * (which resources it picks, and the findings about that) and what it does to one resource.
 */
export interface Step {
  /** what the step does, in full: two steps with the same key change the same resource the same way */
  key: string;
  /** the resources it changes (in list order) or 'all'; pushes the findings about the whole list */
  prepare(list: Resource[], findings: Finding[]): { targets: Resource[] | 'all'; key?: string };
  /** changes `r` (the step's own copy) and returns it, or null when it removes it; pushes the findings about `r` */
  apply(r: Resource, findings: Finding[]): Resource | null;
  /** whether `apply` leaves `obj` as it is (its copy need not copy the object) */
  shallow?: boolean;
  /**
   * The same choice as `prepare`, one resource at a time (steps.ts then re-checks only the resources that
   * changed since the last run): `prepare` picks exactly the resources `pick` accepts, and what it says
   * about the whole list depends only on how many that is: `finish` pushes those findings and says whether
   * the picked resources are changed at all (false: none is, as when `prepare` returns no targets).
   */
  select?: StepSelect;
}

export interface StepSelect {
  pick(r: Resource): boolean;
  finish(count: number, findings: Finding[]): boolean;
  /** the kind of every resource `pick` accepts, when it is one (the run then looks at that kind's resources only) */
  kind?: string;
}

/** Every resource, nothing said about the list. */
export const SELECT_ALL: StepSelect = { pick: () => true, finish: () => true };

const NONE = { targets: [] as Resource[] };

/** A step that only reports a bad entry, at its turn. */
function errorStep(k: KustomizationFile, message: string, at: (string | number)[]): Step {
  return {
    key: `error\0${message}\0${exactKey(at)}`,
    prepare(_list, findings) {
      findings.push(finding(KUSTOMIZE_ERROR, 'error', message, k.locate(...at)));
      return NONE;
    },
    apply: (r) => r,
  };
}

function mergeByNameSteps(k: KustomizationFile, src: PatchSource, at: (string | number)[]): Step[] {
  return src.docs.map((doc): Step => {
    if (!isObject(doc)) return errorStep(k, 'a strategic merge patch must be a mapping (or give a `target` for a JSON 6902 patch)', at);
    const meta = isObject(doc.metadata) ? doc.metadata : {};
    const id = `${String(doc.kind)} ${String(meta.name ?? '')}${meta.namespace ? ` in namespace ${String(meta.namespace)}` : ''}`;
    const pick = patchPicks(doc);
    const finish = (count: number, findings: Finding[]): boolean => {
      if (count === 1) return true;
      const message = `${count === 0 ? 'no resource matches' : 'several resources match'} the strategic merge patch for ${id}`;
      findings.push(finding(KUSTOMIZE_ERROR, 'error', message, k.locate(...at)));
      return false;
    };
    return {
      key: `merge\0${src.label}\0${exactKey(doc)}\0${exactKey(at)}`,
      prepare(list, findings) {
        const targets = list.filter(pick);
        return finish(targets.length, findings) ? { targets } : NONE;
      },
      apply: (r) => (mergeOne(r, doc, src.label) ? r : null),
      select: { pick, finish, ...(typeof doc.kind === 'string' ? { kind: doc.kind } : {}) },
    };
  });
}

/** Resources picked by a selector; an invalid one is a finding (and picks none). */
function selectStep(
  k: KustomizationFile,
  sel: Selector,
  at: (string | number)[],
  key: string,
  apply: (r: Resource, findings: Finding[]) => Resource | null,
): Step {
  const pick = selectorPredicate(sel);
  return {
    key: `${key}\0${exactKey(sel)}`,
    prepare(list, findings) {
      if (typeof pick !== 'string') return { targets: list.filter(pick) };
      findings.push(finding(KUSTOMIZE_ERROR, 'error', pick, k.locate(...at)));
      return NONE;
    },
    apply,
    ...(typeof pick === 'string' ? {} : { select: { pick, finish: () => true, ...(sel.kind ? { kind: sel.kind } : {}) } }),
  };
}

function jsonPatchStep(k: KustomizationFile, sel: Selector, ops: Json, label: string, at: (string | number)[]): Step {
  // a failure is reported on `at`: its place is part of what the step does
  const where = exactKey(k.locate(...at));
  return selectStep(k, sel, [...at, 'target'], `json\0${label}\0${exactKey(ops)}\0${where}`, (r, findings) => {
    const failed = jsonPatchOne(r, ops, label);
    if (failed !== undefined)
      findings.push(finding(KUSTOMIZE_ERROR, 'error', `JSON patch on ${r.kind} ${r.name}: ${failed}`, k.locate(...at)));
    return r;
  });
}

/**
 * The steps of one patch field, in Patcher's order; undefined for what the steps do not reproduce (a
 * strategic merge patch with a target and a `$patch: delete` document), which the renderer then runs
 * through Patcher.
 */
export function patchSteps(
  fs: KustomizeFs,
  k: KustomizationFile,
  field: 'patchesStrategicMerge' | 'patches' | 'patchesJson6902',
): Step[] | undefined {
  const steps: Step[] = [];
  const entries = k.list(field);
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    const at = [field, i];
    if (field === 'patchesStrategicMerge') {
      if (typeof entry !== 'string') {
        steps.push(errorStep(k, 'each patchesStrategicMerge entry is a path or an inline patch', at));
        continue;
      }
      const isPath = !entry.includes('\n') && fs.readFile(joinPath(k.dir, entry)) !== undefined;
      const src = readPatch(fs, k, entry, `${k.path}#patchesStrategicMerge[${i}]`, isPath);
      if (typeof src === 'string') steps.push(errorStep(k, src, at));
      else steps.push(...mergeByNameSteps(k, src, at));
    } else if (field === 'patches') {
      if (!isObject(entry)) {
        steps.push(errorStep(k, 'each patches entry needs `path` or `patch`', at));
        continue;
      }
      const hasPath = typeof entry.path === 'string';
      const hasPatch = typeof entry.patch === 'string';
      if (hasPath === hasPatch) {
        steps.push(errorStep(k, 'a patches entry needs exactly one of `path` and `patch`', at));
        continue;
      }
      const src = readPatch(fs, k, String(hasPath ? entry.path : entry.patch), `${k.path}#patches[${i}]`, hasPath);
      if (typeof src === 'string') {
        steps.push(errorStep(k, src, [...at, hasPath ? 'path' : 'patch']));
        continue;
      }
      const sel = readSelector(entry.target);
      const isJson = src.docs.length === 1 && Array.isArray(src.docs[0]);
      if (isJson) {
        if (!sel) steps.push(errorStep(k, 'a JSON 6902 patch needs a `target`', at));
        else steps.push(jsonPatchStep(k, sel, src.docs[0], src.label, at));
        continue;
      }
      if (!sel) {
        steps.push(...mergeByNameSteps(k, src, at));
        continue;
      }
      const docs = src.docs.filter(isObject);
      if (docs.some((d) => d.$patch === 'delete')) return undefined;
      steps.push(
        selectStep(k, sel, [...at, 'target'], `merge-target\0${src.label}\0${exactKey(docs)}`, (r) => {
          for (const doc of docs) mergeOne(r, doc, src.label);
          return r;
        }),
      );
    } else {
      if (!isObject(entry)) {
        steps.push(errorStep(k, 'each patchesJson6902 entry needs `target` and `path` or `patch`', at));
        continue;
      }
      const sel = readSelector(entry.target);
      if (!sel) {
        steps.push(errorStep(k, 'a patchesJson6902 entry needs a `target`', at));
        continue;
      }
      const hasPath = typeof entry.path === 'string';
      const raw = hasPath ? entry.path : entry.patch;
      if (typeof raw !== 'string' && !Array.isArray(raw)) {
        steps.push(errorStep(k, 'a patchesJson6902 entry needs `path` or `patch`', at));
        continue;
      }
      let ops: Json;
      let label = `${k.path}#patchesJson6902[${i}]`;
      if (Array.isArray(raw)) ops = raw;
      else {
        const src = readPatch(fs, k, raw, label, hasPath);
        if (typeof src === 'string') {
          steps.push(errorStep(k, src, at));
          continue;
        }
        ops = src.docs[0] ?? [];
        label = src.label;
      }
      steps.push(jsonPatchStep(k, sel, ops, label, at));
    }
  }
  return steps;
}
