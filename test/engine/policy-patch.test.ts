// The policy index patched after an edit (policy/patchIndex.ts, what the language server does when an
// edit is small) must be the index a fresh build gives: over seeded sequences of edits to a generated
// workspace (labels, named ports, selectors, policies and workloads added and removed, files restored,
// several files at once), each index patched from the one before, compared with a fresh index in what each
// workload is selected by, its grant lists per direction, every grant's peers, the matrix, and the degrees.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseSourceFile } from '../../server/src/engine';
import { readFileModel, type FileModel } from '../../server/src/engine/model/build';
import { IncrementalCombiner } from '../../server/src/engine/model/incremental';
import { buildPolicyIndex, grantPorts, type Grant, type PolicyIndex } from '../../server/src/engine/policy/grants';
import { patchPolicyIndex } from '../../server/src/engine/policy/patchIndex';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { degreeFromIndex } from '../../server/src/engine/reachability/degree';
import { describe } from '../../server/src/engine/net/ports';
import type { Model } from '../../server/src/engine/model/types';
import { generate } from '../bench/generate';
import { mulberry32 } from '../support/random';

/** A grant as text: its policy, rule, direction, the workloads its peers match and its ports per destination. */
function grantText(index: PolicyIndex, g: Grant, model: Model): string {
  const rule = (g.direction === 'Ingress' ? g.policy.ingress : g.policy.egress).indexOf(g.rule);
  const peers = g.peers
    ? model.workloads
        .filter((w) => g.peers!.has(index.classOf.get(w)!))
        .map((w) => w.id)
        .join(',')
    : '*';
  if (g.fixedPorts) return `${g.policy.id}#${g.direction}${rule} peers=${peers} ports=${describe(g.fixedPorts)}`;
  const byClass = new Map<number, string>();
  const portsOf = (c: number) => {
    let t = byClass.get(c);
    if (t === undefined) byClass.set(c, (t = describe(grantPorts(index, g, c))));
    return t;
  };
  const ports = model.workloads.map((w) => portsOf(index.classOf.get(w)!)).join(';');
  return `${g.policy.id}#${g.direction}${rule} peers=${peers} ports=${ports}`;
}

/** What an index says, by workload and policy (slot numbers differ between a patched and a fresh index). */
function indexText(index: PolicyIndex, model: Model): string[] {
  const out: string[] = [];
  const texts = new Map<Grant, string>();
  const text = (g: Grant) => {
    let t = texts.get(g);
    if (t === undefined) texts.set(g, (t = grantText(index, g, model)));
    return t;
  };
  for (const w of model.workloads) {
    const c = index.classOf.get(w);
    assert.ok(c !== undefined, `${w.id} has a class`);
    assert.ok(index.classes[c].members.includes(w), `${w.id} is a member of its class`);
    const sel = model.policies.filter((p) => index.selected.get(p)!.has(c)).map((p) => p.id);
    out.push(`${w.id} selected by ${sel.join(',')}`);
    for (const [dir, lists] of [
      ['in', index.ingress],
      ['out', index.egress],
    ] as const) {
      const list = lists[c];
      out.push(`${w.id} ${dir}: ${list === null ? 'open' : list.map(text).join(' | ')}`);
    }
  }
  out.push(`grants: ${index.grants.map(text).join(' | ')}`);
  for (const p of model.policies)
    for (const rule of [...p.ingress, ...p.egress]) {
      const g = index.grantOf.get(rule);
      if (g) out.push(`rule: ${text(g)}`);
    }
  const free = index.classes.filter((cl) => cl.members.length === 0).length;
  assert.equal(index.slots.keys.filter((k) => k === '').length, free, 'free slots have no key');
  return out;
}

function assertSame(model: Model, got: PolicyIndex, label: string): void {
  const fresh = buildPolicyIndex(model);
  assert.deepEqual(indexText(got, model), indexText(fresh, model), `${label}: index`);
  const a = computeMatrix(model, got);
  const b = computeMatrix(model, fresh);
  const pairs = (m: typeof a) => [...m.connections()].map((c) => `${c.from.id}>${c.to.id} ${describe(c.allowed)}`);
  assert.deepEqual(pairs(a), pairs(b), `${label}: connections`);
  for (const w of model.workloads) assert.deepEqual(degreeFromIndex(got, w), b.degree(w), `${label}: degree of ${w.id}`);
}

type Edit = { what: string; apply(texts: Map<string, string>): boolean };

function replaceIn(texts: Map<string, string>, uri: string, from: RegExp, to: string, n: number): boolean {
  const text = texts.get(uri);
  if (text === undefined) return false;
  const hits = [...text.matchAll(new RegExp(from.source, 'g'))];
  if (hits.length === 0) return false;
  const h = hits[n % hits.length];
  texts.set(uri, text.slice(0, h.index) + to + text.slice(h.index! + h[0].length));
  return true;
}

for (const seed of [3, 42]) {
  test(`a patched policy index equals a fresh one, edit after edit (seed ${seed})`, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-policy-patch-'));
    try {
      const g = generate('S', seed, dir);
      const texts = new Map<string, string>();
      for (const f of g.files) texts.set(path.relative(dir, f), readFileSync(f, 'utf8'));
      const all = [...texts.keys()].sort();
      const policyFiles = all.filter((u) => u.endsWith('network-policies.yaml'));
      const workloadFiles = all.filter(
        (u) => /\/(?!namespace|network-policies)[^/]+\.yaml$/.test(u) && /kind: (Deployment|StatefulSet|DaemonSet)/.test(texts.get(u)!),
      );
      const removed = new Map<string, string>();
      const rnd = mulberry32(seed * 7 + 1);
      const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
      const k = () => Math.floor(rnd() * 1000);
      const tiers = ['web', 'api', 'db', 'wex', 'new'];
      const edits: Edit[] = [
        { what: 'a workload tier label', apply: (t) => replaceIn(t, pick(workloadFiles), /tier: \w+/, `tier: ${pick(tiers)}`, k()) },
        { what: 'a workload team label', apply: (t) => replaceIn(t, pick(workloadFiles), /team: [\w-]+/, `team: team-${k() % 30}`, k()) },
        {
          what: 'a container port',
          apply: (t) => replaceIn(t, pick(workloadFiles), /containerPort: \d+/, `containerPort: ${8000 + (k() % 3)}`, k()),
        },
        {
          what: 'a port name',
          apply: (t) =>
            replaceIn(t, pick(workloadFiles), /name: (http|metrics|grpc)\n/, `name: ${pick(['http', 'metrics', 'grpc'])}\n`, k()),
        },
        { what: 'a policy selector value', apply: (t) => replaceIn(t, pick(policyFiles), /tier: \w+/, `tier: ${pick(tiers)}`, k()) },
        { what: 'a policy port', apply: (t) => replaceIn(t, pick(policyFiles), /port: \d+/, `port: ${pick([80, 443, 8080, 9090])}`, k()) },
        {
          what: 'a copy of a workload under another name',
          apply: (t) => {
            const from = pick(workloadFiles);
            const n = k();
            t.set(
              from.replace(/\.yaml$/, `-copy${n}.yaml`),
              t
                .get(from)!
                .replace(/name: ([\w-]+)\n/g, `name: $1-copy${n}\n`)
                .replace(/app: ([\w-]+)/g, `app: $1-copy${n}`),
            );
            return true;
          },
        },
        {
          what: 'a copy of a policy file under other names',
          apply: (t) => {
            const from = pick(policyFiles);
            const n = k();
            t.set(from.replace(/\.yaml$/, `-copy${n}.yaml`), t.get(from)!.replace(/^( {2}name: )([\w-]+)$/gm, `$1$2-copy${n}`));
            return true;
          },
        },
        {
          what: 'a file removed',
          apply: (t) => {
            const u = pick([...t.keys()].filter((x) => workloadFiles.includes(x) || policyFiles.includes(x) || x.includes('-copy')));
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
        {
          what: 'two files at once',
          apply: (t) =>
            replaceIn(t, pick(workloadFiles), /tier: \w+/, `tier: ${pick(tiers)}`, k()) &&
            replaceIn(t, pick(policyFiles), /tier: \w+/, `tier: ${pick(tiers)}`, k()),
        },
      ];
      // file models cached per content and combined incrementally, as in the server
      const cache = new Map<string, { text: string; file: FileModel }>();
      const combiner = new IncrementalCombiner();
      const modelOf = (): Model =>
        combiner.combine(
          [...texts.keys()].sort().map((u) => {
            const c = cache.get(u);
            if (c && c.text === texts.get(u)) return c.file;
            const file = readFileModel(parseSourceFile(u, texts.get(u)!));
            cache.set(u, { text: texts.get(u)!, file });
            return file;
          }),
        );
      let previous: PolicyIndex = buildPolicyIndex(modelOf());
      let patched = 0;
      let steps = 0;
      const kinds = new Set<string>();
      for (let step = 0; step < 40; step++) {
        const e = edits[Math.floor(rnd() * edits.length)];
        if (!e.apply(texts)) continue;
        steps++;
        const model = modelOf();
        const p = patchPolicyIndex(model, previous);
        if (p) {
          patched++;
          kinds.add(e.what);
        }
        const index = p ?? buildPolicyIndex(model, previous);
        assertSame(model, index, `step ${step} (${e.what}, ${p ? 'patched' : 'carried'})`);
        previous = index;
      }
      assert.ok(patched >= steps * 0.7, `patched ${patched} of ${steps}`);
      assert.ok(kinds.size >= 6, `kinds of edits patched: ${[...kinds].join(', ')}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

test('a patch gives up where namespace labels changed (the caller builds as before)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-policy-patch-'));
  try {
    const g = generate('S', 5, dir);
    const texts = new Map(g.files.map((f) => [path.relative(dir, f), readFileSync(f, 'utf8')]));
    const modelOf = () => {
      const c = new IncrementalCombiner();
      return c.combine([...texts.keys()].sort().map((u) => readFileModel(parseSourceFile(u, texts.get(u)!))));
    };
    const before = buildPolicyIndex(modelOf());
    const ns = [...texts.keys()].find((u) => u.endsWith('namespace.yaml'))!;
    assert.ok(replaceIn(texts, ns, /team: [\w-]+/, 'team: someone-else', 0));
    const model = modelOf();
    assert.equal(patchPolicyIndex(model, before), undefined);
    assert.equal(patchPolicyIndex(before.model, before), before);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
