// A lint of some files (what the editor asks for after an edit) must give exactly the findings a
// whole-workspace lint gives for those files: on every fixture workspace, and on a generated
// workspace of 20 namespaces whose findings cross files (DNS names, peers in other namespaces);
// and a lint that asks the matrix for pairs must give the findings of one that explains each pair.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyze } from '../../server/src/engine';
import { lintModel, LintContext } from '../../server/src/engine/lint';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import type { Finding, Model } from '../../server/src/engine/model/types';
import { fixturePath, fixtureSources } from '../support/paths';
import { generate } from '../bench/generate';

const key = (f: Finding) => `${f.code} ${f.ref.uri}:${f.ref.start}-${f.ref.end} ${f.message}`;

function assertScopedEqualsFull(model: Model, uris: string[], label: string): number {
  const full = lintModel(model);
  // with the model's matrix at hand, lint asks it instead of explaining each pair: same findings
  const matrix = computeMatrix(model);
  assert.deepEqual(
    lintModel(model, new LintContext(model, undefined, () => matrix)).map(key),
    full.map(key),
    `${label}: lint with the matrix`,
  );
  let checked = 0;
  for (const uri of uris) {
    const scoped = lintModel(model, new LintContext(model), { uris: new Set([uri]) }).map(key);
    const expected = full.filter((f) => f.ref.uri === uri).map(key);
    assert.deepEqual(scoped, expected, `${label}: ${uri}`);
    checked += expected.length;
  }
  // and in batches (the background pass), sharing one context; small and large batches take different paths
  for (const size of [3, 10]) {
    const cx = new LintContext(model);
    const batched: string[] = [];
    for (let i = 0; i < uris.length; i += size) batched.push(...lintModel(model, cx, { uris: new Set(uris.slice(i, i + size)) }).map(key));
    assert.deepEqual(
      batched.sort(),
      full
        .filter((f) => uris.includes(f.ref.uri))
        .map(key)
        .sort(),
      `${label}: batches of ${size}`,
    );
  }
  return checked;
}

function workspaces(): { label: string; sources: { uri: string; text: string }[] }[] {
  const out: { label: string; sources: { uri: string; text: string }[] }[] = [];
  for (const group of ['rules', 'policy', 'dns']) {
    for (const name of readdirSync(fixturePath(group)).sort()) {
      if (!statSync(fixturePath(group, name)).isDirectory()) continue;
      out.push({ label: `${group}/${name}`, sources: fixtureSources(group, name) });
    }
  }
  out.push({ label: 'lsp/workspace', sources: fixtureSources('lsp', 'workspace') });
  // a finding placed on one file (the policy) about objects of others (the workloads it isolates)
  const deploy = (name: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec: {containers: [{name: c, image: x}]}\n`;
  out.push({
    label: 'split files',
    sources: [
      {
        uri: 'split/policy.yaml',
        text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: shop}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n',
      },
      { uri: 'split/web.yaml', text: deploy('web') },
      { uri: 'split/api.yaml', text: deploy('api') },
    ],
  });
  out.push({ label: 'mixed-dir', sources: fixtureSources('mixed-dir') });
  return out;
}

test('per-file lint equals the whole lint on every fixture workspace', () => {
  let findings = 0;
  for (const ws of workspaces()) {
    const model = analyze(ws.sources);
    findings += assertScopedEqualsFull(
      model,
      ws.sources.map((s) => s.uri),
      ws.label,
    );
  }
  assert.ok(findings > 50, `the fixtures produce findings to compare (${findings})`);
});

test('per-file lint equals the whole lint on a generated 20-namespace workspace', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-scope-'));
  try {
    const g = generate('S', 7, dir);
    const sources = g.files.map((f) => ({ uri: path.relative(dir, f), text: readFileSync(f, 'utf8') }));
    const model = analyze(sources);
    const codes = new Set(lintModel(model).map((f) => f.code));
    // the generator's deliberate mistakes reach across files and namespaces
    for (const c of ['unresolvable-name', 'blocked-reference', 'selector-matches-nothing'])
      assert.ok(codes.has(c), `generated workspace has ${c}`);
    assertScopedEqualsFull(
      model,
      sources.map((s) => s.uri),
      'generated S',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
