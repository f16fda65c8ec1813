// A workload's degree counted from the policy index (what its code lens shows right after an edit) must
// equal the matrix's: for every workload of a generated workspace and of the policy fixtures, and after
// seeded label edits with the policy index carried over from the previous one, as the server does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildModel, parseSourceFile } from '../../server/src/engine';
import { combineFileModels, readFileModel } from '../../server/src/engine/model/build';
import { buildPolicyIndex, type PolicyIndex } from '../../server/src/engine/policy/grants';
import { computeMatrix, networkPolicyConnected, networkPolicyPairPorts } from '../../server/src/engine/reachability/matrix';
import { isEmpty } from '../../server/src/engine/net/ports';
import { degreeFromIndex } from '../../server/src/engine/reachability/degree';
import { hoverMarkdown } from '../../server/src/engine/report/hovers';
import { mdCode, mdText } from '../../protocol/markdown';
import { buildDnsIndex } from '../../server/src/engine/dns/records';
import type { Model } from '../../server/src/engine/model/types';
import { generate } from '../bench/generate';
import { mulberry32 } from '../support/random';
import { repoRoot } from '../support/paths';

function assertSameDegrees(model: Model, index: PolicyIndex, label: string): number {
  const fresh = computeMatrix(model, buildPolicyIndex(model));
  let compared = 0;
  for (const w of model.workloads) {
    const d = degreeFromIndex(index, w);
    if (d === undefined) continue;
    assert.deepEqual(d, fresh.degree(w), `${label}: ${w.id}`);
    compared++;
  }
  return compared;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

test('degree from the policy index equals the matrix degree on the policy fixtures', () => {
  let compared = 0;
  for (const dir of ['policy', 'exposure', 'controllers', 'rules'].map((d) => path.join(repoRoot(), 'test/fixtures', d))) {
    for (const f of yamlFiles(dir)) {
      const model = buildModel([parseSourceFile(f, readFileSync(f, 'utf8'))]);
      compared += assertSameDegrees(model, buildPolicyIndex(model), f);
    }
  }
  assert.ok(compared > 20, `compared ${compared}`);
});

test('degree from a carried-over policy index equals the matrix degree, edit after edit', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-degree-'));
  try {
    const g = generate('S', 11, dir);
    const texts = new Map(g.files.map((f) => [path.relative(dir, f), readFileSync(f, 'utf8')]));
    const uris = [...texts.keys()].sort();
    const rnd = mulberry32(11);
    const modelOf = () => combineFileModels(uris.map((u) => readFileModel(parseSourceFile(u, texts.get(u)!))));
    let model = modelOf();
    let index = buildPolicyIndex(model);
    assert.ok(assertSameDegrees(model, index, 'start') > 200);
    const swaps: [RegExp, string[]][] = [
      [/tier: (web|api|worker|data|wex)/g, ['tier: web', 'tier: api', 'tier: wex', 'tier: data']],
      [/port: \d+/g, ['port: 80', 'port: 8080', 'port: 81']],
      [/env: [a-z]+/g, ['env: prod', 'env: dev']],
    ];
    for (let step = 0; step < 12; step++) {
      for (let k = 0; k < 3; k++) {
        const u = uris[Math.floor(rnd() * uris.length)];
        const [re, to] = swaps[Math.floor(rnd() * swaps.length)];
        const text = texts.get(u)!;
        const hits = [...text.matchAll(re)];
        if (!hits.length) continue;
        const h = hits[Math.floor(rnd() * hits.length)];
        texts.set(u, text.slice(0, h.index) + to[Math.floor(rnd() * to.length)] + text.slice(h.index! + h[0].length));
      }
      model = modelOf();
      index = buildPolicyIndex(model, index);
      assertSameDegrees(model, index, `step ${step}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a workload's hover counts its degree from the policy index (as the server gives it) as from the matrix", () => {
  let compared = 0;
  for (const f of yamlFiles(path.join(repoRoot(), 'test/fixtures', 'policy'))) {
    const model = buildModel([parseSourceFile(f, readFileSync(f, 'utf8'))]);
    const matrix = computeMatrix(model);
    const index = buildPolicyIndex(model);
    const base = { model, matrix, dns: buildDnsIndex(model, 'cluster.local'), link: (l: string) => mdCode(l), code: mdCode, text: mdText };
    for (const w of model.workloads) {
      const hit = { kind: 'workload' as const, ref: w.ref, workload: w };
      const fromIndex = hoverMarkdown(hit, { ...base, degree: (x) => degreeFromIndex(index, x) ?? matrix.degree(x) });
      assert.equal(fromIndex, hoverMarkdown(hit, base), `${f}: ${w.id}`);
      compared++;
    }
  }
  assert.ok(compared > 10, `compared ${compared}`);
});

test('networkPolicyConnected says whether the pair function gives some port, for every class pair of the policy fixtures', () => {
  let pairs = 0;
  let connected = 0;
  for (const f of yamlFiles(path.join(repoRoot(), 'test/fixtures', 'policy'))) {
    const model = buildModel([parseSourceFile(f, readFileSync(f, 'utf8'))]);
    const index = buildPolicyIndex(model);
    for (let s = 0; s < index.classes.length; s++)
      for (let d = 0; d < index.classes.length; d++) {
        const want = !isEmpty(networkPolicyPairPorts(index, s, d));
        assert.equal(networkPolicyConnected(index, s, d), want, `${f}: ${index.classes[s].rep.id} -> ${index.classes[d].rep.id}`);
        pairs++;
        if (want) connected++;
      }
  }
  assert.ok(pairs > 50 && connected > 10 && connected < pairs, `${connected} of ${pairs} pairs connected`);
});
