// The incremental Kustomize render (kustomize/steps.ts, with a RenderMemo kept across renders) against the
// simple one (no memo: every file parsed, every transformer applied in place, every object printed): the
// same objects (text and origin) and the same findings, in the same order, on every fixture, after scripted
// sequences of edits (patches, base files, kustomization files, resources added and removed) and after
// seeded random ones; and it is incremental: objects an edit cannot change come back as the same objects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newRenderMemo, renderKustomization, type RenderMemo, type RenderResult } from '../../server/src/engine/kustomize';
import { KustomizeRenderCache } from '../../server/src/engine/scopes';
import { normalizePath } from '../../server/src/engine/kustomize/paths';
import { fixturePath } from '../support/paths';
import { diskFs, KUSTOMIZE_ROOTS, memoryFs } from '../support/kustomize';
import { mulberry32, pick, below, type Rng } from '../support/random';

function same(got: RenderResult, want: RenderResult, what: string): void {
  assert.deepEqual(
    got.objects.map((o) => o.yaml),
    want.objects.map((o) => o.yaml),
    `${what}: objects`,
  );
  assert.deepEqual(
    got.objects.map((o) => o.origin),
    want.objects.map((o) => o.origin),
    `${what}: origins`,
  );
  assert.deepEqual(got.findings, want.findings, `${what}: findings`);
}

test('every fixture: a render with a memo, and a second one with the same memo, equal the simple render', () => {
  const memo = newRenderMemo();
  for (const root of KUSTOMIZE_ROOTS) {
    const dir = fixturePath('kustomize', root);
    const want = renderKustomization(diskFs, dir);
    same(renderKustomization(diskFs, dir, memo), want, `${root} (first)`);
    same(renderKustomization(diskFs, dir, memo), want, `${root} (again)`);
  }
});

// A base and overlays using every step (and, in `named` and `generated`, features that render in place)

const BASE: Record<string, string> = {
  'base/kustomization.yaml': 'resources:\n- ns.yaml\n- web.yaml\n- api.yaml\n- rbac.yaml\n- policies.yaml\n',
  'base/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
  'base/web.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: shop\n  labels: {app: web}\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web, tier: front}\n    spec:\n      containers:\n      - name: web\n        image: shop/web:1.0\n        ports:\n        - containerPort: 8080\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n    targetPort: 8080\n',
  'base/api.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector:\n    matchLabels: {app: api}\n  template:\n    metadata:\n      labels: {app: api, tier: back}\n    spec:\n      containers:\n      - name: api\n        image: shop/api:2.0\n',
  'base/rbac.yaml':
    'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: api\n  namespace: shop\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: api\n  namespace: shop\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}\nsubjects:\n- kind: ServiceAccount\n  name: api\n  namespace: shop\n',
  'base/policies.yaml':
    'apiVersion: v1\nkind: List\nitems:\n- apiVersion: networking.k8s.io/v1\n  kind: NetworkPolicy\n  metadata:\n    name: deny\n    namespace: shop\n  spec:\n    podSelector: {}\n    policyTypes: [Ingress]\n- apiVersion: networking.k8s.io/v1\n  kind: NetworkPolicy\n  metadata:\n    name: web-ingress\n    namespace: shop\n  spec:\n    podSelector:\n      matchLabels: {tier: front}\n    ingress:\n    - from:\n      - podSelector: {}\n',
  'prod/kustomization.yaml': [
    'resources:\n- ../base\n- extra.yaml',
    'commonLabels:\n  stage: prod',
    'labels:\n- pairs: {team: shop}\n  includeTemplates: true',
    'commonAnnotations:\n  owner: ops',
    'patchesStrategicMerge:\n- web-ingress.yaml',
    'patches:\n- path: drop-port.yaml\n  target:\n    kind: Service\n    name: web\n- target:\n    kind: Deployment\n    labelSelector: app=api\n  patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: ignored\n      annotations: {patched: "yes"}',
    'patchesJson6902:\n- target: {kind: Deployment, name: api}\n  patch: |-\n    - op: replace\n      path: /spec/template/metadata/labels/tier\n      value: middle',
    'replicas:\n- name: web\n  count: 3',
    'images:\n- name: shop/web\n  newTag: "1.1"',
  ].join('\n'),
  'prod/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: shop\ndata: {a: "1"}\n',
  'prod/web-ingress.yaml':
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web-ingress\n  namespace: shop\nspec:\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels: {team: edge}\n',
  'prod/drop-port.yaml': '- op: remove\n  path: /spec/ports/0/targetPort\n',
  'moved/kustomization.yaml':
    'namespace: shop-moved\nresources:\n- ../base\npatches:\n- path: ../prod/drop-port.yaml\n  target: {kind: Service}\n',
  'named/kustomization.yaml': 'namePrefix: n-\nresources:\n- ../prod\ncommonLabels: {named: "true"}\n',
  'generated/kustomization.yaml': 'resources:\n- ../base\nconfigMapGenerator:\n- name: cfg\n  literals: [k=v]\n',
  'wrapper/kustomization.yaml': 'resources:\n- ../generated\ncommonLabels: {wrapped: "yes"}\n',
};

const SCOPES = ['/prod', '/moved', '/named', '/generated', '/wrapper', '/base'];

/** Renders every scope with one cache (as the server and the CLI keep it) and checks each against a fresh simple render. */
function checkAll(files: Record<string, string>, cache: KustomizeRenderCache, what: string): Map<string, RenderResult> {
  const fs = memoryFs(files);
  const out = new Map<string, RenderResult>();
  for (const dir of SCOPES) {
    const got = cache.render(fs, dir);
    same(got, renderKustomization(memoryFs(files), dir), `${what}, ${dir}`);
    out.set(dir, got);
  }
  return out;
}

type Edit = [string, (f: Record<string, string>) => void];

const EDITS: Edit[] = [
  [
    'prod patch: another namespace label',
    (f) => (f['prod/web-ingress.yaml'] = f['prod/web-ingress.yaml'].replace('team: edge', 'team: core')),
  ],
  [
    'prod patch: names an object that is not there',
    (f) => (f['prod/web-ingress.yaml'] = f['prod/web-ingress.yaml'].replace('name: web-ingress', 'name: nothing')),
  ],
  ['prod patch: back', (f) => (f['prod/web-ingress.yaml'] = BASE['prod/web-ingress.yaml'])],
  [
    'prod patch: deletes the object',
    (f) => (f['prod/web-ingress.yaml'] = f['prod/web-ingress.yaml'].replace('spec:\n', '$patch: delete\nspec:\n')),
  ],
  ['prod patch: invalid YAML', (f) => (f['prod/web-ingress.yaml'] = 'kind: [\n')],
  ['prod patch: back again', (f) => (f['prod/web-ingress.yaml'] = BASE['prod/web-ingress.yaml'])],
  ['JSON patch: fails', (f) => (f['prod/drop-port.yaml'] = '- op: remove\n  path: /spec/nothing/here\n')],
  ['JSON patch: removes metadata', (f) => (f['prod/drop-port.yaml'] = '- op: remove\n  path: /metadata\n')],
  ['JSON patch: empties labels', (f) => (f['prod/drop-port.yaml'] = '- op: add\n  path: /metadata/labels\n  value: {}\n')],
  ['JSON patch: back', (f) => (f['prod/drop-port.yaml'] = BASE['prod/drop-port.yaml'])],
  [
    'base file: longer',
    (f) =>
      (f['base/web.yaml'] = f['base/web.yaml'].replace(
        'image: shop/web:1.0',
        'image: shop/web:1.0\n        env:\n        - {name: X, value: "1"}',
      )),
  ],
  [
    'base file: a label the selector patch picks',
    (f) => (f['base/web.yaml'] = f['base/web.yaml'].replace('labels: {app: web}', 'labels: {app: api}')),
  ],
  [
    'base file: another object',
    (f) =>
      (f['base/api.yaml'] +=
        '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: shop\nspec:\n  selector: {app: api}\n'),
  ],
  ['base file: a duplicate object', (f) => (f['base/api.yaml'] += '---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n')],
  ['base file: not an object', (f) => (f['base/api.yaml'] += '---\n- a list\n')],
  [
    'base file: local config',
    (f) =>
      (f['base/ns.yaml'] +=
        '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: local\n  annotations: {config.kubernetes.io/local-config: "true"}\n'),
  ],
  [
    'base file: empty labels',
    (f) => (f['base/ns.yaml'] = f['base/ns.yaml'].replace('name: shop\n', 'name: shop\n  labels: {}\n  annotations: null\n')),
  ],
  ['base file: invalid YAML', (f) => (f['base/rbac.yaml'] = 'a: [\n')],
  ['base file: back', (f) => (f['base/rbac.yaml'] = BASE['base/rbac.yaml'])],
  ['base: a resource removed', (f) => (f['base/kustomization.yaml'] = f['base/kustomization.yaml'].replace('- api.yaml\n', ''))],
  ['base: a resource that is not there', (f) => (f['base/kustomization.yaml'] += '- missing.yaml\n')],
  [
    'base: a new file',
    (f) => {
      f['base/kustomization.yaml'] += '- new.yaml\n';
      f['base/new.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: new\n  namespace: shop\n';
    },
  ],
  ['base: resources back', (f) => (f['base/kustomization.yaml'] = BASE['base/kustomization.yaml'])],
  ['base: a label of its own', (f) => (f['base/kustomization.yaml'] += 'commonLabels: {base: "yes"}\n')],
  [
    'prod: another label value',
    (f) => (f['prod/kustomization.yaml'] = f['prod/kustomization.yaml'].replace('stage: prod', 'stage: production')),
  ],
  ['prod: a namespace', (f) => (f['prod/kustomization.yaml'] += '\nnamespace: shop-prod\n')],
  [
    'prod: replicas by a name that is not there, a bad entry',
    (f) =>
      (f['prod/kustomization.yaml'] = f['prod/kustomization.yaml'].replace(
        '- name: web\n  count: 3',
        '- name: nothing\n  count: 2\n- count: 1',
      )),
  ],
  [
    'prod: patches entry reordered',
    (f) =>
      (f['prod/kustomization.yaml'] = f['prod/kustomization.yaml'].replace(
        'patchesStrategicMerge:\n- web-ingress.yaml',
        'patchesStrategicMerge:\n- web-ingress.yaml\n- web-ingress.yaml',
      )),
  ],
  [
    'prod: a patch file that is not there',
    (f) => (f['prod/kustomization.yaml'] = f['prod/kustomization.yaml'].replace('- path: drop-port.yaml', '- path: gone.yaml')),
  ],
  ['prod: a namePrefix (renders in place)', (f) => (f['prod/kustomization.yaml'] += '\nnamePrefix: p-\n')],
  ['prod: back', (f) => (f['prod/kustomization.yaml'] = BASE['prod/kustomization.yaml'])],
  ['prod: resource removed', (f) => (f['prod/kustomization.yaml'] = f['prod/kustomization.yaml'].replace('\n- extra.yaml', ''))],
  [
    'prod: a selector SMP patch that deletes (renders in place)',
    (f) =>
      (f['prod/kustomization.yaml'] +=
        '\npatches:\n- target: {kind: ConfigMap}\n  patch: |-\n    $patch: delete\n    kind: ConfigMap\n    metadata: {name: x}\n'),
  ],
  ['prod: back again', (f) => (f['prod/kustomization.yaml'] = BASE['prod/kustomization.yaml'])],
];

test('scripted edits: every scope, through one cache, equals the simple render after each edit', () => {
  const files = { ...BASE };
  const cache = new KustomizeRenderCache();
  checkAll(files, cache, 'start');
  for (const [what, edit] of EDITS) {
    edit(files);
    checkAll(files, cache, what);
  }
});

test('an edit to a patch keeps every object it does not pick; an edit to a base file keeps the other files objects', () => {
  const files = { ...BASE };
  const memo: RenderMemo = newRenderMemo();
  const before = renderKustomization(memoryFs(files), '/prod', memo);
  files['prod/web-ingress.yaml'] = files['prod/web-ingress.yaml'].replace('team: edge', 'team: core');
  const after = renderKustomization(memoryFs(files), '/prod', memo);
  same(after, renderKustomization(memoryFs(files), '/prod'), 'patch edit');
  const kept = (r: RenderResult, o: RenderResult['objects'][number]) => r.objects.some((x) => x.origin === o.origin);
  const changed = after.objects.filter((o) => !kept(before, o));
  assert.deepEqual(
    changed.map((o) => o.yaml.match(/name: (\S+)/)?.[1]),
    ['web-ingress'],
    'only the patched policy is a new object',
  );
  files['base/api.yaml'] = files['base/api.yaml'].replace('image: shop/api:2.0', 'image: shop/api:2.1');
  const third = renderKustomization(memoryFs(files), '/prod', memo);
  same(third, renderKustomization(memoryFs(files), '/prod'), 'base edit');
  assert.deepEqual(
    third.objects.filter((o) => !kept(after, o)).map((o) => o.origin.file),
    ['/base/api.yaml'],
    'only the edited file’s object is new',
  );
});

// seeded random edits over the same workspace

function randomEdit(rng: Rng, f: Record<string, string>): void {
  const baseFiles = ['base/web.yaml', 'base/api.yaml', 'base/rbac.yaml', 'base/policies.yaml', 'base/ns.yaml'];
  switch (below(rng, 10)) {
    case 0: {
      const file = pick(rng, baseFiles);
      f[file] = f[file].replace(/app: (\w+)/, (_m, a: string) => `app: ${a === 'web' ? 'api' : 'web'}`);
      break;
    }
    case 1: {
      const file = pick(rng, baseFiles);
      f[file] =
        rng() < 0.5
          ? BASE[file]
          : f[file] + `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${below(rng, 5)}\n  namespace: shop\n`;
      break;
    }
    case 2:
      f['prod/web-ingress.yaml'] = f['prod/web-ingress.yaml'].replace(/team: \w+/, `team: t${below(rng, 3)}`);
      break;
    case 3:
      f['prod/web-ingress.yaml'] =
        rng() < 0.5
          ? BASE['prod/web-ingress.yaml']
          : BASE['prod/web-ingress.yaml'].replace('web-ingress', pick(rng, ['deny', 'web', 'none']));
      break;
    case 4:
      f['prod/drop-port.yaml'] = pick(rng, [
        BASE['prod/drop-port.yaml'],
        '- op: add\n  path: /metadata/labels/x\n  value: "y"\n',
        '- op: remove\n  path: /spec/selector\n',
        '- op: test\n  path: /kind\n  value: Service\n',
      ]);
      break;
    case 5: {
      const line = pick(rng, ['- ns.yaml\n', '- web.yaml\n', '- api.yaml\n', '- rbac.yaml\n', '- policies.yaml\n']);
      const k = f['base/kustomization.yaml'];
      f['base/kustomization.yaml'] = k.includes(line) ? k.replace(line, '') : k + line;
      break;
    }
    case 6:
      f['prod/kustomization.yaml'] = BASE['prod/kustomization.yaml'].replace('stage: prod', `stage: s${below(rng, 3)}`);
      break;
    case 7:
      f['prod/kustomization.yaml'] =
        rng() < 0.5 ? BASE['prod/kustomization.yaml'] : BASE['prod/kustomization.yaml'] + `\nnamespace: n${below(rng, 2)}\n`;
      break;
    case 8:
      f['prod/extra.yaml'] = f['prod/extra.yaml'].replace(/a: "\d+"/, `a: "${below(rng, 100)}"`);
      break;
    default:
      f['base/kustomization.yaml'] =
        rng() < 0.5 ? BASE['base/kustomization.yaml'] : BASE['base/kustomization.yaml'] + `commonLabels: {b: "${below(rng, 3)}"}\n`;
  }
}

test('seeded random edits: every scope, through one cache, equals the simple render after each edit', () => {
  for (const seed of [1, 2, 3, 4]) {
    const rng = mulberry32(seed);
    const files = { ...BASE };
    const cache = new KustomizeRenderCache();
    for (let i = 0; i < 40; i++) {
      randomEdit(rng, files);
      checkAll(files, cache, `seed ${seed}, edit ${i}`);
    }
  }
});

// Sessions: the render cache told which files changed since the last session (as the language server
// tells it), checking only those, the files it is not told about (untracked) and the folders

/** Every scope rendered in one session of `cache`, told what changed since `last` when the files are the same. */
function checkSession(
  files: Record<string, string>,
  last: Record<string, string> | undefined,
  cache: KustomizeRenderCache,
  what: string,
  untracked: ReadonlySet<string>,
  scopes: readonly string[] = SCOPES,
): Map<string, RenderResult> {
  const fs = memoryFs(files);
  const names = Object.keys(files);
  const sameFiles = last !== undefined && Object.keys(last).length === names.length && names.every((k) => k in last);
  const changed = sameFiles ? new Set(names.filter((k) => files[k] !== last[k] && !untracked.has(k)).map((k) => `/${k}`)) : undefined;
  const tracked = (p: string) => p.startsWith('/') && p.slice(1) in files && !untracked.has(p.slice(1));
  cache.session(fs, changed ? { changed, tracked } : undefined);
  const out = new Map<string, RenderResult>();
  for (const dir of scopes) {
    cache.filesToRead(fs, dir);
    const got = cache.render(fs, dir);
    same(got, renderKustomization(memoryFs(files), dir), `${what}, ${dir}`);
    // and it read what a fresh render reads (the next session checks those)
    const fresh = new KustomizeRenderCache();
    fresh.render(memoryFs(files), dir);
    assert.deepEqual([...cache.filesRead(dir)].sort(), [...fresh.filesRead(dir)].sort(), `${what}, ${dir}: files read`);
    out.set(dir, got);
  }
  return out;
}

test('sessions told what changed: scripted and seeded random edits equal the simple render (an untracked patch file too)', () => {
  const untracked = new Set(['prod/drop-port.yaml']);
  let files = { ...BASE };
  let last: Record<string, string> | undefined;
  const cache = new KustomizeRenderCache();
  checkSession(files, last, cache, 'start', untracked);
  for (const [what, edit] of EDITS) {
    last = { ...files };
    edit(files);
    checkSession(files, last, cache, `session: ${what}`, untracked);
  }
  for (const seed of [5, 6]) {
    const rng = mulberry32(seed);
    files = { ...BASE };
    last = undefined;
    const c = new KustomizeRenderCache();
    for (let i = 0; i < 40; i++) {
      last = { ...files };
      randomEdit(rng, files);
      checkSession(files, last, c, `session seed ${seed}, edit ${i}`, untracked);
    }
  }
});

// A base of many files under an overlay whose every step picks per resource: edits re-run the steps,
// the join of the base's lists and the sorted output from the last render (only the changed objects are
// new), and every render equals the simple one

const BIG_FILES = 40;

function bigBase(): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < BIG_FILES; i++)
    files[`big/f${i}.yaml`] =
      `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d${i}\n  namespace: ns${i % 3}\n  labels: {app: a${i % 7}}\nspec:\n  replicas: 1\n  template:\n    metadata:\n      labels: {app: a${i % 7}}\n    spec:\n      containers:\n      - name: c\n        image: img/${i % 4}:1\n` +
      `---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p${i}\n  namespace: ns${i % 3}\nspec:\n  podSelector:\n    matchLabels: {app: a${i % 7}}\n`;
  files['big/kustomization.yaml'] = `resources:\n${Array.from({ length: BIG_FILES }, (_, i) => `- f${i}.yaml\n`).join('')}`;
  files['top/kustomization.yaml'] = [
    'resources:\n- ../big',
    'commonLabels:\n  stage: top',
    'patches:\n- path: p3.yaml\n- path: json.yaml\n  target:\n    kind: Deployment\n    labelSelector: app=a5',
    'replicas:\n- name: d7\n  count: 4',
    'images:\n- name: img/2\n  newTag: "9"',
  ].join('\n');
  files['top/p3.yaml'] =
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p3\n  namespace: ns0\nspec:\n  policyTypes: [Ingress]\n';
  files['top/json.yaml'] = '- op: add\n  path: /metadata/annotations\n  value: {json: "yes"}\n';
  return files;
}

function bigEdit(rng: Rng, f: Record<string, string>): { what: string; local: boolean } {
  const file = `big/f${below(rng, BIG_FILES)}.yaml`;
  switch (below(rng, 9)) {
    case 0:
      f[file] = f[file].replace(/app: a(\d)/, (_m, d: string) => `app: a${(Number(d) + 1) % 7}`);
      return { what: `${file}: a label the selectors read`, local: true };
    case 1:
      f[file] = f[file].replace(/image: img\/(\d)/, (_m, d: string) => `image: img/${(Number(d) + 1) % 4}`);
      return { what: `${file}: an image`, local: true };
    case 2:
      f[file] = f[file].replace(/name: d(\d+)/, (_m, d: string) => `name: e${d}`);
      return { what: `${file}: a renamed object (another place in the order)`, local: false };
    case 3:
      f[file] = f[file].replace('namespace: ns', 'namespace: other-ns');
      return { what: `${file}: another namespace`, local: false };
    case 4:
      f[file] = f[file].replace(/name: p(\d+)/, 'name: p0');
      return { what: `${file}: a policy named like another (a duplicate, or the patch's target twice)`, local: false };
    case 5:
      f[file] = f[file].replace(
        'kind: NetworkPolicy\nmetadata:\n',
        'kind: NetworkPolicy\nmetadata:\n  annotations: {config.kubernetes.io/local-config: "true"}\n',
      );
      return { what: `${file}: a local-config object`, local: false };
    case 6:
      f['top/p3.yaml'] = f['top/p3.yaml'].includes('$patch')
        ? bigBase()['top/p3.yaml']
        : pick(rng, [
            bigBase()['top/p3.yaml'].replace('spec:', '$patch: delete\nspec:'),
            bigBase()['top/p3.yaml'].replace('p3', `p${below(rng, BIG_FILES)}`),
          ]);
      return { what: 'the strategic merge patch: deletes or picks another', local: false };
    case 7:
      f['top/json.yaml'] = pick(rng, [
        bigBase()['top/json.yaml'],
        '- op: remove\n  path: /spec/nothing\n',
        '- op: replace\n  path: /spec/replicas\n  value: 2\n',
      ]);
      return { what: 'the JSON patch: another (or a failing) one', local: false };
    default:
      f[file] = bigBase()[file];
      return { what: `${file}: back`, local: false };
  }
}

test('a base of many files: seeded edits re-render from the last render and equal the simple render', () => {
  for (const seed of [11, 12, 13]) {
    const rng = mulberry32(seed);
    const files = bigBase();
    const cache = new KustomizeRenderCache();
    let last: Record<string, string> | undefined;
    let before = checkSession(files, last, cache, `big seed ${seed}: start`, new Set(), ['/top', '/big']);
    let local = 0;
    for (let i = 0; i < 60; i++) {
      last = { ...files };
      const e = bigEdit(rng, files);
      const now = checkSession(files, last, cache, `big seed ${seed}, edit ${i} (${e.what})`, new Set(), ['/top', '/big']);
      const a = before.get('/top')!.objects;
      const b = now.get('/top')!.objects;
      // an edit to one file's content that keeps every object's place: at most that file's two objects are new
      if (e.local && a.length === b.length && a.every((o, k) => o.yaml === b[k].yaml || o.origin.file === b[k].origin.file)) {
        const fresh = b.filter((o, k) => o !== a[k]).length;
        assert.ok(fresh <= 2, `big seed ${seed}, edit ${i} (${e.what}): ${fresh} new objects`);
        local++;
      }
      before = now;
    }
    assert.ok(local > 5, `seed ${seed}: ${local} local edits checked for new objects`);
  }
});

// normalizePath's shortcut (a path that is normal already comes back as it is) against the full algorithm

function normalizeSlowly(p: string): string {
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(part);
  }
  const joined = out.join('/');
  return abs ? '/' + joined : joined || '.';
}

test('normalizePath equals the segment-by-segment normalization on random paths', () => {
  const rng = mulberry32(7);
  const parts = ['', '.', '..', '...', '.a', 'a.', 'a', 'b..', 'kustomization.yaml', '..b'];
  for (let i = 0; i < 20_000; i++) {
    const n = below(rng, 5);
    const segs = Array.from({ length: n }, () => pick(rng, parts));
    const p = (rng() < 0.5 ? '/' : '') + segs.join('/') + (rng() < 0.2 ? '/' : '');
    assert.equal(normalizePath(p), normalizeSlowly(p), JSON.stringify(p));
  }
});
