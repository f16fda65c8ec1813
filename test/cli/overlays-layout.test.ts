// The benchmark's "base + 3 overlays" layout (test/bench/overlays.ts) at size S: deterministic, three
// overlay scopes (and the loose Calico conflist), each rendered by `netlens render` as `kubectl kustomize`
// renders it (skipped without kubectl, like the other differential tests), and the overlays differ in
// what reaches what.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../bench/generate';
import { layOutOverlays, OVERLAYS, type OverlaysLayout } from '../bench/overlays';
import { repoRoot, runCli } from '../support/paths';
import { compareOutputs, findKubectl, INSTALL_SCRIPT, kubectlKustomize, memoryFs, printLikeKubectl } from '../support/kustomize';
import { detectScopes, KustomizeRenderCache, type ScopeInput } from '../../server/src/engine/scopes';
import { renderKustomization } from '../../server/src/engine/kustomize';

const kubectl = findKubectl();

function layOut(dir: string): OverlaysLayout {
  return layOutOverlays(generate('S', 42, path.join(dir, 'base')), dir);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-overlays-'));
const a = layOut(path.join(tmp, 'a'));

test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('overlays layout: the same size and seed give byte-identical files', () => {
  const b = layOut(path.join(tmp, 'b'));
  const rel = (l: OverlaysLayout) => l.files.map((f) => path.relative(l.dir, f));
  assert.deepEqual(rel(a), rel(b));
  for (const f of rel(a)) assert.equal(readFileSync(path.join(a.dir, f), 'utf8'), readFileSync(path.join(b.dir, f), 'utf8'), f);
  assert.equal(path.relative(a.dir, a.patchEdit.file), path.relative(b.dir, b.patchEdit.file));
  assert.equal(a.patchEdit.offset, b.patchEdit.offset);
});

test('overlays layout: one scope per overlay (the base is included, not a scope); the conflist stays loose', () => {
  const r = runCli(['scopes', a.dir]);
  assert.equal(r.status, 0, r.stderr);
  // the files are relative to the current folder (the repository, where runCli runs)
  const list = (JSON.parse(r.stdout) as { id: string; kind: string; files: string[] }[]).map((s) => ({
    ...s,
    files: s.files.map((f) => path.resolve(repoRoot(), f)),
  }));
  assert.deepEqual(list.map((s) => s.id).sort(), [...OVERLAYS.map((o) => a.scopes[o]), 'loose'].sort());
  const prod = list.find((s) => s.id === a.scopes.prod)!;
  assert.ok(prod.files.includes(a.patchFile), 'the edited patch belongs to prod');
  assert.ok(!list.find((s) => s.id === a.scopes.dev)!.files.includes(a.patchFile), 'and not to dev');
  assert.deepEqual(
    list.find((s) => s.id === 'loose')!.files.map((f) => path.basename(f)),
    ['10-calico.conflist'],
  );
  const text = readFileSync(a.patchEdit.file, 'utf8');
  assert.equal(text[a.patchEdit.offset], a.patchEdit.from);
  assert.equal(readFileSync(a.diffChange.file, 'utf8'), a.diffChange.from);
});

for (const overlay of OVERLAYS)
  test(
    `overlays layout: render --scope kustomize:overlays/${overlay} is what kubectl kustomize prints`,
    { skip: kubectl ? false : `kubectl not found: run ${INSTALL_SCRIPT}` },
    () => {
      const r = runCli(['--scope', a.scopes[overlay], 'render', a.dir]);
      assert.equal(r.status, 0, r.stderr);
      const want = kubectlKustomize(kubectl!, path.join(a.dir, 'overlays', overlay));
      assert.ok(want.ok, want.stderr);
      assert.deepEqual(compareOutputs(want.stdout, r.stdout), []);
      assert.equal(r.stdout, want.stdout, 'byte for byte');
    },
  );

test('overlays layout: the overlays differ in reachability', () => {
  const connections = (overlay: (typeof OVERLAYS)[number]) => {
    const r = runCli(['--scope', a.scopes[overlay], 'matrix', '--format', 'json', a.dir]);
    assert.equal(r.status, 0, r.stderr);
    const m = JSON.parse(r.stdout) as { connections: unknown[] };
    // dev's objects carry its name prefix: compare without it
    return new Set(m.connections.map((c) => JSON.stringify(c).replace(/dev-/g, '')));
  };
  const [dev, staging, prod] = OVERLAYS.map(connections);
  const differ = (x: Set<string>, y: Set<string>) => [...x].some((c) => !y.has(c)) || [...y].some((c) => !x.has(c));
  assert.ok(differ(dev, prod), 'dev and prod');
  assert.ok(differ(staging, prod), 'staging and prod');
  assert.ok(differ(dev, staging), 'dev and staging');
  assert.ok(staging.size > prod.size, "staging's web-ingress patch admits more");
});

test('overlays layout: an edit to a prod patch re-renders prod only, and renders sharing parses equal fresh ones', () => {
  const files: Record<string, string> = {};
  for (const f of a.files) if (!f.endsWith('.conflist')) files[f] = readFileSync(f, 'utf8');
  const input = (): ScopeInput => ({
    files: Object.entries(files).map(([p, text]) => ({ path: p, uri: 'file://' + p, text })),
    fs: memoryFs(files),
    roots: [a.dir],
    uriOf: (p) => 'file://' + p,
  });
  const cache = new KustomizeRenderCache();
  // detection renders nothing (it scans the kustomization files); render: true is the reference that renders all
  const scanned = detectScopes(input(), cache, { helm: false });
  assert.equal(cache.renders, 0, 'detection renders nothing');
  assert.deepEqual(detectScopes(input(), cache, { helm: false, render: true }), scanned);
  assert.equal(cache.renders, 4, 'the base and three overlays');
  const text = files[a.patchEdit.file];
  files[a.patchEdit.file] = text.slice(0, a.patchEdit.offset) + a.patchEdit.to + text.slice(a.patchEdit.offset + 1);
  detectScopes(input(), cache, { helm: false, render: true });
  assert.equal(cache.renders, 5, 'only prod read the patch');
  for (const o of OVERLAYS) {
    const dir = path.join(a.dir, 'overlays', o);
    const fresh = renderKustomization(memoryFs(files), dir);
    assert.equal(printLikeKubectl(cache.render(input().fs, dir)), printLikeKubectl(fresh), o);
  }
  assert.equal(cache.renders, 5);
  assert.match(printLikeKubectl(cache.render(input().fs, path.join(a.dir, 'overlays', 'prod'))), /tier: wex/);
});
