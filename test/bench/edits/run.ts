// The work after an edit, in one process without the LSP: what the server's main thread does between a
// didChange and the answer to the edited file's diagnostic pull, and for the requests right after an edit.
//
//   node out/tools/bench/edits/run.js [--size L] [--seed 42] [--edits 20] [--dir DIR] [--no-lens] [--no-idle-patch] [--samples]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof out/tools/bench/edits/run.js --size L
//   node out/tools/bench/edits/run.js --size L --profile /tmp/edits.cpuprofile   (the edits only)
//   node out/tools/bench/edits/run.js --size L --layout overlays   (a base + 3 overlays, prod active: edits to
//                                                                    prod's patch and to a base workload file)
//
// It writes the generated workspace (test/bench/generate.ts), reads every file into a WorkspaceIndex as the
// server's indexing does, opens the benchmark's policy and workload files, and then toggles the bench's
// edits: per edit, the rebuild (`flush`: combine, snapshot, lookup indexes), the edited file's lint
// (`findingsFor`), the policy index patched as the server does once the diagnostics are out (idlePatch.ts;
// not with --no-idle-patch), the hover the bench makes right after a policy edit, and for a workload edit the
// file's code lens degrees. CPU-bound phases in one thread, so
// the numbers compare well between commits on a loaded machine when taken back to back.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance, PerformanceObserver } from 'node:perf_hooks';
import { generate, type CharEdit, type SizeName } from '../generate';
import { layOutOverlays } from '../overlays';
import { WorkspaceIndex } from '../../../server/src/workspace/index';
import { lookup } from '../../../server/src/engine/model/lookup';
import type { Snapshot } from '../../../server/src/workspace/snapshot';
import { nodeAt } from '../../../server/src/engine/report/nodeAt';
import { hoverMarkdown } from '../../../server/src/engine/report/hovers';
import { mdCode, mdLink, mdText } from '../../../protocol/markdown';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.max(0, Math.ceil(0.95 * s.length) - 1)] : NaN;
}

/** this thread's CPU time (user + system), ms */
function cpu(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The server's hover (handlers/hover.ts) at an offset, in this process. */
function hover(snap: Snapshot, uri: string, offset: number): string | undefined {
  snap.lines(uri); // the handler turns the position into an offset with it
  const at = snap.toAnalysed(uri, offset);
  const hit = at && nodeAt(snap.model, at.uri, at.offset);
  if (!hit) return undefined;
  return hoverMarkdown(hit, {
    model: snap.model,
    get matrix() {
      return snap.matrix;
    },
    degree: (w) => snap.degree(w),
    get dns() {
      return snap.dns;
    },
    link: (label, ref) => {
      const r = snap.mapRef(ref);
      const l = snap.locator.locate(r);
      return mdLink(label, r.uri, `L${l.line},${l.col}`);
    },
    code: mdCode,
    text: mdText,
  });
}

function main(): void {
  const size = (arg('--size') ?? 'L').toUpperCase() as SizeName;
  const seed = Number(arg('--seed') ?? 42);
  const edits = Number(arg('--edits') ?? 20);
  const dir = arg('--dir') ?? path.join(os.tmpdir(), `netlens-edit-probe-${size}`);
  const overlays = arg('--layout') === 'overlays';
  // the lenses read a loose file's workloads: not measured with a rendered scope active
  const lens = !process.argv.includes('--no-lens') && !overlays;
  // as the server does: the policy index patched when idle after each edit's diagnostics (idlePatch.ts)
  const idlePatch = !process.argv.includes('--no-idle-patch');
  const g = generate(size, seed, overlays ? path.join(dir, 'base') : dir);
  const l = overlays ? layOutOverlays(g, dir) : undefined;
  const files = l ? l.files : g.files;
  const index = new WorkspaceIndex({});
  // scope ids are relative to the workspace folders
  index.scopes.roots = [dir];
  const t = performance.now();
  for (const f of files) index.setDisk(pathToFileURL(f).toString(), readFileSync(f, 'utf8'));
  index.flush();
  if (l) {
    if (!index.setScope(l.scopes.prod)) throw new Error(`no scope ${l.scopes.prod}`);
    index.flush();
  }
  console.log(`indexed ${files.length} files in ${Math.round(performance.now() - t)} ms${l ? ` (${l.scopes.prod} active)` : ''}`);
  const docs = new Map<string, { text: string; version: number; edit: CharEdit; on: boolean; kind: string }>();
  const opened: (readonly [string, CharEdit, string])[] = l
    ? [
        [l.patchFile, l.patchEdit, 'patch'],
        [g.workloadEdit.file, g.workloadEdit, 'base file'],
      ]
    : [
        [g.policyFile, g.policyEdit, 'policy'],
        [g.workloadFile, g.workloadEdit, 'workload'],
      ];
  for (const [file, edit, kind] of opened) {
    const uri = pathToFileURL(file).toString();
    const text = readFileSync(file, 'utf8');
    docs.set(uri, { text, version: 1, edit, on: false, kind });
    index.setOpen(uri, text, 1);
  }
  let snap = index.flush();
  for (const uri of docs.keys()) snap.findingsFor(uri);
  // the server builds the policy index once after indexing (Snapshot.warmPolicyIndex)
  if (lens) snap.warmPolicyIndex();
  // the bench's hover right after a policy edit: a podSelector of the edited policy file
  const hoverAt = g.hoverTargets.find((h) => h.file === g.policyFile);
  const hoverUri = hoverAt && pathToFileURL(hoverAt.file).toString();
  const phases: Record<string, number[]> = {};
  const push = (name: string, v: number) => (phases[name] ??= []).push(v);
  // the garbage collector's pauses over the measured edits (its entries arrive asynchronously: a total)
  const gcs: { start: number; ms: number }[] = [];
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcs.push({ start: e.startTime, ms: e.duration });
  });
  obs.observe({ entryTypes: ['gc'] });
  const timed = (name: string, f: () => void) => {
    const c0 = cpu();
    const t0 = performance.now();
    f();
    push(name, performance.now() - t0);
    push(`${name} CPU`, cpu() - c0);
  };
  const uris = [...docs.keys()];
  // a profile of the measured edits alone (not the generation and indexing before them)
  const profile = arg('--profile');
  const session = profile ? new Session() : undefined;
  if (session) {
    session.connect();
    session.post('Profiler.enable');
    session.post('Profiler.start');
  }
  const started = cpu();
  const from = performance.now();
  for (let i = 0; i < edits; i++) {
    const uri = uris[i % 2];
    const d = docs.get(uri)!;
    d.on = !d.on;
    const ch = d.on ? d.edit.to : d.edit.from;
    d.text = d.text.slice(0, d.edit.offset) + ch + d.text.slice(d.edit.offset + 1);
    timed(`${d.kind} edit: rebuild + lint`, () => {
      index.setOpen(uri, d.text, ++d.version);
      snap = index.flush();
      snap.findingsFor(uri);
    });
    // the first request on the edit's snapshot (as the bench's requests right after an edit), then the idle step
    if (d.kind === 'policy' && hoverUri) timed('hover right after', () => hover(snap, hoverUri, hoverAt!.offset));
    if (lens && d.kind === 'workload')
      timed('lens right after', () => {
        for (const w of lookup(snap.model).inFile(uri).workloads) snap.degree(w);
      });
    if (idlePatch && lens) {
      let patched = false;
      timed('idle patch', () => (patched = snap.patchPolicyIndexIfCheap()));
      // the open documents' degrees, which the server counts once the editor pauses
      if (patched)
        timed('idle degrees (after a pause)', () => snap.warmDegrees(uris.flatMap((u) => lookup(snap.model).inFile(u).workloads)));
    }
  }
  const totalCpu = cpu() - started;
  const to = performance.now();
  if (session)
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(profile!, JSON.stringify(res.profile));
      session.disconnect();
    });
  const verbose = process.argv.includes('--samples');
  for (const [name, xs] of Object.entries(phases))
    if (xs.length)
      console.log(
        `${name.padEnd(36)} median ${median(xs).toFixed(1)} ms  p95 ${p95(xs).toFixed(1)} ms  max ${Math.max(...xs).toFixed(1)} ms  (n=${xs.length})${verbose ? `: ${xs.map((x) => x.toFixed(1)).join(' ')}` : ''}`,
      );
  setTimeout(() => {
    obs.disconnect();
    const inside = gcs.filter((e) => e.start >= from && e.start <= to);
    const gcMs = inside.reduce((a, e) => a + e.ms, 0);
    const top = inside.map((e) => e.ms).sort((a, b) => b - a);
    console.log(
      `CPU of the measured edits ${totalCpu.toFixed(0)} ms; garbage collection pauses ${gcMs.toFixed(0)} ms in ${inside.length} (longest ${top
        .slice(0, 5)
        .map((x) => x.toFixed(1))
        .join(', ')} ms)`,
    );
  }, 200);
}
main();
