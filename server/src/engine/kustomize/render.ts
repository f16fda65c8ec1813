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
import { printObject, remember, type RenderMemo } from './print';
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
import { legacySort } from './sort';
import { imageRules, kustomizationSteps, planPatches, runSteps, stepsCanRender, type PatchPlan, type StepMemo } from './steps';
import { parseYamlStream } from './yamlText';
import type { Json, JsonObject, KustomizeFs, RenderResult } from './types';

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
      ctx.findings.push(
        finding(KUSTOMIZE_ERROR, 'error', `${r.kind} ${r.name} is declared twice (the second comes from '${r.origin.file}')`, ref),
      );
      continue;
    }
    seen.ids.add(key);
    into.push(r);
  }
  seen.length = into.length;
  seen.last = into[into.length - 1];
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
  const resources: Resource[] = [];
  accumulateResources(ctx, k, resources, extra);
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

/** The resources and bases entries, into `resources`; the configs of the kustomizations they include, into `extra`. */
function accumulateResources(ctx: Ctx, k: KustomizationFile, resources: Resource[], extra: TransformerConfig): void {
  const { fs, findings } = ctx;
  const error = (message: string, ...at: (string | number)[]): void => {
    findings.push(finding(KUSTOMIZE_ERROR, 'error', message, k.locate(...at)));
  };
  for (const { entry, at, ref, path } of resourceEntries(k)) {
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
        addUnique(ctx, resources, sub.resources, ref);
        mergeConfig(extra, sub.config);
      }
      continue;
    }
    const text = fs.readFile(path);
    if (text === undefined) {
      error(`'${entry}' is neither a file nor a directory with a kustomization`, ...at);
      continue;
    }
    addUnique(ctx, resources, readResourceFile(ctx, path, text, ref), ref);
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
  if (top.shared && memo && ctx.vars.length === 0 && !resources.some((r) => r.needsHash)) return finishShared(ctx, memo, resources);
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
 * shared resources (one that loses an empty map is copied, once), and each object printed once.
 */
function finishShared(ctx: Ctx, memo: RenderMemo, resources: Resource[]): RenderResult {
  const kept: Resource[] = [];
  for (const r of resources) {
    const meta = r.obj.metadata;
    if (!isObject(meta)) {
      // the in-place render's `metadata` getter adds the map
      let c = memo.cleaned.get(r);
      if (!c) memo.cleaned.set(r, (c = r.copy()));
      dropEmptyMaps(c);
      kept.push(c);
      continue;
    }
    if (isObject(meta.annotations) && stringMap(meta.annotations)[LOCAL_CONFIG] === 'true') continue;
    const empty = (v: Json | undefined) => v === null || (isObject(v) && Object.keys(v).length === 0);
    if (!empty(meta.labels) && !empty(meta.annotations)) {
      kept.push(r);
      continue;
    }
    let c = memo.cleaned.get(r);
    if (!c) {
      c = r.copy();
      dropEmptyMaps(c);
      memo.cleaned.set(r, c);
    }
    kept.push(c);
  }
  return {
    objects: legacySort(kept, memo.sortKeys).map((r) => {
      let yaml = memo.byObject.get(r.obj);
      if (yaml === undefined) memo.byObject.set(r.obj, (yaml = printObject(r.obj, memo)));
      return { yaml, origin: r.origin };
    }),
    findings: ctx.findings,
  };
}
