// The policy index after an edit, in time proportional to the edit: the previous index with the
// workloads and policies that left or came patched in. `buildPolicyIndex(model, previous)` carries
// over per class slot too, but it regroups every workload into classes and remakes every policy's
// grants (all of the workspace per edit: 70-90 ms on L, seconds on XL). Here only these are redone:
//   - the class slots of the workloads that left or came (a class that appears or goes is a
//     "changed" slot, as in regroupClasses);
//   - every distinct peer (atom) and the policies of the changed slots' namespaces, for those slots;
//   - the grants of new policies, and of policies whose peers or named ports saw a changed slot;
//   - the per-class grant lists of the classes that any of that touches, from their namespace's policies.
// It gives up (undefined: the caller builds as before) when namespace labels or the hostNetwork mode
// changed, or too much changed. test/engine/policy-patch.test.ts compares it with a fresh index.
import type { Direction, Model, NetworkPolicy, Peer, Workload } from '../model/types';
import { lookup, sameNamespaces } from '../model/lookup';
import { ClassSet } from './classSet';
import { OverlayMap } from '../model/overlayMap';
import { classKey, type ClassSlots, type WorkloadClass } from './classes';
import { basisOf, makeGrant, PeerSet, regrant, type Grant, type PeerAtom, type PolicyIndex } from './grants';
import { peerKey, peerMatches, peerWorkloads, policyAffects, policySelects, selectedWorkloads } from './semantics';

/** More workloads or policies than this changed (left + came): not an edit, build as before. */
const MAX_CHANGED = 512;
/** Rebuild from scratch once this share of the slots is free (as buildPolicyIndex does). */
const MAX_FREE_SLOTS = 0.25;

// the slot of each class key, per ClassSlots (built once, then copied and patched)
const slotOfKeys = new WeakMap<ClassSlots, ReadonlyMap<string, number>>();

function slotOfKey(slots: ClassSlots): ReadonlyMap<string, number> {
  let m = slotOfKeys.get(slots);
  if (!m) {
    const built = new Map<string, number>();
    slots.keys.forEach((k, i) => k && built.set(k, i));
    slotOfKeys.set(slots, (m = built));
  }
  return m;
}

/** An earlier index's map with this patch's changes, read through; `done` lays them over it (no copy). */
class Patched<K, V> {
  private readonly changes = new Map<K, V | undefined>();
  constructor(private readonly before: ReadonlyMap<K, V>) {}
  get(k: K): V | undefined {
    return this.changes.has(k) ? this.changes.get(k) : this.before.get(k);
  }
  has(k: K): boolean {
    return this.get(k) !== undefined;
  }
  set(k: K, v: V): void {
    this.changes.set(k, v);
  }
  delete(k: K): void {
    this.changes.set(k, undefined);
  }
  done(): ReadonlyMap<K, V> {
    return this.changes.size ? OverlayMap.of(this.before, this.changes) : this.before;
  }
}

/**
 * What came into `now` and left `before` (`wasBefore`: whether an object is one of `before`'s): one walk
 * over both in step, since the unchanged objects are the same ones in the same order (file order) with
 * the edited files' parts replaced. Undefined when that order does not hold, or a lot changed.
 */
function changes<T>(before: readonly T[], now: readonly T[], wasBefore: (x: T) => boolean): { came: T[]; left: T[] } | undefined {
  const came: T[] = [];
  const left: T[] = [];
  let i = 0;
  for (let j = 0; j < now.length; j++) {
    const x = now[j];
    if (i < before.length && before[i] === x) {
      i++;
      continue;
    }
    if (!wasBefore(x)) {
      came.push(x);
      continue;
    }
    // an earlier object: the ones of `before` up to it left
    while (i < before.length && before[i] !== x) left.push(before[i++]);
    if (i === before.length) return undefined; // out of order
    i++;
    if (came.length + left.length > MAX_CHANGED) return undefined;
  }
  while (i < before.length) left.push(before[i++]);
  return came.length + left.length > MAX_CHANGED ? undefined : { came, left };
}

const DIRECTIONS: Direction[] = ['Ingress', 'Egress'];

/** The policy index of `model`, patched from `prev` (an index of an earlier model of the workspace); undefined when it cannot be. */
export function patchPolicyIndex(model: Model, prev: PolicyIndex): PolicyIndex | undefined {
  if (prev.model === model) return prev;
  // the namespaces and their labels as before (an edit of workloads or policies): the same basis, without
  // a pass over every namespace's labels
  const basis =
    sameNamespaces(prev.model, model) && prev.model.options.hostNetwork === model.options.hostNetwork ? prev.basis : basisOf(model);
  if (basis !== prev.basis) return undefined;

  // the workloads and policies that came and left (unchanged ones are the same objects from model to model)
  const w = changes(prev.model.workloads, model.workloads, (x) => prev.classOf.has(x));
  const p = changes(prev.model.policies, model.policies, (x) => prev.selected.has(x));
  if (!w || !p) return undefined;
  const { came, left } = w;
  const { came: newPolicies, left: oldPolicies } = p;

  // class slots
  const keys = prev.slots.keys.slice();
  const classes: WorkloadClass[] = prev.classes.slice();
  const classOf = new Patched(prev.classOf);
  const slotOf = new Patched(slotOfKey(prev.slots));
  /** new member lists of the slots that lost or gained members */
  const members = new Map<number, Workload[]>();
  const membersOf = (s: number) => {
    let m = members.get(s);
    if (!m) members.set(s, (m = classes[s].members.slice()));
    return m;
  };
  for (const w of left) {
    const s = prev.classOf.get(w)!;
    classOf.delete(w);
    const m = membersOf(s);
    m.splice(m.indexOf(w), 1);
  }
  const changed = new Set<number>();
  // workloads of classes that are there already; then the slots this edit freed; then new classes
  const fresh = new Map<string, Workload[]>();
  for (const w of came) {
    const k = classKey(w);
    const s = slotOf.get(k);
    if (s === undefined) {
      const list = fresh.get(k);
      if (list) list.push(w);
      else fresh.set(k, [w]);
      continue;
    }
    membersOf(s).push(w);
    classOf.set(w, s);
  }
  for (const [s, m] of members)
    if (m.length === 0 && keys[s] !== '') {
      slotOf.delete(keys[s]);
      keys[s] = '';
      changed.add(s);
    }
  if (fresh.size) {
    // the lowest free slots first (as regroupClasses), then new ones
    const free = keys.flatMap((key, i) => (key === '' ? [i] : [])).reverse();
    for (const [k, ws] of fresh) {
      const s = free.pop() ?? keys.length;
      keys[s] = k;
      slotOf.set(k, s);
      changed.add(s);
      if (s === classes.length) classes.push({ index: s, rep: ws[0], members: [] });
      members.set(s, ws);
      for (const w of ws) classOf.set(w, s);
    }
  }
  for (const [s, m] of members)
    // a free slot keeps its rep (the last class that held it), as in regroupClasses
    classes[s] = { index: s, rep: m.length ? m[0] : classes[s].rep, members: m };
  const n = classes.length;
  let freeCount = 0;
  for (const k of keys) if (k === '') freeCount++;
  if (freeCount > MAX_FREE_SLOTS * n) return undefined;
  const changedSlots = [...changed];
  const live = (c: number) => classes[c].members.length > 0;

  // distinct peers: patched for the changed slots (kept while unchanged)
  const atoms = new Patched(prev.atoms);
  const replaced = new Map<PeerAtom, PeerAtom>();
  // the namespaces of the changed slots' classes: a peer with only a podSelector matches pods of its policy's
  // namespace alone, so it changes only where it had a changed slot or the slot's class is in that namespace
  const changedNs = new Set(changedSlots.map((c) => classes[c].rep.namespace));
  if (changedSlots.length)
    prev.atoms.forEach((a, key) => {
      if (!a.peer.ipBlock && !a.peer.namespaceSelector && !changedNs.has(a.policyNs) && !changedSlots.some((c) => a.classes.has(c))) return;
      const set = a.classes.patched(changedSlots, (c) => live(c) && peerMatches(a.peer, a.policyNs, classes[c].rep, model), n);
      if (set === a.classes) return;
      const b: PeerAtom = { key, peer: a.peer, policyNs: a.policyNs, classes: set };
      atoms.set(key, b);
      replaced.set(a, b);
    });
  const atomOf = (p: Peer, policyNs: string): PeerAtom => {
    const key = peerKey(p, policyNs);
    let a = atoms.get(key);
    if (!a) {
      a = {
        key,
        peer: p,
        policyNs,
        classes: ClassSet.of(
          peerWorkloads(model, p, policyNs).map((w) => classOf.get(w)!),
          n,
        ),
      };
      atoms.set(key, a);
    }
    return a;
  };

  /** classes whose grant lists are redone */
  const dirty = new Set<number>(changedSlots);
  const dirtyAll = (s: ClassSet | undefined) => s?.forEach((c) => dirty.add(c));

  // policies: selected sets
  const selected = new Patched(prev.selected);
  for (const p of oldPolicies) {
    dirtyAll(prev.selected.get(p));
    selected.delete(p);
  }
  if (changedSlots.length) {
    for (const ns of changedNs)
      for (const p of lookup(model).policiesIn(ns)) {
        const before = prev.selected.get(p);
        if (!before) continue;
        const sel = before.patched(changedSlots, (c) => live(c) && policySelects(p, classes[c].rep, model), n);
        if (sel !== before) selected.set(p, sel);
      }
  }
  for (const p of newPolicies) {
    const sel = ClassSet.of(
      selectedWorkloads(model, p).map((w) => classOf.get(w)!),
      n,
    );
    selected.set(p, sel);
    dirtyAll(sel);
  }

  // grants: of the policies that left (dropped), came (made), or whose peers or cached named ports changed (remade)
  const grantOf = new Patched(prev.grantOf);
  for (const p of oldPolicies) for (const rule of [...p.ingress, ...p.egress]) grantOf.delete(rule);
  const regranted = new Set<NetworkPolicy>();
  if (replaced.size || changedSlots.length)
    prev.grantOf.forEach((g, rule) => {
      const peersChanged = !!g.peers && replaced.size > 0 && g.peers.atoms.some((a) => replaced.has(a));
      const portsStale = !!g.portsByClass && changedSlots.some((c) => g.portsByClass!.has(c));
      if (!peersChanged && !portsStale) return;
      if (!selected.has(g.policy)) return;
      const peers = peersChanged ? new PeerSet(g.peers!.atoms.map((a) => replaced.get(a) ?? a)) : g.peers;
      grantOf.set(rule, regrant(g, peers, changedSlots));
      regranted.add(g.policy);
    });
  for (const p of regranted) dirtyAll(selected.get(p));
  for (const p of newPolicies)
    for (const direction of DIRECTIONS) {
      if (!policyAffects(p, direction)) continue;
      for (const rule of direction === 'Ingress' ? p.ingress : p.egress) {
        const peers = rule.peers ? new PeerSet(rule.peers.map((peer) => atomOf(peer, p.namespace))) : null;
        grantOf.set(rule, makeGrant(p, rule, direction, peers));
      }
    }

  // per-class grant lists: the dirty classes', from their namespace's policies in model order (as a fresh build)
  const ingress = prev.ingress.slice();
  const egress = prev.egress.slice();
  while (ingress.length < n) ingress.push(null);
  while (egress.length < n) egress.push(null);
  const grantsOf = (p: NetworkPolicy, direction: Direction): Grant[] =>
    (direction === 'Ingress' ? p.ingress : p.egress).map((rule) => grantOf.get(rule)!);
  for (const c of dirty) {
    ingress[c] = null;
    egress[c] = null;
    if (!live(c)) continue;
    for (const p of lookup(model).policiesIn(classes[c].rep.namespace)) {
      if (!selected.get(p)!.has(c)) continue;
      for (const direction of DIRECTIONS) {
        if (!policyAffects(p, direction)) continue;
        const target = direction === 'Ingress' ? ingress : egress;
        (target[c] ??= []).push(...grantsOf(p, direction));
      }
    }
  }

  // the grants of the policies that select some class, each once, in policy order: only the matrix asks for
  // them (a pass over every policy), so on first use, from this index's own maps (nothing of `prev` is kept)
  const selectedNow = selected.done();
  const grantOfNow = grantOf.done();
  let grants: Grant[] | undefined;
  const allGrants = (): Grant[] => {
    const out: Grant[] = [];
    for (const p of model.policies) {
      if (selectedNow.get(p)!.size === 0) continue;
      for (const direction of DIRECTIONS)
        if (policyAffects(p, direction)) for (const rule of direction === 'Ingress' ? p.ingress : p.egress) out.push(grantOfNow.get(rule)!);
    }
    return out;
  };

  const slots: ClassSlots = { classes, classOf: classOf.done(), keys };
  slotOfKeys.set(slots, slotOf.done());
  return {
    model,
    classes,
    classOf: slots.classOf,
    ingress,
    egress,
    selected: selectedNow,
    atoms: atoms.done(),
    grantOf: grantOfNow,
    get grants() {
      return (grants ??= allGrants());
    },
    slots,
    basis,
  };
}
