// The work after an edit, in one process without the LSP: what the server's main thread does between a
// didChange and the answer to the edited file's diagnostic pull, and for the requests right after an edit.
//
//   node out/tools/bench/edits/run.js [--size L] [--seed 42] [--edits 20] [--dir DIR] [--no-lens]
//   node --cpu-prof --cpu-prof-dir=/tmp/prof out/tools/bench/edits/run.js --size L
//   node out/tools/bench/edits/run.js --size L --profile /tmp/edits.cpuprofile   (the edits only)
//   node out/tools/bench/edits/run.js --size L --layout overlays   (a base + 3 overlays, prod active: edits to
//                                                                    prod's patch and to a base workload file)
//
// It writes the generated workspace (test/bench/generate.ts), reads every file into a WorkspaceIndex as the
// server's indexing does, opens the benchmark's policy and workload files, and then toggles the bench's
// edits: per edit, the rebuild (`flush`: combine, snapshot, lookup indexes), the edited file's lint
// (`findingsFor`), and for a workload edit the file's code lens degrees. CPU-bound phases in one thread, so
// the numbers compare well between commits on a loaded machine when taken back to back.
import { readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { generate, type CharEdit, type SizeName } from '../generate';
import { layOutOverlays } from '../overlays';
import { WorkspaceIndex } from '../../../server/src/workspace/index';
import { lookup } from '../../../server/src/engine/model/lookup';

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

function main(): void {
  const size = (arg('--size') ?? 'L').toUpperCase() as SizeName;
  const seed = Number(arg('--seed') ?? 42);
  const edits = Number(arg('--edits') ?? 20);
  const dir = arg('--dir') ?? path.join(os.tmpdir(), `netlens-edit-probe-${size}`);
  const overlays = arg('--layout') === 'overlays';
  // the lenses read a loose file's workloads: not measured with a rendered scope active
  const lens = !process.argv.includes('--no-lens') && !overlays;
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
  const docs = new Map<string, { text: string; version: number; edit: CharEdit; on: boolean }>();
  const opened: [string, CharEdit][] = l
    ? [
        [l.patchFile, l.patchEdit],
        [g.workloadEdit.file, g.workloadEdit],
      ]
    : [
        [g.policyFile, g.policyEdit],
        [g.workloadFile, g.workloadEdit],
      ];
  for (const [file, edit] of opened) {
    const uri = pathToFileURL(file).toString();
    const text = readFileSync(file, 'utf8');
    docs.set(uri, { text, version: 1, edit, on: false });
    index.setOpen(uri, text, 1);
  }
  let snap = index.flush();
  for (const uri of docs.keys()) snap.findingsFor(uri);
  // the workload lenses built the policy index before the measured edits
  if (lens) void snap.policyIndex;
  const phases: Record<string, number[]> = { rebuild: [], lint: [], total: [], 'total CPU': [], lens: [], 'lens CPU': [] };
  const uris = [...docs.keys()];
  // a profile of the measured edits alone (not the generation and indexing before them)
  const profile = arg('--profile');
  const session = profile ? new Session() : undefined;
  if (session) {
    session.connect();
    session.post('Profiler.enable');
    session.post('Profiler.start');
  }
  for (let i = 0; i < edits; i++) {
    const uri = uris[i % 2];
    const d = docs.get(uri)!;
    d.on = !d.on;
    const ch = d.on ? d.edit.to : d.edit.from;
    d.text = d.text.slice(0, d.edit.offset) + ch + d.text.slice(d.edit.offset + 1);
    const c0 = cpu();
    const t0 = performance.now();
    index.setOpen(uri, d.text, ++d.version);
    snap = index.flush();
    const t1 = performance.now();
    snap.findingsFor(uri);
    const t2 = performance.now();
    phases.rebuild.push(t1 - t0);
    phases.lint.push(t2 - t1);
    phases.total.push(t2 - t0);
    phases['total CPU'].push(cpu() - c0);
    const kind = overlays ? ['patch', 'base file'][i % 2] : ['policy', 'workload'][i % 2];
    (phases[`${kind}: total`] ??= []).push(t2 - t0);
    (phases[`${kind}: CPU`] ??= []).push(cpu() - c0);
    if (lens && i % 2 === 1) {
      const c3 = cpu();
      const t3 = performance.now();
      for (const w of lookup(snap.model).inFile(uri).workloads) snap.degree(w);
      phases.lens.push(performance.now() - t3);
      phases['lens CPU'].push(cpu() - c3);
    }
  }
  if (session)
    session.post('Profiler.stop', (err, res) => {
      if (!err) writeFileSync(profile!, JSON.stringify(res.profile));
      session.disconnect();
    });
  for (const [name, xs] of Object.entries(phases))
    if (xs.length) console.log(`${name.padEnd(16)} median ${median(xs).toFixed(1)} ms  p95 ${p95(xs).toFixed(1)} ms  (n=${xs.length})`);
}

main();
