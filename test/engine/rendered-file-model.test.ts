// A rendered scope's file model read object by object (engine/model/renderedFileModel.ts) equals the
// model of its whole virtual text, offsets included; objects are parsed once per text across renders;
// anything the whole text could read differently falls back (undefined).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generate } from '../bench/generate';
import { layOutOverlays } from '../bench/overlays';
import { parseSourceFile } from '../../server/src/engine';
import { readFileModel } from '../../server/src/engine/model/build';
import { ObjectModelCache, renderedFileModel } from '../../server/src/engine/model/renderedFileModel';
import { printStream, renderKustomization } from '../../server/src/engine/kustomize';
import { diskFs } from '../support/kustomize';

const URI = 'netlens-scope:/kustomize%3Aoverlays%2Fx.yaml';
const whole = (docs: string[], ns = 'default') => readFileModel(parseSourceFile(URI, printStream(docs)), ns);

const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-rendered-model-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('rendered file model: object by object equals the whole text, on the overlays layout (S)', () => {
  layOutOverlays(generate('S', 42, path.join(tmp, 'base')), tmp);
  const cache = new ObjectModelCache();
  let total = 0;
  for (const o of ['dev', 'staging', 'prod']) {
    const docs = renderKustomization(diskFs, path.join(tmp, 'overlays', o)).objects.map((x) => x.yaml);
    assert.ok(docs.length > 100);
    total += docs.length;
    const per = renderedFileModel(URI, docs, 'default', cache);
    assert.ok(per, o);
    assert.deepEqual(per, whole(docs), o);
  }
  // the same renders again: nothing parsed; a changed object: only that one
  const parsed = cache.parsed;
  assert.ok(parsed <= total);
  const docs = renderKustomization(diskFs, path.join(tmp, 'overlays', 'prod')).objects.map((x) => x.yaml);
  assert.deepEqual(renderedFileModel(URI, docs, 'default', cache), whole(docs));
  assert.equal(cache.parsed, parsed);
  const i = docs.findIndex((d) => d.includes('kind: NetworkPolicy'));
  docs[i] = docs[i].replace('  name: ', '  name: x-');
  docs.splice(0, 1);
  const changed = renderedFileModel(URI, docs, 'default', cache);
  assert.deepEqual(changed, whole(docs));
  assert.equal(cache.parsed, parsed + 2, 'the changed object, and the new first one (read without a separator)');
  // another default namespace is another model
  assert.deepEqual(renderedFileModel(URI, docs, 'other', cache), whole(docs, 'other'));
});

test('rendered file model: every kustomization fixture renders to the same model either way', () => {
  const root = path.join('test', 'fixtures', 'kustomize');
  const cache = new ObjectModelCache();
  let compared = 0;
  const dirs: string[] = [];
  const walk = (d: string) => {
    const names = readdirSync(d, { withFileTypes: true });
    if (names.some((n) => n.name === 'kustomization.yaml')) dirs.push(d);
    for (const n of names) if (n.isDirectory()) walk(path.join(d, n.name));
  };
  walk(root);
  for (const d of dirs) {
    const docs = renderKustomization(diskFs, path.resolve(d)).objects.map((x) => x.yaml);
    if (!docs.length) continue;
    const per = renderedFileModel(URI, docs, 'default', cache);
    if (per) compared++;
    if (per) assert.deepEqual(per, whole(docs), d);
  }
  assert.ok(compared >= dirs.length - 2, `${compared} of ${dirs.length} compared`);
});

test('rendered file model: what the whole text could read otherwise falls back; hostile keys stay data', () => {
  const cache = new ObjectModelCache();
  const cm = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;
  const pod = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    __proto__: x\n    app: "{{ .Values.x }}"\nspec:\n  containers:\n  - name: c\n`;
  assert.equal(renderedFileModel(URI, [], 'default', cache), undefined);
  // a template outside strings, a tab error, a YAML error, an object without a name
  for (const bad of [
    'kind: Pod\nmetadata:\n  name: p\n{{ if .x }}\n',
    'kind: Pod\nmetadata:\n\tname: p\n',
    'kind: Pod\nmetadata: [\n',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: p-\n',
  ])
    assert.equal(renderedFileModel(URI, [cm('a'), bad], 'default', cache), undefined, bad);
  const docs = [cm('a'), pod, cm('b', 'data:\n  k: v\n')];
  const per = renderedFileModel(URI, docs, 'default', cache);
  assert.ok(per);
  assert.deepEqual(per, whole(docs));
  assert.equal(Object.getPrototypeOf(per.objects[1]), Object.prototype);
});
