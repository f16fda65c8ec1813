// Groups workloads that behave identically under every policy (same namespace, labels, named
// ports, IPs and hostNetwork), so selectors and rules are evaluated once per class.
//
// Classes live in numbered slots. Grouping a model again after an edit keeps each surviving class
// in its slot and puts new classes in the slots freed by classes that left, so whatever was known
// per slot (the policy index's bitsets) stays true except in the slots that changed.
import type { Workload } from '../model/types';

export interface WorkloadClass {
  index: number;
  /** the first workload of the class; all members behave like it (in a free slot: the last class that held it) */
  rep: Workload;
  /** none in a free slot */
  members: Workload[];
}

export interface ClassSlots {
  classes: WorkloadClass[];
  classOf: ReadonlyMap<Workload, number>;
  /** the key of each slot's class ('' for a free slot) */
  keys: string[];
}

// A workload's labels and containers are the objects its file model holds, shared by the models of
// successive snapshots: their parts of the key are computed once.
const labelKeys = new WeakMap<object, string>();
const portKeys = new WeakMap<object, string>();

/** The container ports with a name, as `name/protocol/port`, sorted. */
export function namedPortsKey(w: Workload): string {
  let k = portKeys.get(w.containers);
  if (k === undefined) {
    k = w.containers
      .flatMap((c) => c.ports.filter((p) => p.name).map((p) => `${p.name}/${p.protocol}/${p.port}`))
      .sort()
      .join(',');
    portKeys.set(w.containers, k);
  }
  return k;
}

function labelsKey(w: Workload): string {
  let k = labelKeys.get(w.labels);
  if (k === undefined) {
    k = Object.keys(w.labels)
      .sort()
      .map((l) => `${l}=${w.labels[l]}`)
      .join(',');
    labelKeys.set(w.labels, k);
  }
  return k;
}

/** What makes two workloads one class (equal keys: equal under every policy). */
export function classKey(w: Workload): string {
  const ips = w.podIPs.length === 0 ? '' : w.podIPs.length === 1 ? w.podIPs[0] : [...w.podIPs].sort().join(',');
  // the service account matters to Calico's serviceAccountSelector
  const sa = w.serviceAccountName ? `\u0000sa=${w.serviceAccountName}` : '';
  return `${w.namespace}\u0000${w.hostNetwork ? 'h' : ''}\u0000${labelsKey(w)}\u0000${namedPortsKey(w)}\u0000${ips}${sa}`;
}

/**
 * The classes of `workloads`, in the slots `previous` had for the same keys. `changed` lists the
 * slots whose class is not the one `previous` had there (new, or freed); without `previous`, slot i
 * is the i-th distinct class in workload order and nothing is "changed".
 */
export function regroupClasses(workloads: readonly Workload[], previous?: ClassSlots): { slots: ClassSlots; changed: number[] } {
  const groups = new Map<string, Workload[]>();
  for (const w of workloads) {
    const k = classKey(w);
    const g = groups.get(k);
    if (g) g.push(w);
    else groups.set(k, [w]);
  }
  const keys: string[] = previous ? previous.keys.slice() : [];
  const classes: WorkloadClass[] = previous ? previous.classes.map((c) => ({ index: c.index, rep: c.rep, members: [] })) : [];
  const slotOfKey = new Map<string, number>();
  if (previous) previous.keys.forEach((k, i) => k && slotOfKey.set(k, i));
  const changed = new Set<number>();
  // classes that left free their slots
  const free: number[] = [];
  keys.forEach((k, i) => {
    if (!k) free.push(i);
    else if (!groups.has(k)) {
      keys[i] = '';
      free.push(i);
      changed.add(i);
    }
  });
  free.reverse(); // reuse the lowest free slots first
  const classOf = new Map<Workload, number>();
  for (const [k, members] of groups) {
    let slot = slotOfKey.get(k);
    if (slot === undefined) {
      slot = free.pop() ?? keys.length;
      keys[slot] = k;
      if (previous) changed.add(slot);
    }
    classes[slot] = { index: slot, rep: members[0], members };
    for (const w of members) classOf.set(w, slot);
  }
  return { slots: { classes, classOf, keys }, changed: [...changed] };
}
