// A policy index built from the previous snapshot's (what the language server does after an edit)
// must give the matrix a fresh build gives: over a seeded sequence of edits to a generated
// workspace (labels, ports, selectors, files removed and restored, new workloads, namespace labels),
// each index carried over from the one before, so free class slots pile up and get reused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSourceFile } from '../../server/src/engine';
import { combineFileModels, readFileModel, type FileModel } from '../../server/src/engine/model/build';
import { buildPolicyIndex, type PolicyIndex } from '../../server/src/engine/policy/grants';
import { computeMatrix, type Matrix } from '../../server/src/engine/reachability/matrix';
import { matrixStats } from '../../server/src/engine/report/matrixFormats';
import { describe } from '../../server/src/engine/net/ports';
import type { Model } from '../../server/src/engine/model/types';
import { generate } from '../bench/generate';
import { mulberry32 } from '../support/random';

function assertSameMatrix(model: Model, got: Matrix, want: Matrix, label: string): void {
  const pairs = (m: Matrix) => [...m.connections()].map((c) => `${c.from.id}>${c.to.id} ${describe(c.allowed)}`);
  assert.deepEqual(pairs(got), pairs(want), `${label}: connections`);
  assert.deepEqual(matrixStats(model, got), matrixStats(model, want), `${label}: stats`);
  for (const w of model.workloads) assert.deepEqual(got.degree(w), want.degree(w), `${label}: degree of ${w.id}`);
  // every pair, the unconnected ones too
  for (const a of model.workloads)
    for (const b of model.workloads)
      if (describe(got.ports(a, b)) !== describe(want.ports(a, b))) assert.fail(`${label}: ${a.id} -> ${b.id}`);
}

type Edit = { what: string; apply(texts: Map<string, string>): boolean };

/** Replaces one occurrence (the n-th, modulo the count) of `from` in a file; false when there is none. */
function replaceIn(texts: Map<string, string>, uri: string, from: RegExp, to: string, n: number): boolean {
  const text = texts.get(uri);
  if (text === undefined) return false;
  const hits = [...text.matchAll(new RegExp(from.source, 'g'))];
  if (hits.length === 0) return false;
  const h = hits[n % hits.length];
  texts.set(uri, text.slice(0, h.index) + to + text.slice(h.index! + h[0].length));
  return true;
}

test('a policy index carried over from the previous one gives the same matrix as a fresh one, edit after edit', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-incremental-'));
  try {
    const g = generate('S', 5, dir);
    const texts = new Map<string, string>();
    for (const f of g.files) texts.set(path.relative(dir, f), readFileSync(f, 'utf8'));
    const uris = [...texts.keys()].sort();
    const policyFiles = uris.filter((u) => u.endsWith('network-policies.yaml'));
    const workloadFiles = uris.filter(
      (u) => /\/(?!namespace|network-policies)[^/]+\.yaml$/.test(u) && /kind: (Deployment|StatefulSet|DaemonSet)/.test(texts.get(u)!),
    );
    const namespaceFiles = uris.filter((u) => u.endsWith('namespace.yaml'));
    const removed = new Map<string, string>();
    const rnd = mulberry32(99);
    const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
    const k = () => Math.floor(rnd() * 1000);
    const edits: Edit[] = [
      {
        what: 'a workload tier label',
        apply: (t) => replaceIn(t, pick(workloadFiles), /tier: \w+/, `tier: ${pick(['web', 'api', 'db', 'wex'])}`, k()),
      },
      { what: 'a workload team label', apply: (t) => replaceIn(t, pick(workloadFiles), /team: [\w-]+/, `team: team-${k() % 30}`, k()) },
      {
        what: 'a named container port',
        apply: (t) => replaceIn(t, pick(workloadFiles), /containerPort: \d+/, `containerPort: ${8000 + (k() % 3)}`, k()),
      },
      {
        what: 'a policy selector value',
        apply: (t) => replaceIn(t, pick(policyFiles), /tier: \w+/, `tier: ${pick(['web', 'api', 'db', 'wex'])}`, k()),
      },
      { what: 'a policy port', apply: (t) => replaceIn(t, pick(policyFiles), /port: \d+/, `port: ${pick([80, 443, 8080, 9090])}`, k()) },
      { what: 'a namespace label', apply: (t) => replaceIn(t, pick(namespaceFiles), /team: [\w-]+/, `team: team-${k() % 30}`, 0) },
      {
        what: 'a copy of a workload under another name',
        apply: (t) => {
          const from = pick(workloadFiles);
          const n = k();
          const copy = t
            .get(from)!
            .replace(/name: ([\w-]+)\n/g, `name: $1-copy${n}\n`)
            .replace(/app: ([\w-]+)/g, `app: $1-copy${n}`);
          t.set(from.replace(/\.yaml$/, `-copy${n}.yaml`), copy);
          return true;
        },
      },
      {
        what: 'a file removed',
        apply: (t) => {
          const u = pick([...workloadFiles, ...policyFiles].filter((x) => t.has(x)));
          if (!u) return false;
          removed.set(u, t.get(u)!);
          t.delete(u);
          return true;
        },
      },
      {
        what: 'a removed file restored',
        apply: (t) => {
          const u = [...removed.keys()][0];
          if (!u) return false;
          t.set(u, removed.get(u)!);
          removed.delete(u);
          return true;
        },
      },
    ];
    // file models are cached per content, as in the server: unchanged files keep their objects
    const cache = new Map<string, { text: string; file: FileModel }>();
    const modelOf = (): Model => {
      const files = [...texts.keys()].sort().map((u) => {
        const c = cache.get(u);
        if (c && c.text === texts.get(u)) return c.file;
        const file = readFileModel(parseSourceFile(u, texts.get(u)!));
        cache.set(u, { text: texts.get(u)!, file });
        return file;
      });
      return combineFileModels(files);
    };
    let previous: PolicyIndex = buildPolicyIndex(modelOf());
    let carried = 0;
    let freeSlots = 0;
    for (let step = 0; step < 60; step++) {
      const e = edits[Math.floor(rnd() * edits.length)];
      if (!e.apply(texts)) continue;
      const model = modelOf();
      const index = buildPolicyIndex(model, previous);
      assertSameMatrix(model, computeMatrix(model, index), computeMatrix(model), `step ${step} (${e.what})`);
      // the carry-over happened: unchanged policies kept their selected sets
      carried += model.policies.filter((p) => index.selected.get(p) === previous.selected.get(p)).length;
      freeSlots = Math.max(freeSlots, index.classes.filter((c) => c.members.length === 0).length);
      previous = index;
    }
    assert.ok(carried > 1000, `policies carried over (${carried})`);
    assert.ok(freeSlots > 0, 'some class slots were freed along the way');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
