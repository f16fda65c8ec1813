// The matrix under Calico's tiers (policy/calico.ts) without evaluating every type pair.
//
// Types: a class's row and column types (see matrix.ts) are exact for Kubernetes NetworkPolicies; Calico
// also reads what `calicoSignature` lists (which Calico and admin entries select it, which rule
// entities and admin peers match it, its profile), so classes that agree on that behave alike.
//
// Evaluation: one sweep per row type for Egress (over every column type at once) and one per column
// type for Ingress (over every row type). A sweep walks the subject's tiers as decideCalicoDirection
// does, but keeps its state (remaining, left, passed, allowed ports) per group of far-end types: all
// far ends start in one group (per named-port set of the destination), and each rule splits off the
// types it matches. The work is about the rules' match sets, not rows x columns.
import { ALL_PORTS, NO_PORTS, intersect, isEmpty, subtract, union, type PortSet } from '../net/ports';
import type { AdminRule, Direction, Model, PolicyRule, Workload } from '../model/types';
import type { CalicoEntity, CalicoRule } from '../model/calico/types';
import type { PolicyIndex } from '../policy/grants';
import { applyingEntries, calicoRulePorts, calicoTiers, entityMatches, entrySelects, nonKubernetesEntries } from '../policy/calico';
import { adminPeerMatches, adminRulePorts } from '../policy/admin';
import { ruleMatchesPeer, rulePortSet, selectable } from '../policy/semantics';
import { namedPortsKey } from '../policy/classes';

/**
 * What the Calico evaluator reads about a class besides its NetworkPolicy grants, the grants whose
 * peers include it and its named ports: whether policies see it, which Calico and admin entries select
 * it per direction, which Calico rule entities (of policies and profiles) and admin rule peers match
 * it, and its namespace when a `kns.<namespace>` Profile is declared (that profile then decides for it).
 */
export function calicoSignature(model: Model, w: Workload): string {
  const bits: string[] = [selectable(w, model) ? 's' : 'n'];
  const bit = (b: boolean) => bits.push(b ? '1' : '0');
  const entities = (rules: readonly CalicoRule[], ns: string | undefined) => {
    for (const r of rules) {
      bit(entityMatches(model, r.source, ns, w));
      bit(entityMatches(model, r.destination, ns, w));
    }
  };
  // the entries of every tier but the Kubernetes NetworkPolicies (their grants are in the key already): the
  // default tier holds all of them (4,040 on L), and skipping them class by class was a third of the matrix's time
  for (const entries of nonKubernetesEntries(model))
    for (const e of entries) {
      if (e.kind === 'k8s') continue;
      bit(entrySelects(model, e, w, 'Ingress'));
      bit(entrySelects(model, e, w, 'Egress'));
      if (e.kind === 'calico') {
        entities(e.policy.ingress, e.policy.namespace);
        entities(e.policy.egress, e.policy.namespace);
      } else for (const r of [...e.policy.ingress, ...e.policy.egress]) bit(r.peers.some((p) => adminPeerMatches(p, w, model)));
    }
  const profiles = model.calico?.profiles ?? [];
  for (const p of profiles) {
    entities(p.ingress, undefined);
    entities(p.egress, undefined);
  }
  if (profiles.some((p) => p.name === `kns.${w.namespace}`)) bits.push(`|${w.namespace}`);
  return bits.join('');
}

/** The far-end types a rule matches, ascending; null: all of them. */
type Targets = Int32Array | null;

export interface CalicoTypeMatrix {
  /** allowed ports from row type `r` to column type `k` */
  ports(r: number, k: number): PortSet;
  /** the column types row type `r` may connect to (null: any) */
  candidates(r: number): Set<number> | null;
}

/** One subject's direction: the allowed ports towards each far-end type. */
interface SweepResult {
  /** far-end types split off their starting group, and their group */
  moved: Map<number, number>;
  /** each far-end type's starting group */
  start: (i: number) => number;
  allowed: PortSet[];
}

function allowedOf(s: SweepResult, i: number): PortSet {
  return s.allowed[s.moved.get(i) ?? s.start(i)];
}

/**
 * The Calico matrix over row and column types, given each type's representative class
 * (`rowRep`/`colRep`) and each class's types (`rowOf`/`colOf`, -1 for a free slot).
 */
export function calicoTypeMatrix(
  index: PolicyIndex,
  rowRep: number[],
  colRep: number[],
  rowOf: Int32Array,
  colOf: Int32Array,
): CalicoTypeMatrix {
  const model = index.model;
  const rows = rowRep.map((c) => index.classes[c].rep);
  const cols = colRep.map((c) => index.classes[c].rep);
  // the columns' named-port sets: a rule's ports on a destination depend on nothing else of it
  const namedIds = new Map<string, number>();
  const namedRep: Workload[] = [];
  const namedOfCol = Int32Array.from(cols, (w) => {
    const key = namedPortsKey(w);
    let id = namedIds.get(key);
    if (id === undefined) {
      namedIds.set(key, (id = namedRep.length));
      namedRep.push(w);
    }
    return id;
  });

  type AnyRule = CalicoRule | PolicyRule | AdminRule;
  const portsCache = new Map<AnyRule, PortSet[]>();
  const rulePorts = (kind: 'calico' | 'k8s' | 'admin', r: AnyRule, named: number): PortSet => {
    let byNamed = portsCache.get(r);
    if (!byNamed) portsCache.set(r, (byNamed = []));
    let p = byNamed[named];
    if (!p) {
      const dst = namedRep[named];
      p = byNamed[named] =
        kind === 'calico'
          ? calicoRulePorts(r as CalicoRule, dst)
          : kind === 'k8s'
            ? rulePortSet(r as PolicyRule, dst)
            : adminRulePorts(r as AdminRule, dst);
    }
    return p;
  };

  // which far-end types a rule matches, per side (rows are far ends for Ingress, columns for Egress)
  const sides = {
    rows: { reps: rows, ofClass: rowOf, cache: new Map<object, Targets>(), seen: new Int32Array(rows.length), stamp: 0 },
    cols: { reps: cols, ofClass: colOf, cache: new Map<object, Targets>(), seen: new Int32Array(cols.length), stamp: 0 },
  };
  type Side = (typeof sides)['rows'];
  const targets = (side: Side, key: object, matches: () => Targets | ((w: Workload) => boolean)): Targets => {
    if (side.cache.has(key)) return side.cache.get(key)!;
    const m = matches();
    let out: Targets;
    if (m === null || m instanceof Int32Array) out = m;
    else {
      const list: number[] = [];
      side.reps.forEach((w, i) => m(w) && list.push(i));
      out = list.length === side.reps.length ? null : Int32Array.from(list);
    }
    side.cache.set(key, out);
    return out;
  };
  const entityTargets = (side: Side, e: CalicoEntity, ns: string | undefined) =>
    targets(side, e, () => (w) => entityMatches(model, e, ns, w));
  const grantTargets = (side: Side, r: PolicyRule): Targets =>
    targets(side, r, () => {
      const g = index.grantOf.get(r);
      if (!g)
        return (w: Workload) =>
          ruleMatchesPeer(r, index.model.policies.find((p) => p.ingress.includes(r) || p.egress.includes(r))!.namespace, w, model);
      if (g.peers === null) return null;
      const list: number[] = [];
      const stamp = ++side.stamp;
      g.peers.forEach((c) => {
        const t = side.ofClass[c];
        if (t >= 0 && side.seen[t] !== stamp) {
          side.seen[t] = stamp;
          list.push(t);
        }
      });
      return list.length === side.reps.length ? null : Int32Array.from(list).sort();
    });
  const adminTargets = (side: Side, r: AdminRule) => targets(side, r, () => (w) => r.peers.some((p) => adminPeerMatches(p, w, model)));
  const complements = new Map<Int32Array, Int32Array>();
  const complementOf = (t: Int32Array, n: number): Int32Array => {
    let c = complements.get(t);
    if (!c) {
      const inT = new Uint8Array(n);
      t.forEach((i) => (inT[i] = 1));
      const list: number[] = [];
      inT.forEach((b, i) => !b && list.push(i));
      complements.set(t, (c = Int32Array.from(list)));
    }
    return c;
  };

  const tiers = calicoTiers(model);
  const profiles = model.calico?.profiles ?? [];

  /** One direction for one subject (the row's workload for Egress, the column's for Ingress) over every far-end type. */
  const sweep = (
    dir: Direction,
    subject: Workload,
    side: Side,
    start: (i: number) => number,
    starts: number,
    namedOf: (g: number) => number,
  ): SweepResult => {
    const n = side.reps.length;
    const moved = new Map<number, number>();
    if (!selectable(subject, model)) return { moved, start: () => 0, allowed: [ALL_PORTS] };
    // per group
    const named: number[] = [];
    const remaining: PortSet[] = [];
    const allowed: PortSet[] = [];
    const left: PortSet[] = [];
    const passed: PortSet[] = [];
    for (let g = 0; g < starts; g++) {
      named.push(namedOf(g));
      remaining.push(ALL_PORTS);
      allowed.push(NO_PORTS);
      left.push(ALL_PORTS);
      passed.push(NO_PORTS);
    }
    const copy = (g: number): number => {
      named.push(named[g]);
      remaining.push(remaining[g]);
      allowed.push(allowed[g]);
      left.push(left[g]);
      passed.push(passed[g]);
      return named.length - 1;
    };
    const apply = (t: Targets, action: 'Allow' | 'Deny' | 'Pass' | 'Log', ports: (named: number) => PortSet): void => {
      if (action === 'Log') return;
      const decide = (g: number) => {
        if (isEmpty(left[g])) return;
        const p = intersect(ports(named[g]), left[g]);
        if (isEmpty(p)) return;
        left[g] = subtract(left[g], p);
        if (action === 'Allow') allowed[g] = union(allowed[g], p);
        else if (action === 'Pass') passed[g] = union(passed[g], p);
      };
      if (t === null) {
        for (let g = 0; g < named.length; g++) decide(g);
        return;
      }
      if (t.length === 0) return;
      // split the matched types off their groups; when they are most of them, split the others off instead
      const dense = t.length * 2 > n;
      const before = named.length;
      const split = new Map<number, number>();
      for (const i of dense ? complementOf(t, n) : t) {
        const g = moved.get(i) ?? start(i);
        // a group with nothing left in this tier is not changed by the rule: no need to split it
        if (isEmpty(left[g])) continue;
        let c = split.get(g);
        if (c === undefined) split.set(g, (c = copy(g)));
        moved.set(i, c);
      }
      if (dense) for (let g = 0; g < before; g++) decide(g);
      else for (const c of split.values()) decide(c);
    };
    const applyingPerTier = applyingEntries(model, subject, dir);
    for (let ti = 0; ti < tiers.length; ti++) {
      const applying = applyingPerTier[ti];
      if (applying.length === 0) continue;
      if (remaining.every(isEmpty)) break;
      for (let g = 0; g < named.length; g++) {
        left[g] = remaining[g];
        passed[g] = NO_PORTS;
      }
      for (const e of applying) {
        if (e.kind === 'calico') {
          const ns = e.policy.namespace;
          for (const r of dir === 'Ingress' ? e.policy.ingress : e.policy.egress) {
            const own = dir === 'Ingress' ? r.destination : r.source;
            if (!entityMatches(model, own, ns, subject)) continue;
            const t = entityTargets(side, dir === 'Ingress' ? r.source : r.destination, ns);
            apply(t, r.action, (k) => rulePorts('calico', r, k));
          }
        } else if (e.kind === 'k8s') {
          for (const r of dir === 'Ingress' ? e.policy.ingress : e.policy.egress)
            apply(grantTargets(side, r), 'Allow', (k) => rulePorts('k8s', r, k));
        } else {
          for (const r of dir === 'Ingress' ? e.policy.ingress : e.policy.egress)
            apply(adminTargets(side, r), r.action, (k) => rulePorts('admin', r, k));
        }
      }
      const pass = tiers[ti].defaultAction === 'Pass';
      for (let g = 0; g < named.length; g++) remaining[g] = pass ? union(passed[g], left[g]) : passed[g];
    }
    // the namespace profile decides what no tier did
    const profile = profiles.find((p) => p.name === `kns.${subject.namespace}`);
    if (!profile) for (let g = 0; g < named.length; g++) allowed[g] = union(allowed[g], remaining[g]);
    else {
      for (let g = 0; g < named.length; g++) left[g] = remaining[g];
      for (const r of dir === 'Ingress' ? profile.ingress : profile.egress) {
        if (!entityMatches(model, dir === 'Ingress' ? r.destination : r.source, undefined, subject)) continue;
        const t = entityTargets(side, dir === 'Ingress' ? r.source : r.destination, undefined);
        apply(t, r.action === 'Allow' || r.action === 'Log' ? r.action : 'Deny', (k) => rulePorts('calico', r, k));
      }
    }
    return { moved, start, allowed };
  };

  const egressOf: (SweepResult | undefined)[] = new Array(rows.length);
  const egress = (r: number): SweepResult =>
    (egressOf[r] ??= sweep(
      'Egress',
      rows[r],
      sides.cols,
      (k) => namedOfCol[k],
      namedRep.length,
      (g) => g,
    ));
  let ingressOf: SweepResult[] | undefined;
  let openIngress: number[] = [];
  let ingressByRow: number[][] = [];
  const ingress = (): SweepResult[] => {
    if (!ingressOf) {
      ingressOf = cols.map((w, k) =>
        sweep(
          'Ingress',
          w,
          sides.rows,
          () => 0,
          1,
          () => namedOfCol[k],
        ),
      );
      // per row type, the columns that admit it although they admit no unmatched row
      ingressByRow = rows.map(() => []);
      openIngress = [];
      ingressOf.forEach((s, k) => {
        const open = !isEmpty(s.allowed[0]);
        if (open) openIngress.push(k);
        else for (const [r, g] of s.moved) if (!isEmpty(s.allowed[g])) ingressByRow[r].push(k);
      });
    }
    return ingressOf;
  };
  const candidatesOf = new Map<number, Set<number> | null>();
  return {
    ports(r, k) {
      const out = allowedOf(egress(r), k);
      if (isEmpty(out)) return NO_PORTS;
      return intersect(out, allowedOf(ingress()[k], r));
    },
    candidates(r) {
      let out = candidatesOf.get(r);
      if (out === undefined) candidatesOf.set(r, (out = candidates(r)));
      return out;
    },
  };
  function candidates(r: number): Set<number> | null {
    const e = egress(r);
    ingress();
    let out: Set<number>;
    // the types no rule split off keep their starting group's ports
    let startsOpen = false;
    for (let g = 0; g < Math.min(namedRep.length, e.allowed.length); g++) if (!isEmpty(e.allowed[g])) startsOpen = true;
    if (!startsOpen) {
      out = new Set();
      for (const [k, g] of e.moved) if (!isEmpty(e.allowed[g])) out.add(k);
    } else {
      out = new Set(openIngress);
      for (const k of ingressByRow[r]) out.add(k);
    }
    return out.size === cols.length ? null : out;
  }
}
