// Loads the paths of a CLI run into a Model, with a Locator for file:line:col output.
// Large inputs are read and parsed on worker threads (dist/parseWorker.js, the language server's
// pool); small ones, one thread (--threads 1), or what workers could not parse, on this thread.
import path from 'node:path';
import { analyze, parseSourceFile, type SourceText } from '../engine';
import { combineFileModels, DEFAULT_OPTIONS, readFileModel, type FileModel } from '../engine/model/build';
import { renderedFileModel, type ObjectModelCache } from '../engine/model/renderedFileModel';
import { printStream } from '../engine/kustomize';
import type { Finding, Model, ModelOptions, Skip } from '../engine/model/types';
import type { KustomizeRenderCache, OriginMap, Scope } from '../engine/scopes';
import { loadScopes, memoryFs, pickScope, scopesOf, viewOf, type CliScopes } from './scopes';
import { Locator } from '../engine/report/locate';
import { readError, readFound, readWalked, walkPaths, type FoundFile, type Walked } from './files';
import { UsageError } from './args';
import { autoParseThreads, ParsePool, type ParseResult } from '../workspace/parsePool';

export interface Loaded {
  model: Model;
  locator: Locator;
  /** the texts read (quick fixes need them) */
  sources: readonly SourceText[];
  /** the renderer's findings (kustomization lines, a chart not rendered), in source files */
  scopeFindings: Finding[];
  /** maps the places of a rendered scope's findings to their sources */
  origins?: OriginMap;
}

export interface LoadOptions {
  options: Partial<ModelOptions>;
  /** parse threads: 0 auto (one per core, at most 4), 1 this thread only */
  threads: number;
  verbose: boolean;
  /** --max-size-kb, in bytes: larger files are skipped */
  maxFileBytes: number;
  /** --scope: the scope to analyse (default: the only one) */
  scope?: string;
  /** --helm: the helm that renders Helm scopes (default: helm on PATH) */
  helmPath?: string;
  /** the render cache shared by the loads of one run (`netlens diff`'s two versions); default: one per load */
  renderCache?: KustomizeRenderCache;
  /**
   * rendered objects' models by text, shared by the loads of one run: a rendered Kustomize scope is then
   * read object by object, so `netlens diff`'s second version parses only the objects that changed
   */
  objectModels?: ObjectModelCache;
  err(text: string): void;
}

// A batch (one message to a worker) closes at 32 files or 256 KB, so that a few large files still
// spread over the workers; each worker has two batches in flight, so one that finishes early takes
// the next batch instead of waiting behind a fixed share.
const BATCH_FILES = 32;
const BATCH_BYTES = 256 * 1024;
const IN_FLIGHT = 2;
// Workers pay off from about 2 MB of input, a file counting 128 bytes more than its size: parsing on
// one thread costs ~0.45 s per MB plus ~55 us per file; workers add ~0.3-0.5 s of CPU (starting,
// warming up their JIT, copying file models back). On 2 cores (npm run bench workspaces, --threads 1
// against 2, medians of 7-9 runs): 600 files (1 MB) 0.89 against 0.94 s, 1,177 files (2 MB) 1.27
// against 1.15 s, 2,304 files (3.8 MB) 2.67 against 2.34 s; 5,000 files of 170 bytes were even.
const FILE_COST_BYTES = 128;
const MIN_COST_FOR_WORKERS = 2 * 1024 * 1024;
// Tests lower the threshold to run workers on small inputs: NETLENS_CLI_WORKERS_MIN_BYTES=0.
function minCostForWorkers(): number {
  const v = process.env.NETLENS_CLI_WORKERS_MIN_BYTES;
  return v !== undefined && /^\d+$/.test(v) ? Number(v) : MIN_COST_FOR_WORKERS;
}

export async function loadModel(paths: readonly string[], lo: LoadOptions): Promise<Loaded> {
  if (paths.length === 0) throw new UsageError('no PATH given: name the manifest files or directories to analyse');
  let walked = await walkPaths(paths, lo.maxFileBytes);
  if (walked.missing.length) throw new UsageError(`no such file or directory: ${walked.missing.join(', ')}`);
  if (lo.scope !== undefined || mayHaveScopes(walked)) {
    const cs = await loadScopes(paths, lo.maxFileBytes, walked, lo);
    const scope = pickScope(cs, lo.scope);
    if (scope.kind !== 'loose') return loadRendered(cs, scope, lo);
    if (cs.configFindings.length) return withConfigFindings(await loadLoose(walked, scope.files, lo), cs);
    walked = looseOnly(walked, scope.files);
  }
  return loadLoose(walked, undefined, lo);
}

/** The walk without the files of other scopes. */
function looseOnly(walked: Walked, files: readonly string[]): Walked {
  // the loose files are read as always (on workers when large)
  const keep = new Set(files);
  const entries = walked.entries.filter((e) => 'skip' in e || keep.has(e.file.path));
  const found = entries.flatMap((e) => ('file' in e ? [e.file] : []));
  return { ...walked, entries, files: found.length, bytes: found.reduce((n, f) => n + f.bytes, 0) };
}

/** .netlens.yaml's findings added to a run's, located in its text. */
function withConfigFindings(loaded: Loaded, cs: CliScopes): Loaded {
  const texts = [...new Set(cs.configFindings.map((f) => f.ref.uri))].map((uri) => ({
    uri,
    text: cs.input.fs.readFile(path.resolve(uri)) ?? '',
  }));
  return { ...loaded, scopeFindings: [...cs.configFindings, ...loaded.scopeFindings], locator: Locator.of([...loaded.sources, ...texts]) };
}

async function loadLoose(walked: Walked, only: readonly string[] | undefined, lo: LoadOptions): Promise<Loaded> {
  if (only) walked = looseOnly(walked, only);
  const threads = lo.threads === 0 ? autoParseThreads() : lo.threads;
  if (threads > 1 && walked.bytes + walked.files * FILE_COST_BYTES >= minCostForWorkers()) {
    const loaded = await loadOnWorkers(walked, threads, lo);
    if (loaded) return loaded;
  }
  // one thread: read, then parse
  const files = readWalked(walked, lo.maxFileBytes);
  const model = analyze(files.sources, lo.options);
  model.skipped.unshift(...files.skipped);
  return { model, locator: Locator.of(files.sources), sources: files.sources, scopeFindings: [] };
}

/**
 * The model of files read elsewhere (a git version) in the scope --scope names (default: the only one):
 * used when they hold a kustomization or a chart, or --scope is given; else all of them, as always.
 */
export async function loadFilesInScope(
  sources: readonly SourceText[],
  skipped: Skip[],
  paths: readonly string[],
  lo: LoadOptions,
): Promise<Loaded> {
  if (lo.scope !== undefined || sources.some((s) => SCOPE_FILE.test(s.uri))) {
    const files = sources.map((s) => ({ path: path.resolve(s.uri), uri: s.uri, text: s.text, ...(s.chart ? { chart: s.chart } : {}) }));
    // scope ids are relative to the paths given, as for the working tree (a file's folder for a file)
    const roots = paths.map((p) => path.resolve(p)).map((r) => (files.some((f) => f.path === r) ? path.dirname(r) : r));
    const cs: CliScopes = {
      ...scopesOf(files, roots, memoryFs(files), { helm: false, ...(lo.renderCache ? { renderCache: lo.renderCache } : {}) }),
      skipped,
    };
    const scope = pickScope(cs, lo.scope);
    if (scope.kind !== 'loose') return loadRendered(cs, scope, lo);
    const keep = new Set(scope.files);
    sources = sources.filter((s) => keep.has(path.resolve(s.uri)));
  }
  const model = analyze(sources, lo.options);
  model.skipped.unshift(...skipped);
  return { model, locator: Locator.of(sources), sources, scopeFindings: [] };
}

const SCOPE_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization|Chart\.yaml)$/;

/** Whether the walk found a kustomization or a chart (else everything is one loose scope, read as always). */
function mayHaveScopes(walked: Walked): boolean {
  return walked.entries.some((e) => 'file' in e && SCOPE_FILE.test(e.file.path));
}

/** The model of a rendered scope: its objects, with places mapped to their sources. */
async function loadRendered(cs: CliScopes, scope: Scope, lo: LoadOptions): Promise<Loaded> {
  const view = await viewOf(cs, scope);
  view.findings.unshift(...cs.configFindings);
  const model = objectByObject(cs, scope, view.sources, lo) ?? analyze(view.sources, lo.options);
  model.skipped.unshift(...cs.skipped);
  const origins = view.origins;
  const texts = [...cs.input.files.map((f) => ({ uri: f.uri, text: f.text })), ...view.sources];
  const read = new Map(texts.map((t) => [t.uri, t.text]));
  // sources outside the walk (patches, generator inputs) are read for their line numbers
  const extra = (uri: string) => (read.has(uri) ? [] : [{ uri, text: cs.input.fs.readFile(path.resolve(uri)) ?? '' }]);
  const mapped = [...new Set(view.findings.map((f) => f.ref.uri))].flatMap(extra);
  const locator = Locator.of([...texts, ...mapped], undefined, origins ? (r) => origins.map(r) : undefined);
  return { model, locator, sources: texts, scopeFindings: view.findings, ...(origins ? { origins } : {}) };
}

/** A rendered Kustomize scope's model read object by object through lo.objectModels (the same model as analyze). */
function objectByObject(cs: CliScopes, scope: Scope, sources: readonly SourceText[], lo: LoadOptions): Model | undefined {
  if (!lo.objectModels || scope.kind !== 'kustomize' || sources.length !== 1) return undefined;
  // the render the view printed (cached): its objects, checked against the view's text
  const docs = cs.cache.render(cs.input.fs, scope.root).objects.map((o) => o.yaml);
  if (printStream(docs) !== sources[0].text) return undefined;
  const ns = { ...DEFAULT_OPTIONS, ...lo.options }.defaultNamespace;
  const file = renderedFileModel(sources[0].uri, docs, ns, lo.objectModels);
  return file ? combineFileModels([file], lo.options) : undefined;
}

function batches(found: readonly FoundFile[]): { start: number; files: FoundFile[] }[] {
  const out: { start: number; files: FoundFile[] }[] = [];
  let bytes = 0;
  found.forEach((f, i) => {
    const last = out[out.length - 1];
    if (!last || last.files.length >= BATCH_FILES || bytes >= BATCH_BYTES) {
      out.push({ start: i, files: [f] });
      bytes = f.bytes;
    } else {
      last.files.push(f);
      bytes += f.bytes;
    }
  });
  return out;
}

/**
 * The model from files read and parsed on workers, the same as on one thread: sources, skips and
 * file models in the walk's order. Undefined when there is less than two batches of work or no worker
 * starts; what a worker that died did not parse is parsed here.
 */
async function loadOnWorkers(walked: Walked, threads: number, lo: LoadOptions): Promise<Loaded | undefined> {
  const log = (s: string) => lo.verbose && lo.err(`netlens: ${s}\n`);
  const found: FoundFile[] = [];
  for (const e of walked.entries) if ('file' in e) found.push(e.file);
  const work = batches(found);
  if (work.length < 2) return undefined;
  const workerFile = path.join(__dirname, 'parseWorker.js');
  const pool = ParsePool.create(workerFile, Math.min(threads, work.length));
  if (!pool) {
    log(`cannot start parse workers (${workerFile}); parsing on the main thread`);
    return undefined;
  }
  const ns = { ...DEFAULT_OPTIONS, ...lo.options }.defaultNamespace;
  const results: (ParseResult | undefined)[] = new Array(found.length);
  let failure: Error | undefined;
  try {
    let next = 0;
    const run = async (): Promise<void> => {
      while (next < work.length && !failure) {
        const b = work[next++];
        try {
          const rs = await pool.parse(
            b.files.map((f) => ({ path: f.path, uri: f.uri })),
            ns,
            true,
            lo.maxFileBytes,
          );
          rs.forEach((r, k) => (results[b.start + k] = r));
        } catch (e) {
          failure ??= e as Error; // the pool broke (a worker died): the rest is parsed below
        }
      }
    };
    await Promise.all(Array.from({ length: pool.size * IN_FLIGHT }, run));
  } finally {
    void pool.dispose();
  }
  const sources: SourceText[] = [];
  const skipped: Skip[] = [];
  const models: FileModel[] = [];
  let here = 0;
  let k = 0;
  for (const e of walked.entries) {
    if ('skip' in e) {
      skipped.push(e.skip);
      continue;
    }
    const f = e.file;
    const r = results[k++];
    if (r && 'file' in r && r.file) {
      sources.push({ uri: f.uri, text: r.text });
      models.push(r.file);
    } else if (r && 'error' in r && r.stage === 'read') {
      skipped.push(readError(f.uri, { code: r.code, message: r.error }));
    } else {
      // not parsed (the pool broke) or parsing threw on the worker: here, as on one thread
      here++;
      const s = readFound(f, lo.maxFileBytes);
      if ('skip' in s) skipped.push(s.skip);
      else {
        sources.push(s);
        models.push(readFileModel(parseSourceFile(s.uri, s.text, s.chart ? { chart: s.chart } : {}), ns));
      }
    }
  }
  if (failure) log(`parse workers failed (${failure.message}); parsed ${here} of ${found.length} file(s) on the main thread`);
  else log(`parsed ${found.length - here} of ${found.length} file(s) on ${pool.size} worker threads`);
  const model = combineFileModels(models, lo.options);
  model.skipped.unshift(...skipped);
  return { model, locator: Locator.of(sources), sources, scopeFindings: [] };
}
