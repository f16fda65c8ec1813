// Renders a kustomization the way `kubectl kustomize` (Kustomize v5) does, without running anything:
// resources and bases, components, generators, then the built-in transformers in kustomize's order,
// and at the top the generated names' hashes (with their references) and vars.
import type { Finding, SourceRef } from '../model/types';
import { defaultConfig, emptyConfig, mergeConfig, readConfigFile, type TransformerConfig } from './config';
import { absorbGenerated, Generators } from './generators';
import { contentHash } from './hash';
import {
  finding,
  KUSTOMIZATION_FILE_NAMES,
  KUSTOMIZE_ERROR,
  KUSTOMIZE_UNSUPPORTED,
  loadKustomization,
  type KustomizationFile,
  type LoadResult,
} from './kustomizationFile';
import { renameResources } from './nameReference';
import { Patcher } from './patches';
import { isRemote, joinPath, normalizePath } from './paths';
import { printObject, remember, type Finished, type Joined, type RenderMemo } from './print';
import { readVars, resolveVars, runReplacements, type Var } from './replacements';
import { cloneJson, isObject, Resource, stringMap } from './resource';
import {
  applyAnnotations,
  applyImages,
  applyLabels,
  applyNamespace,
  applyPrefixSuffix,
  applyReplicas,
  labelEntrySpecs,
} from './simpleTransforms';
import { keyOf, legacyOrder, legacySort, sameSortKey } from './sort';
import { imageRules, kustomizationSteps, planPatches, runSteps, stepsCanRender, type PatchPlan, type StepMemo } from './steps';
import { parseYamlStream } from './yamlText';
import type { Json, JsonObject, KustomizeFs, RenderedObject, RenderResult } from './types';

interface Ctx {
  fs: KustomizeFs;
  findings: Finding[];
  vars: Var[];
  /** directories being accumulated (a base that includes itself) */
  stack: string[];
  memo?: RenderMemo;
  /**
   * whether kustomizations may render through the steps (steps.ts): with a memo, and not inside one that
   * renders in place (which changes its resources, so they must be its own)
   */
  incremental: boolean;
}

/** Fields whose work NetLens does not do: the output lacks what they would add or change. */
const UNSUPPORTED: Record<string, string> = {
  helmCharts: 'Helm charts are not inflated',
  helmGlobals: 'Helm charts are not inflated',
  helmChartInflationGenerator: 'Helm charts are not inflated',
  generators: 'generator plugins and KRM functions are not run',
  validators: 'validator plugins are not run',
  crds: 'CRD schemas for name references are not read',
  openapi: 'custom OpenAPI schemas are not read',
};

function withDefaults(extra: TransformerConfig): TransformerConfig {
  const c = defaultConfig();
  mergeConfig(c, extra);
  return c;
}

function readResourceFile(ctx: Ctx, path: string, text: string, ref: SourceRef): Resource[] {
  if (!ctx.incremental || !ctx.memo) return readResources(parseMemo(ctx, text), path, ref, ctx.findings);
  // through the steps: the file's resources are kept by its text and shared (steps copy what they change)
  const memo = ctx.memo;
  let hit = memo.files.get(path);
  if (!hit || hit.text !== text) {
    const findings: Finding[] = [];
    hit = { text, resources: readResources(parseShared(memo, text), path, ref, findings), findings };
    remember(memo.files, path, hit);
  }
  // the findings' place is the resources entry that read the file
  for (const f of hit.findings) ctx.findings.push(f.ref === ref ? f : { ...f, ref });
  return hit.resources;
}

function readResources(parsed: ReturnType<typeof parseYamlStream>, path: string, ref: SourceRef, findings: Finding[]): Resource[] {
  const out: Resource[] = [];
  if ('error' in parsed) {
    findings.push(finding(KUSTOMIZE_ERROR, 'error', `invalid YAML in '${path}': ${parsed.error}`, ref));
    return out;
  }
  parsed.docs.forEach((v, i) => {
    const index = parsed.indexes[i];
    const objs = isObject(v) && typeof v.kind === 'string' && v.kind.endsWith('List') && Array.isArray(v.items) ? v.items : [v];
    for (const o of objs) {
      if (!isObject(o) || typeof o.kind !== 'string' || !isObject(o.metadata) || o.metadata.name === undefined) {
        findings.push(
          finding(KUSTOMIZE_ERROR, 'error', `'${path}' document ${index + 1} is not a Kubernetes object with kind and metadata.name`, ref),
        );
        continue;
      }
      out.push(new Resource(o, { file: path, index, kustomizations: [], patches: [] }));
    }
  });
  return out;
}

/** A resource file's documents, parsed once per text and not copied (only for resources nothing changes). */
function parseShared(memo: RenderMemo, text: string): ReturnType<typeof parseYamlStream> {
  const hit = memo.parsed.get(text);
  if (hit) return hit;
  const parsed = parseYamlStream(text);
  if (!('error' in parsed)) remember(memo.parsed, text, parsed);
  return parsed;
}

/** A resource file's documents: parsed once per text when renders share a memo, cloned for each use. */
function parseMemo(ctx: Ctx, text: string): ReturnType<typeof parseYamlStream> {
  if (!ctx.memo) return parseYamlStream(text);
  let hit = ctx.memo.parsed.get(text);
  if (!hit) {
    const parsed = parseYamlStream(text);
    if ('error' in parsed) return parsed;
    hit = parsed;
    remember(ctx.memo.parsed, text, hit);
  }
  return { docs: hit.docs.map(cloneJson), indexes: hit.indexes };
}

/** The ids already in a list addUnique adds to, kept while the list only grows through addUnique. */
const idsIn = new WeakMap<Resource[], { ids: Set<string>; length: number; last: Resource | undefined }>();

function idKey(x: Resource): string {
  return `${x.kind}\0${x.group}\0${x.name}\0${x.namespace || 'default'}`;
}

/** idKey of the resources the incremental render shares (never changed, so their key stays). */
const sharedIdKeys = new WeakMap<Resource, string>();

function sharedIdKey(x: Resource): string {
  let key = sharedIdKeys.get(x);
  if (key === undefined) sharedIdKeys.set(x, (key = idKey(x)));
  return key;
}

// A set of ids instead of a scan of the list for each resource: a base listing 10,000 files took
// minutes (quadratic) to accumulate.
function addUnique(ctx: Ctx, into: Resource[], add: Resource[], ref: SourceRef): void {
  let seen = idsIn.get(into);
  if (!seen || seen.length !== into.length || seen.last !== into[into.length - 1]) {
    seen = { ids: new Set(into.map(idKey)), length: into.length, last: into[into.length - 1] };
    idsIn.set(into, seen);
  }
  const keyOf = ctx.incremental ? sharedIdKey : idKey;
  for (const r of add) {
    const key = keyOf(r);
    if (seen.ids.has(key)) {
      ctx.findings.push(declaredTwice(r, ref));
      continue;
    }
    seen.ids.add(key);
    into.push(r);
  }
  seen.length = into.length;
  seen.last = into[into.length - 1];
}

function declaredTwice(r: Resource, ref: SourceRef): Finding {
  return finding(KUSTOMIZE_ERROR, 'error', `${r.kind} ${r.name} is declared twice (the second comes from '${r.origin.file}')`, ref);
}

/** Changed resources beyond this many: a list is joined (or finished) again from the start. */
const MAX_CHANGED = 256;

/**
 * The resources entries' lists joined into a kustomization's list, as addUnique does: from the last join
 * when it had no duplicate and few resources differ (by identity) in the lists, with its ids patched, so a
 * base of 20,000 objects whose entries give the same lists gives the same list back (and the steps then
 * find the same input), and an edit to one file costs that file's objects.
 */
function joinParts(ctx: Ctx, memo: RenderMemo, k: KustomizationFile, got: Parts): Resource[] {
  const prev = memo.joined.get(k.path);
  if (prev && prev.parts.length === got.parts.length) {
    const list = rejoin(prev, got.parts);
    if (list) {
      memo.joined.set(k.path, { parts: got.parts, list, ids: prev.ids, k, epoch: memo.session?.epoch, files: got.files });
      return list;
    }
  }
  // from the start (rejoin may have changed the last join's ids): each entry's findings, then its resources
  memo.joined.delete(k.path);
  const tail = ctx.findings.splice(got.start);
  const ids = new Set<string>();
  const list: Resource[] = [];
  let at = 0;
  let twice = false;
  got.parts.forEach((part, e) => {
    for (; at < got.marks[e] - got.start; at++) ctx.findings.push(tail[at]);
    for (const r of part) {
      const key = sharedIdKey(r);
      if (ids.has(key)) {
        ctx.findings.push(declaredTwice(r, got.refs[e]));
        twice = true;
        continue;
      }
      ids.add(key);
      list.push(r);
    }
  });
  for (; at < tail.length; at++) ctx.findings.push(tail[at]);
  if (!twice) memo.joined.set(k.path, { parts: got.parts, list, ids, k, epoch: memo.session?.epoch, files: got.files });
  return list;
}

/** The joined list from the last join's (`prev`, whose ids it changes), or undefined when that is not the same as joining. */
function rejoin(prev: Joined, parts: Resource[][]): Resource[] | undefined {
  const removed: Resource[] = [];
  const added: Resource[] = [];
  let sameLengths = true;
  for (let e = 0; e < parts.length; e++) {
    const a = prev.parts[e];
    const b = parts[e];
    if (a === b) continue;
    if (a.length !== b.length) {
      sameLengths = false;
      removed.push(...a);
      added.push(...b);
    } else
      for (let i = 0; i < a.length; i++)
        if (a[i] !== b[i]) {
          removed.push(a[i]);
          added.push(b[i]);
        }
    if (removed.length > MAX_CHANGED || added.length > MAX_CHANGED) return undefined;
  }
  if (removed.length === 0 && added.length === 0) return prev.list;
  for (const r of removed) prev.ids.delete(sharedIdKey(r));
  for (const r of added) {
    const key = sharedIdKey(r);
    if (prev.ids.has(key)) return undefined;
    prev.ids.add(key);
  }
  if (!sameLengths) {
    const list: Resource[] = [];
    for (const p of parts) for (const r of p) list.push(r);
    return list;
  }
  const list = prev.list.slice();
  let off = 0;
  for (let e = 0; e < parts.length; e++) {
    const a = prev.parts[e];
    const b = parts[e];
    if (a !== b) for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) list[off + i] = b[i];
    off += b.length;
  }
  return list;
}

/** A kustomization's resources entries' lists, with where their findings end in ctx.findings (joinParts). */
interface Parts {
  parts: Resource[][];
  refs: SourceRef[];
  /** ctx.findings' length when the entries began, and after each list's entry */
  start: number;
  marks: number[];
  /** by entry (its index in resourceEntries): a resource file's resources, when reading it said nothing */
  files: (Resource[] | undefined)[];
}

interface Accumulated {
  resources: Resource[];
  config: TransformerConfig;
  /** whether the resources came through the steps: shared with the memo, never to be changed in place */
  shared: boolean;
}

/** The kustomization file in `dir`; through the steps, kept by path and text (the questions asked are the same). */
function load(ctx: Ctx, dir: string): LoadResult {
  const memo = ctx.memo;
  if (!ctx.incremental || !memo) return loadKustomization(ctx.fs, dir);
  const names = ctx.fs.listDir(dir);
  const present = KUSTOMIZATION_FILE_NAMES.filter((n) => (names ? names.includes(n) : ctx.fs.readFile(joinPath(dir, n)) !== undefined));
  if (present.length !== 1) return loadKustomization(ctx.fs, dir);
  const path = joinPath(dir, present[0]);
  const text = ctx.fs.readFile(path);
  const hit = memo.kustomizations.get(path);
  if (hit && text !== undefined && hit.text === text) return hit.loaded;
  const loaded = loadKustomization(ctx.fs, dir);
  if (text !== undefined) remember(memo.kustomizations, path, { text, loaded });
  return loaded;
}

/** Accumulates one kustomization (or component, into `parent`); undefined when it cannot be loaded. */
function accumulate(ctx: Ctx, dir: string, parent: Resource[] | undefined, ref: SourceRef): Accumulated | undefined {
  if (ctx.stack.includes(dir)) {
    ctx.findings.push(finding(KUSTOMIZE_ERROR, 'error', `'${dir}' includes itself (through ${ctx.stack.join(' -> ')})`, ref));
    return undefined;
  }
  const loaded = load(ctx, dir);
  ctx.findings.push(...loaded.findings);
  if (!loaded.file) {
    ctx.findings.push(finding(KUSTOMIZE_ERROR, 'error', loaded.message, ref));
    return undefined;
  }
  let k = loaded.file;
  const isComponent = parent !== undefined;
  const kind = k.get('kind');
  if (isComponent && kind !== 'Component')
    ctx.findings.push(finding(KUSTOMIZE_ERROR, 'error', `'${dir}' is listed as a component but its kind is not Component`, ref));
  if (!isComponent && kind === 'Component')
    ctx.findings.push(finding(KUSTOMIZE_ERROR, 'error', `'${dir}' is a Component: list it under components, not resources`, ref));
  ctx.stack.push(dir);
  const incremental = ctx.incremental;
  try {
    if (incremental && ctx.memo && !isComponent && stepsCanRender(k)) {
      const plan = planPatches(ctx.fs, k);
      if (plan) return accumulateSteps(ctx, ctx.memo, k, plan);
    }
    // in place, and so is everything it includes; its own copy of the kustomization file (the memo's is shared)
    if (incremental && ctx.memo) k = loadKustomization(ctx.fs, dir).file ?? k;
    ctx.incremental = false;
    return { ...accumulateFile(ctx, k, parent ?? []), shared: false };
  } finally {
    ctx.incremental = incremental;
    ctx.stack.pop();
  }
}

/** Warnings for the fields whose work NetLens does not do. */
function warnUnsupported(ctx: Ctx, k: KustomizationFile): void {
  for (const [field, why] of Object.entries(UNSUPPORTED))
    if (k.get(field) !== undefined && k.get(field) !== null)
      ctx.findings.push(
        finding(KUSTOMIZE_UNSUPPORTED, 'warning', `${field}: ${why}; the rendered output lacks their effect`, k.locateKey(field)),
      );
}

/** A kustomization whose own work is all steps (steps.ts): its resources, then its steps, with the last render's results. */
function accumulateSteps(ctx: Ctx, memo: RenderMemo, k: KustomizationFile, plan: PatchPlan): Accumulated {
  const extra = emptyConfig();
  warnUnsupported(ctx, k);
  const got: Parts = { parts: [], refs: [], start: ctx.findings.length, marks: [], files: [] };
  accumulateResources(ctx, k, got, extra);
  const resources = joinParts(ctx, memo, k, got);
  readConfigurations(ctx, k, extra);
  const steps = kustomizationSteps(k, plan, withDefaults(extra));
  const now: StepMemo = new Map();
  const out = runSteps(steps, resources, ctx.findings, memo.steps.get(k.path), now);
  memo.steps.set(k.path, now);
  return { resources: out, config: extra, shared: true };
}

function accumulateFile(ctx: Ctx, k: KustomizationFile, resources: Resource[]): { resources: Resource[]; config: TransformerConfig } {
  const { fs, findings } = ctx;
  const extra = emptyConfig();
  const error = (message: string, ...at: (string | number)[]): void => {
    findings.push(finding(KUSTOMIZE_ERROR, 'error', message, k.locate(...at)));
  };
  warnUnsupported(ctx, k);
  accumulateResources(ctx, k, resources, extra);
  readConfigurations(ctx, k, extra);

  // generators, then components (which see everything so far)
  const gen = new Generators(fs, k, findings);
  for (const field of ['configMapGenerator', 'secretGenerator'] as const)
    absorbGenerated(resources, gen.generate(field), (m) => error(m, field));
  k.list('components').forEach((c, i) => {
    const ref = k.locate('components', i);
    if (typeof c !== 'string') return error('a components entry is a path', 'components', i);
    if (isRemote(c)) return void findings.push(finding(KUSTOMIZE_UNSUPPORTED, 'warning', `remote component '${c}' is not fetched`, ref));
    const sub = accumulate(ctx, joinPath(k.dir, c), resources, ref);
    if (sub) mergeConfig(extra, sub.config);
  });

  // the built-in transformers, in kustomize's order
  const config = withDefaults(extra);
  const patcher = new Patcher(fs, k, findings);
  patcher.patchesStrategicMerge(resources);
  patcher.patches(resources);
  const ns = k.get('namespace');
  if (typeof ns === 'string' && ns !== '') applyNamespace(resources, ns);
  const prefix = k.get('namePrefix');
  const suffix = k.get('nameSuffix');
  applyPrefixSuffix(resources, typeof prefix === 'string' ? prefix : '', typeof suffix === 'string' ? suffix : '', config.nameReference);
  applyLabels(resources, stringMap(k.get('commonLabels')), config.commonLabels);
  k.list('labels').forEach((l) => {
    if (!isObject(l)) return;
    const fields = Array.isArray(l.fields)
      ? l.fields.filter(isObject).map((f) => ({ ...f, path: String(f.path), create: f.create === true }) as never)
      : [];
    applyLabels(
      resources,
      stringMap(l.pairs),
      labelEntrySpecs(l.includeSelectors === true, l.includeTemplates === true, fields, config.commonLabels),
    );
  });
  applyAnnotations(resources, stringMap(k.get('commonAnnotations')), config.commonAnnotations);
  patcher.patchesJson6902(resources);
  k.list('replicas').forEach((r, i) => {
    if (!isObject(r) || typeof r.name !== 'string') return error('a replicas entry needs name and count', 'replicas', i);
    applyReplicas(resources, r.name, r.count ?? 0);
  });
  const images = imageRules(k);
  if (images.length) applyImages(resources, images);
  runReplacements(fs, k, resources, findings);
  runBuiltinTransformers(ctx, k, resources, config);
  ctx.vars.push(...readVars(k, findings));
  for (const r of resources) r.origin.kustomizations.push(k.path);
  return { resources, config: extra };
}

/**
 * The resources and bases entries, into `resources` (or, through the steps, their lists into `into`, for
 * joinParts); the configs of the kustomizations they include, into `extra`.
 */
function accumulateResources(ctx: Ctx, k: KustomizationFile, into: Resource[] | Parts, extra: TransformerConfig): void {
  const { fs, findings } = ctx;
  const add = (list: Resource[], ref: SourceRef): void => {
    if (Array.isArray(into)) return addUnique(ctx, into, list, ref);
    into.parts.push(list);
    into.refs.push(ref);
    into.marks.push(findings.length);
  };
  const error = (message: string, ...at: (string | number)[]): void => {
    findings.push(finding(KUSTOMIZE_ERROR, 'error', message, k.locate(...at)));
  };
  // through the steps, in a render whose cache keeps the last render's reads (the same questions, the answers
  // of the files that did not change since): the resource files that did not change give the resources they
  // gave the last time this kustomization file was accumulated, without asking (a base of 11,000 files)
  const memo = ctx.memo;
  const same = !Array.isArray(into) && memo?.session?.sinceLast;
  const last = same ? memo.joined.get(k.path) : undefined;
  const kept = last && last.k === k && last.epoch !== undefined && last.epoch >= memo!.session!.epoch - 1 ? last.files : undefined;
  const entries = resourceEntries(k);
  for (let e = 0; e < entries.length; e++) {
    const { entry, at, ref, path } = entries[e];
    const had = kept?.[e];
    if (had && same && path !== undefined && same(path)) {
      add(had, ref);
      (into as Parts).files[e] = had;
      continue;
    }
    if (path === undefined) {
      if (typeof entry !== 'string') error('a resources entry is a path', ...at);
      else
        findings.push(
          finding(KUSTOMIZE_UNSUPPORTED, 'warning', `remote base '${entry}' is not fetched; its objects are missing from the output`, ref),
        );
      continue;
    }
    if (fs.isDir(path)) {
      const sub = accumulate(ctx, path, undefined, ref);
      if (sub) {
        add(sub.resources, ref);
        mergeConfig(extra, sub.config);
      }
      continue;
    }
    const text = fs.readFile(path);
    if (text === undefined) {
      error(`'${entry}' is neither a file nor a directory with a kustomization`, ...at);
      continue;
    }
    const resources = readResourceFile(ctx, path, text, ref);
    add(resources, ref);
    if (!Array.isArray(into) && memo) {
      const hit = memo.files.get(path);
      if (hit?.resources === resources && hit.findings.length === 0) into.files[e] = resources;
    }
  }
}

interface ResourceEntry {
  entry: Json;
  at: (string | number)[];
  ref: SourceRef;
  /** the path it names; undefined for an entry that is not a path, or a remote one */
  path?: string;
}

/** Each kustomization file's resources and bases entries, with their places and paths (kept: the steps keep the file). */
const entriesOf = new WeakMap<KustomizationFile, ResourceEntry[]>();

function resourceEntries(k: KustomizationFile): ResourceEntry[] {
  let out = entriesOf.get(k);
  if (out) return out;
  out = [];
  // resources (and the deprecated bases, which kustomize appends to them)
  for (const field of ['resources', 'bases'])
    k.list(field).forEach((entry, i) => {
      const at = [field, i];
      if (typeof entry !== 'string') return void out!.push({ entry, at, ref: k.locate(...at) });
      const ref = k.locate(...at);
      out!.push({ entry, at, ref, ...(isRemote(entry) ? {} : { path: joinPath(k.dir, entry) }) });
    });
  entriesOf.set(k, out);
  return out;
}

/** The `configurations` files' field specs, into `extra`. */
function readConfigurations(ctx: Ctx, k: KustomizationFile, extra: TransformerConfig): void {
  const { fs, findings } = ctx;
  const error = (message: string, ...at: (string | number)[]): void => {
    findings.push(finding(KUSTOMIZE_ERROR, 'error', message, k.locate(...at)));
  };
  k.list('configurations').forEach((c, i) => {
    const text = typeof c === 'string' ? fs.readFile(joinPath(k.dir, c)) : undefined;
    if (text === undefined) return error(`configurations file '${String(c)}' not found`, 'configurations', i);
    const read = readConfigFile(text);
    if (typeof read === 'string') return error(`configurations file '${String(c)}': ${read}`, 'configurations', i);
    mergeConfig(extra, read.config);
    if (read.ignored.length)
      findings.push(
        finding(
          KUSTOMIZE_UNSUPPORTED,
          'warning',
          `configurations '${String(c)}': ${read.ignored.join(', ')} not applied`,
          k.locate('configurations', i),
        ),
      );
  });
}

/** `transformers:` entries that configure kustomize's own transformers (`apiVersion: builtin`); plugins and KRM functions are not run. */
function runBuiltinTransformers(ctx: Ctx, k: KustomizationFile, resources: Resource[], config: TransformerConfig): void {
  k.list('transformers').forEach((entry, i) => {
    const ref = k.locate('transformers', i);
    const unsupported = (what: string) =>
      void ctx.findings.push(finding(KUSTOMIZE_UNSUPPORTED, 'warning', `${what} is not run; the rendered output lacks its effect`, ref));
    if (typeof entry !== 'string') return unsupported('this transformer');
    const text = entry.includes('\n') ? entry : ctx.fs.readFile(joinPath(k.dir, entry));
    if (text === undefined)
      return void ctx.findings.push(finding(KUSTOMIZE_ERROR, 'error', `transformer config '${entry}' not found`, ref));
    const parsed = parseYamlStream(text);
    if ('error' in parsed)
      return void ctx.findings.push(finding(KUSTOMIZE_ERROR, 'error', `transformer config '${entry}': ${parsed.error}`, ref));
    for (const t of parsed.docs) {
      if (!isObject(t) || t.apiVersion !== 'builtin') {
        unsupported(`transformer plugin ${isObject(t) ? String(t.kind) : ''} (a KRM function or exec plugin)`);
        continue;
      }
      const specs = (v: Json | undefined) =>
        Array.isArray(v)
          ? v.filter(isObject).map((f) => ({
              path: String(f.path),
              kind: f.kind as string | undefined,
              group: f.group as string | undefined,
              version: f.version as string | undefined,
              create: f.create === true,
            }))
          : undefined;
      switch (t.kind) {
        case 'LabelTransformer':
          applyLabels(resources, stringMap(t.labels), specs(t.fieldSpecs) ?? config.commonLabels);
          break;
        case 'AnnotationsTransformer':
          applyAnnotations(resources, stringMap(t.annotations), specs(t.fieldSpecs) ?? config.commonAnnotations);
          break;
        case 'NamespaceTransformer':
          if (isObject(t.metadata) && typeof t.metadata.namespace === 'string') applyNamespace(resources, t.metadata.namespace);
          break;
        case 'PrefixSuffixTransformer':
        case 'PrefixTransformer':
        case 'SuffixTransformer':
          applyPrefixSuffix(
            resources,
            typeof t.prefix === 'string' ? t.prefix : '',
            typeof t.suffix === 'string' ? t.suffix : '',
            config.nameReference,
          );
          break;
        case 'ImageTagTransformer':
          if (isObject(t.imageTag) && typeof t.imageTag.name === 'string')
            applyImages(resources, [
              {
                name: t.imageTag.name,
                newName: t.imageTag.newName as string | undefined,
                newTag: t.imageTag.newTag == null ? undefined : String(t.imageTag.newTag),
                digest: t.imageTag.digest as string | undefined,
              },
            ]);
          break;
        case 'ReplicaCountTransformer':
          if (isObject(t.replica) && typeof t.replica.name === 'string') applyReplicas(resources, t.replica.name, t.replica.count ?? 0);
          break;
        default:
          unsupported(`builtin ${String(t.kind)} given under transformers`);
      }
    }
  });
}

/** Renders the kustomization in `dir`. Never throws: every problem is a finding on the line that caused it. */
export function renderKustomization(fs: KustomizeFs, dir: string, memo?: RenderMemo): RenderResult {
  const ctx: Ctx = { fs, findings: [], vars: [], stack: [], incremental: memo !== undefined, ...(memo ? { memo } : {}) };
  const root = normalizePath(dir);
  const top = accumulate(ctx, root, undefined, { uri: root, start: 0, end: 0 });
  if (!top) return { objects: [], findings: ctx.findings };
  let resources = top.resources;
  if (top.shared && memo && ctx.vars.length === 0 && !resources.some((r) => r.needsHash)) return finishShared(ctx, memo, root, resources);
  // hashes and vars change objects in place, across objects: on copies of the shared ones
  if (top.shared) resources = resources.map((r) => r.copy());
  const config = withDefaults(top.config);
  const hashed = new Map<Resource, string>();
  for (const r of resources) if (r.needsHash) hashed.set(r, `${r.name}-${contentHash(r.obj)}`);
  renameResources(resources, hashed, config.nameReference);
  resolveVars(ctx.vars, resources, config.varReference, ctx.findings);
  const kept = resources.filter((r) => stringMap(r.metadata.annotations)[LOCAL_CONFIG] !== 'true');
  // kustomize rewrites labels and annotations through its own bookkeeping, which drops empty ones
  for (const r of kept) dropEmptyMaps(r);
  return {
    objects: legacySort(kept).map((r) => ({ yaml: printObject(r.obj as JsonObject, memo), origin: r.origin })),
    findings: ctx.findings,
  };
}

const LOCAL_CONFIG = 'config.kubernetes.io/local-config';

function dropEmptyMaps(r: Resource): void {
  for (const key of ['labels', 'annotations']) {
    const v = r.metadata[key];
    if (v === null || (isObject(v) && Object.keys(v).length === 0)) delete r.metadata[key];
  }
}

/**
 * The end of a render through the steps (no hashes, no vars): the same as in place, without changing the
 * shared resources (one that loses an empty map is copied, once), and each object printed once. From the
 * last render of the same root when few resources differ and each keeps its place in the order (its sort
 * key): the sorted output is the last one with those objects replaced, not sorted again.
 */
function finishShared(ctx: Ctx, memo: RenderMemo, root: string, resources: Resource[]): RenderResult {
  const prev = memo.finished.get(root);
  const again = prev && refinish(memo, prev, resources);
  if (again) {
    memo.finished.set(root, again);
    return { objects: again.objects, findings: ctx.findings };
  }
  memo.finished.delete(root);
  const kept: Resource[] = [];
  for (const r of resources) {
    const c = finished(memo, r);
    if (c) kept.push(c);
  }
  const order = legacyOrder(kept, memo.sortKeys);
  const objects: RenderResult['objects'] = new Array(order.length);
  const place = new Int32Array(order.length);
  for (let j = 0; j < order.length; j++) {
    const r = kept[order[j]];
    place[order[j]] = j;
    objects[j] = outputOf(memo, r);
  }
  // only a render that kept every resource is patched (positions in `resources` are then positions in `kept`)
  if (kept.length === resources.length) memo.finished.set(root, { resources, kept, place, objects });
  return { objects, findings: ctx.findings };
}

/** A resource the steps made as an output object: kept per resource (an unchanged one is the same output object). */
function outputOf(memo: RenderMemo, r: Resource): RenderedObject {
  let out = memo.outputs.get(r);
  if (!out) {
    let yaml = memo.byObject.get(r.obj);
    if (yaml === undefined) memo.byObject.set(r.obj, (yaml = printObject(r.obj, memo)));
    memo.outputs.set(r, (out = { yaml, origin: r.origin }));
  }
  return out;
}

/** finishShared's output from the last one, or undefined when it has to be made from the start. */
function refinish(memo: RenderMemo, prev: Finished, resources: Resource[]): Finished | undefined {
  if (prev.resources.length !== resources.length) return undefined;
  const changed: number[] = [];
  for (let i = 0; i < resources.length; i++)
    if (resources[i] !== prev.resources[i]) {
      changed.push(i);
      if (changed.length > MAX_CHANGED) return undefined;
    }
  if (changed.length === 0) return { ...prev, resources };
  const kept = prev.kept.slice();
  const objects = prev.objects.slice();
  for (const i of changed) {
    const c = finished(memo, resources[i]);
    if (!c || !sameSortKey(keyOf(c, memo.sortKeys), keyOf(prev.kept[i], memo.sortKeys))) return undefined;
    kept[i] = c;
    objects[prev.place[i]] = outputOf(memo, c);
  }
  return { resources, kept, place: prev.place, objects };
}

/** A resource as the output has it: itself, its copy without empty labels and annotations, or undefined (local config). */
function finished(memo: RenderMemo, r: Resource): Resource | undefined {
  const meta = r.obj.metadata;
  if (!isObject(meta)) {
    // the in-place render's `metadata` getter adds the map
    let c = memo.cleaned.get(r);
    if (!c) memo.cleaned.set(r, (c = r.copy()));
    dropEmptyMaps(c);
    return c;
  }
  if (isObject(meta.annotations) && stringMap(meta.annotations)[LOCAL_CONFIG] === 'true') return undefined;
  const empty = (v: Json | undefined) => v === null || (isObject(v) && Object.keys(v).length === 0);
  if (!empty(meta.labels) && !empty(meta.annotations)) return r;
  let c = memo.cleaned.get(r);
  if (!c) {
    c = r.copy();
    dropEmptyMaps(c);
    memo.cleaned.set(r, c);
  }
  return c;
}
