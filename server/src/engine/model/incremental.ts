// Combining file models again after an edit, without going over every file: the model of the previous
// combine with the edited files' parts replaced. The result equals combineFileModels over the same files
// (test/engine/combine-incremental.test.ts compares them after random edit sequences); wherever an edit
// could change more than its own file's parts, it combines from scratch instead:
//   - the file list or the options changed;
//   - some file makes objects that depend on others: operators' objects, Pods folded into a controller,
//     selectors that split StatefulSets by ordinal;
//   - the edited file (before or after) holds admin, Cilium or Calico policies (sorted or filed model-wide),
//     an object key defined more than once, or declares or names other namespaces (in another order).
// The unchanged files' workloads stay the same objects from one model to the next.
import { addFileModel, emptyContributions, finishModel, type Contributions, type FileModel, type FileObject } from './build';
import { hasOrdinalSelectors } from './ordinals';
import type { Model, ModelOptions, Workload } from './types';

/** The model arrays made of per-file parts, in file order. */
const PARTS = [
  'findings',
  'skipped',
  'corefiles',
  'dnsConfigs',
  'cniHints',
  'read',
  'services',
  'policies',
  'endpoints',
  'configMaps',
] as const;
type Part = (typeof PARTS)[number];

/** At most this many files changed since the last combine for it to patch the model (else from scratch). */
const MAX_PATCHED_FILES = 8;

interface State {
  files: readonly FileModel[];
  optionsKey: string;
  model: Model;
  /** ends[part][i]: the length of that array after file i's part */
  ends: Record<Part, Int32Array>;
  /** how many times each object key is defined, over all files */
  keyCount: Map<string, number>;
  /** files whose objects depend on other files (see above): while there is one, every combine is from scratch */
  blocking: number;
  /** each file's place in `files` by uri (made on the first patch; the uris do not change while patching) */
  rank?: ReadonlyMap<string, number>;
}

/** The objects one file contributes to the model (its parts of the model's arrays, in model order). */
export interface PatchedParts {
  policies: Model['policies'];
  workloads: Workload[];
  services: Model['services'];
  configMaps: Model['configMaps'];
}

/**
 * What the last combine did: patched these files (their uris), or combined from scratch. A patch also
 * says what the patched files contribute now (`parts`) and each file's place in the file order (`rank`):
 * the model's arrays are in that order, so indexes over them can be patched (engine/model/lookup.ts).
 */
export type CombineKind =
  | { patched: string[]; from: Model; parts: ReadonlyMap<string, PatchedParts>; rank: ReadonlyMap<string, number> }
  | { patched?: undefined; from?: undefined; parts?: undefined; rank?: undefined };

export class IncrementalCombiner {
  private state?: State;
  /** how the last combine went (for tests and the benchmark) */
  last: CombineKind = {};

  combine(files: readonly FileModel[], opts: Partial<ModelOptions> = {}): Model {
    const optionsKey = JSON.stringify(opts);
    const prev = this.state;
    if (prev && prev.optionsKey === optionsKey && prev.blocking === 0 && prev.files.length === files.length) {
      const changed: number[] = [];
      for (let i = 0; i < files.length && changed.length <= MAX_PATCHED_FILES; i++) {
        if (files[i] === prev.files[i]) continue;
        if (files[i].uri !== prev.files[i].uri) {
          changed.length = MAX_PATCHED_FILES + 1;
          break;
        }
        changed.push(i);
      }
      if (changed.length <= MAX_PATCHED_FILES) {
        const from = prev.model;
        let s: State | undefined = prev;
        for (const i of changed) if (s) s = patch(s, i, files[i]);
        if (s) {
          const done: State = { ...s, files, rank: s.rank ?? uniqueRanks(files) };
          this.state = done;
          const rank = done.rank!;
          const parts = new Map(changed.map((i) => [files[i].uri, partsOf(done, i)] as const));
          this.last = { patched: changed.map((i) => files[i].uri), from, parts, rank };
          return s.model;
        }
      }
    }
    this.state = fromScratch(files, opts, optionsKey);
    this.last = {};
    return this.state.model;
  }
}

/** uri -> place in `files` (an empty map when two files share a uri: nothing is ranked then) */
function uniqueRanks(files: readonly FileModel[]): ReadonlyMap<string, number> {
  const m = new Map<string, number>();
  for (let i = 0; i < files.length; i++) {
    if (m.has(files[i].uri)) return new Map();
    m.set(files[i].uri, i);
  }
  return m;
}

/** File i's parts of the state's model arrays. */
function partsOf(s: State, i: number): PatchedParts {
  const slice = <T>(p: Part, a: readonly T[]) => a.slice(i === 0 ? 0 : s.ends[p][i - 1], s.ends[p][i]);
  const m = s.model;
  return {
    policies: slice('policies', m.policies),
    workloads: slice('read', m.workloads),
    services: slice('services', m.services),
    configMaps: slice('configMaps', m.configMaps),
  };
}

function lengths(acc: Contributions): Record<Part, number> {
  return {
    findings: acc.findings.length,
    skipped: acc.skipped.length,
    corefiles: acc.corefiles.length,
    dnsConfigs: acc.dnsConfigs.length,
    cniHints: acc.cniHints.length,
    read: acc.read.length,
    services: acc.services.length,
    policies: acc.policies.length,
    endpoints: acc.endpoints.length,
    configMaps: acc.configMaps.length,
  };
}

/** Whether a file's objects depend on other files' (or the other way round). */
function blocks(file: FileModel): boolean {
  const policies = [];
  const services = [];
  const admin = [];
  for (const o of file.objects) {
    if (o.kind === 'made') return true;
    if (o.kind === 'workload' && o.value.workload.kind === 'Pod' && o.value.owner?.kind) return true;
    if (o.kind === 'policy') policies.push(o.value);
    else if (o.kind === 'service') services.push(o.value);
    else if (o.kind === 'admin') admin.push(o.value);
  }
  return hasOrdinalSelectors(policies, services, admin);
}

function fromScratch(files: readonly FileModel[], opts: Partial<ModelOptions>, optionsKey: string): State {
  const acc = emptyContributions();
  const ends = Object.fromEntries(PARTS.map((p) => [p, new Int32Array(files.length)])) as Record<Part, Int32Array>;
  const keyCount = new Map<string, number>();
  let blocking = 0;
  files.forEach((file, i) => {
    addFileModel(acc, file);
    const l = lengths(acc);
    for (const p of PARTS) ends[p][i] = l[p];
    for (const o of file.objects) keyCount.set(o.key, (keyCount.get(o.key) ?? 0) + 1);
    if (blocks(file)) blocking++;
  });
  return { files, optionsKey, model: finishModel(acc, opts), ends, keyCount, blocking };
}

/** Names in order of first appearance. */
function distinct(names: Iterable<string>): string[] {
  return [...new Set(names)];
}

function declared(objects: readonly FileObject[]): string[] {
  return objects.flatMap((o) => (o.kind === 'namespace' ? [o.value.name] : []));
}

function named(objects: readonly FileObject[]): string[] {
  return distinct(objects.flatMap((o) => (o.namespace !== undefined ? [o.namespace] : [])));
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The state with file i replaced by `next`, or undefined when that needs a combine from scratch. */
function patch(s: State, i: number, next: FileModel): State | undefined {
  const old = s.files[i];
  const local = (o: FileObject) => o.kind === 'admin' || o.kind === 'cilium' || o.kind === 'calico' || o.kind === 'made';
  if (old.objects.some(local) || next.objects.some(local) || blocks(next)) return undefined;
  // every key of both versions defined once in the workspace (so no duplicate finding comes or goes)
  const oldKeys = new Set(old.objects.map((o) => o.key));
  if (oldKeys.size !== old.objects.length || [...oldKeys].some((k) => s.keyCount.get(k) !== 1)) return undefined;
  const newKeys = new Set(next.objects.map((o) => o.key));
  if (newKeys.size !== next.objects.length || [...newKeys].some((k) => !oldKeys.has(k) && s.keyCount.has(k))) return undefined;
  if (!sameList(declared(old.objects), declared(next.objects)) || !sameList(named(old.objects), named(next.objects))) return undefined;

  const seg = emptyContributions();
  addFileModel(seg, next);
  const segLen = lengths(seg);
  const m = s.model;
  const arrays: Record<Part, readonly unknown[]> = {
    findings: m.findings,
    skipped: m.skipped,
    corefiles: m.corefiles,
    dnsConfigs: m.dnsConfigs,
    cniHints: m.cniHints,
    read: m.workloads,
    services: m.services,
    policies: m.policies,
    endpoints: m.endpoints,
    configMaps: m.configMaps,
  };
  const parts: Record<Part, readonly unknown[]> = {
    ...seg,
    read: seg.read.map((r) => r.workload),
  };
  const out = {} as Record<Part, unknown[]>;
  const ends = { ...s.ends };
  for (const p of PARTS) {
    const start = i === 0 ? 0 : s.ends[p][i - 1];
    const end = s.ends[p][i];
    const a = arrays[p];
    // one copy of the array, the file's part replaced in place (spreading slices copied it three times)
    const part = parts[p];
    let next: unknown[];
    if (part.length === end - start) {
      next = a.slice();
      for (let k = 0; k < part.length; k++) next[start + k] = part[k];
    } else {
      next = a.slice(0, start);
      for (const x of part) next.push(x);
      for (let k = end; k < a.length; k++) next.push(a[k]);
    }
    out[p] = next;
    const delta = segLen[p] - (end - start);
    if (delta !== 0) {
      const e = (ends[p] = s.ends[p].slice());
      for (let j = i; j < e.length; j++) e[j] += delta;
    }
  }
  const namespaces = new Map(m.namespaces);
  for (const [name, ns] of seg.namespaces) namespaces.set(name, ns);
  // in place: a later patch that fails makes the caller combine from scratch, which counts again
  const keyCount = s.keyCount;
  for (const k of oldKeys) keyCount.delete(k);
  for (const k of newKeys) keyCount.set(k, 1);
  const model: Model = {
    ...m,
    namespaces,
    findings: out.findings as Model['findings'],
    skipped: out.skipped as Model['skipped'],
    corefiles: out.corefiles as Model['corefiles'],
    dnsConfigs: out.dnsConfigs as Model['dnsConfigs'],
    cniHints: out.cniHints as Model['cniHints'],
    workloads: out.read as Workload[],
    services: out.services as Model['services'],
    policies: out.policies as Model['policies'],
    endpoints: out.endpoints as Model['endpoints'],
    configMaps: out.configMaps as Model['configMaps'],
  };
  const files = s.files.slice();
  files[i] = next;
  return { ...s, files, model, ends, keyCount };
}
