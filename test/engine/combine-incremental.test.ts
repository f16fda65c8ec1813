// The language server combines file models again after every edit by patching the previous model
// (engine/model/incremental.ts). Whatever it patches or redoes, the model must deep-equal
// combineFileModels over the same files: checked after seeded random edit sequences on a generated
// workspace, edits that stay in the fast path (labels, ports, names) and edits that must leave it
// (duplicate objects, new namespaces, Pods owned by a controller, ordinal selectors, admin policies).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSourceFile } from '../../server/src/engine';
import { combineFileModels, readFileModel, type FileModel } from '../../server/src/engine/model/build';
import { IncrementalCombiner } from '../../server/src/engine/model/incremental';
import { carryLookup, lookup } from '../../server/src/engine/model/lookup';
import { lintModel } from '../../server/src/engine/lint';
import type { Model } from '../../server/src/engine/model/types';
import { buildDnsIndex } from '../../server/src/engine/dns/records';
import type { DnsAnswer } from '../../server/src/engine/dns/types';
import { generate } from '../bench/generate';
import { mulberry32 } from '../support/random';

const POD = (ns: string) => `---
apiVersion: v1
kind: Pod
metadata:
  name: stray-0
  namespace: ${ns}
  labels: { app: stray }
  ownerReferences:
    - { apiVersion: apps/v1, kind: ReplicaSet, name: stray, controller: true }
spec:
  containers: [{ name: c, image: x }]
`;

const ANP = `---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: { name: deny-all }
spec:
  priority: 10
  subject: { namespaces: {} }
  ingress:
    - { action: Deny, from: [{ namespaces: {} }] }
`;

const ORDINAL = (ns: string) => `---
apiVersion: v1
kind: Service
metadata: { name: pod-zero, namespace: ${ns} }
spec:
  selector: { statefulset.kubernetes.io/pod-name: db-0 }
  ports: [{ port: 5432 }]
`;

function assertSameLookup(got: Model, want: Model, label: string): void {
  const ids = (xs: readonly { id: string }[]) => xs.map((x) => x.id);
  const g = lookup(got);
  const w = lookup(want);
  const uris = new Set([
    ...got.workloads.map((x) => x.objectRef.uri),
    ...got.policies.map((x) => x.ref.uri),
    ...got.configMaps.map((x) => x.ref.uri),
  ]);
  for (const u of uris) {
    const a = g.inFile(u);
    const b = w.inFile(u);
    assert.deepEqual(
      [ids(a.policies), ids(a.workloads), ids(a.services), ids(a.configMaps)],
      [ids(b.policies), ids(b.workloads), ids(b.services), ids(b.configMaps)],
      `${label}: ${u}`,
    );
  }
  for (const ns of new Set([...got.namespaces.keys(), ...want.namespaces.keys()])) {
    assert.deepEqual(ids(g.workloadsIn(ns)), ids(w.workloadsIn(ns)), `${label}: workloads in ${ns}`);
    assert.deepEqual(ids(g.policiesIn(ns)), ids(w.policiesIn(ns)), `${label}: policies in ${ns}`);
    assert.deepEqual(ids(g.servicesIn(ns)), ids(w.servicesIn(ns)), `${label}: services in ${ns}`);
  }
  assert.deepEqual(ids(g.addressed), ids(w.addressed), `${label}: addressed workloads`);
  // the namespaces each policy's namespace selectors match (cached per selector, shared while namespaces stay the same)
  for (const p of got.policies)
    for (const rule of [...p.ingress, ...p.egress])
      for (const peer of rule.peers ?? [])
        if (peer.namespaceSelector)
          assert.deepEqual(g.namespacesMatching(peer.namespaceSelector), w.namespacesMatching(peer.namespaceSelector), `${label}: ${p.id}`);
  assertSameDns(got, want, label);
}

/** The DNS index of the patched model (from its carried lookup, on first use) answers as a fresh model's. */
function assertSameDns(got: Model, want: Model, label: string): void {
  const a = buildDnsIndex(got, 'cluster.local');
  const b = buildDnsIndex(want, 'cluster.local');
  const answer = (x: DnsAnswer | undefined) =>
    x && { type: x.type, target: x.target, endpoints: x.endpoints, addresses: x.addresses, srv: x.srv, service: x.service?.id };
  const names = new Set<string>();
  for (const s of want.services) names.add(`${s.name}.${s.namespace}.svc.cluster.local`);
  for (const s of got.services) names.add(`${s.name}.${s.namespace}.svc.cluster.local`);
  names.add('kube-dns.kube-system.svc.cluster.local');
  for (const w of want.workloads) for (const ip of w.podIPs) names.add(`${ip.replace(/[.:]/g, '-')}.${w.namespace}.pod.cluster.local`);
  for (const n of names) {
    assert.deepStrictEqual(answer(a.lookup(n)), answer(b.lookup(n)), `${label}: DNS ${n}`);
    assert.equal(a.whyMissing(n), b.whyMissing(n), `${label}: DNS why ${n}`);
  }
  for (const s of [...want.services, ...got.services]) {
    assert.deepEqual(
      a.servicesNamed(s.name).map((x) => x.id),
      b.servicesNamed(s.name).map((x) => x.id),
      `${label}: services named ${s.name}`,
    );
    assert.equal(a.serviceById(s.id)?.id, b.serviceById(s.id)?.id);
  }
}

function replaceOne(text: string, from: RegExp, to: string, n: number): string {
  const hits = [...text.matchAll(new RegExp(from.source, 'g'))];
  if (hits.length === 0) return text;
  const h = hits[n % hits.length];
  return text.slice(0, h.index) + to + text.slice(h.index! + h[0].length);
}

for (const seed of [1, 2, 3]) {
  test(`the patched model deep-equals combineFileModels after each of 120 random edits (seed ${seed})`, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-combine-'));
    try {
      const g = generate('S', seed, dir);
      const uris = g.files.map((f) => path.relative(dir, f)).sort();
      const texts = new Map(uris.map((u) => [u, readFileSync(path.join(dir, u), 'utf8')]));
      const models = new Map<string, FileModel>();
      const read = (u: string) => models.set(u, readFileModel(parseSourceFile(u, texts.get(u)!)));
      for (const u of uris) read(u);
      const rnd = mulberry32(seed * 7919);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
      const n = () => Math.floor(rnd() * 1000);
      const edits: [string, (t: string, u: string) => string][] = [
        ['tier label', (t) => replaceOne(t, /tier: (web|api|worker|data)/, `tier: ${pick(['web', 'api', 'wex', 'data'])}`, n())],
        ['port', (t) => replaceOne(t, /port: \d+/, `port: ${pick([80, 81, 8080, 5432])}`, n())],
        ['name', (t) => replaceOne(t, /name: ([a-z-]+)/, `name: $1${pick(['', 'x', 'y'])}`.replace('$1', 'n' + n()), n())],
        [
          'drop a document',
          (t) =>
            t
              .split(/\n---\n/)
              .slice(0, -1)
              .join('\n---\n'),
        ],
        ['broken yaml', (t) => `${t}\n  : [unclosed\n`],
        ['another namespace', (t) => replaceOne(t, /namespace: ([a-z0-9-]+)/, `namespace: ${pick(['other', 'ns-new', 'default'])}`, n())],
        ['namespace labels', (t) => replaceOne(t, /env: ([a-z]+)/, `env: ${pick(['prod', 'dev', 'qa'])}`, n())],
        ['copy of another file (duplicates)', (t) => `${t}\n---\n${texts.get(pick(uris))!}`],
        ['an owned Pod', (t, u) => `${t}\n${POD(u.split('/')[0])}`],
        ['an admin policy', (t) => `${t}\n${ANP}`],
        ['an ordinal selector', (t, u) => `${t}\n${ORDINAL(u.split('/')[0])}`],
      ];
      const original = new Map(texts);
      const combiner = new IncrementalCombiner();
      const opts = { defaultNamespace: 'default' };
      const files = () => uris.map((u) => models.get(u)!);
      assert.deepEqual(combiner.combine(files(), opts), combineFileModels(files(), opts));
      let patched = 0;
      let lintKeys = 0;
      // the first model's lint, which the patched models' lint carries over from
      lintModel(combiner.combine(files(), opts), undefined, { uris: new Set(uris.slice(0, 1)) });
      // edits that leave the fast path for the whole workspace are undone at the next step
      let undo: string[] = [];
      for (let step = 0; step < 120; step++) {
        for (const u of undo) {
          texts.set(u, original.get(u)!);
          read(u);
        }
        undo = [];
        // mostly the edits of typing (fast path); sometimes several files at once, or a file back as it was
        const count = rnd() < 0.8 ? 1 : 2 + Math.floor(rnd() * 3);
        const what: string[] = [];
        for (let c = 0; c < count; c++) {
          const u = pick(uris);
          if (rnd() < 0.15) texts.set(u, original.get(u)!);
          else {
            const e = rnd() < 0.75 ? Math.floor(rnd() * 7) : Math.floor(rnd() * edits.length);
            const [name, edit] = edits[e];
            texts.set(u, edit(texts.get(u)!, u));
            if (e >= 7) undo.push(u);
            what.push(`${name} in ${u}`);
          }
          read(u);
        }
        const got = combiner.combine(files(), opts);
        const want = combineFileModels(files(), opts);
        assert.deepStrictEqual(got, want, `step ${step}: ${what.join('; ')}`);
        const { patched: uris2, from, parts, rank } = combiner.last;
        if (uris2 && from) {
          patched++;
          // the lookup indexes carried over from the previous model's answer as fresh ones do: with what the
          // combine patched (as the server does), and every third step without it (one pass over the model)
          lookup(from).warm();
          carryLookup(from, got, uris2, step % 3 === 2 || !parts || !rank ? undefined : { parts, rank });
          assertSameLookup(got, want, `step ${step}: ${what.join('; ')}`);
          // and what lint derives from them after the edit (label-value-unknown's key counts, patched from the previous model's)
          const scope = { uris: new Set(uris2) };
          assert.deepStrictEqual(
            lintModel(got, undefined, scope),
            lintModel(want, undefined, scope),
            `step ${step}: lint of ${uris2.join(', ')}`,
          );
          lintKeys += uris2.length;
        }
      }
      // the point of it: most edits of this mix are patched, not combined from scratch
      assert.ok(patched >= 40, `patched ${patched} of 120`);
      assert.ok(lintKeys >= 40, `linted ${lintKeys} edited files`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a changed file list, or other options, combine from scratch', () => {
  const f = (uri: string, text: string) => readFileModel(parseSourceFile(uri, text));
  const a = f('a.yaml', 'apiVersion: v1\nkind: Service\nmetadata: { name: s, namespace: x }\nspec: { ports: [{ port: 80 }] }\n');
  const b = f('b.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: x }\ndata: { k: v }\n');
  const c = new IncrementalCombiner();
  const patched = () => c.last.patched;
  c.combine([a, b]);
  const b2 = f('b.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: c, namespace: x }\ndata: { k: w }\n');
  assert.deepStrictEqual(c.combine([a, b2]), combineFileModels([a, b2]));
  assert.deepEqual(patched(), ['b.yaml']);
  assert.deepStrictEqual(c.combine([a]), combineFileModels([a]));
  assert.equal(patched(), undefined);
  assert.deepStrictEqual(c.combine([a], { defaultNamespace: 'y' }), combineFileModels([a], { defaultNamespace: 'y' }));
  assert.equal(patched(), undefined);
});

test("label-value-unknown after a patched edit counts the edited file's CronJobs as a fresh model does", () => {
  const cron = (name: string) => `apiVersion: batch/v1
kind: CronJob
metadata: {name: ${name}, namespace: jobs}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: ${name}}}
        spec: {containers: [{name: c, image: example/c}]}
`;
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: nightly-only, namespace: jobs}
spec:
  podSelector: {matchLabels: {app: nightly}}
  policyTypes: [Egress]
  egress:
  - to:
    - podSelector: {matchLabels: {job-name: nightly-28000000}}
`;
  const other = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: jobs}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: web, image: example/web}]}
`;
  const file = (uri: string, text: string) => readFileModel(parseSourceFile(uri, text));
  const combiner = new IncrementalCombiner();
  const p = file('p.yaml', policy);
  // the CronJob goes (its file becomes a Deployment) and comes back; each model's lint carries the counts over
  const versions = [cron('nightly'), other, cron('nightly'), other];
  let seen = 0;
  let model = combiner.combine([file('c.yaml', cron('nightly')), p]);
  lintModel(model);
  for (const text of versions.slice(1)) {
    const from = model;
    lookup(from).warm();
    model = combiner.combine([file('c.yaml', text), p]);
    assert.ok(combiner.last.patched, 'patched');
    carryLookup(from, model, combiner.last.patched!);
    const want = combineFileModels([file('c.yaml', text), p]);
    const got = lintModel(model).map((f) => `${f.code} ${f.ref.uri}:${f.ref.start}`);
    assert.deepStrictEqual(
      got,
      lintModel(want).map((f) => `${f.code} ${f.ref.uri}:${f.ref.start}`),
    );
    if (got.some((f) => f.startsWith('label-value-unknown'))) seen++;
  }
  assert.equal(seen, 1, 'label-value-unknown while the CronJob is there');
});
