// CPU profiles for the benchmark: sampling a phase of this process from a worker thread (so a
// phase that overruns its budget can still be profiled and then stopped), and summarising
// .cpuprofile files (ours, or `node --cpu-prof` ones) as top self-time and total-time functions,
// mapped back to our TypeScript sources through the bundles' source maps.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SourceMap } from 'node:module';
import { Worker } from 'node:worker_threads';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  hitCount?: number;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface HotFunction {
  /** function name (as V8 names it) */
  name: string;
  /** source location: our file (repo-relative, from the source map) or the bundle/library file */
  where: string;
  selfMs: number;
  selfPct: number;
  totalMs: number;
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  /** the top functions by self time */
  topSelf: HotFunction[];
  /** the top functions of our own code (server/src) by total (inclusive) time */
  topTotalOurs: HotFunction[];
  /** self time per source file (top entries) */
  byFile: { file: string; selfMs: number; selfPct: number }[];
  /** self time of garbage collection, idle and program as V8 reports them */
  special: Record<string, number>;
}

// ---------------------------------------------------------------------------------------------
// Source maps

const maps = new Map<string, SourceMap | null>();
/** original function names for minified bundles: `name` of the source-map entry at the function's start */
const names = new Map<string, string>();
const aliases = new Map<string, string>();

/** `copy` is a copy of the bundle `original` (with its map): resolve its sources from the original's folder. */
export function aliasBundle(copy: string, original: string): void {
  aliases.set(copy, original);
}

function mapFor(file: string): SourceMap | null {
  if (!maps.has(file)) {
    let m: SourceMap | null = null;
    try {
      const mapFile = `${file}.map`;
      if (existsSync(mapFile)) m = new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')));
    } catch {
      m = null;
    }
    maps.set(file, m);
  }
  return maps.get(file)!;
}

function fileOfUrl(url: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url);
  return url;
}

/** `server/src/engine/lint/rules/hostReferences.ts:42` for a bundle location, or the library path. */
export function locate(cf: CallFrame, repoRoot: string): string {
  if (!cf.url) return '(native)';
  const file = fileOfUrl(cf.url);
  const m = mapFor(file);
  if (m && cf.lineNumber >= 0) {
    const e = m.findEntry(cf.lineNumber, Math.max(0, cf.columnNumber)) as { originalSource?: string; originalLine?: number; name?: string };
    if (e && e.name) names.set(`${cf.url}:${cf.lineNumber}:${cf.columnNumber}`, e.name);
    if (e && e.originalSource) {
      const base = path.dirname(aliases.get(file) ?? file);
      let src = e.originalSource.startsWith('file://') ? fileURLToPath(e.originalSource) : path.resolve(base, e.originalSource);
      // a copied bundle whose original is unknown here: its sources are the repository's
      if (!existsSync(src) && !e.originalSource.startsWith('file://')) {
        const inRepo = path.join(repoRoot, e.originalSource.replace(/^(\.\.\/)+/, ''));
        if (existsSync(inRepo)) src = inRepo;
      }
      return `${path.relative(repoRoot, src).split(path.sep).join('/')}:${(e.originalLine ?? 0) + 1}`;
    }
  }
  const rel = path.relative(repoRoot, file);
  return `${rel.startsWith('..') ? file : rel.split(path.sep).join('/')}:${cf.lineNumber + 1}`;
}

// ---------------------------------------------------------------------------------------------
// Summaries

/**
 * Summarises a profile. With `window` (microseconds on the profile's clock, the process's
 * monotonic clock as `process.hrtime` reads it) only the samples inside it count.
 */
export function summarize(
  profile: CpuProfile,
  file: string,
  repoRoot: string,
  window?: { from: number; to: number },
  top = 15,
): ProfileSummary {
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byId.set(n.id, n);
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // self time per node from samples and time deltas
  const self = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let t = profile.startTime;
  let total = 0;
  // the profiler's own start/stop handshake (PhaseProfiler.spin) is not the phase's work
  const ignored = new Set(
    profile.nodes.filter((n) => n.callFrame.functionName === 'spin' && /bench/.test(locate(n.callFrame, repoRoot))).map((n) => n.id),
  );
  for (let i = 0; i < samples.length; i++) {
    t += deltas[i] ?? 0;
    const dt = deltas[i + 1] ?? 0; // the time until the next sample is spent where this one is
    if (window && (t < window.from || t > window.to)) continue;
    if (ignored.has(samples[i])) continue;
    self.set(samples[i], (self.get(samples[i]) ?? 0) + dt);
    total += dt;
  }
  const keyOf = (n: ProfileNode) =>
    `${n.callFrame.functionName || '(anonymous)'}\u0000${n.callFrame.url}\u0000${n.callFrame.lineNumber}\u0000${n.callFrame.columnNumber}`;
  const fnSelf = new Map<string, { node: ProfileNode; self: number; total: number }>();
  const special: Record<string, number> = {};
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const name = n.callFrame.functionName;
    if (name === '(garbage collector)' || name === '(idle)' || name === '(program)') special[name] = (special[name] ?? 0) + us / 1000;
    const k = keyOf(n);
    const e = fnSelf.get(k) ?? { node: n, self: 0, total: 0 };
    e.self += us;
    fnSelf.set(k, e);
    // inclusive time: every distinct function on the stack gets the sample once
    const onStack = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const cn = byId.get(cur)!;
      const ck = keyOf(cn);
      if (onStack.has(ck)) continue;
      onStack.add(ck);
      const ce = fnSelf.get(ck) ?? { node: cn, self: 0, total: 0 };
      ce.total += us;
      fnSelf.set(ck, ce);
    }
  }
  const hot = (e: { node: ProfileNode; self: number; total: number }): HotFunction => {
    const cf = e.node.callFrame;
    const where = locate(cf, repoRoot);
    // a minified bundle's short names: the source map's name for the function, when it has one
    const mapped = cf.functionName.length <= 3 ? names.get(`${cf.url}:${cf.lineNumber}:${cf.columnNumber}`) : undefined;
    return {
      name: (mapped ?? cf.functionName) || '(anonymous)',
      where,
      selfMs: round(e.self / 1000),
      selfPct: round((100 * e.self) / Math.max(1, total)),
      totalMs: round(e.total / 1000),
    };
  };
  const all = [...fnSelf.values()];
  const topSelf = all
    .filter((e) => e.self > 0)
    .sort((a, b) => b.self - a.self)
    .slice(0, top)
    .map(hot);
  const ours = all.map(hot).filter((h) => h.where.startsWith('server/src/') && h.name !== '(anonymous)');
  const topTotalOurs = ours.sort((a, b) => b.totalMs - a.totalMs).slice(0, top);
  const files = new Map<string, number>();
  for (const e of all) {
    if (e.self <= 0) continue;
    const f = hot(e).where.replace(/:\d+$/, '');
    files.set(f, (files.get(f) ?? 0) + e.self);
  }
  const byFile = [...files]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([f, us]) => ({ file: f, selfMs: round(us / 1000), selfPct: round((100 * us) / Math.max(1, total)) }));
  for (const k of Object.keys(special)) special[k] = round(special[k]);
  return { file, totalMs: round(total / 1000), topSelf, topTotalOurs, byFile, special };
}

export function summarizeFile(file: string, repoRoot: string, window?: { from: number; to: number }, top?: number): ProfileSummary {
  return summarize(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, file, repoRoot, window, top);
}

function round(x: number): number {
  return Math.round(x * 10) / 10;
}

// ---------------------------------------------------------------------------------------------
// Profiling this process's main thread from a worker

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Session } = require('node:inspector');
const { writeFileSync, writeSync } = require('node:fs');
const flag = new Int32Array(workerData.flag);
const s = new Session();
s.connectToMainThread();
s.post('Profiler.enable');
s.post('Profiler.setSamplingInterval', { interval: workerData.intervalUs });
let deadline;
function stop(file, then) {
  s.post('Profiler.stop', (err, res) => {
    if (!err && res && res.profile) writeFileSync(file, JSON.stringify(res.profile));
    then(err);
  });
}
parentPort.on('message', (m) => {
  if (m.cmd === 'start') {
    s.post('Profiler.start', () => { Atomics.store(flag, 0, 1); });
    if (m.deadlineMs) {
      deadline = setTimeout(() => {
        stop(m.file, () => {
          // the phase overran its budget: say so on stdout (the parent reads it) and end the process
          writeSync(1, JSON.stringify({ overran: m.phase, budgetMs: m.deadlineMs, profile: m.file }) + '\\n');
          process.kill(process.pid, 'SIGKILL');
        });
      }, m.deadlineMs);
    }
  } else if (m.cmd === 'stop') {
    clearTimeout(deadline);
    stop(m.file, () => { Atomics.store(flag, 0, 2); });
  } else if (m.cmd === 'arm') {
    // a budget without profiling: end the process when it runs out
    deadline = setTimeout(() => {
      writeSync(1, JSON.stringify({ overran: m.phase, budgetMs: m.deadlineMs }) + '\\n');
      process.kill(process.pid, 'SIGKILL');
    }, m.deadlineMs);
    Atomics.store(flag, 0, 1);
  } else if (m.cmd === 'disarm') {
    clearTimeout(deadline);
    Atomics.store(flag, 0, 2);
  }
});
Atomics.store(flag, 0, 2);
`;

/**
 * Samples the main thread from a worker (inspector Session.connectToMainThread). The worker keeps
 * running while the main thread is busy in a synchronous phase, so it can stop the profiler, write
 * the profile and end the process when the phase overruns its budget.
 */
export class PhaseProfiler {
  private readonly worker: Worker;
  private readonly flag: Int32Array;

  constructor(intervalUs = 1000) {
    const sab = new SharedArrayBuffer(4);
    this.flag = new Int32Array(sab);
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { flag: sab, intervalUs } });
    this.worker.unref();
    this.spin(2);
  }

  /** Starts sampling; with a budget, the worker ends the process (after writing the profile) when it runs out. */
  start(phase: string, file: string, deadlineMs?: number): void {
    Atomics.store(this.flag, 0, 0);
    this.worker.postMessage({ cmd: 'start', phase, file, deadlineMs });
    this.spin(1);
  }

  stop(file: string): void {
    Atomics.store(this.flag, 0, 0);
    this.worker.postMessage({ cmd: 'stop', file });
    this.spin(2);
  }

  /** A budget without sampling. */
  arm(phase: string, deadlineMs: number): void {
    Atomics.store(this.flag, 0, 0);
    this.worker.postMessage({ cmd: 'arm', phase, deadlineMs });
    this.spin(1);
  }

  disarm(): void {
    Atomics.store(this.flag, 0, 0);
    this.worker.postMessage({ cmd: 'disarm' });
    this.spin(2);
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }

  /** Waits for the worker in a JavaScript loop: the inspector's messages to this thread are served at its interrupts. */
  private spin(value: number): void {
    const end = Date.now() + 30_000;
    while (Atomics.load(this.flag, 0) !== value) {
      if (Date.now() > end) throw new Error('profiler worker did not answer');
    }
  }
}

export function writeJson(file: string, data: unknown): void {
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
}
