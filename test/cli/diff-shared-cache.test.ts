// netlens diff shares one Kustomize render cache between its two versions: the kustomizations whose inputs
// are the same in both (the base, the overlays not changed) render once. Differential: each version's
// model, the renderer's findings and the diff are the same as with a cache per version. The same for the
// rendered objects' models shared by text (the head parses only the objects that changed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../bench/generate';
import { layOutOverlays } from '../bench/overlays';
import { loadFilesInScope, type LoadOptions } from '../../server/src/cli/load';
import { KustomizeRenderCache } from '../../server/src/engine/scopes';
import { ObjectModelCache } from '../../server/src/engine/model/renderedFileModel';
import { diffAnalyses } from '../../server/src/engine/diff';
import type { SourceText } from '../../server/src/engine';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-diff-cache-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));
const l = layOutOverlays(generate('S', 42, path.join(tmp, 'base')), tmp);
const baseVersion: SourceText[] = l.files.filter((f) => /\.ya?ml$/.test(f)).map((f) => ({ uri: f, text: readFileSync(f, 'utf8') }));
const headVersion = (file: string, to: string): SourceText[] => baseVersion.map((s) => (s.uri === file ? { uri: s.uri, text: to } : s));

const lo = (scope: string, renderCache?: KustomizeRenderCache, objectModels?: ObjectModelCache): LoadOptions => ({
  options: {},
  threads: 1,
  verbose: false,
  maxFileBytes: 1 << 30,
  scope,
  err: () => undefined,
  ...(renderCache ? { renderCache } : {}),
  ...(objectModels ? { objectModels } : {}),
});

function charEdited(file: string): string {
  const t = readFileSync(file, 'utf8');
  return t.slice(0, l.patchEdit.offset) + l.patchEdit.to + t.slice(l.patchEdit.offset + 1);
}

const cases = [
  { name: "staging's patch changed (the diff's change)", scope: l.scopes.staging, file: l.diffChange.file, to: l.diffChange.to },
  {
    name: 'a base manifest changed',
    scope: l.scopes.dev,
    file: l.base.policyFile,
    to: readFileSync(l.base.policyFile, 'utf8').replace('tier: web', 'tier: api'),
  },
  {
    name: "prod's patch changed, staging analysed (staging does not read it)",
    scope: l.scopes.staging,
    file: l.patchFile,
    to: charEdited(l.patchFile),
  },
];

for (const c of cases)
  test(`diff with one render cache for both versions equals a cache per version: ${c.name}`, async () => {
    const head = headVersion(c.file, c.to);
    assert.notDeepEqual(head, baseVersion);
    const separate = [new KustomizeRenderCache(), new KustomizeRenderCache()];
    const b1 = await loadFilesInScope(baseVersion, [], [tmp], lo(c.scope, separate[0]));
    const h1 = await loadFilesInScope(head, [], [tmp], lo(c.scope, separate[1]));
    // shared as netlens diff shares them: the render cache and the rendered objects' models
    const shared = new KustomizeRenderCache();
    const models = new ObjectModelCache();
    const b2 = await loadFilesInScope(baseVersion, [], [tmp], lo(c.scope, shared, models));
    const afterBase = models.parsed;
    assert.ok(afterBase > 100, 'the base version read object by object');
    const h2 = await loadFilesInScope(head, [], [tmp], lo(c.scope, shared, models));
    assert.ok(models.parsed - afterBase <= 2, `the head parsed ${models.parsed - afterBase} changed object(s)`);
    assert.deepEqual(b2.model, b1.model);
    assert.deepEqual(h2.model, h1.model);
    assert.deepEqual(h2.scopeFindings, h1.scopeFindings);
    assert.deepEqual(h2.sources, h1.sources);
    assert.deepEqual(
      JSON.parse(JSON.stringify(diffAnalyses(b2.model, h2.model))),
      JSON.parse(JSON.stringify(diffAnalyses(b1.model, h1.model))),
    );
    // detection renders nothing: only the scope analysed renders, once per version with a cache each;
    // shared: the head re-renders it only when it read the changed file
    assert.equal(separate[0].renders + separate[1].renders, 2);
    assert.equal(shared.renders, c.file === l.patchFile ? 1 : 2);
  });
