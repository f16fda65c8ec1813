// Scope detection without rendering: what a kustomization's render reads is found from the kustomization
// files' fields (engine/kustomize/reads.ts). Differential: the files it finds are exactly the files a render
// reads, and detection gives the same scopes (ids, kinds, roots, files) as detection that renders every
// kustomization, on every kustomization fixture in test/ and on edge cases (folders as resources, nested
// kustomizations, components, remote bases, missing files, cycles, a base included by two overlays,
// generators that stop at a missing file, inline and file patches).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { detectScopes, KustomizeRenderCache, type ScopeInput } from '../../server/src/engine/scopes';
import { KUSTOMIZATION_FILE_NAMES } from '../../server/src/engine/kustomize';
import { memoryFs } from '../support/kustomize';

function inputOf(files: Record<string, string>): ScopeInput {
  return {
    files: Object.entries(files).map(([p, text]) => ({ path: '/' + p, uri: 'file:///' + p, text })),
    fs: memoryFs(files),
    roots: ['/ws'],
    uriOf: (p) => 'file://' + p,
  };
}

function kustomizationDirs(files: Record<string, string>): string[] {
  return [
    ...new Set(
      Object.keys(files)
        .filter((p) => KUSTOMIZATION_FILE_NAMES.includes(path.posix.basename(p)))
        .map((p) => '/' + path.posix.dirname(p)),
    ),
  ].sort();
}

/** Both detections agree, and for every kustomization the scan finds the files its render reads. */
function assertSameAsRender(files: Record<string, string>, what: string): void {
  const scanCache = new KustomizeRenderCache();
  const scanned = detectScopes(inputOf(files), scanCache, { helm: false });
  assert.equal(scanCache.renders, 0, `${what}: detection renders nothing`);
  const rendered = detectScopes(inputOf(files), new KustomizeRenderCache(), { helm: false, render: true });
  assert.deepEqual(scanned, rendered, `${what}: the same scopes`);
  const fs = memoryFs(files);
  for (const dir of kustomizationDirs(files)) {
    const cache = new KustomizeRenderCache();
    cache.render(fs, dir);
    assert.deepEqual(new KustomizeRenderCache().filesToRead(fs, dir).sort(), cache.filesRead(dir).sort(), `${what}: ${dir}`);
  }
}

/** Every file below a folder of test/, as `ws/...` keys. */
function filesBelow(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else out['ws/' + path.relative(root, p).split(path.sep).join('/')] = readFileSync(p, 'utf8');
    }
  };
  walk(root);
  return out;
}

/** The folders of test/ that hold a kustomization file, outermost only. */
function fixtureRoots(): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    const names = readdirSync(d);
    if (names.some((n) => KUSTOMIZATION_FILE_NAMES.includes(n))) found.push(d);
    for (const n of names) if (n !== 'node_modules' && statSync(path.join(d, n)).isDirectory()) walk(path.join(d, n));
  };
  walk('test');
  // group by the first folder below test/fixtures (or test/): one workspace each
  return [
    ...new Set(
      found.map((d) =>
        d
          .split(path.sep)
          .slice(0, d.startsWith(path.join('test', 'fixtures')) ? 3 : 2)
          .join(path.sep),
      ),
    ),
  ];
}

test('scan = render: every kustomization fixture in test/', () => {
  const roots = fixtureRoots();
  assert.ok(roots.length >= 2, `kustomization fixtures found: ${roots.join(', ')}`);
  for (const r of roots) assertSameAsRender(filesBelow(r), r);
  // each fixture also as its own workspace (its kustomizations are then the roots)
  for (const d of readdirSync(path.join('test', 'fixtures', 'kustomize')))
    assertSameAsRender(filesBelow(path.join('test', 'fixtures', 'kustomize', d)), d);
});

const OBJ = (kind: string, name: string) => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: ${name}\n`;

const CASES: Record<string, Record<string, string>> = {
  'folders as resources, nested kustomizations, a base included by two overlays': {
    'ws/base/kustomization.yaml': 'resources:\n  - app\n  - svc.yaml\n',
    'ws/base/app/kustomization.yaml': 'resources:\n  - cm.yaml\n',
    'ws/base/app/cm.yaml': OBJ('ConfigMap', 'a'),
    'ws/base/svc.yaml': OBJ('Service', 's'),
    'ws/overlays/a/kustomization.yaml': 'resources:\n  - ../../base\nnamePrefix: a-\n',
    'ws/overlays/b/kustomization.yaml': 'bases:\n  - ../../base\nresources:\n  - extra.yaml\n',
    'ws/overlays/b/extra.yaml': OBJ('ConfigMap', 'extra'),
    'ws/loose.yaml': OBJ('ConfigMap', 'loose'),
  },
  'components (a component listed under resources too), remote bases and components': {
    'ws/comp/kustomization.yaml': 'kind: Component\nresources:\n  - deny.yaml\npatches:\n  - path: p.yaml\n',
    'ws/comp/deny.yaml': OBJ('ConfigMap', 'deny'),
    'ws/comp/p.yaml': OBJ('ConfigMap', 'deny'),
    'ws/app/kustomization.yaml':
      'resources:\n  - https://github.com/example/repo//base?ref=v1\n  - github.com/example/other/base?ref=main\n  - cm.yaml\ncomponents:\n  - ../comp\n  - git::https://example.com/c.git\n',
    'ws/app/cm.yaml': OBJ('ConfigMap', 'x'),
    'ws/wrong/kustomization.yaml': 'resources:\n  - ../comp\n',
  },
  'missing files, a folder without a kustomization, non-string entries': {
    'ws/k/kustomization.yaml':
      'resources:\n  - missing.yaml\n  - empty-dir\n  - 3\n  - {a: 1}\n  - ok.yaml\ncomponents:\n  - ../nowhere\n  - 7\npatchesStrategicMerge:\n  - missing-patch.yaml\n  - |\n    kind: ConfigMap\n    metadata:\n      name: ok\n',
    'ws/k/ok.yaml': OBJ('ConfigMap', 'ok'),
    'ws/k/empty-dir/readme.txt': 'hello',
  },
  'cycles: a base that includes itself, two that include each other': {
    'ws/self/kustomization.yaml': 'resources:\n  - .\n  - a.yaml\n',
    'ws/self/a.yaml': OBJ('ConfigMap', 'a'),
    'ws/x/kustomization.yaml': 'resources:\n  - ../y\n  - x.yaml\n',
    'ws/x/x.yaml': OBJ('ConfigMap', 'x'),
    'ws/y/kustomization.yaml': 'resources:\n  - ../x\n  - y.yaml\n',
    'ws/y/y.yaml': OBJ('ConfigMap', 'y'),
  },
  'generators: env files, literals and files, stopping at the first missing file or bad literal': {
    'ws/g/kustomization.yaml': [
      'configMapGenerator:',
      '  - name: one',
      '    envs: [a.env, missing.env, only-one.env]',
      '    files: [only-one.conf]',
      '  - name: two',
      '    env: b.env',
      '    literals: [ok=1, bad]',
      '    files: [only-two.conf]',
      '  - name: three',
      '    files: [key=c.conf, nothere.conf, only-three.conf]',
      '  - files: [e.conf]',
      '  - name: ""',
      '    files: [e.conf]',
      'secretGenerator:',
      '  - name: s',
      '    files: [tls.key]',
      '    envs: [f.env]',
      'generatorOptions:',
      '  disableNameSuffixHash: true',
    ].join('\n'),
    'ws/g/a.env': 'A=1\n',
    'ws/g/b.env': 'B=2\n',
    'ws/g/c.conf': 'c',
    'ws/g/d.conf': 'd',
    'ws/g/e.conf': 'e',
    'ws/g/f.env': 'F=1\n',
    'ws/g/tls.key': 'k',
    'ws/g/only-one.env': 'O=1\n',
    'ws/g/only-one.conf': 'o',
    'ws/g/only-two.conf': 't',
    'ws/g/only-three.conf': 't',
  },
  'patches, JSON 6902 patches, replacements, configurations, transformers': {
    'ws/p/kustomization.yaml': [
      'resources: [cm.yaml]',
      'patches:',
      '  - path: smp.yaml',
      '  - path: both.yaml',
      '    patch: "kind: X"',
      '  - patch: |',
      '      kind: ConfigMap',
      '      metadata: {name: cm}',
      '  - path: json.yaml',
      '    target: {kind: ConfigMap}',
      '  - not-a-map',
      'patchesJson6902:',
      '  - target: {kind: ConfigMap, name: cm}',
      '    path: ops.yaml',
      '  - path: no-target.yaml',
      '  - target: {kind: ConfigMap, name: cm}',
      '    patch: "[]"',
      'replacements:',
      '  - path: repl.yaml',
      '  - source: {kind: ConfigMap, name: cm}',
      'configurations: [conf.yaml, missing-conf.yaml]',
      'transformers: [t.yaml, "apiVersion: builtin\\nkind: X\\n"]',
    ].join('\n'),
    'ws/p/cm.yaml': OBJ('ConfigMap', 'cm'),
    'ws/p/smp.yaml': OBJ('ConfigMap', 'cm'),
    'ws/p/both.yaml': OBJ('ConfigMap', 'cm'),
    'ws/p/json.yaml': '- op: add\n  path: /data\n  value: {}\n',
    'ws/p/ops.yaml': '- op: add\n  path: /data\n  value: {}\n',
    'ws/p/no-target.yaml': '[]\n',
    'ws/p/repl.yaml': '- source: {kind: ConfigMap, name: cm}\n  targets: []\n',
    'ws/p/conf.yaml': 'commonLabels: []\n',
    'ws/p/t.yaml': 'apiVersion: builtin\nkind: LabelTransformer\nmetadata: {name: l}\nlabels: {a: b}\n',
  },
  'two kustomization files in one folder, an invalid kustomization, a list kustomization': {
    'ws/two/kustomization.yaml': 'resources: [a.yaml]\n',
    'ws/two/Kustomization': 'resources: [a.yaml]\n',
    'ws/two/a.yaml': OBJ('ConfigMap', 'a'),
    'ws/bad/kustomization.yaml': 'resources: [a.yaml\n',
    'ws/bad/a.yaml': OBJ('ConfigMap', 'a'),
    'ws/list/kustomization.yml': '- a.yaml\n',
    'ws/list/a.yaml': OBJ('ConfigMap', 'a'),
    'ws/uses/kustomization.yaml': 'resources: [../two, ../bad, ../list, ../nothing]\n',
  },
};

for (const [name, files] of Object.entries(CASES)) test(`scan = render: ${name}`, () => assertSameAsRender(files, name));

test('detection renders nothing; the chosen scope renders when viewed, and an edit re-scans only what read the file (a resource file: when it appears or goes)', () => {
  const files = { ...CASES['folders as resources, nested kustomizations, a base included by two overlays'] };
  const cache = new KustomizeRenderCache();
  const first = detectScopes(inputOf(files), cache, { helm: false });
  assert.deepEqual(
    first.map((s) => s.id),
    ['kustomize:overlays/a', 'kustomize:overlays/b', 'loose'],
  );
  assert.equal(cache.renders, 0);
  const scans = cache.scanned;
  detectScopes(inputOf(files), cache, { helm: false });
  assert.equal(cache.scanned, scans, 'nothing changed: nothing re-scanned');
  files['ws/overlays/b/extra.yaml'] = OBJ('ConfigMap', 'extra2');
  detectScopes(inputOf(files), cache, { helm: false });
  assert.equal(cache.scanned, scans, "a resource file's text: nothing re-scanned (a scan needs only whether it exists)");
  delete files['ws/overlays/b/extra.yaml'];
  detectScopes(inputOf(files), cache, { helm: false });
  assert.equal(cache.scanned, scans + 1, 'a resource file gone: only b read it');
  files['ws/overlays/b/extra.yaml'] = OBJ('ConfigMap', 'extra');
  files['ws/overlays/a/kustomization.yaml'] = 'resources:\n  - ../../base\n  - new.yaml\nnamePrefix: a-\n';
  files['ws/overlays/a/new.yaml'] = OBJ('ConfigMap', 'new');
  const after = detectScopes(inputOf(files), cache, { helm: false });
  assert.ok(after.find((s) => s.id === 'kustomize:overlays/a')!.files.includes('/ws/overlays/a/new.yaml'));
  assert.deepEqual(after, detectScopes(inputOf(files), new KustomizeRenderCache(), { helm: false, render: true }));
});
