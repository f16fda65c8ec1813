// A rendered scope read object by object (one file model per rendered object, cached by its text, combined
// incrementally) against the same scope read as one rendered text: the same findings at the same source
// places, the same matrix, the same model (places compared in the whole rendered text), on the Kustomize
// fixtures, examples/kustomize and the benchmark's base + 3 overlays layout at S, and after edits to a
// patch, a base file and a kustomization.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { Snapshot } from '../../server/src/workspace/snapshot';
import { parseSourceFile } from '../../server/src/engine';
import { combineFileModels, readFileModel } from '../../server/src/engine/model/build';
import type { Finding, Model, SourceRef } from '../../server/src/engine/model/types';
import type { OriginMap } from '../../server/src/engine/scopes';
import { generate } from '../bench/generate';
import { layOutOverlays } from '../bench/overlays';
import { repoRoot } from '../support/paths';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-scope-objects-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else if (/\.(ya?ml|conflist)$/.test(e)) out.push(p);
  }
  return out;
}

function indexOf(dir: string): WorkspaceIndex {
  const idx = new WorkspaceIndex({}, 0);
  idx.scopes.roots = [dir];
  for (const f of filesUnder(dir)) idx.setDisk(pathToFileURL(f).toString(), readFileSync(f, 'utf8'));
  idx.flush();
  return idx;
}

const key = (f: Finding) => JSON.stringify(f);
const sorted = (fs: Iterable<Finding>) => [...fs].map(key).sort();

/** Every place of a value (a model's parts) as a place in the whole rendered text. */
function toWhole(v: unknown, origins: OriginMap, seen = new Map<object, unknown>()): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (seen.has(v)) return seen.get(v);
  if (Array.isArray(v)) {
    const out: unknown[] = [];
    seen.set(v, out);
    for (const x of v) out.push(toWhole(x, origins, seen));
    return out;
  }
  if (v instanceof Map) {
    const out = new Map();
    seen.set(v, out);
    for (const [k, x] of v) out.set(k, toWhole(x, origins, seen));
    return out;
  }
  const o = v as Record<string, unknown>;
  if (typeof o.uri === 'string' && typeof o.start === 'number' && typeof o.end === 'number' && origins.owns(o.uri)) {
    const w = origins.toWhole(o as unknown as SourceRef);
    const out: Record<string, unknown> = { ...o, uri: w.uri, start: w.start, end: w.end };
    seen.set(v, out);
    return out;
  }
  const out: Record<string, unknown> = {};
  seen.set(v, out);
  for (const [k, x] of Object.entries(o)) out[k] = typeof x === 'function' ? '(function)' : toWhole(x, origins, seen);
  return out;
}

function plain(m: Model): unknown {
  return { namespaces: m.namespaces, workloads: m.workloads, services: m.services, policies: m.policies, endpoints: m.endpoints };
}

/** The snapshot's rendered scope read as one text (what the server did before), as a snapshot of its own. */
function wholeTextSnapshot(snap: Snapshot): Snapshot {
  const scoping = snap.scoping!;
  const view = scoping.view!;
  const sources = view.sources;
  const model = combineFileModels(sources.map((s) => readFileModel(parseSourceFile(s.uri, s.text))));
  const texts = new Map<string, string>();
  for (const f of scoping.input.files) texts.set(f.uri, f.text);
  for (const s of sources) texts.set(s.uri, s.text);
  const whole = { scope: view.scope, sources, origins: view.origins!, findings: view.findings, rendered: view.rendered! };
  return new Snapshot(1, model, texts, undefined, { ...scoping, view: whole });
}

function assertSame(snap: Snapshot, what: string): void {
  const view = snap.scoping?.view;
  assert.ok(view?.objects && view.origins, `${what}: read object by object`);
  assert.equal(new Set(view.objects.map((o) => o.uri)).size, view.objects.length, `${what}: one URI per object`);
  const ref = wholeTextSnapshot(snap);
  // the model: the same objects in the same order, at the same places of the whole rendered text
  assert.deepEqual(toWhole(plain(snap.model), view.origins), toWhole(plain(ref.model), view.origins), `${what}: model`);
  assert.deepEqual(sorted(toWhole(snap.model.findings, view.origins) as Finding[]), sorted(ref.model.findings), `${what}: model findings`);
  // findings: all of them, and each file's (where the editor shows them)
  assert.deepEqual(sorted(snap.allFindings()), sorted(ref.allFindings()), `${what}: all findings`);
  const uris = new Set([...snap.findingUris(), ...ref.findingUris()]);
  for (const u of uris) assert.deepEqual(sorted(snap.findingsFor(u)), sorted(ref.findingsFor(u)), `${what}: findings of ${u}`);
  // the matrix
  const conns = (s: Snapshot) => [...s.matrix.connections()].map((c) => JSON.stringify([c.from.id, c.to.id, String(c.allowed)])).sort();
  assert.deepEqual(conns(snap), conns(ref), `${what}: matrix`);
}

/**
 * The snapshot against a fresh index of the same files (`open`: the edited texts over the disk): nothing
 * carried over from earlier builds (renders, detection, files, views, object models), the same rendered
 * text and findings.
 */
function assertFresh(snap: Snapshot, dir: string, open: ReadonlyMap<string, string>, what: string): void {
  const idx = indexOf(dir);
  for (const [u, t] of open) idx.setOpen(u, t);
  idx.flush();
  assert.ok(idx.setScope(snap.activeScope));
  const fresh = idx.flush();
  assert.equal(snap.scoping?.view?.rendered, fresh.scoping?.view?.rendered, `${what}: the rendered text of a fresh index`);
  assert.deepEqual(sorted(snap.allFindings()), sorted(fresh.allFindings()), `${what}: the findings of a fresh index`);
  assert.deepEqual(
    snap.scopes.map((x) => [x.id, x.files.length]),
    fresh.scopes.map((x) => [x.id, x.files.length]),
    `${what}: the scopes of a fresh index`,
  );
}

function assertScopes(dir: string, label: string): number {
  const idx = indexOf(dir);
  let n = 0;
  for (const s of idx.snapshot.scopes.filter((x) => x.kind === 'kustomize')) {
    assert.ok(idx.setScope(s.id));
    idx.flush();
    assert.equal(idx.snapshot.activeScope, s.id);
    assertSame(idx.snapshot, `${label} ${s.id}`);
    n++;
  }
  return n;
}

test('scope objects: each Kustomize fixture and examples/kustomize, every scope: the same as the whole rendered text', () => {
  const root = path.join(repoRoot(), 'test', 'fixtures', 'kustomize');
  let n = 0;
  for (const c of readdirSync(root).sort()) n += assertScopes(path.join(root, c), c);
  n += assertScopes(path.join(repoRoot(), 'examples', 'kustomize'), 'examples/kustomize');
  assert.ok(n >= 12, `${n} scopes compared`);
});

test('scope objects: the base + 3 overlays layout at S, then edits to a patch, a base file and a kustomization', () => {
  const dir = path.join(tmp, 'ov');
  const l = layOutOverlays(generate('S', 42, path.join(dir, 'base')), dir);
  const idx = indexOf(dir);
  for (const o of ['dev', 'staging', 'prod'] as const) {
    assert.ok(idx.setScope(l.scopes[o]));
    idx.flush();
    assertSame(idx.snapshot, o);
  }
  // prod active: edits that change one object, change its length, add and remove objects, change every object
  const open = new Map<string, string>();
  const edit = (file: string, change: (t: string) => string) => {
    const u = pathToFileURL(file).toString();
    const text = idx.snapshot.text(u) ?? readFileSync(file, 'utf8');
    open.set(u, change(text));
    idx.setOpen(u, open.get(u)!);
    const snap = idx.flush();
    assertFresh(snap, dir, open, `after an edit to ${path.relative(dir, file)}`);
    return snap;
  };
  const before = idx.snapshot;
  const swap = (e: { offset: number; from: string; to: string }) => (t: string) =>
    t.slice(0, e.offset) + (t[e.offset] === e.from ? e.to : e.from) + t.slice(e.offset + 1);
  let snap = edit(l.patchEdit.file, swap(l.patchEdit));
  assertSame(snap, "prod's patch: tier web -> wex");
  assert.ok(
    snap.findingsFor(pathToFileURL(l.patchFile).toString()).some((f) => f.code === 'selector-matches-nothing'),
    'the patched policy selects nothing, said on the patch',
  );
  // the combine patched the model: unchanged objects' workloads are the same objects
  const same = snap.model.workloads.filter((w) => before.model.workloads.includes(w)).length;
  assert.ok(same > snap.model.workloads.length / 2, `${same} of ${snap.model.workloads.length} workloads carried over`);
  snap = edit(l.patchEdit.file, swap(l.patchEdit));
  assertSame(snap, "prod's patch back");
  // two builds nobody asks about in between (their origin maps index nothing by source), then one asked
  const patchUri = pathToFileURL(l.patchFile).toString();
  for (let i = 0; i < 3; i++) {
    open.set(patchUri, swap(l.patchEdit)(open.get(patchUri)!));
    idx.setOpen(patchUri, open.get(patchUri)!);
    snap = idx.flush();
  }
  assertSame(snap, "prod's patch after builds nobody asked about");
  assertFresh(snap, dir, open, "prod's patch after builds nobody asked about");
  snap = edit(l.base.workloadEdit.file, swap(l.base.workloadEdit));
  assertSame(snap, 'a base workload file');
  snap = edit(l.base.workloadEdit.file, (t) =>
    t.replace(/\n {2}labels:\n/, '\n  labels:\n    extra-label-to-change-lengths: yes-a-longer-value\n'),
  );
  assertSame(snap, 'a base workload file, longer');
  snap = edit(
    l.base.workloadEdit.file,
    (t) =>
      `${t}\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: added-by-edit\n  namespace: nowhere\nspec:\n  ports:\n    - port: 80\n`,
  );
  assertSame(snap, 'a base file with one more object (not listed: the render is the same)');
  const prodKz = path.join(dir, 'overlays', 'prod', 'kustomization.yaml');
  snap = edit(prodKz, (t) => t.replace(/^commonLabels:\n/m, 'commonLabels:\n  added: label\n'));
  assertSame(snap, "prod's kustomization: one more common label (every object changes)");
  snap = edit(prodKz, (t) => t.replace(/^resources:\n/m, 'resources:\n  - extra.yaml\n'));
  assertSame(snap, "prod's kustomization: a resource that does not exist");
  // a scope switch and back
  assert.ok(idx.setScope(l.scopes.dev));
  idx.flush();
  assertSame(idx.snapshot, 'dev after the edits');
  assert.ok(idx.setScope(l.scopes.prod));
  idx.flush();
  assertSame(idx.snapshot, 'prod again');
});

test('scope objects: hovers ask the rendered object; places map back to the base file', () => {
  const dir = path.join(tmp, 'ex');
  cpSync(path.join(repoRoot(), 'examples', 'kustomize'), dir, { recursive: true });
  const idx = indexOf(dir);
  assert.ok(idx.setScope('kustomize:overlays/prod'));
  const snap = idx.flush();
  const file = path.join(dir, 'base', 'web.yaml');
  const u = pathToFileURL(file).toString();
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf('name:') + 'name: '.length;
  const analysed = snap.toAnalysed(u, at);
  assert.ok(analysed, 'a place of the base is a place of a rendered object');
  assert.ok(
    snap.scoping!.view!.objects!.some((o) => o.uri === analysed.uri),
    'that object, under its own URI',
  );
  const back = snap.mapRef({ uri: analysed.uri, start: analysed.offset, end: analysed.offset + 1 });
  assert.equal(back.uri, u);
  assert.ok(snap.text(analysed.uri)?.includes('kind:'), "the object's own text");
  for (const w of snap.model.workloads) assert.ok(!snap.mapRef(w.ref).uri.startsWith('netlens-scope:'), `${w.id} maps to a file`);
});
