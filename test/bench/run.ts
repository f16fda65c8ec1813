// npm run bench: NetLens against the floor (parsing the same files with `yaml` alone) and against
// yaml-language-server, on generated workspaces of three sizes (test/bench/generate.ts).
//
//   node --expose-gc out/tools/bench/run.js [--sizes S,M,L] [--seed 42] [--runs N] [--profile M,L|none]
//        [--only engine,cli,lsp,yls,activation,overlays] [--full] [--keep] [--calico] [--out bench/results.json]
//        (overlays: --runs 0 measures the editor's edits only; --profile L profiles the server during them)
//   --calico adds the Calico layer of generate.ts (Tier + GlobalNetworkPolicies) to each workspace
//
// Per size: the engine phases in a child process (engine.ts), the CLI's `matrix --format stats`
// wall time, the language server over stdio (time to first diagnostics, edit-to-diagnostics,
// hovers, netlens/query, peak RSS, a second "warm" start), and yaml-language-server's
// edit-to-diagnostics on the same files. Then the growth exponents from size to size, a table,
// bench/results.json, and profiles (top self-time functions, mapped to our sources) of the phases.
//
// Measurements that cannot finish in the time budget are not shortened: they are stopped, reported
// as such (with how far they got and an extrapolation) and profiled. Fewer samples than asked are
// reported with their count.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultDir, generate, SIZES, type CharEdit, type Generated, type SizeName } from './generate';
import { layOutOverlays, type OverlaysLayout } from './overlays';
import { LspSession, positionAt, withTimeout } from '../support/lsp';
import { aliasBundle, summarizeFile, type ProfileSummary } from './profile';
import { engineMain, type EngineResult, type EngineRun } from './engine';
import { repoRoot } from '../support/paths';
import { editorNode, measureActivation, type ActivationResult } from './activation';
import {
  IndexChangedNotification,
  IndexSavedNotification,
  QueryRequest,
  SetScopeRequest,
  StatusRequest,
  type StatusResult,
} from '../../protocol/messages';

// ---------------------------------------------------------------------------------------------
// Options and budgets

interface SizePlan {
  engineRuns: number;
  /** total engine time after which no further run starts (at least one runs) */
  engineBudgetS: number;
  /** one phase (the matrix iteration, lint) may take this long before it is stopped */
  phaseBudgetS: number;
  cliRuns: number;
  cliTimeoutS: number;
  /** time to first diagnostics may take this long */
  ttfdBudgetS: number;
  /** per edit target: stop sampling when the next edit would pass this (at least `minEdits`) */
  editBudgetS: number;
  minEdits: number;
  /** no edits (nor a warm start) when the first diagnostics took longer than this, unless --full */
  skipEditsAboveS: number;
  /** profile the measured engine run instead of an extra one, and not the server (no time for more runs) */
  profileMeasured: boolean;
}

const PLANS: Record<SizeName, SizePlan> = {
  S: {
    engineRuns: 7,
    engineBudgetS: 120,
    phaseBudgetS: 120,
    cliRuns: 5,
    cliTimeoutS: 120,
    ttfdBudgetS: 300,
    editBudgetS: 60,
    minEdits: 3,
    skipEditsAboveS: 120,
    profileMeasured: false,
  },
  M: {
    engineRuns: 5,
    engineBudgetS: 150,
    phaseBudgetS: 180,
    cliRuns: 3,
    cliTimeoutS: 300,
    ttfdBudgetS: 400,
    editBudgetS: 60,
    minEdits: 3,
    skipEditsAboveS: 120,
    profileMeasured: false,
  },
  L: {
    engineRuns: 3,
    engineBudgetS: 200,
    phaseBudgetS: 420,
    cliRuns: 1,
    cliTimeoutS: 300,
    ttfdBudgetS: 420,
    editBudgetS: 60,
    minEdits: 1,
    skipEditsAboveS: 120,
    profileMeasured: true,
  },
  // five times L: one engine run, no CLI runs beyond one, budgets that let a linear engine finish
  XL: {
    engineRuns: 1,
    engineBudgetS: 600,
    phaseBudgetS: 900,
    cliRuns: 1,
    cliTimeoutS: 900,
    ttfdBudgetS: 1200,
    editBudgetS: 120,
    minEdits: 1,
    skipEditsAboveS: 600,
    profileMeasured: true,
  },
};

const EDITS = 20;
const HOVERS = 50;
const QUERIES = 20;

interface Options {
  sizes: SizeName[];
  seed: number;
  runs?: number;
  /** sizes profiled: the engine phases (an extra run; for L the measured run) and, except for L, the server */
  profile: SizeName[];
  only: Set<string>;
  full: boolean;
  keep: boolean;
  calico: boolean;
  out: string;
}

function parseOptions(argv: string[]): Options {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const sizes = (arg('--sizes') ?? 'S,M,L')
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean) as SizeName[];
  for (const s of sizes) if (!SIZES[s]) throw new Error(`--sizes: unknown size ${s} (S, M, L, XL)`);
  const prof = (arg('--profile') ?? 'M,L').toUpperCase();
  return {
    sizes,
    seed: Number(arg('--seed') ?? 42),
    runs: arg('--runs') ? Number(arg('--runs')) : undefined,
    profile:
      prof === 'NONE'
        ? []
        : (prof
            .split(',')
            .map((x) => x.trim())
            .filter((x) => x in SIZES) as SizeName[]),
    only: new Set((arg('--only') ?? 'engine,cli,lsp,yls,activation').split(',')),
    full: argv.includes('--full'),
    keep: argv.includes('--keep'),
    calico: argv.includes('--calico'),
    out: arg('--out') ?? path.join(repoRoot(), 'bench', 'results.json'),
  };
}

// ---------------------------------------------------------------------------------------------
// Statistics

const now = () => performance.now();
const r1 = (x: number) => Math.round(x * 10) / 10;

function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** nearest-rank percentile */
function pct(xs: readonly number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

interface Sample {
  n: number;
  median: number | null;
  p95: number | null;
  min: number | null;
  max: number | null;
  samples: number[];
}

function sample(xs: number[]): Sample {
  return {
    n: xs.length,
    median: nr(median(xs)),
    p95: nr(pct(xs, 95)),
    min: nr(xs.length ? Math.min(...xs) : null),
    max: nr(xs.length ? Math.max(...xs) : null),
    samples: xs.map(r1),
  };
}

function nr(x: number | null): number | null {
  return x === null ? null : r1(x);
}

/** least-squares slope of log(y) over log(x) */
function slope(points: { x: number; y: number }[]): number | null {
  const ps = points.filter((p) => p.x > 0 && p.y > 0 && Number.isFinite(p.y));
  if (ps.length < 2) return null;
  const lx = ps.map((p) => Math.log(p.x));
  const ly = ps.map((p) => Math.log(p.y));
  const mx = lx.reduce((a, b) => a + b) / ps.length;
  const my = ly.reduce((a, b) => a + b) / ps.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < ps.length; i++) {
    num += (lx[i] - mx) * (ly[i] - my);
    den += (lx[i] - mx) ** 2;
  }
  return den === 0 ? null : Math.round((num / den) * 100) / 100;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (s: string) => process.stderr.write(`${s}\n`);

function hwmMB(pid: number): number | null {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmHWM:\s+(\d+)\s+kB/);
    return m ? r1(Number(m[1]) / 1024) : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// The code measured: copies of the bundles taken at the start, so that a rebuild by someone else
// during the run (the build stamps the engine's hash, which keys the persisted index) changes nothing

const bundles = { server: '', client: '', cli: '', bench: '', dir: '' };

function freezeBundles(): void {
  // kept beside the profiles (which name these files), so `--summarize` can map them later
  // per checkout: benchmarks of two worktrees at once must not run each other's copies
  const dir = path.join(os.tmpdir(), 'netlens-bench-profiles', `bundles-${path.basename(repoRoot())}`);
  mkdirSync(dir, { recursive: true });
  const copy = (from: string, name: string) => {
    const to = path.join(dir, name);
    copyFileSync(from, to);
    if (existsSync(`${from}.map`)) {
      copyFileSync(`${from}.map`, `${to}.map`);
      aliasBundle(to, from);
    }
    return to;
  };
  bundles.dir = dir;
  bundles.server = copy(path.join(repoRoot(), 'dist', 'server.js'), 'server.js');
  copy(path.join(repoRoot(), 'dist', 'serverMain.js'), 'serverMain.js'); // the bundle server.js (a loader) compiles
  bundles.client = copy(path.join(repoRoot(), 'dist', 'client.js'), 'client.js');
  if (existsSync(path.join(repoRoot(), 'dist', 'clientMain.js'))) copy(path.join(repoRoot(), 'dist', 'clientMain.js'), 'clientMain.js'); // what client.js loads
  bundles.cli = copy(path.join(repoRoot(), 'dist', 'cli.js'), 'cli.js');
  copy(path.join(repoRoot(), 'dist', 'parseWorker.js'), 'parseWorker.js'); // started by server.js from its own folder
  if (existsSync(path.join(repoRoot(), 'dist', 'parseWorkerMain.js')))
    copy(path.join(repoRoot(), 'dist', 'parseWorkerMain.js'), 'parseWorkerMain.js'); // what parseWorker.js loads
  bundles.bench = copy(__filename, 'run.js');
}

// ---------------------------------------------------------------------------------------------
// Engine (child process)

const ratio = (x: number | null, floor: number | null) => (x !== null && floor ? Math.round((x / floor) * 100) / 100 : null);

function pairedRatio(raw: EngineResult | null, floor: (r: EngineRun) => number): number | null {
  const xs = (raw?.runs ?? []).filter((r) => r.coldMs !== null && floor(r) > 0).map((r) => r.coldMs! / floor(r));
  return xs.length ? Math.round(median(xs)! * 100) / 100 : null;
}

interface EngineSummary {
  runs: number;
  /** yaml as `require('yaml')` loads it in Node */
  floorMs: number | null;
  /** yaml's browser build (what NetLens bundles: the same parser without a process.env read per token) */
  strictFloorMs: number | null;
  parseMs: number | null;
  modelMs: number | null;
  indexMs: number | null;
  matrixBuildMs: number | null;
  matrixIterateMs: number | null;
  matrixMs: number | null;
  matrixCountsMs: number | null;
  lintMs: number | null;
  coldMs: number | null;
  coldOverFloor: number | null;
  coldOverStrictFloor: number | null;
  hwmMB: number | null;
  raw: EngineResult | null;
  overran?: { phase: string; budgetMs: number; profile?: string };
  error?: string;
}

async function runEngine(
  g: Generated,
  plan: SizePlan,
  opts: Options,
  profileDir: string | undefined,
  profileMeasured: boolean,
): Promise<EngineSummary> {
  const runs = opts.runs ?? plan.engineRuns;
  // this same script, as the engine child (a process per size: its own heap, peak RSS and watchdog)
  const args = [
    '--expose-gc',
    '--max-old-space-size=8192',
    bundles.bench,
    '--engine-child',
    '--dir',
    g.dir,
    '--runs',
    String(runs),
    '--budget-s',
    String(plan.phaseBudgetS),
    '--time-budget-s',
    String(plan.engineBudgetS),
    '--repo',
    repoRoot(),
  ];
  if (profileDir) args.push('--profile-dir', profileDir);
  if (profileDir && profileMeasured) args.push('--profile-measured');
  const out: string[] = [];
  const code = await new Promise<number | null>((resolve) => {
    const p = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    p.stdout.on('data', (d) => out.push(String(d)));
    p.on('exit', (c) => resolve(c));
  });
  const lines = out
    .join('')
    .split('\n')
    .filter((l) => l.trim().startsWith('{'));
  let raw: EngineResult | null = null;
  let overran: EngineSummary['overran'];
  for (const l of lines) {
    const j = JSON.parse(l) as EngineResult & { overran?: string; budgetMs?: number; profile?: string };
    if (typeof j.overran === 'string') overran = { phase: j.overran, budgetMs: j.budgetMs!, ...(j.profile ? { profile: j.profile } : {}) };
    else raw = j; // the last result line: the runs completed
  }
  const col = (f: (r: EngineRun) => number | null | undefined) => {
    const xs = (raw?.runs ?? []).map(f).filter((x): x is number => typeof x === 'number');
    return xs.length ? nr(median(xs)) : null;
  };
  const floorMs = col((r) => r.floorMs);
  const strictFloorMs = col((r) => r.strictFloorMs);
  const coldMs = col((r) => r.coldMs);
  return {
    runs: raw?.runs.length ?? 0,
    floorMs,
    strictFloorMs,
    parseMs: col((r) => r.parseMs),
    modelMs: col((r) => r.modelMs),
    indexMs: col((r) => r.indexMs),
    matrixBuildMs: col((r) => r.matrixBuildMs),
    matrixIterateMs: col((r) => r.matrixIterateMs),
    matrixMs: col((r) => r.matrixMs),
    matrixCountsMs: col((r) => r.matrixCountsMs),
    lintMs: col((r) => r.lintMs),
    coldMs,
    // each run's cold time against the floors measured just before it in the same run (paired: the
    // machine's speed drifts between runs), then the median
    coldOverFloor: pairedRatio(raw, (r) => r.floorMs),
    coldOverStrictFloor: pairedRatio(raw, (r) => r.strictFloorMs),
    hwmMB: raw?.hwmMB ?? null,
    raw,
    ...(overran ? { overran } : {}),
    ...(code !== 0 && !overran ? { error: `engine child exited with ${code}` } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// CLI

interface CliSummary {
  command: string;
  runs: number;
  /** the default (parse workers for large inputs) */
  wallMs: Sample;
  /** --threads 1: parsed on the main thread */
  oneThreadWallMs: Sample;
  stats?: unknown;
  timedOut?: boolean;
  error?: string;
}

function runCliBench(g: Generated, plan: SizePlan, opts: Options): CliSummary {
  const cli = bundles.cli;
  const command = `node dist/cli.js [--threads 1] matrix --format stats ${g.dir}`;
  const times: number[] = [];
  const oneThread: number[] = [];
  let stats: unknown;
  const runs = opts.runs ? Math.min(opts.runs, plan.cliRuns) : plan.cliRuns;
  // each run: the default, then --threads 1 (alternating, so that both see the same machine)
  for (let i = 0; i < runs * 2; i++) {
    const threads = i % 2 === 1 ? ['--threads', '1'] : [];
    const t = now();
    const r = spawnSync(process.execPath, [cli, ...threads, 'matrix', '--format', 'stats', g.dir], {
      encoding: 'utf8',
      timeout: plan.cliTimeoutS * 1000,
      maxBuffer: 64 << 20,
    });
    const el = now() - t;
    if (r.error || r.status !== 0) {
      const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM';
      return {
        command,
        runs: times.length,
        wallMs: sample(times),
        oneThreadWallMs: sample(oneThread),
        timedOut,
        error: timedOut ? `no result in ${plan.cliTimeoutS} s` : `exit ${r.status}: ${r.stderr.slice(0, 500)}`,
      };
    }
    (threads.length ? oneThread : times).push(el);
    stats = JSON.parse(r.stdout);
    log(`  [cli] ${threads.join(' ')}${threads.length ? ' ' : ''}matrix --format stats: ${r1(el)} ms`);
  }
  return { command, runs: times.length, wallMs: sample(times), oneThreadWallMs: sample(oneThread), stats };
}

// ---------------------------------------------------------------------------------------------
// The workspace as a Kustomize base + 3 overlays (--only overlays): one scope's cold analysis,
// `netlens diff` of two versions against it, and edit-to-diagnostics for edits to a patch and a base file

interface OverlaysSummary {
  dir: string;
  files: number;
  scope: string;
  /** `--threads 1 --scope S matrix --format stats DIR`: detect, render, analyse */
  coldMs: Sample;
  /** `--threads 1 --scope S diff --base HEAD --format json` with the working tree changing one patch */
  diffMs: Sample;
  /** median diff / median cold (target <= 1.5) */
  diffOverCold: number | null;
  /** edits in the editor with the prod scope active */
  edits: EditSummary[];
  /** with --profile SIZE: the server's profile during each kind of edit */
  editProfiles?: Record<string, ProfileSummary>;
  skipped: string[];
  error?: string;
}

function gitIn(dir: string, ...args: string[]): boolean {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir } });
  return r.status === 0;
}

/** `profileDir`: the server runs with --cpu-prof, and each kind of edit's window is summarised (OverlaysSummary.editProfiles). */
async function runOverlays(size: SizeName, plan: SizePlan, opts: Options, profileDir?: string): Promise<OverlaysSummary> {
  const dir = `${defaultDir(size, opts.seed, opts.calico)}-overlays`;
  rmSync(dir, { recursive: true, force: true });
  const l: OverlaysLayout = layOutOverlays(generate(size, opts.seed, path.join(dir, 'base'), { calico: opts.calico }), dir);
  log(`  [overlays] ${l.files.length} files, ${r1(l.bytes / 2 ** 20)} MB in ${dir} (a base + ${Object.keys(l.scopes).length} overlays)`);
  const scope = l.scopes.staging;
  const out: OverlaysSummary = {
    dir,
    files: l.files.length,
    scope,
    coldMs: sample([]),
    diffMs: sample([]),
    diffOverCold: null,
    edits: [],
    skipped: [],
  };
  const cold: number[] = [];
  const diffs: number[] = [];
  const git =
    gitIn(dir, 'init', '-q') &&
    gitIn(dir, 'add', '-A') &&
    gitIn(dir, '-c', 'user.email=b@b', '-c', 'user.name=bench', 'commit', '-qm', 'base');
  if (!git) out.skipped.push('git is not available: the diff is not measured');
  // --runs 0: the editor's edits only
  const runs = opts.runs !== undefined ? Math.min(opts.runs, plan.cliRuns) : plan.cliRuns;
  const cli = (args: string[]): number | string => {
    const t = now();
    const r = spawnSync(process.execPath, [bundles.cli, '--threads', '1', '--scope', scope, ...args], {
      cwd: dir,
      encoding: 'utf8',
      timeout: plan.cliTimeoutS * 1000,
      maxBuffer: 256 << 20,
    });
    const el = now() - t;
    // diff exits 1 when connectivity changed
    if (r.error || (r.status !== 0 && r.status !== 1)) return `exit ${r.status}: ${(r.stderr ?? '').slice(0, 500)}`;
    return el;
  };
  // alternating, so that both see the same machine
  for (let i = 0; i < runs && !out.error; i++) {
    const c = cli(['matrix', '--format', 'stats', '.']);
    if (typeof c === 'string') out.error = `matrix: ${c}`;
    else {
      cold.push(c);
      log(`  [overlays] cold analysis of ${scope}: ${r1(c)} ms`);
    }
    if (!git || out.error) continue;
    writeFileSync(l.diffChange.file, l.diffChange.to);
    const d = cli(['diff', '--base', 'HEAD', '--format', 'json', '.']);
    writeFileSync(l.diffChange.file, l.diffChange.from);
    if (typeof d === 'string') out.error = `diff: ${d}`;
    else {
      diffs.push(d);
      log(`  [overlays] diff (HEAD vs the working tree, ${l.diffChange.what}): ${r1(d)} ms`);
    }
  }
  out.coldMs = sample(cold);
  out.diffMs = sample(diffs);
  const mc = median(cold);
  const md = median(diffs);
  out.diffOverCold = mc && md ? Math.round((md / mc) * 100) / 100 : null;
  if (out.diffOverCold !== null) log(`  [overlays] diff / cold analysis: ${out.diffOverCold}x (target <= 1.5x)`);

  // the editor: prod active, edits to prod's patch and to a base file
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const lsp = startNetlens(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval=1000'] : []);
  const mono = () => Number(process.hrtime.bigint() / 1000n);
  const windows: [string, number, number][] = [];
  try {
    const progressEnd = lsp.next<{ value?: { kind?: string } }>('$/progress', (p) => p.value?.kind === 'end', plan.ttfdBudgetS * 1000);
    await lsp.initialize(dir, NETLENS_CAPS);
    const patchUri = await lsp.openFile(l.patchFile);
    const baseUri = await lsp.openFile(l.base.workloadEdit.file);
    // (next() gives undefined after its timeout; a sleep raced beside it kept the process up for the whole budget)
    await progressEnd;
    const t = now();
    await withTimeout(lsp.request(SetScopeRequest, { id: l.scopes.prod }), plan.ttfdBudgetS * 1000, SetScopeRequest.method);
    log(`  [overlays] lsp: indexed, ${l.scopes.prod} active in ${r1(now() - t)} ms`);
    const perEdit = Math.max(30_000, plan.editBudgetS * 1000);
    for (const [uri, edit, target] of [
      [patchUri, l.patchEdit, `${l.scopes.prod}: patch`],
      [baseUri, l.base.workloadEdit, `${l.scopes.prod}: base workload file`],
    ] as const) {
      const cpu0 = cpuMsOf(lsp.proc.pid);
      const t0 = mono();
      const e = await measureEdits(lsp, uri, edit, target, EDITS, plan.editBudgetS * 1000, plan.minEdits, perEdit);
      windows.push([target, t0, mono()]);
      const cpu1 = cpuMsOf(lsp.proc.pid);
      // the server's CPU time (steadier than wall time on a loaded machine) per edit sent (the last one puts the file back)
      if (cpu0 !== undefined && cpu1 !== undefined && e.n > 0) e.serverCpuPerEditMs = Math.round((cpu1 - cpu0) / (e.n + (e.n % 2)));
      e.loadAverage = os.loadavg().map((x) => Math.round(x * 10) / 10);
      out.edits.push(e);
      log(
        `  [overlays] edit ${target}: median ${e.median} ms, p95 ${e.p95} ms (${e.n} edits, ${e.reflected} changed the diagnostics); server CPU ${e.serverCpuPerEditMs ?? '?'} ms per edit; load ${e.loadAverage.join(' ')}`,
      );
    }
  } catch (e) {
    out.error = `${out.error ? out.error + '; ' : ''}lsp: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    await stopBench(lsp);
  }
  const profile = profileDir && readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (profileDir && profile) {
    out.editProfiles = {};
    for (const [target, from, to] of windows)
      out.editProfiles[target] = summarizeFile(path.join(profileDir, profile), repoRoot(), { from, to });
    log(`  [overlays] server profile of the edits: ${profileDir}`);
  }
  if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  return out;
}

// ---------------------------------------------------------------------------------------------
// NetLens language server

interface Diagnostic {
  code?: string | number;
  range: { start: { line: number; character: number } };
}

/** A process's user + system CPU time (ms) from /proc; undefined where there is none. */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // the fields after the command name (which may hold spaces): utime and stime are the 12th and 13th
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // clock ticks: 100 per second on Linux
  } catch {
    return undefined;
  }
}

interface EditSummary extends Sample {
  /** overlays: the server's CPU time per edit, and the load average when measured */
  serverCpuPerEditMs?: number;
  loadAverage?: number[];
  target: string;
  what: string;
  /** edits whose diagnostics differed from the ones before the edit (the edit is designed to change them) */
  reflected: number;
  timeouts: number;
  note?: string;
}

interface LspSummary {
  initializeMs: number | null;
  indexingDoneMs: number | null;
  /** initialize request sent -> first non-empty pull of the opened file after indexing */
  firstDiagnosticsMs: number | null;
  firstDiagnostics: number;
  firstDiagnosticsOverFloor: number | null;
  firstDiagnosticsOverStrictFloor: number | null;
  status?: StatusResult;
  edits: EditSummary[];
  hover?: Sample & { nonEmpty: number; first: number };
  /** the first hover, and the code lenses, that the editor asks for right after an edit (a new snapshot) */
  afterEdit?: { hover: Sample; codeLens: Sample; workloadCodeLens: Sample };
  query?: Sample & { first: number; outcome: string };
  serverHwmMB: number | null;
  warmStart?: {
    firstDiagnosticsMs: number | null;
    overFloor: number | null;
    overStrictFloor: number | null;
    reused?: number;
    files?: number;
    indexMs?: number;
    persistedIndexMB?: number;
    note: string;
  };
  skipped: string[];
  error?: string;
}

const NETLENS_CAPS = {
  workspace: {
    configuration: true,
    didChangeWatchedFiles: { dynamicRegistration: true },
    diagnostics: { refreshSupport: true },
    workspaceFolders: true,
  },
  textDocument: { diagnostic: { dynamicRegistration: false }, hover: { contentFormat: ['markdown'] }, synchronization: { didSave: true } },
  window: { workDoneProgress: true },
};

function signature(items: Diagnostic[]): string {
  return items
    .map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}`)
    .sort()
    .join('|');
}

/** The benchmark's sessions: requests may take up to 10 minutes; no notification is kept (long runs). */
function benchSession(args: string[], configuration: (section: string | undefined) => unknown, env?: NodeJS.ProcessEnv): LspSession {
  return LspSession.spawn({
    args,
    configuration,
    keepNotifications: false,
    stderrChunks: 200,
    requestTimeoutMs: 600_000,
    ...(env ? { env } : {}),
  });
}

/** shutdown, then exit, with the benchmark's longer waits (a large workspace's index save may be in flight). */
const stopBench = (lsp: LspSession) => lsp.stop({ shutdownMs: 5000, exitMs: 10_000, signal: 'SIGKILL' });

/**
 * `codeCache`: the directory of the server's V8 code cache (NETLENS_CODE_CACHE, which the extension sets in
 * its global storage): the first start in an empty one writes it after indexing, later starts use it.
 */
function startNetlens(extraNodeArgs: string[] = [], codeCache?: string): LspSession {
  const env = { ...process.env };
  delete env.NETLENS_CODE_CACHE;
  if (codeCache) env.NETLENS_CODE_CACHE = codeCache;
  return benchSession(
    [...extraNodeArgs, bundles.server, '--stdio'],
    (section) => (section === 'netlens' || section === 'files' ? {} : null),
    env,
  );
}

/** initialize -> indexing done ($/progress end, netlens/status indexing false) -> first non-empty pull of `uri` */
async function firstDiagnostics(
  lsp: LspSession,
  g: Generated,
  file: string,
  budgetMs: number,
  storagePath?: string,
): Promise<{ initializeMs: number; indexingDoneMs: number | null; firstMs: number | null; items: Diagnostic[]; uri: string }> {
  const progressEnd = lsp.next<{ value?: { kind?: string } }>('$/progress', (p) => p.value?.kind === 'end', budgetMs);
  const t0 = now();
  await lsp.initialize(g.dir, NETLENS_CAPS, storagePath ? { storagePath } : undefined);
  const initializeMs = now() - t0;
  const uri = await lsp.openFile(file);
  const end = t0 + budgetMs;
  // the progress notification says indexing ended; netlens/status confirms it (polled if the notification never comes)
  await progressEnd;
  let indexingDoneMs: number | null = null;
  for (;;) {
    const s = await withTimeout(lsp.request(StatusRequest), Math.max(1000, end - now()), StatusRequest.method);
    if (!s.indexing && s.workloads > 0) {
      indexingDoneMs = now() - t0;
      break;
    }
    if (now() > end) return { initializeMs, indexingDoneMs: null, firstMs: null, items: [], uri };
    await sleep(50);
  }
  for (;;) {
    const items = await withTimeout(
      lsp.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } }),
      Math.max(1000, end - now()),
      'textDocument/diagnostic',
    );
    if (items.items.length > 0) return { initializeMs, indexingDoneMs, firstMs: now() - t0, items: items.items, uri };
    if (now() > end) return { initializeMs, indexingDoneMs, firstMs: null, items: [], uri };
    await sleep(20);
  }
}

/**
 * One-character edits toggling `edit` back and forth: didChange, then the server's next snapshot
 * (netlens/indexChanged, or netlens/status `version` advancing), then one pull of the edited file.
 */
async function measureEdits(
  lsp: LspSession,
  uri: string,
  edit: CharEdit,
  target: string,
  max: number,
  budgetMs: number,
  minEdits: number,
  perEditTimeoutMs: number,
): Promise<EditSummary> {
  const times: number[] = [];
  let reflected = 0;
  let timeouts = 0;
  let version = (await lsp.request(StatusRequest)).version;
  let before = signature((await lsp.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } })).items);
  const started = now();
  let toggled = false;
  const one = async (measure: boolean) => {
    const since = version;
    const changed = lsp.next(IndexChangedNotification, (p) => p.version > since, perEditTimeoutMs);
    let polling = true;
    const poll = (async () => {
      await sleep(1000);
      while (polling) {
        const s = await withTimeout(lsp.request(StatusRequest), perEditTimeoutMs, StatusRequest.method).catch(() => undefined);
        if (s && s.version > since) return { version: s.version };
        await sleep(250);
      }
      return undefined;
    })();
    toggled = !toggled;
    const t = now();
    await lsp.replaceChar(uri, edit.offset, toggled ? edit.to : edit.from);
    const snap = await Promise.race([changed, poll]);
    polling = false;
    if (!snap) {
      timeouts++;
      return false;
    }
    version = snap.version;
    const items = (await lsp.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } })).items;
    const el = now() - t;
    const sig = signature(items);
    if (measure) {
      times.push(el);
      if (sig !== before) reflected++;
    }
    before = sig;
    return true;
  };
  for (let i = 0; i < max; i++) {
    const last = times.length ? times[times.length - 1] : 0;
    if (times.length >= minEdits && now() - started + last > budgetMs) break;
    if (!(await one(true))) break;
    await sleep(20);
  }
  if (toggled) await one(false); // leave the file as it was
  const note =
    times.length < max
      ? `${times.length} of ${max} edits: the next would have passed the ${budgetMs / 1000} s budget for this measurement`
      : undefined;
  return { target, what: edit.what, ...sample(times), reflected, timeouts, ...(note ? { note } : {}) };
}

async function runNetlens(
  g: Generated,
  plan: SizePlan,
  opts: Options,
  floorMs: number | null,
  strictFloorMs: number | null,
): Promise<LspSummary> {
  const skipped: string[] = [];
  // the persisted index (initializationOptions.storagePath, the extension's storage): written after the first indexing;
  // the server's code cache likewise (the first start is the extension's first ever: no cache yet)
  const storage = path.join(os.tmpdir(), `netlens-bench-storage-${g.size}`);
  rmSync(storage, { recursive: true, force: true });
  const codeCache = path.join(os.tmpdir(), `netlens-bench-code-cache-${g.size}`);
  rmSync(codeCache, { recursive: true, force: true });
  const lsp = startNetlens([], codeCache);
  const out: LspSummary = {
    initializeMs: null,
    indexingDoneMs: null,
    firstDiagnosticsMs: null,
    firstDiagnostics: 0,
    firstDiagnosticsOverFloor: null,
    firstDiagnosticsOverStrictFloor: null,
    edits: [],
    serverHwmMB: null,
    skipped,
  };
  try {
    // the server says when its background save of the persisted index has finished (or failed)
    const saved = lsp.next(IndexSavedNotification, () => true, plan.ttfdBudgetS * 1000 + 120_000);
    const first = await firstDiagnostics(lsp, g, g.policyFile, plan.ttfdBudgetS * 1000, storage);
    out.initializeMs = r1(first.initializeMs);
    out.indexingDoneMs = first.indexingDoneMs === null ? null : r1(first.indexingDoneMs);
    out.firstDiagnosticsMs = first.firstMs === null ? null : r1(first.firstMs);
    out.firstDiagnostics = first.items.length;
    out.firstDiagnosticsOverFloor = ratio(first.firstMs, floorMs);
    out.firstDiagnosticsOverStrictFloor = ratio(first.firstMs, strictFloorMs);
    log(
      `  [lsp] initialize ${out.initializeMs} ms, indexing done ${out.indexingDoneMs} ms, first diagnostics ${out.firstDiagnosticsMs} ms (${out.firstDiagnostics} items)`,
    );
    if (first.firstMs === null) {
      skipped.push(`no diagnostics within the ${plan.ttfdBudgetS} s budget: nothing else measured over LSP`);
      out.serverHwmMB = hwmMB(lsp.proc.pid!);
      return out;
    }
    out.status = await lsp.request(StatusRequest);
    const slow = first.firstMs > plan.skipEditsAboveS * 1000 && !opts.full;
    if (slow) {
      skipped.push(
        `edit-to-diagnostics not measured: the first diagnostics took ${r1(first.firstMs / 1000)} s and every edit rebuilds the model and re-lints the whole workspace (see lint in the engine phases); --full measures it anyway`,
      );
    } else {
      const wuri = await lsp.openFile(g.workloadFile);
      await lsp.request('textDocument/diagnostic', { textDocument: { uri: wuri } });
      const perEdit = Math.max(30_000, first.firstMs * 3);
      for (const [target, uri, edit] of [
        ['policy', first.uri, g.policyEdit],
        ['workload', wuri, g.workloadEdit],
      ] as const) {
        const e = await measureEdits(lsp, uri, edit, target, EDITS, plan.editBudgetS * 1000, plan.minEdits, perEdit);
        log(`  [lsp] edit ${target}: median ${e.median} ms, p95 ${e.p95} ms (n=${e.n}, reflected ${e.reflected})`);
        out.edits.push(e);
      }
    }
    if (!slow) {
      const a = await requestsAfterEdits(lsp, g, first.uri, pathToFileURL(g.workloadFile).toString(), Math.max(30_000, first.firstMs * 3));
      out.afterEdit = a;
      log(
        `  [lsp] right after an edit: hover median ${a.hover.median} ms, p95 ${a.hover.p95} ms; code lenses median ${a.codeLens.median} ms, p95 ${a.codeLens.p95} ms; a workload file's code lenses median ${a.workloadCodeLens.median} ms, p95 ${a.workloadCodeLens.p95} ms (each: ${a.workloadCodeLens.samples.join(', ')}; hovers: ${a.hover.samples.join(', ')})`,
      );
    }
    // hovers on podSelectors (top-level and peers) in ten namespaces' policy files
    const { times: hov, nonEmpty } = await hovers(lsp, g);
    out.hover = { ...sample(hov), nonEmpty, first: r1(hov[0]) };
    log(`  [lsp] hover: median ${out.hover.median} ms, p95 ${out.hover.p95} ms (${nonEmpty}/${HOVERS} non-empty)`);
    const q: number[] = [];
    let outcome = '';
    for (let i = 0; i < QUERIES; i++) {
      const t = now();
      const r = await lsp.request(QueryRequest, g.query);
      q.push(now() - t);
      outcome = r.outcome;
    }
    out.query = { ...sample(q), first: r1(q[0]), outcome };
    log(`  [lsp] query ${g.query.from} -> ${g.query.to}:${g.query.port}: median ${out.query.median} ms (${outcome})`);
    out.serverHwmMB = hwmMB(lsp.proc.pid!);
    log(`  [lsp] server peak RSS ${out.serverHwmMB} MB`);
    // the server saves its index in the background after indexing: wait for it before stopping
    const save = await saved;
    if (save?.error) skipped.push(`the persisted index was not saved: ${save.error}`);
  } catch (e) {
    out.error = (e as Error).message;
    out.serverHwmMB ??= hwmMB(lsp.proc.pid!);
  } finally {
    await stopBench(lsp);
  }
  // warm start: the same workspace again, with the persisted index the first start wrote
  const indexFile = path.join(storage, 'index.json');
  if (out.firstDiagnosticsMs !== null && !existsSync(indexFile))
    skipped.push('warm start not measured: the server wrote no persisted index (storagePath) after the first start');
  else if (out.firstDiagnosticsMs !== null && (out.firstDiagnosticsMs <= plan.skipEditsAboveS * 1000 || opts.full)) {
    const again = startNetlens([], codeCache);
    try {
      const w = await firstDiagnostics(again, g, g.policyFile, plan.ttfdBudgetS * 1000, storage);
      const st = await again.request(StatusRequest).catch(() => undefined);
      out.warmStart = {
        firstDiagnosticsMs: w.firstMs === null ? null : r1(w.firstMs),
        overFloor: ratio(w.firstMs, floorMs),
        overStrictFloor: ratio(w.firstMs, strictFloorMs),
        ...(st?.lastIndex ? { reused: st.lastIndex.reused, files: st.lastIndex.files, indexMs: st.lastIndex.ms } : {}),
        persistedIndexMB: r1(statSync(indexFile).size / 2 ** 20),
        note: 'a second server start on the same workspace with the persisted index (initializationOptions.storagePath) the first start wrote; initialize to first non-empty diagnostics',
      };
      log(
        `  [lsp] warm start: first diagnostics ${out.warmStart.firstDiagnosticsMs} ms (${out.warmStart.reused}/${out.warmStart.files} files from the persisted index, ${out.warmStart.persistedIndexMB} MB)`,
      );
    } finally {
      await stopBench(again);
    }
  } else if (out.firstDiagnosticsMs !== null)
    skipped.push('warm start not measured: the cold start passed the budget for this size (--full measures it)');
  rmSync(storage, { recursive: true, force: true });
  return out;
}

const AFTER_EDITS = 10;

/**
 * What the editor asks for after an edit besides diagnostics: a hover where the user points next, and
 * the code lenses of the edited file (VS Code re-requests them on every change): of the policy file,
 * and of the workload file, whose lenses count what each workload reaches. Each is the first request
 * on the edit's new snapshot, so it pays for whatever that snapshot computes on first use.
 */
async function requestsAfterEdits(
  lsp: LspSession,
  g: Generated,
  policyUri: string,
  workloadUri: string,
  perEditTimeoutMs: number,
): Promise<{ hover: Sample; codeLens: Sample; workloadCodeLens: Sample }> {
  const target = g.hoverTargets.find((h) => h.file === g.policyFile) ?? g.hoverTargets[0];
  const position = positionAt(readFileSync(target.file, 'utf8'), target.offset);
  const hoverUri = pathToFileURL(target.file).toString();
  const toggled = new Map<string, boolean>();
  const edited = async (uri: string, edit: CharEdit) => {
    const since = (await lsp.request(StatusRequest)).version;
    const changed = lsp.next(IndexChangedNotification, (p) => p.version > since, perEditTimeoutMs);
    const on = !toggled.get(uri);
    toggled.set(uri, on);
    await lsp.replaceChar(uri, edit.offset, on ? edit.to : edit.from);
    await changed;
  };
  const timed = async (method: string, params: unknown, into: number[]) => {
    const t = now();
    await lsp.request(method, params);
    into.push(now() - t);
  };
  const hover: number[] = [];
  const lens: number[] = [];
  const workloadLens: number[] = [];
  for (let i = 0; i < AFTER_EDITS; i++) {
    await edited(policyUri, g.policyEdit);
    await timed('textDocument/hover', { textDocument: { uri: hoverUri }, position }, hover);
    await edited(policyUri, g.policyEdit);
    await timed('textDocument/codeLens', { textDocument: { uri: policyUri } }, lens);
    await edited(workloadUri, g.workloadEdit);
    await timed('textDocument/codeLens', { textDocument: { uri: workloadUri } }, workloadLens);
  }
  // leave the files as they were
  if (toggled.get(policyUri)) await edited(policyUri, g.policyEdit);
  if (toggled.get(workloadUri)) await edited(workloadUri, g.workloadEdit);
  return { hover: sample(hover), codeLens: sample(lens), workloadCodeLens: sample(workloadLens) };
}

async function hovers(lsp: LspSession, g: Generated): Promise<{ times: number[]; nonEmpty: number }> {
  const times: number[] = [];
  let nonEmpty = 0;
  const texts = new Map<string, string>();
  for (let i = 0; i < HOVERS; i++) {
    const h = g.hoverTargets[i % g.hoverTargets.length];
    if (!texts.has(h.file)) texts.set(h.file, readFileSync(h.file, 'utf8'));
    const t = now();
    const r = await lsp.request<unknown>('textDocument/hover', {
      textDocument: { uri: pathToFileURL(h.file).toString() },
      position: positionAt(texts.get(h.file)!, h.offset),
    });
    times.push(now() - t);
    if (r) nonEmpty++;
  }
  return { times, nonEmpty };
}

/** A profiled server session: --cpu-prof, first diagnostics, then a few edits; the edit window is summarised. */
async function profileServer(
  g: Generated,
  dir: string,
  plan: SizePlan,
): Promise<{ indexing?: ProfileSummary; edits?: ProfileSummary; hovers?: ProfileSummary; afterEdits?: ProfileSummary; error?: string }> {
  mkdirSync(dir, { recursive: true });
  const lsp = startNetlens(['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=1000']);
  const mono = () => Number(process.hrtime.bigint() / 1000n);
  let tStart = 0;
  let tIndexed = 0;
  let tEditsEnd = 0;
  let tHoversEnd = 0;
  let tAfterEnd = 0;
  try {
    tStart = mono();
    const first = await firstDiagnostics(lsp, g, g.policyFile, plan.ttfdBudgetS * 1000);
    tIndexed = mono();
    if (first.firstMs === null) return { error: 'no first diagnostics within the budget' };
    const wuri = await lsp.openFile(g.workloadFile);
    await lsp.request('textDocument/diagnostic', { textDocument: { uri: wuri } });
    const perEdit = Math.max(30_000, first.firstMs * 3);
    await measureEdits(lsp, first.uri, g.policyEdit, 'policy', 2, 1, 2, perEdit);
    await measureEdits(lsp, wuri, g.workloadEdit, 'workload', 2, 1, 2, perEdit);
    tEditsEnd = mono();
    await hovers(lsp, g);
    tHoversEnd = mono();
    // the hover and code lenses that come right after edits (each the first request on its snapshot)
    const a = await requestsAfterEdits(lsp, g, first.uri, wuri, perEdit);
    tAfterEnd = mono();
    log(
      `  [profile] right after edits (profiled server): hover ${a.hover.median} / ${a.hover.p95} ms, workload lenses ${a.workloadCodeLens.median} / ${a.workloadCodeLens.p95} ms (median / p95)`,
    );
  } finally {
    await stopBench(lsp);
  }
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => path.join(dir, f))[0];
  if (!file) return { error: 'the server wrote no profile' };
  const root = repoRoot();
  return {
    indexing: summarizeFile(file, root, { from: tStart, to: tIndexed }),
    edits: summarizeFile(file, root, { from: tIndexed, to: tEditsEnd }),
    hovers: summarizeFile(file, root, { from: tEditsEnd, to: tHoversEnd }),
    ...(tAfterEnd ? { afterEdits: summarizeFile(file, root, { from: tHoversEnd, to: tAfterEnd }) } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// yaml-language-server

interface YlsSummary {
  version: string;
  edits: (Sample & { target: string; file: string; bytes: number; timeouts: number })[];
  serverHwmMB: number | null;
  error?: string;
}

const YAML_SETTINGS = {
  validate: true,
  hover: true,
  completion: true,
  format: { enable: false },
  schemas: {},
  schemaStore: { enable: false },
  kubernetesCRDStore: { enable: false },
  disableSchemaDetection: false,
};

async function runYls(g: Generated): Promise<YlsSummary> {
  const pkgDir = path.join(repoRoot(), 'node_modules', 'yaml-language-server');
  const version = (JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
  const lsp = benchSession([path.join(pkgDir, 'bin', 'yaml-language-server'), '--stdio'], (section) =>
    section === 'yaml' ? YAML_SETTINGS : section === 'http' ? { proxy: '', proxyStrictSSL: false } : {},
  );
  const out: YlsSummary = { version, edits: [], serverHwmMB: null };
  try {
    await lsp.initialize(g.dir, {
      workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true }, workspaceFolders: true },
      textDocument: {
        publishDiagnostics: { relatedInformation: true, versionSupport: true },
        hover: { contentFormat: ['markdown'] },
        synchronization: { dynamicRegistration: true },
      },
    });
    await lsp.notify('workspace/didChangeConfiguration', { settings: { yaml: YAML_SETTINGS } });
    for (const [target, edit] of [
      ['policy', g.policyEdit],
      ['workload', g.workloadEdit],
    ] as const) {
      const uri = pathToFileURL(edit.file).toString();
      const opened = lsp.next<{ uri: string }>('textDocument/publishDiagnostics', (p) => p.uri === uri, 30_000);
      await lsp.openFile(edit.file);
      await opened;
      const times: number[] = [];
      let timeouts = 0;
      let toggled = false;
      for (let i = 0; i < EDITS + (EDITS % 2); i++) {
        const next = lsp.next<{ uri: string }>('textDocument/publishDiagnostics', (p) => p.uri === uri, 30_000);
        toggled = !toggled;
        const t = now();
        await lsp.replaceChar(uri, edit.offset, toggled ? edit.to : edit.from);
        const got = await next;
        if (!got) timeouts++;
        else if (i < EDITS) times.push(now() - t);
        await sleep(20);
      }
      const s = { target, file: edit.file, bytes: Buffer.byteLength(readFileSync(edit.file, 'utf8')), ...sample(times), timeouts };
      log(`  [yls] edit ${target} (${s.bytes} B): median ${s.median} ms, p95 ${s.p95} ms`);
      out.edits.push(s);
    }
    out.serverHwmMB = hwmMB(lsp.proc.pid!);
  } catch (e) {
    out.error = (e as Error).message;
  } finally {
    await stopBench(lsp);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The run

interface SizeResult {
  size: SizeName;
  workspace: {
    dir: string;
    files: number;
    bytes: number;
    namespaces: number;
    workloads: number;
    policies: number;
    services: number;
    seed: number;
  };
  loadavg: { before: number[]; after: number[] };
  wallS: number;
  engine?: EngineSummary;
  cli?: CliSummary;
  lsp?: LspSummary;
  yls?: YlsSummary;
  overlays?: OverlaysSummary;
  profiles?: Record<string, ProfileSummary>;
}

const REFERENCE = [
  'Measured before on L on this machine (for reference, not re-measured):',
  '  yaml parseAllDocuments + toJS           6.4-8 s',
  '  yaml CST parser alone (Parser)          3.7 s',
  '  js-yaml                                 1.5-2 s',
  '  yaml-language-server edit-to-diagnostics ~217 ms median on a 2 KB file',
];

/** The commit measured, and whether server/ had uncommitted changes (others edit it while benchmarks run). */
function gitDescribe(): string {
  const git = (...a: string[]) => spawnSync('git', a, { cwd: repoRoot(), encoding: 'utf8' }).stdout?.trim() ?? '';
  const head = git('rev-parse', '--short', 'HEAD') || 'unknown';
  return git('status', '--porcelain', '--', 'server') ? `${head} + uncommitted changes in server/` : head;
}

async function main(argv: string[]): Promise<void> {
  const opts = parseOptions(argv);
  const machine = {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    date: new Date().toISOString(),
    commit: gitDescribe(),
  };
  freezeBundles();
  log(`NetLens benchmark: sizes ${opts.sizes.join(',')}, seed ${opts.seed}; ${machine.cores} cores (${machine.cpu}), Node ${machine.node}`);
  for (const l of REFERENCE) log(l);
  const profileRoot = path.join(os.tmpdir(), 'netlens-bench-profiles');
  const results: SizeResult[] = [];
  for (const size of opts.sizes) {
    const plan = PLANS[size];
    const started = now();
    const loadBefore = os.loadavg().map((x) => Math.round(x * 100) / 100);
    log(`\n== ${size}: ${SIZES[size].namespaces} namespaces x ${SIZES[size].workloads} workloads`);
    const g = generate(size, opts.seed, defaultDir(size, opts.seed, opts.calico), { calico: opts.calico });
    log(`  generated ${g.files.length} files, ${r1(g.bytes / 2 ** 20)} MB, ${g.workloads} workloads, ${g.policies} policies in ${g.dir}`);
    const res: SizeResult = {
      size,
      workspace: {
        dir: g.dir,
        files: g.files.length,
        bytes: g.bytes,
        namespaces: g.namespaces,
        workloads: g.workloads,
        policies: g.policies,
        services: g.services,
        seed: opts.seed,
      },
      loadavg: { before: loadBefore, after: [] },
      wallS: 0,
    };
    const profiling = opts.profile.includes(size);
    const pdir = path.join(profileRoot, size);
    if (profiling) rmSync(pdir, { recursive: true, force: true });
    if (opts.only.has('engine'))
      res.engine = await runEngine(g, plan, opts, profiling ? path.join(pdir, 'engine') : undefined, plan.profileMeasured);
    if (opts.only.has('cli')) res.cli = runCliBench(g, plan, opts);
    if (opts.only.has('lsp')) res.lsp = await runNetlens(g, plan, opts, res.engine?.floorMs ?? null, res.engine?.strictFloorMs ?? null);
    if (opts.only.has('yls')) res.yls = await runYls(g);
    if (opts.only.has('overlays')) res.overlays = await runOverlays(size, plan, opts, profiling ? path.join(pdir, 'overlays') : undefined);
    // profiles: the engine phases (sampled in the engine child), a phase that overran, and the server's edits
    const profiles: Record<string, ProfileSummary> = {};
    for (const [phase, file] of Object.entries(res.engine?.raw?.profiles ?? {}))
      profiles[`engine ${phase}`] = summarizeFile(file, repoRoot());
    if (res.engine?.overran?.profile)
      profiles[`engine ${res.engine.overran.phase} (stopped at ${res.engine.overran.budgetMs / 1000} s)`] = summarizeFile(
        res.engine.overran.profile,
        repoRoot(),
      );
    if (profiling && !plan.profileMeasured && opts.only.has('lsp')) {
      const sp = await profileServer(g, path.join(pdir, 'server'), plan);
      if (sp.indexing) profiles['server start (initialize to first diagnostics)'] = sp.indexing;
      if (sp.edits) profiles['server edits (didChange to diagnostics, 2 policy + 2 workload edits)'] = sp.edits;
      if (sp.hovers) profiles[`server hovers (${HOVERS} podSelector hovers)`] = sp.hovers;
      if (sp.afterEdits)
        profiles[`server requests right after edits (${AFTER_EDITS} x: policy edit, hover; policy edit, lenses; workload edit, lenses)`] =
          sp.afterEdits;
      if (sp.error) log(`  [profile] server: ${sp.error}`);
    }
    if (Object.keys(profiles).length) res.profiles = profiles;
    res.loadavg.after = os.loadavg().map((x) => Math.round(x * 100) / 100);
    res.wallS = r1((now() - started) / 1000);
    log(`  ${size} done in ${res.wallS} s`);
    results.push(res);
    if (!opts.keep) rmSync(g.dir, { recursive: true, force: true });
  }
  let activation: ActivationResult | undefined;
  if (opts.only.has('activation')) {
    log('\n== activation: client bundle load, server start to initialize answered (fresh processes)');
    const nodes = [process.execPath, ...[editorNode()].filter((n): n is string => !!n)];
    activation = await measureActivation({ client: bundles.client, server: bundles.server }, nodes, opts.runs ?? 7, log);
  }
  const exponents = growth(results);
  const report = {
    machine,
    ...(activation ? { activation } : {}),
    reference: REFERENCE.slice(1).map((l) => l.trim()),
    options: { sizes: opts.sizes, seed: opts.seed, profile: opts.profile, full: opts.full },
    sizes: results,
    exponents,
    targets: targets(results, exponents),
  };
  mkdirSync(path.dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(table(report));
  if (activation) process.stdout.write(activationTable(activation));
  log(`\nwrote ${path.relative(process.cwd(), opts.out)}${opts.profile.length ? `; profiles in ${profileRoot}` : ''}`);
}

// ---------------------------------------------------------------------------------------------
// Growth, targets, table

interface Exponents {
  basis: string;
  coldTime: { fit: number | null; steps: Record<string, number | null> };
  firstDiagnostics: { fit: number | null; steps: Record<string, number | null> };
  lint: { fit: number | null; steps: Record<string, number | null> };
  floor: { fit: number | null; steps: Record<string, number | null> };
  engineMemory: { fit: number | null; steps: Record<string, number | null> };
  serverMemory: { fit: number | null; steps: Record<string, number | null> };
}

function growth(results: SizeResult[]): Exponents {
  const of = (f: (r: SizeResult) => number | null | undefined) => {
    const pts = results.map((r) => ({ size: r.size, x: r.workspace.workloads, y: f(r) ?? NaN }));
    const steps: Record<string, number | null> = {};
    for (let i = 1; i < pts.length; i++) steps[`${pts[i - 1].size}->${pts[i].size}`] = slope([pts[i - 1], pts[i]]);
    return { fit: slope(pts), steps };
  };
  return {
    basis: 'log-log least-squares slope against the number of workloads, over the sizes of this run; 1.0 is linear',
    coldTime: of((r) => r.engine?.coldMs),
    firstDiagnostics: of((r) => r.lsp?.firstDiagnosticsMs),
    lint: of((r) => r.engine?.lintMs),
    floor: of((r) => r.engine?.floorMs),
    engineMemory: of((r) => r.engine?.hwmMB),
    serverMemory: of((r) => r.lsp?.serverHwmMB),
  };
}

interface Target {
  target: string;
  bound: string;
  perSize: Record<string, { value: string; met: boolean | null }>;
}

function targets(results: SizeResult[], ex: Exponents): Target[] {
  const t = (target: string, bound: string, f: (r: SizeResult) => { value: string; met: boolean | null }) => ({
    target,
    bound,
    perSize: Object.fromEntries(results.map((r) => [r.size, f(r)])),
  });
  const num = (x: number | null | undefined, unit: string) => (x === null || x === undefined ? 'n/a' : `${x}${unit}`);
  const cmp = (x: number | null | undefined, bound: number) => (x === null || x === undefined ? null : x <= bound);
  const edit = (r: SizeResult, which: 'policy' | 'workload') => r.lsp?.edits.find((e) => e.target === which);
  const yls = (r: SizeResult, which: 'policy' | 'workload') => r.yls?.edits.find((e) => e.target === which);
  const out: Target[] = [
    t('cold (engine: index + full matrix + diagnostics) vs parse floor', '<= 1.25x', (r) => ({
      value: num(r.engine?.coldOverFloor, 'x'),
      met: cmp(r.engine?.coldOverFloor, 1.25),
    })),
    t('  the same vs the strict floor (yaml browser build)', '<= 1.25x', (r) => ({
      value: num(r.engine?.coldOverStrictFloor, 'x'),
      met: cmp(r.engine?.coldOverStrictFloor, 1.25),
    })),
    t('cold over LSP (initialize to first diagnostics) vs parse floor', '<= 1.25x', (r) => ({
      value: num(r.lsp?.firstDiagnosticsOverFloor, 'x'),
      met: cmp(r.lsp?.firstDiagnosticsOverFloor, 1.25),
    })),
    t('  the same vs the strict floor', '<= 1.25x', (r) => ({
      value: num(r.lsp?.firstDiagnosticsOverStrictFloor, 'x'),
      met: cmp(r.lsp?.firstDiagnosticsOverStrictFloor, 1.25),
    })),
    t('warm start vs parse floor', '<= 0.3x', (r) => ({
      value: num(r.lsp?.warmStart?.overFloor, 'x'),
      met: cmp(r.lsp?.warmStart?.overFloor, 0.3),
    })),
    t('  the same vs the strict floor', '<= 0.3x', (r) => ({
      value: num(r.lsp?.warmStart?.overStrictFloor, 'x'),
      met: cmp(r.lsp?.warmStart?.overStrictFloor, 0.3),
    })),
  ];
  for (const which of ['policy', 'workload'] as const) {
    out.push(
      t(`edit-to-diagnostics median (${which} edit)`, '<= 100 ms', (r) => ({
        value: num(edit(r, which)?.median, ' ms'),
        met: cmp(edit(r, which)?.median, 100),
      })),
    );
    out.push(
      t(`edit-to-diagnostics p95 (${which} edit)`, '<= 250 ms', (r) => ({
        value: num(edit(r, which)?.p95, ' ms'),
        met: cmp(edit(r, which)?.p95, 250),
      })),
    );
    out.push(
      t(`edit-to-diagnostics median vs yaml-language-server (${which} file)`, '<= YLS', (r) => {
        const a = edit(r, which)?.median;
        const b = yls(r, which)?.median;
        return { value: a != null && b != null ? `${a} vs ${b} ms` : 'n/a', met: a != null && b != null ? a <= b : null };
      }),
    );
  }
  out.push(t('hover p95 (podSelectors)', '<= 20 ms', (r) => ({ value: num(r.lsp?.hover?.p95, ' ms'), met: cmp(r.lsp?.hover?.p95, 20) })));
  out.push(
    t('  hover p95 right after an edit', '<= 20 ms', (r) => ({
      value: num(r.lsp?.afterEdit?.hover.p95, ' ms'),
      met: cmp(r.lsp?.afterEdit?.hover.p95, 20),
    })),
  );
  out.push(
    t(`${QueryRequest.method} median`, '<= 5 ms', (r) => ({ value: num(r.lsp?.query?.median, ' ms'), met: cmp(r.lsp?.query?.median, 5) })),
  );
  out.push(
    t('server peak RSS (VmHWM)', '<= 1024 MB', (r) => ({ value: num(r.lsp?.serverHwmMB, ' MB'), met: cmp(r.lsp?.serverHwmMB, 1024) })),
  );
  const all = (label: string, e: { fit: number | null }) => ({
    target: label,
    bound: '<= 1.2',
    perSize: { all: { value: e.fit === null ? 'n/a' : String(e.fit), met: e.fit === null ? null : e.fit <= 1.2 } },
  });
  out.push(all('growth exponent of cold time (engine)', ex.coldTime));
  out.push(all('growth exponent of first diagnostics (LSP)', ex.firstDiagnostics));
  out.push(all('growth exponent of server memory', ex.serverMemory));
  out.push(all('growth exponent of engine memory', ex.engineMemory));
  return out;
}

function activationTable(a: ActivationResult): string {
  const rows = a.nodes.map(
    (n) =>
      `| ${n.version} | ${n.nodeStartMs} | ${n.clientLoadMs} | ${n.serverInitMs} | ${n.serverInitCachedMs ?? '-'}${
        n.cachedRatio !== undefined ? ` (${n.cachedRatio}x)` : ''
      } | ${n.activationMs} | ${n.forkedFirstMs ?? '-'} | **${n.forkedFirstCachedMs ?? '-'}** |`,
  );
  return [
    '',
    `activation (medians of ${a.nodes[0]?.runs ?? 0}; bundles: client ${a.clientBundleKB} KB, server ${a.serverBundleKB} KB):`,
    '| Node | bare node start | client bundle load | server start to initialize answered | the same, compile cache warm | load + server | activation, server forked first | the same, code cache warm |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}

function table(report: { machine: Record<string, unknown>; sizes: SizeResult[]; exponents: Exponents; targets: Target[] }): string {
  const rs = report.sizes;
  const rows: [string, ...string[]][] = [];
  const ms = (x: number | null | undefined) =>
    x === null || x === undefined ? '-' : x >= 10_000 ? `${r1(x / 1000)} s` : `${Math.round(x)} ms`;
  const add = (label: string, f: (r: SizeResult) => string) => rows.push([label, ...rs.map(f)]);
  const samp = (s: Sample | undefined, n = true) => (s && s.n ? `${ms(s.median)} / ${ms(s.p95)}${n ? ` (n=${s.n})` : ''}` : '-');
  add('workloads / policies / files', (r) => `${r.workspace.workloads} / ${r.workspace.policies} / ${r.workspace.files}`);
  add('YAML bytes', (r) => `${r1(r.workspace.bytes / 2 ** 20)} MB`);
  add("1. floor: yaml parseAllDocuments (require('yaml'))", (r) => ms(r.engine?.floorMs));
  add('   strict floor: yaml browser build', (r) => ms(r.engine?.strictFloorMs));
  add('2. engine parse + read per file', (r) => ms(r.engine?.parseMs));
  add('   engine combine (combineFileModels)', (r) => ms(r.engine?.modelMs));
  add('   index = parse + model', (r) => ms(r.engine?.indexMs));
  add('   matrix: computeMatrix', (r) => ms(r.engine?.matrixBuildMs));
  add('   matrix: iterate all connections', (r) => {
    const p = r.engine?.raw?.matrixPartial;
    return p ? `> ${ms(p.elapsedMs)} (stopped; ~${ms(p.extrapolatedMs)} extrapolated)` : ms(r.engine?.matrixIterateMs);
  });
  add('   matrix: counts() (no enumeration)', (r) => ms(r.engine?.matrixCountsMs));
  add('   diagnostics (lintModel)', (r) =>
    r.engine?.overran?.phase === 'lint' ? `> ${ms(r.engine.overran.budgetMs)} (stopped)` : ms(r.engine?.lintMs),
  );
  add('   cold total (index+matrix+lint)', (r) => ms(r.engine?.coldMs));
  add('   cold / floor (/ strict floor)', (r) =>
    r.engine?.coldOverFloor != null ? `${r.engine.coldOverFloor}x (${r.engine.coldOverStrictFloor}x)` : '-',
  );
  add('   the same in CPU time: cold / floor (/ strict)', (r) => {
    const cpu = (f: (c: NonNullable<EngineRun['cpu']>) => number) => {
      const xs = (r.engine?.raw?.runs ?? []).filter((x) => x.cpu?.coldMs != null && f(x.cpu) > 0).map((x) => x.cpu!.coldMs! / f(x.cpu!));
      return xs.length ? `${Math.round(median(xs)! * 100) / 100}x` : '-';
    };
    return `${cpu((c) => c.floorMs)} (${cpu((c) => c.strictFloorMs)})`;
  });
  add(
    '   engine runs (median of)',
    (r) => `${r.engine?.runs ?? '-'}${r.engine?.raw?.runs.some((x) => x.sampled) ? ' (profiled run)' : ''}`,
  );
  add('   engine peak RSS', (r) => (r.engine?.hwmMB ? `${r.engine.hwmMB} MB` : '-'));
  add('   CLI matrix --format stats (wall)', (r) => (r.cli?.timedOut ? `> ${r.cli.error}` : samp(r.cli?.wallMs)));
  add('   CLI the same, --threads 1 (wall)', (r) => (r.cli?.timedOut ? `> ${r.cli.error}` : samp(r.cli?.oneThreadWallMs)));
  add('3. LSP initialize', (r) => ms(r.lsp?.initializeMs));
  add('   LSP indexing done', (r) => ms(r.lsp?.indexingDoneMs));
  add('   LSP first diagnostics', (r) => ms(r.lsp?.firstDiagnosticsMs));
  add('   LSP first diagnostics / floor (/ strict)', (r) =>
    r.lsp?.firstDiagnosticsOverFloor != null ? `${r.lsp.firstDiagnosticsOverFloor}x (${r.lsp.firstDiagnosticsOverStrictFloor}x)` : '-',
  );
  add('   LSP warm start / floor (/ strict)', (r) =>
    r.lsp?.warmStart?.overFloor != null ? `${r.lsp.warmStart.overFloor}x (${r.lsp.warmStart.overStrictFloor}x)` : '-',
  );
  add('   LSP warm start (2nd start)', (r) => ms(r.lsp?.warmStart?.firstDiagnosticsMs));
  add('   edit policy: median / p95', (r) => samp(r.lsp?.edits.find((e) => e.target === 'policy')));
  add('   edit workload: median / p95', (r) => samp(r.lsp?.edits.find((e) => e.target === 'workload')));
  add('   hover podSelector: median / p95', (r) => samp(r.lsp?.hover));
  add('   hover right after an edit: median / p95', (r) => samp(r.lsp?.afterEdit?.hover));
  add('   code lenses right after an edit: median / p95', (r) => samp(r.lsp?.afterEdit?.codeLens));
  add("   a workload file's lenses after an edit in it", (r) => samp(r.lsp?.afterEdit?.workloadCodeLens));
  add('   netlens/query: median (first)', (r) => (r.lsp?.query ? `${ms(r.lsp.query.median)} (${ms(r.lsp.query.first)})` : '-'));
  add('5. server peak RSS (VmHWM)', (r) => (r.lsp?.serverHwmMB ? `${r.lsp.serverHwmMB} MB` : '-'));
  add('4. YLS edit policy file: median / p95', (r) => samp(r.yls?.edits.find((e) => e.target === 'policy')));
  add('   YLS edit workload file: median / p95', (r) => samp(r.yls?.edits.find((e) => e.target === 'workload')));
  add('   YLS peak RSS', (r) => (r.yls?.serverHwmMB ? `${r.yls.serverHwmMB} MB` : '-'));
  add('load average before -> after', (r) => `${r.loadavg.before[0]} -> ${r.loadavg.after[0]}`);
  add('wall time of this size', (r) => `${r.wallS} s`);
  const header: [string, ...string[]] = ['', ...rs.map((r) => r.size)];
  const lines = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const out = [
    `\nNetLens benchmark — ${report.machine.cores} cores, Node ${report.machine.node}, ${report.machine.date}\n`,
    fmt(header),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...rows.map(fmt),
  ];
  const e = report.exponents;
  out.push('', `growth exponents (${e.basis}):`);
  for (const [k, v] of Object.entries(e))
    if (typeof v === 'object')
      out.push(
        `  ${k.padEnd(18)} fit ${v.fit ?? '-'}  ${Object.entries(v.steps)
          .map(([s, x]) => `${s} ${x ?? '-'}`)
          .join('  ')}`,
      );
  out.push('', 'targets:');
  for (const t of report.targets) {
    out.push(
      `  ${t.target} (${t.bound}): ${Object.entries(t.perSize)
        .map(([s, v]) => `${s} ${v.value} ${v.met === null ? '?' : v.met ? 'met' : 'NOT met'}`)
        .join('; ')}`,
    );
  }
  for (const r of rs) {
    for (const [name, p] of Object.entries(r.profiles ?? {})) {
      out.push('', `profile ${r.size} ${name}: ${p.totalMs} ms sampled; top self time:`);
      for (const h of p.topSelf.slice(0, 10))
        out.push(`  ${String(h.selfPct).padStart(5)}%  ${String(h.selfMs).padStart(8)} ms  ${h.name}  ${h.where}`);
      if (p.topTotalOurs.length) {
        out.push('  our code by total (inclusive) time:');
        for (const h of p.topTotalOurs.slice(0, 8)) out.push(`  ${String(h.totalMs).padStart(14)} ms  ${h.name}  ${h.where}`);
      }
    }
    for (const s of r.lsp?.skipped ?? []) out.push('', `${r.size}: ${s}`);
    for (const ed of r.lsp?.edits ?? []) if (ed.note) out.push(`${r.size}: edit ${ed.target}: ${ed.note}`);
    if (r.engine?.error) out.push(`${r.size}: engine: ${r.engine.error}`);
    if (r.lsp?.error) out.push(`${r.size}: lsp: ${r.lsp.error}`);
    if (r.yls?.error) out.push(`${r.size}: yaml-language-server: ${r.yls.error}`);
  }
  return `${out.join('\n')}\n`;
}

if (require.main === module && process.argv[2] === '--engine-child') engineMain(process.argv.slice(3));
else if (require.main === module && process.argv[2] === '--summarize') {
  // node out/tools/bench/run.js --summarize FILE.cpuprofile [TOP]: a profile's top functions, mapped to our sources
  process.stdout.write(
    `${JSON.stringify(summarizeFile(process.argv[3], repoRoot(), undefined, Number(process.argv[4] ?? 25)), null, 1)}\n`,
  );
} else if (require.main === module && /run\.js$/.test(process.argv[1] ?? '')) {
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`bench: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  });
}
