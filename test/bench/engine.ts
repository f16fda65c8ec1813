// The engine side of the benchmark, run by run.ts in a child process per size (so each size has
// its own heap and peak RSS, and a phase that overruns its budget can be stopped):
//   floor:   `yaml` parseAllDocuments of every file, no analysis, twice: with the build `require('yaml')`
//            loads in Node (the usual floor), and with yaml's browser build, which NetLens bundles (the
//            same parser without a process.env read per token; see esbuild.mjs), the strict floor
//   cold:    parse + read each file (parseSourceFile + readFileModel, keeping only the file model, as the
//            language server's index does) + combine (combineFileModels) = index; the full matrix (computeMatrix
//            and iterating every connection, as the json/text formats do); all diagnostics (lintModel)
// Each phase is timed separately, `--runs` times in this process; the last line on stdout is JSON.
//
// run.ts starts it as: node --expose-gc out/tools/bench/run.js --engine-child --dir D [--runs N]
//          [--budget-s S] [--time-budget-s S] [--profile-dir P] [--skip-lint] [--repo DIR]
import { readdirSync, readFileSync, statSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
// bundled by esbuild.mjs: yaml's browser build, as in NetLens
import { parseAllDocuments as parseAllDocumentsBundled } from 'yaml';
import { parseSourceFile } from '../../server/src/engine';
import { combineFileModels, readFileModel, type FileModel } from '../../server/src/engine/model/build';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { lintModel, LintContext } from '../../server/src/engine/lint';
import { PhaseProfiler } from './profile';

export interface EngineRun {
  /** yaml as `require('yaml')` loads it in Node */
  floorMs: number;
  /** yaml's browser build, the one NetLens bundles */
  strictFloorMs: number;
  parseMs: number;
  modelMs: number;
  indexMs: number;
  matrixBuildMs: number;
  /** iterating every connection (all ordered pairs); null when it overran the budget */
  matrixIterateMs: number | null;
  matrixMs: number | null;
  /** the pair counts without enumeration, when the engine has them (Matrix.counts) */
  matrixCountsMs?: number;
  lintMs: number | null;
  coldMs: number | null;
  /**
   * The same phases in CPU time of this process (user + system; the engine runs on one thread, plus V8's
   * GC helper threads): on a machine shared with other jobs, wall time swings with the load, CPU time much less.
   */
  cpu?: {
    floorMs: number;
    strictFloorMs: number;
    indexMs: number;
    matrixBuildMs: number;
    matrixIterateMs: number | null;
    lintMs: number | null;
    coldMs: number | null;
  };
  /** this run was sampled by the CPU profiler (--profile-measured) */
  sampled?: boolean;
}

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

export interface EngineResult {
  files: number;
  bytes: number;
  workloads: number;
  policies: number;
  classes: number;
  pairs: number;
  connections: number | null;
  findings: number | null;
  runs: EngineRun[];
  /** the matrix iteration overran its budget in a run: how far it got */
  matrixPartial?: { pairsVisited: number; pairsTotal: number; elapsedMs: number; extrapolatedMs: number };
  profiles: Record<string, string>;
  /** a phase the watchdog stopped (the process ended there; the parent fills this in) */
  overran?: { phase: string; budgetMs: number; profile?: string };
  hwmMB: number;
}

function readTree(dir: string): { uri: string; text: string }[] {
  const out: { uri: string; text: string }[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d).sort()) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out.push({ uri: pathToFileURL(p).toString(), text: readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

export function vmHwmMB(pid: number | 'self' = 'self'): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)\s+kB/);
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : NaN;
  } catch {
    return NaN;
  }
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
const now = () => performance.now();
const round = (x: number) => Math.round(x * 10) / 10;

export function engineMain(argv: string[]): void {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const dir = arg('--dir');
  if (!dir) throw new Error('--dir is required');
  const runs = Number(arg('--runs') ?? 3);
  const budgetMs = Number(arg('--budget-s') ?? 120) * 1000;
  const timeBudgetMs = Number(arg('--time-budget-s') ?? 600) * 1000;
  const profileDir = arg('--profile-dir');
  const skipLint = argv.includes('--skip-lint');
  // yaml's Node build, loaded at run time from the repository as any Node program loads it (not bundled)
  const parseAllDocumentsNode = (createRequire(path.join(arg('--repo') ?? process.cwd(), 'package.json'))('yaml') as typeof import('yaml'))
    .parseAllDocuments;
  const log = (s: string) => process.stderr.write(`  [engine] ${s}\n`);

  const sources = readTree(dir);
  const yamlSources = sources.filter((s) => /\.ya?ml$/i.test(s.uri));
  const bytes = sources.reduce((n, s) => n + Buffer.byteLength(s.text), 0);
  const prof = new PhaseProfiler();
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const result: EngineResult = {
    files: sources.length,
    bytes,
    workloads: 0,
    policies: 0,
    classes: 0,
    pairs: 0,
    connections: null,
    findings: null,
    runs: [],
    profiles: {},
    hwmMB: 0,
  };
  // With --profile-dir, one more run is sampled after the measured ones and not counted (sampling
  // slows it a little); with --profile-measured too, the first measured run is sampled and counts
  // (for L, where one run is all the time budget allows).
  const profileMeasured = argv.includes('--profile-measured') && !!profileDir;
  let iterateTooSlow = false;
  const started = now();
  let measured = 0;
  for (let r = 0; ; r++) {
    // runs until `runs` are done or the next would pass the time budget (at least one), then the profiled one
    const perRun = measured ? (now() - started) / measured : 0;
    const more = measured < runs && (measured === 0 || now() - started + perRun <= timeBudgetMs);
    const profiling = profileMeasured ? more && r === 0 : !more && !!profileDir && !Object.keys(result.profiles).length;
    if (!more && !profiling) break;
    const counted = more;
    if (profiling && !counted && measured < runs)
      log(`stopping after ${measured} of ${runs} runs: the next would pass the ${timeBudgetMs / 1000} s budget`);
    const phase = <T>(name: string, f: () => T, budget?: number): T => {
      const file = profileDir ? path.join(profileDir, `engine-${name}.cpuprofile`) : '';
      if (profiling) prof.start(name, file, budget);
      else if (budget) prof.arm(name, budget);
      try {
        return f();
      } finally {
        if (profiling) {
          prof.stop(file);
          result.profiles[name] = file;
        } else if (budget) prof.disarm();
      }
    };
    log(`${!counted ? 'profiled run (not counted)' : `run ${r + 1}/${runs}${profiling ? ' (sampled at 1 ms, counted)' : ''}`}`);

    gc();
    let t = now();
    let c = cpuNow();
    phase('floor', () => {
      for (const s of yamlSources) parseAllDocumentsNode(s.text);
    });
    const floorMs = now() - t;
    const floorCpu = cpuNow() - c;
    gc();
    t = now();
    c = cpuNow();
    phase('floor-strict', () => {
      for (const s of yamlSources) parseAllDocumentsBundled(s.text);
    });
    const strictFloorMs = now() - t;
    const strictFloorCpu = cpuNow() - c;

    gc();
    t = now();
    c = cpuNow();
    // each file's YAML tree is dropped once its file model is read (server/src/workspace/index.ts)
    const files: FileModel[] = phase('parse', () => sources.map((s) => readFileModel(parseSourceFile(s.uri, s.text), 'default')));
    const parseMs = now() - t;
    t = now();
    const model = phase('model', () => combineFileModels(files, {}));
    const modelMs = now() - t;
    const indexCpu = cpuNow() - c;

    t = now();
    c = cpuNow();
    const matrix = phase('matrix-build', () => computeMatrix(model));
    const matrixBuildMs = now() - t;
    const matrixBuildCpu = cpuNow() - c;
    const counts = (matrix as { counts?: () => unknown }).counts;
    let matrixCountsMs: number | undefined;
    if (typeof counts === 'function') {
      t = now();
      phase('matrix-counts', () => counts.call(matrix));
      matrixCountsMs = now() - t;
    }
    const W = model.workloads.length;
    result.workloads = W;
    result.policies = model.policies.length;
    result.classes = matrix.index.classes.length;
    result.pairs = W * (W - 1);
    // every connection, as `matrix --format json|text` and netlens/matrix iterate them; bounded by the budget
    let matrixIterateMs: number | null = null;
    let iterateCpu: number | null = null;
    if (!iterateTooSlow || profiling) {
      t = now();
      c = cpuNow();
      const row = new Map(model.workloads.map((w, i) => [w, i]));
      const done = phase('matrix-iterate', () => {
        let n = 0;
        for (const c of matrix.connections()) {
          n++;
          if ((n & 0x3fff) === 0 && now() - t > budgetMs) return { n, complete: false, rows: row.get(c.from)! + 1 };
        }
        return { n, complete: true, rows: W };
      });
      const el = now() - t;
      if (done.complete) {
        matrixIterateMs = el;
        iterateCpu = cpuNow() - c;
        result.connections = done.n;
      } else {
        iterateTooSlow = true;
        // how far it got: connections come row by row (source workload order)
        const visited = done.rows * (W - 1);
        result.matrixPartial = {
          pairsVisited: visited,
          pairsTotal: result.pairs,
          elapsedMs: round(el),
          extrapolatedMs: round((el * result.pairs) / Math.max(1, visited)),
        };
        log(`matrix iteration overran its ${budgetMs / 1000} s budget`);
      }
    }

    let lintMs: number | null = null;
    let lintCpu: number | null = null;
    if (!skipLint) {
      gc();
      t = now();
      c = cpuNow();
      // the diagnostics of a model whose matrix is computed (as in the server, once a view or lens asked for it)
      const findings = phase('lint', () => lintModel(model, new LintContext(model, undefined, () => matrix)), budgetMs);
      lintMs = now() - t;
      lintCpu = cpuNow() - c;
      result.findings = findings.length;
    }
    const indexMs = parseMs + modelMs;
    const matrixMs = matrixIterateMs === null ? null : matrixBuildMs + matrixIterateMs;
    const run: EngineRun = {
      floorMs: round(floorMs),
      strictFloorMs: round(strictFloorMs),
      parseMs: round(parseMs),
      modelMs: round(modelMs),
      indexMs: round(indexMs),
      matrixBuildMs: round(matrixBuildMs),
      matrixIterateMs: matrixIterateMs === null ? null : round(matrixIterateMs),
      matrixMs: matrixMs === null ? null : round(matrixMs),
      ...(matrixCountsMs !== undefined ? { matrixCountsMs: round(matrixCountsMs) } : {}),
      lintMs: lintMs === null ? null : round(lintMs),
      coldMs: matrixMs === null || lintMs === null ? null : round(indexMs + matrixMs + lintMs),
      cpu: {
        floorMs: round(floorCpu),
        strictFloorMs: round(strictFloorCpu),
        indexMs: round(indexCpu),
        matrixBuildMs: round(matrixBuildCpu),
        matrixIterateMs: iterateCpu === null ? null : round(iterateCpu),
        lintMs: lintCpu === null ? null : round(lintCpu),
        coldMs: iterateCpu === null || lintCpu === null ? null : round(indexCpu + matrixBuildCpu + iterateCpu + lintCpu),
      },
    };
    if (counted) {
      result.runs.push(profiling ? { ...run, sampled: true } : run);
      measured++;
    }
    log(JSON.stringify(run));
    // the result so far, in case a later phase overruns its budget and the watchdog ends the process
    result.hwmMB = vmHwmMB();
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  if (!profileDir && measured < runs)
    log(`stopped after ${measured} of ${runs} runs: the next would pass the ${timeBudgetMs / 1000} s budget`);
  void prof.close();
}
