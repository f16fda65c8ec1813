// The effective connectivity between workloads: source egress AND destination ingress.
//
// The result for a pair depends only on the source's egress grants and the grants whose peers
// include it (its "row type"), and on the destination's ingress grants, the grants whose peers
// include it and its named ports (its "column type"). Real workspaces have far fewer types than
// workloads, so pairs are computed per type pair and counted without enumerating workloads.
import { ALL_PORTS, NO_PORTS, intersect, isAll, isEmpty, overlaps, union, type PortSet } from '../net/ports';
import type { Model, Workload } from '../model/types';
import { buildPolicyIndex, grantPorts, type Grant, type PeerAtom, type PolicyIndex } from '../policy/grants';
import { decideDirection } from '../policy/admin';
import { selectable } from '../policy/semantics';
import { namedPortsKey } from '../policy/classes';
import { ciliumActive, ciliumSide, combineWithNetworkPolicies } from '../policy/cilium';
import { calicoActive, calicoPairPorts } from '../policy/calico';
import { calicoSignature, calicoTypeMatrix } from './calicoMatrix';

export interface Connection {
  from: Workload;
  to: Workload;
  allowed: PortSet;
}

/** Ports allowed by the grants of one side towards `other` (the destination class owns the named ports). */
function sidePorts(index: PolicyIndex, grants: Grant[] | null, other: number, dst: number): PortSet {
  if (grants === null) return ALL_PORTS;
  let out = NO_PORTS;
  for (const g of grants) if (g.peers === null || g.peers.has(other)) out = union(out, grantPorts(index, g, dst));
  return out;
}

/** Allowed ports from class `s` to class `d`. */
export function classPairPorts(index: PolicyIndex, s: number, d: number): PortSet {
  // [calico] Calico's tiers (policy/calico.ts) hold every layer when Calico policies are enforced
  if (calicoActive(index.model)) return calicoPairPorts(index.model, index.classes[s].rep, index.classes[d].rep);
  if (ciliumActive(index.model)) return ciliumPairPorts(index, s, d);
  if (index.model.adminPolicies.length) return adminPairPorts(index, s, d);
  return networkPolicyPairPorts(index, s, d);
}

/**
 * Whether class `s` reaches class `d` on some port when the NetworkPolicies alone decide: what
 * !isEmpty(networkPolicyPairPorts(index, s, d)) says, without building the port sets (a union per side
 * and their intersection): some egress grant of `s` covering `d` and some ingress grant of `d` covering
 * `s` share a port. A workload's code lens asks it for every class in both directions.
 */
export function networkPolicyConnected(index: PolicyIndex, s: number, d: number): boolean {
  const egress = index.egress[s];
  const ingress = index.ingress[d];
  if (egress === null) return ingress === null || someCovering(index, ingress, s, d);
  if (ingress === null) return someCovering(index, egress, d, d);
  let out: PortSet[] | undefined;
  for (const g of egress)
    if (g.peers === null || g.peers.has(d)) {
      const p = grantPorts(index, g, d);
      if (!isEmpty(p)) (out ??= []).push(p);
    }
  if (!out) return false;
  for (const g of ingress)
    if (g.peers === null || g.peers.has(s)) {
      const p = grantPorts(index, g, d);
      for (const o of out) if (overlaps(o, p)) return true;
    }
  return false;
}

/** Whether some grant covering class `other` allows a port on the destination class `dst`. */
function someCovering(index: PolicyIndex, grants: Grant[], other: number, dst: number): boolean {
  for (const g of grants) if ((g.peers === null || g.peers.has(other)) && !isEmpty(grantPorts(index, g, dst))) return true;
  return false;
}

/** classPairPorts when the NetworkPolicies alone decide (no admin, Cilium or Calico policies: the caller checked). */
export function networkPolicyPairPorts(index: PolicyIndex, s: number, d: number): PortSet {
  const out = sidePorts(index, index.egress[s], d, d);
  if (isEmpty(out)) return NO_PORTS;
  return intersect(out, sidePorts(index, index.ingress[d], s, d));
}

/** With AdminNetworkPolicies, each direction goes through the ANP, NetworkPolicy and baseline tiers. */
function adminPairPorts(index: PolicyIndex, s: number, d: number): PortSet {
  const src = index.classes[s].rep;
  const dst = index.classes[d].rep;
  const np = (grants: Grant[] | null, other: number) => ({ isolated: grants !== null, allowed: sidePorts(index, grants, other, d) });
  const out = decideDirection(index.model, 'Egress', src, dst, dst, np(index.egress[s], d)).allowed;
  if (isEmpty(out)) return NO_PORTS;
  return intersect(out, decideDirection(index.model, 'Ingress', dst, src, dst, np(index.ingress[d], s)).allowed);
}

/** With Cilium policies enforced, each direction joins the Cilium layer to the NetworkPolicies (then any admin tiers). */
function ciliumPairPorts(index: PolicyIndex, s: number, d: number): PortSet {
  const model = index.model;
  const src = index.classes[s].rep;
  const dst = index.classes[d].rep;
  const side = (dir: 'Egress' | 'Ingress', subject: typeof src, other: typeof src, grants: Grant[] | null, o: number) => {
    const np = { isolated: grants !== null, allowed: sidePorts(index, grants, o, d) };
    if (!selectable(subject, model)) return np.allowed;
    const layer = combineWithNetworkPolicies(np, ciliumSide(model, dir, subject, other, dst));
    return model.adminPolicies.length ? decideDirection(model, dir, subject, other, dst, layer).allowed : layer.allowed;
  };
  const out = side('Egress', src, dst, index.egress[s], d);
  if (isEmpty(out)) return NO_PORTS;
  return intersect(out, side('Ingress', dst, src, index.ingress[d], s));
}

interface RowDestinations {
  /** workload indices */
  to: Int32Array;
  ports: PortSet[];
}

// connections() keeps each row type's destinations while they hold at most this many entries in all
// (a few row types reaching everything in a huge workspace must not keep rows x workloads).
const CACHED_DESTINATIONS = 4_000_000;

export interface MatrixCounts {
  connectedPairs: number;
  fullyOpenPairs: number;
}

export interface Matrix {
  index: PolicyIndex;
  /** allowed ports between two workloads (a workload to itself is always allowed). */
  ports(from: Workload, to: Workload): PortSet;
  /** every ordered pair of distinct workloads with something allowed, in workload order (from the `fromRow`th workload on) */
  connections(fromRow?: number): Iterable<Connection>;
  /** pair counts, computed per type pair (no enumeration of workload pairs) */
  counts(): MatrixCounts;
  /** how many other workloads this one reaches, and is reachable from */
  degree(w: Workload): { reaches: number; reachableFrom: number };
  /** distinct row and column types (for stats) */
  types: { rows: number; columns: number };
}

class Interner {
  private readonly ids = new Map<string, number>();
  intern(key: string): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.ids.size;
      this.ids.set(key, id);
    }
    return id;
  }
  get size(): number {
    return this.ids.size;
  }
}

export function computeMatrix(model: Model, index: PolicyIndex = buildPolicyIndex(model)): Matrix {
  const n = index.classes.length;
  const grantById = new Map<number, Grant>();
  for (const g of index.grants) grantById.set(g.id, g);
  const { groupsOf, groupGrants } = peerGroups(index);
  const grantKey = (gs: Grant[] | null) => (gs === null ? '*' : gs.map((g) => g.id).join(','));
  const rowsI = new Interner();
  const colsI = new Interner();
  const rowOf = new Int32Array(n);
  const colOf = new Int32Array(n);
  const rowRep: number[] = [];
  const colRep: number[] = [];
  // Under Calico, what its tiers read of a class joins the key (calicoMatrix.ts). AdminNetworkPolicies and
  // Cilium policies select by their own selectors: then every class is its own type.
  const calico = calicoActive(model);
  const perClass = !calico && (model.adminPolicies.length > 0 || ciliumActive(model));
  for (let c = 0; c < n; c++) {
    // a free class slot (see policy/classes.ts) has no workloads, no grants and no type
    if (index.classes[c].members.length === 0) {
      rowOf[c] = colOf[c] = -1;
      continue;
    }
    const peer = perClass
      ? `class${c}`
      : calico
        ? `${groupsOf[c].join(',')}|${calicoSignature(model, index.classes[c].rep)}`
        : groupsOf[c].join(',');
    const r = rowsI.intern(`${grantKey(index.egress[c])}|${peer}`);
    const k = colsI.intern(`${grantKey(index.ingress[c])}|${peer}|${namedPortsKey(index.classes[c].rep)}`);
    rowOf[c] = r;
    colOf[c] = k;
    if (rowRep[r] === undefined) rowRep[r] = c;
    if (colRep[k] === undefined) colRep[k] = c;
  }
  const nCols = colsI.size;
  const calicoTypes = calico ? calicoTypeMatrix(index, rowRep, colRep, rowOf, colOf) : undefined;
  const cache = new Map<number, PortSet>();
  const typePorts = (r: number, k: number): PortSet => {
    const key = r * nCols + k;
    let p = cache.get(key);
    if (!p) {
      p = calicoTypes ? calicoTypes.ports(r, k) : classPairPorts(index, rowRep[r], colRep[k]);
      cache.set(key, p);
    }
    return p;
  };
  const cls = (w: Workload) => index.classOf.get(w)!;
  const ports = (from: Workload, to: Workload): PortSet => (from === to ? ALL_PORTS : typePorts(rowOf[cls(from)], colOf[cls(to)]));

  // workloads per row and per column type
  const rowCount = new Array(rowsI.size).fill(0);
  const colCount = new Array(nCols).fill(0);
  for (const w of model.workloads) {
    rowCount[rowOf[cls(w)]]++;
    colCount[colOf[cls(w)]]++;
  }
  const allColumns = Array.from({ length: nCols }, (_, k) => k);
  const candidates = calicoTypes
    ? (r: number) => calicoTypes.candidates(r)
    : perClass
      ? () => null
      : candidateColumns(index, rowRep, colOf, nCols, groupsOf, groupGrants, grantById);
  // by workload index: the column type, and each column type's members in workload order
  let colOfW: Int32Array | undefined;
  let membersOf: number[][] | undefined;
  const columnMembers = (): number[][] => {
    if (!membersOf) {
      colOfW = Int32Array.from(model.workloads, (w) => colOf[cls(w)]);
      membersOf = Array.from({ length: nCols }, () => []);
      colOfW.forEach((k, i) => membersOf![k].push(i));
    }
    return membersOf;
  };
  const colPorts: (PortSet | undefined)[] = new Array(nCols);
  /** The workloads (indices, in workload order) a row type reaches, with the ports. */
  const destinations = (r: number): RowDestinations => {
    const members = columnMembers();
    const cols = candidates(r) ?? allColumns;
    let n = 0;
    for (const k of cols) {
      const p = typePorts(r, k);
      if (isEmpty(p)) continue;
      colPorts[k] = p;
      n += members[k].length;
    }
    const to = new Int32Array(n);
    n = 0;
    for (const k of cols) if (colPorts[k]) for (const i of members[k]) to[n++] = i;
    to.sort();
    const ports = Array.from(to, (i) => colPorts[colOfW![i]]!);
    for (const k of cols) colPorts[k] = undefined;
    return { to, ports };
  };
  return {
    index,
    ports,
    types: { rows: rowsI.size, columns: nCols },
    *connections(fromRow = 0) {
      const workloads = model.workloads;
      const rowOfW = Int32Array.from(workloads, (w) => rowOf[cls(w)]);
      // each row type's destinations, kept while the rows use at most this many entries in all
      let budget = CACHED_DESTINATIONS;
      const byRow = new Map<number, RowDestinations>();
      for (let i = fromRow; i < workloads.length; i++) {
        const r = rowOfW[i];
        let d = byRow.get(r);
        if (!d) {
          d = destinations(r);
          if (d.to.length <= budget) {
            budget -= d.to.length;
            byRow.set(r, d);
          }
        }
        const from = workloads[i];
        for (let j = 0; j < d.to.length; j++) if (d.to[j] !== i) yield { from, to: workloads[d.to[j]], allowed: d.ports[j] };
      }
    },
    counts() {
      let connectedPairs = 0;
      let fullyOpenPairs = 0;
      for (let r = 0; r < rowCount.length; r++) {
        if (!rowCount[r]) continue;
        const cols = candidates(r);
        for (const k of cols ?? allColumns) {
          if (!colCount[k]) continue;
          const p = typePorts(r, k);
          if (isEmpty(p)) continue;
          connectedPairs += rowCount[r] * colCount[k];
          if (isAll(p)) fullyOpenPairs += rowCount[r] * colCount[k];
        }
      }
      // a workload and itself were counted when its own row and column types connect
      for (const w of model.workloads) {
        const p = typePorts(rowOf[cls(w)], colOf[cls(w)]);
        if (isEmpty(p)) continue;
        connectedPairs--;
        if (isAll(p)) fullyOpenPairs--;
      }
      return { connectedPairs, fullyOpenPairs };
    },
    degree(w) {
      const c = cls(w);
      let reaches = 0;
      let reachableFrom = 0;
      for (const k of candidates(rowOf[c]) ?? allColumns) if (colCount[k] && !isEmpty(typePorts(rowOf[c], k))) reaches += colCount[k];
      for (let r = 0; r < rowCount.length; r++) if (rowCount[r] && !isEmpty(typePorts(r, colOf[c]))) reachableFrom += rowCount[r];
      if (!isEmpty(typePorts(rowOf[c], colOf[c]))) {
        reaches--;
        reachableFrom--;
      }
      return { reaches, reachableFrom };
    },
  };
}

/**
 * The grants whose peers include each class, as groups: the atoms (distinct rule peers, see
 * policy/grants.ts) of the attached grants, grouped by the list of grants that hold them. A class's
 * groups determine the grants whose peers include it (the union of its groups' grants), so they can
 * stand for them in the type keys; their size is about the atoms' classes, not grants x classes (a
 * peer over every namespace with some label is one atom, however many policies repeat it).
 */
function peerGroups(index: PolicyIndex): { groupsOf: number[][]; groupGrants: Grant[][] } {
  const grantsOfAtom = new Map<PeerAtom, Grant[]>();
  for (const g of index.grants) {
    if (!g.peers) continue;
    for (const a of g.peers.atoms) {
      let list = grantsOfAtom.get(a);
      if (!list) grantsOfAtom.set(a, (list = []));
      if (list[list.length - 1] !== g) list.push(g);
    }
  }
  const groupIds = new Map<string, number>();
  const groupGrants: Grant[][] = [];
  const groupsOf: number[][] = Array.from({ length: index.classes.length }, () => []);
  for (const [atom, grants] of grantsOfAtom) {
    const key = grants.map((g) => g.id).join(',');
    let id = groupIds.get(key);
    if (id === undefined) {
      groupIds.set(key, (id = groupGrants.length));
      groupGrants.push(grants);
    }
    const gid = id;
    atom.classes.forEach((c) => groupsOf[c].push(gid));
  }
  for (const list of groupsOf) {
    if (list.length < 2) continue;
    list.sort((a, b) => a - b);
    let k = 1;
    for (let i = 1; i < list.length; i++) if (list[i] !== list[k - 1]) list[k++] = list[i];
    list.length = k;
  }
  return { groupsOf, groupGrants };
}

/**
 * The column types a row type can connect to (null: any), so that listing and counting pairs costs
 * about the connections, not rows x columns. Without AdminNetworkPolicies a pair needs both sides:
 * an isolated source reaches only its egress grants' peers; an unisolated one reaches the
 * unisolated destinations and those selected by a policy with an ingress rule admitting it.
 */
function candidateColumns(
  index: PolicyIndex,
  rowRep: number[],
  colOf: Int32Array,
  nCols: number,
  groupsOf: number[][],
  groupGrants: Grant[][],
  grantById: Map<number, Grant>,
): (r: number) => Set<number> | null {
  const colsOfClasses = (classes: Iterable<number>, into: Set<number>) => {
    for (const c of classes) into.add(colOf[c]);
  };
  const n = index.classes.length;
  const openIngress = new Set<number>();
  for (let c = 0; c < n; c++) if (index.ingress[c] === null && colOf[c] >= 0) openIngress.add(colOf[c]);
  const selectedCols = new Map<Grant['policy'], Set<number>>();
  const colsSelectedBy = (g: Grant): Set<number> => {
    let set = selectedCols.get(g.policy);
    if (!set) {
      set = new Set();
      colsOfClasses(index.selected.get(g.policy)?.values() ?? [], set);
      selectedCols.set(g.policy, set);
    }
    return set;
  };
  // ingress rules without peers admit every source
  const admitAll = new Set<number>(openIngress);
  for (const g of grantById.values()) if (g.direction === 'Ingress' && g.peers === null) for (const k of colsSelectedBy(g)) admitAll.add(k);
  // the columns admitting the classes of each peer group through ingress rules
  const groupAdmits: (number[] | undefined)[] = new Array(groupGrants.length);
  const admitsOfGroup = (gid: number): number[] => {
    let cols = groupAdmits[gid];
    if (!cols) {
      const set = new Set<number>();
      for (const g of groupGrants[gid]) if (g.direction === 'Ingress') for (const k of colsSelectedBy(g)) set.add(k);
      groupAdmits[gid] = cols = [...set];
    }
    return cols;
  };
  // a column type's classes share the grants whose peers include them (their groups are part of its key), so its
  // representative answers for all of them whether an egress rule's peers match it
  const colRep = new Int32Array(nCols).fill(-1);
  for (let c = 0; c < n; c++) if (colOf[c] >= 0 && colRep[colOf[c]] < 0) colRep[colOf[c]] = c;
  const cache = new Map<number, Set<number> | null>();
  return (r: number) => {
    if (cache.has(r)) return cache.get(r)!;
    const s = rowRep[r];
    const egress = index.egress[s];
    // the column types whose ingress admits s: unisolated, a rule without peers, or a rule whose peers match s
    let admits: Set<number> | null = new Set(admitAll);
    for (const gid of groupsOf[s]) for (const k of admitsOfGroup(gid)) admits.add(k);
    if (admits.size === nCols) admits = null;
    let out: Set<number> | null;
    if (egress === null) out = admits;
    else if (egress.some((g) => g.peers === null)) out = admits;
    else if (admits !== null) {
      // both sides: the admitting columns that one of the egress rules' peers match. Cost: the admitting
      // columns (a few namespaces' worth), not the egress peers, which a rule over every namespace with
      // some label makes a share of the whole workspace for every row (quadratic on XL).
      out = new Set();
      for (const k of admits) if (egress.some((g) => g.peers!.has(colRep[k]))) out.add(k);
    } else {
      out = new Set();
      for (const g of egress) colsOfClasses(g.peers!.values(), out);
    }
    cache.set(r, out);
    return out;
  };
}
