// The connectivity diff: two analyses (each a Model built from one version's files) compared into
// entries per (source, destination), in np-guard's order (changed, added, removed), with causes.
import type { Model } from '../model/types';
import { equals, isEmpty, NO_PORTS, type PortSet } from '../net/ports';
import { fingerprint } from './fingerprint';
import { connectivityOf, type Connectivity } from './connectivity';
import { compareRanges } from './ranges';
import { nameResolver, namesUsed, type NameOutcome } from './names';
import { CauseSet, pathCauses, type Versions } from './causes';
import { DIFF_CATEGORIES, type ConnectivityDiff, type DiffCause, type DiffCategory, type DiffEnd, type DiffEntry } from './types';

export * from './types';

function categoryOf(before: PortSet, after: PortSet): DiffCategory | undefined {
  if (equals(before, after)) return undefined;
  if (isEmpty(before)) return 'added';
  if (isEmpty(after)) return 'removed';
  return 'changed';
}

function workloadEnd(id: string, base: Connectivity, head: Connectivity): DiffEnd {
  const inBase = base.workloads.has(id);
  const inHead = head.workloads.has(id);
  return {
    id,
    kind: 'workload',
    ...(inBase && !inHead ? { workload: 'removed' as const } : !inBase && inHead ? { workload: 'added' as const } : {}),
  };
}

export function diffAnalyses(baseModel: Model, headModel: Model): ConnectivityDiff {
  const base = connectivityOf(baseModel);
  const head = connectivityOf(headModel);
  const v: Versions = { base: baseModel, head: headModel };
  const entries: DiffEntry[] = [];
  const causesOf = (from: string | undefined, to: string | undefined, externals = false): DiffCause[] => {
    const set = new CauseSet();
    pathCauses(v, from, to, set, externals);
    return set.list();
  };

  // workload pairs
  for (const k of new Set([...base.pairs.keys(), ...head.pairs.keys()])) {
    const before = base.pairs.get(k) ?? NO_PORTS;
    const after = head.pairs.get(k) ?? NO_PORTS;
    const category = categoryOf(before, after);
    if (!category) continue;
    const [from, to] = k.split('\u0000');
    entries.push({
      category,
      source: workloadEnd(from, base, head),
      destination: workloadEnd(to, base, head),
      before,
      after,
      causes: causesOf(from, to),
    });
  }

  // address ranges outside the pods, per workload and direction
  for (const k of new Set([...base.externals.keys(), ...head.externals.keys()])) {
    const [id, direction] = k.split('\u0000');
    for (const r of compareRanges(base.externals.get(k) ?? [], head.externals.get(k) ?? [])) {
      const category = categoryOf(r.before, r.after)!;
      const w = workloadEnd(id, base, head);
      const range: DiffEnd = { id: r.range, kind: 'external' };
      const ends = direction === 'egress' ? { source: w, destination: range } : { source: range, destination: w };
      const causes = direction === 'egress' ? causesOf(id, undefined, true) : causesOf(undefined, id, true);
      entries.push({ category, ...ends, before: r.before, after: r.after, causes });
    }
  }

  entries.push(...nameEntries(base, head, v));
  const rank = (c: DiffCategory) => DIFF_CATEGORIES.indexOf(c);
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  entries.sort((a, b) => rank(a.category) - rank(b.category) || cmp(a.source.id, b.source.id) || cmp(a.destination.id, b.destination.id));
  return {
    entries,
    workloadsAdded: [...head.workloads.keys()].filter((id) => !base.workloads.has(id)).sort(),
    workloadsRemoved: [...base.workloads.keys()].filter((id) => !head.workloads.has(id)).sort(),
  };
}

const UNUSED: NameOutcome = { resolved: false, allowed: false, ports: NO_PORTS, note: 'not used', targets: [] };

/** Names pods use: a name that stops resolving, or leads elsewhere, is a diff entry like a pair. */
function nameEntries(base: Connectivity, head: Connectivity, v: Versions): DiffEntry[] {
  const usesB = namesUsed(base.model);
  const usesH = namesUsed(head.model);
  const resolveB = nameResolver(base.model);
  const resolveH = nameResolver(head.model);
  const out: DiffEntry[] = [];
  for (const k of new Set([...usesB.keys(), ...usesH.keys()])) {
    const ub = usesB.get(k);
    const uh = usesH.get(k);
    const b = ub ? resolveB(ub) : UNUSED;
    const h = uh ? resolveH(uh) : UNUSED;
    let category: DiffCategory | undefined;
    if (b.allowed && !h.allowed) category = 'removed';
    else if (!b.allowed && h.allowed) category = 'added';
    else if (b.allowed && h.allowed && (b.note !== h.note || !equals(b.ports, h.ports))) category = 'changed';
    else if (ub && uh && b.resolved && !h.resolved)
      category = 'removed'; // stops resolving
    else if (ub && uh && !b.resolved && h.resolved) category = 'added';
    if (!category) continue;
    const use = (uh ?? ub)!;
    const set = new CauseSet();
    dnsCauses(v, set);
    for (const id of new Set([b.resolvedTo, h.resolvedTo])) if (id) serviceCauses(v, id, set);
    const targets = new Set([...b.targets, ...h.targets].map((t) => t.split(' ')[0]));
    if (targets.size === 0) pathCauses(v, use.workload.id, undefined, set);
    for (const t of targets) pathCauses(v, use.workload.id, t, set);
    out.push({
      category,
      source: workloadEnd(use.workload.id, base, head),
      destination: { id: use.port ? `${use.host}:${use.port}` : use.host, kind: 'name' },
      before: b.ports,
      after: h.ports,
      beforeNote: b.note,
      afterNote: h.note,
      causes: set.list(),
    });
  }
  return out;
}

/** The cluster's DNS configuration (Corefiles, NodeLocal DNSCache, kube-dns) changed. */
function dnsCauses(v: Versions, out: CauseSet): void {
  const b = new Map(v.base.dnsConfigs.map((d) => [d.name, d]));
  const h = new Map(v.head.dnsConfigs.map((d) => [d.name, d]));
  for (const name of [...new Set([...b.keys(), ...h.keys()])].sort()) {
    const db = b.get(name);
    const dh = h.get(name);
    if (db && dh && fingerprint(db) === fingerprint(dh)) continue;
    const change = !db ? 'added' : !dh ? 'removed' : 'modified';
    const at = dh ?? db!;
    out.add({
      kind: 'dns',
      change,
      id: name,
      text: `DNS configuration ${name} ${change === 'modified' ? 'changed' : change}`,
      version: dh ? 'head' : 'base',
      ref: at.ref,
    });
  }
  if (
    fingerprint(v.base.corefiles.map((c) => c.zone).sort()) !== fingerprint(v.head.corefiles.map((c) => c.zone).sort()) &&
    !out.list().some((c) => c.kind === 'dns')
  ) {
    const at = v.head.corefiles[0] ?? v.base.corefiles[0];
    out.add({
      kind: 'dns',
      change: 'modified',
      id: 'corefile',
      text: 'Corefile zones changed',
      version: v.head.corefiles[0] ? 'head' : 'base',
      ...(at ? { ref: at.ref } : {}),
    });
  }
}

function serviceCauses(v: Versions, id: string, out: CauseSet): void {
  const b = v.base.services.find((s) => s.id === id);
  const h = v.head.services.find((s) => s.id === id);
  if (!b && !h) return;
  if (b && h && fingerprint(b) === fingerprint(h)) return;
  const change = !b ? 'added' : !h ? 'removed' : 'modified';
  const at = h ?? b!;
  const portsChanged = b && h && fingerprint(b.ports) !== fingerprint(h.ports);
  out.add({
    kind: 'service',
    change,
    id,
    text: `Service ${id} ${change === 'modified' ? (portsChanged ? 'ports changed' : 'changed') : change}`,
    version: h ? 'head' : 'base',
    ref: portsChanged ? (h.ports[0]?.ref ?? h.ref) : at.ref,
  });
}
