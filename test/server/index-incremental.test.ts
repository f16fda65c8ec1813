// WorkspaceIndex reuses its last build's sorted files, texts and file models while the set of files stays
// the same (an edit redoes only the edited files). After a seeded sequence of disk changes, editor edits,
// opens, closes, deletions and new files, each snapshot must equal the one a fresh index with the same files
// and open buffers builds: the same texts, the same model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import { mulberry32 } from '../support/random';

const deployment = (ns: string, name: string, tier: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${ns}}\nspec:\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}, tier: ${tier}}}\n    spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}\n`;
const policy = (ns: string, tier: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: ${ns}}\nspec:\n  podSelector: {matchLabels: {tier: ${tier}}}\n  policyTypes: [Ingress]\n`;

test('snapshots built from the last build equal a fresh index, change after change', () => {
  const rnd = mulberry32(7);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
  const tiers = ['web', 'api', 'db'];
  const disk = new Map<string, string>();
  const open = new Map<string, string>();
  const ix = new WorkspaceIndex({}, 10_000);
  for (let i = 0; i < 30; i++) {
    const ns = `ns${i % 5}`;
    const uri = `file:///w/${ns}/f${i}.yaml`;
    disk.set(uri, i % 3 === 0 ? policy(ns, pick(tiers)) : deployment(ns, `d${i}`, pick(tiers)));
    ix.setDisk(uri, disk.get(uri)!);
  }
  ix.flush();
  const text = (uri: string) => {
    const ns = uri.split('/')[3] ?? 'ns0';
    return rnd() < 0.3 ? policy(ns, pick(tiers)) : deployment(ns, `d${Math.floor(rnd() * 100)}`, pick(tiers));
  };
  let n = 100;
  const ops: [string, () => void][] = [
    [
      'edit open',
      () => {
        const u = pick([...open.keys()]);
        if (u) open.set(u, text(u));
        if (u) ix.setOpen(u, open.get(u)!);
      },
    ],
    [
      'open',
      () => {
        const u = pick([...disk.keys(), `untitled:Untitled-${n++}`]);
        open.set(u, disk.get(u) ?? text(u));
        ix.setOpen(u, open.get(u)!);
      },
    ],
    [
      'close',
      () => {
        const u = pick([...open.keys()]);
        if (u) open.delete(u);
        if (u) ix.close(u);
      },
    ],
    [
      'disk change',
      () => {
        const u = pick([...disk.keys()]);
        disk.set(u, text(u));
        ix.setDisk(u, disk.get(u)!);
      },
    ],
    [
      'new file',
      () => {
        const u = `file:///w/ns${n % 5}/g${n++}.yaml`;
        disk.set(u, text(u));
        ix.setDisk(u, disk.get(u)!);
      },
    ],
    [
      'deleted',
      () => {
        const u = pick([...disk.keys()]);
        disk.delete(u);
        ix.deleteDisk(u);
      },
    ],
  ];
  let reused = 0;
  for (let step = 0; step < 150; step++) {
    const count = 1 + Math.floor(rnd() * 3);
    const done: string[] = [];
    for (let c = 0; c < count; c++) {
      // mostly edits of open documents and disk changes (the files stay the same)
      const [what, op] = rnd() < 0.7 ? pick(ops.filter(([w]) => w === 'edit open' || w === 'disk change')) : pick(ops);
      op();
      done.push(what);
    }
    if (done.every((w) => w === 'edit open' || w === 'disk change')) reused++;
    const got = ix.flush();
    const fresh = new WorkspaceIndex({}, 10_000);
    for (const [u, t] of disk) fresh.setDisk(u, t);
    for (const [u, t] of open) fresh.setOpen(u, t);
    const want = fresh.flush();
    const label = `step ${step}: ${done.join(', ')}`;
    const uris = [...new Set([...disk.keys(), ...open.keys()])].sort();
    assert.deepEqual(
      uris.map((u) => got.text(u)),
      uris.map((u) => want.text(u)),
      `${label}: texts`,
    );
    assert.deepEqual(got.findingUris(), want.findingUris(), `${label}: files`);
    assert.deepStrictEqual(got.model, want.model, `${label}: model`);
  }
  assert.ok(reused > 60, `steps that kept the files: ${reused}`);
});
