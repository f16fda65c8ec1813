// The effective connectivity between workloads: source egress AND destination ingress.
//
// The result for a pair depends only on the source's egress grants and the grants whose peers
// include it (its "row type"), and on the destination's ingress grants, the grants whose peers
// include it and its named ports (its "column type"). Real workspaces have far fewer types than
// workloads, so pairs are computed per type pair and counted without enumerating workloads.
import { ALL_PORTS, NO_PORTS, intersect, isAll, isEmpty, union, type PortSet } from '../net/ports';
import type { Model, Workload } from '../model/types';
import { buildPolicyIndex, grantPorts, type Grant, type PolicyIndex } from '../policy/grants';
import { decideDirection } from '../policy/admin';

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
  if (index.model.adminPolicies.length) return adminPairPorts(index, s, d);
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

export interface MatrixCounts {
  connectedPairs: number;
  fullyOpenPairs: number;
}

export interface Matrix {
  index: PolicyIndex;
  /** allowed ports between two workloads (a workload to itself is always allowed). */
  ports(from: Workload, to: Workload): PortSet;
  /** every ordered pair of distinct workloads with something allowed, in workload order */
  connections(): Iterable<Connection>;
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

function namedPortsKey(w: Workload): string {
  return w.containers.flatMap((c) => c.ports.filter((p) => p.name).map((p) => `${p.name}/${p.protocol}/${p.port}`)).sort().join(',');
}

export function computeMatrix(model: Model, index: PolicyIndex = buildPolicyIndex(model)): Matrix {
  const n = index.classes.length;
  // grants whose peers include each class
  const peerOf: number[][] = Array.from({ length: n }, () => []);
  const seen = new Set<Grant>();
  for (const list of [...index.ingress, ...index.egress]) {
    for (const g of list ?? []) {
      if (seen.has(g)) continue;
      seen.add(g);
      if (g.peers) for (const c of g.peers.values()) peerOf[c].push(g.id);
    }
  }
  const grantKey = (gs: Grant[] | null) => (gs === null ? '*' : gs.map((g) => g.id).join(','));
  const rowsI = new Interner();
  const colsI = new Interner();
  const rowOf = new Int32Array(n);
  const colOf = new Int32Array(n);
  const rowRep: number[] = [];
  const colRep: number[] = [];
  // AdminNetworkPolicies select by their own selectors: then every class is its own type.
  const perClass = model.adminPolicies.length > 0;
  for (let c = 0; c < n; c++) {
    const peer = perClass ? `class${c}` : peerOf[c].join(',');
    const r = rowsI.intern(`${grantKey(index.egress[c])}|${peer}`);
    const k = colsI.intern(`${grantKey(index.ingress[c])}|${peer}|${namedPortsKey(index.classes[c].rep)}`);
    rowOf[c] = r;
    colOf[c] = k;
    if (rowRep[r] === undefined) rowRep[r] = c;
    if (colRep[k] === undefined) colRep[k] = c;
  }
  const nCols = colsI.size;
  const cache = new Map<number, PortSet>();
  const typePorts = (r: number, k: number): PortSet => {
    const key = r * nCols + k;
    let p = cache.get(key);
    if (!p) {
      p = classPairPorts(index, rowRep[r], colRep[k]);
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
  return {
    index,
    ports,
    types: { rows: rowsI.size, columns: nCols },
    *connections() {
      for (const from of model.workloads) {
        const r = rowOf[cls(from)];
        for (const to of model.workloads) {
          if (from === to) continue;
          const allowed = typePorts(r, colOf[cls(to)]);
          if (!isEmpty(allowed)) yield { from, to, allowed };
        }
      }
    },
    counts() {
      let connectedPairs = 0;
      let fullyOpenPairs = 0;
      for (let r = 0; r < rowCount.length; r++) {
        if (!rowCount[r]) continue;
        for (let k = 0; k < nCols; k++) {
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
      for (let k = 0; k < nCols; k++) if (colCount[k] && !isEmpty(typePorts(rowOf[c], k))) reaches += colCount[k];
      for (let r = 0; r < rowCount.length; r++) if (rowCount[r] && !isEmpty(typePorts(r, colOf[c]))) reachableFrom += rowCount[r];
      if (!isEmpty(typePorts(rowOf[c], colOf[c]))) {
        reaches--;
        reachableFrom--;
      }
      return { reaches, reachableFrom };
    },
  };
}
