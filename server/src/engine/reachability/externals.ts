// Connectivity between workloads and addresses outside the workspace's pods: the address space is
// cut into the pieces that every ipBlock agrees on, and each piece is checked like a peer that only
// ipBlock rules (or rules without peers) can match.
import type { Model, Peer, Workload } from '../model/types';
import { ALL_PORTS, NO_PORTS, isEmpty, union, equals, type PortSet } from '../net/ports';
import { cidrInterval, cutSpace, intervalText, intervalWithin, type IpInterval } from '../net/ipRanges';
import { parseCidr } from '../net/cidr';
import { grantPorts, type Grant, type PolicyIndex } from '../policy/grants';
import { ciliumActive } from '../policy/cilium';
import { ciliumBlocks, ciliumPieceSets } from './ciliumExternals';

export interface ExternalConnection {
  /** the range, np-guard style "a.b.c.d-e.f.g.h" */
  range: string;
  /** the same range as numbers (the diff compares ranges cut differently in two versions) */
  interval: IpInterval;
  workload: Workload;
  direction: 'egress' | 'ingress';
  allowed: PortSet;
}

// A CIDR text's interval, read once: peerCovers runs for every (piece, rule) of every workload, and
// parsing the same few ipBlock texts again each time was most of an exposure analysis (IPv6 parses
// above all). Bounded: cleared when it grows past MAX_INTERVALS texts.
const intervals = new Map<string, IpInterval | null>();
const MAX_INTERVALS = 10_000;

function intervalOf(text: string): IpInterval | undefined {
  let v = intervals.get(text);
  if (v === undefined) {
    const c = parseCidr(text);
    v = c ? cidrInterval(c) : null;
    if (intervals.size >= MAX_INTERVALS) intervals.clear();
    intervals.set(text, v);
  }
  return v ?? undefined;
}

/** The peer's ipBlock holds the whole piece (and no `except` of it does). */
export function peerCovers(peer: Peer, piece: IpInterval): boolean {
  const b = peer.ipBlock;
  if (!b) return false;
  const c = intervalOf(b.cidr);
  if (!c || !intervalWithin(piece, c)) return false;
  return !b.except.some((e) => {
    const x = intervalOf(e);
    return !!x && intervalWithin(piece, x);
  });
}

function covers(g: Grant, piece: IpInterval): boolean {
  return !g.rule.peers || g.rule.peers.some((p) => peerCovers(p, piece));
}

export function externalConnections(model: Model, index: PolicyIndex): ExternalConnection[] {
  return [...directionConnections(model, index, 'egress'), ...directionConnections(model, index, 'ingress')];
}

/** One direction: its address space is cut by that direction's ipBlocks only (as np-guard does). */
function directionConnections(model: Model, index: PolicyIndex, direction: 'egress' | 'ingress'): ExternalConnection[] {
  const blocks: string[] = [];
  for (const p of model.policies)
    for (const r of direction === 'ingress' ? p.ingress : p.egress)
      for (const peer of r.peers ?? []) if (peer.ipBlock) blocks.push(peer.ipBlock.cidr, ...peer.ipBlock.except);
  const cilium = ciliumActive(model);
  if (cilium) blocks.push(...ciliumBlocks(model, direction));
  const pieces = cutSpace(blocks);
  const out: ExternalConnection[] = [];
  // Classes with the same grants get the same answer: cache by the grant list.
  const cache = new Map<string, PortSet[]>();
  const perPiece = (grants: Grant[] | null, cls: number): PortSet[] => {
    const named = grants?.some((g) => !g.fixedPorts);
    const key = grants === null ? 'all' : grants.map((g) => g.id).join(',');
    const hit = !named ? cache.get(key) : undefined;
    if (hit) return hit;
    const res = pieces.map((piece) => {
      if (grants === null) return ALL_PORTS;
      let s = NO_PORTS;
      // Named ports resolve on the destination: the workload itself for ingress, nothing for an address.
      for (const g of grants)
        if (covers(g, piece)) s = union(s, g.fixedPorts ?? (direction === 'ingress' ? grantPorts(index, g, cls) : NO_PORTS));
      return s;
    });
    if (!named) cache.set(key, res);
    return res;
  };
  const rows: { w: Workload; sets: PortSet[] }[] = [];
  for (const w of model.workloads) {
    const cls = index.classOf.get(w)!;
    if (w.hostNetwork && model.options.hostNetwork === 'node') continue;
    const grants = direction === 'egress' ? index.egress[cls] : index.ingress[cls];
    const sets = perPiece(grants, cls);
    // the Cilium layer joins the NetworkPolicy sets (reachability/ciliumExternals.ts)
    rows.push({ w, sets: cilium ? ciliumPieceSets(model, w, direction, pieces, { isolated: grants !== null, sets }) : sets });
  }
  // Neighbouring pieces that every workload treats alike form one range.
  const groups: [number, number][] = [];
  for (let k = 0; k < pieces.length;) {
    let j = k;
    while (j + 1 < pieces.length && pieces[j + 1].family === pieces[k].family && rows.every((r) => equals(r.sets[j + 1], r.sets[k]))) j++;
    groups.push([k, j]);
    k = j + 1;
  }
  for (const r of rows) {
    for (const [k, j] of groups) {
      if (isEmpty(r.sets[k])) continue;
      const interval = { family: pieces[k].family, start: pieces[k].start, end: pieces[j].end };
      out.push({
        range: intervalText(interval),
        interval,
        workload: r.w,
        direction,
        allowed: r.sets[k],
      });
    }
  }
  return out;
}
