// Port sets per protocol as sorted, merged, inclusive ranges. Immutable values.
import { PROTOCOLS, type Protocol } from '../model/types';

export type Range = readonly [number, number];
export type PortSet = Readonly<Record<Protocol, readonly Range[]>>;

const MAX_PORT = 65535;
const FULL: readonly Range[] = [[1, MAX_PORT]];

export const NO_PORTS: PortSet = { TCP: [], UDP: [], SCTP: [] };
export const ALL_PORTS: PortSet = { TCP: FULL, UDP: FULL, SCTP: FULL };

export function portSetOf(protocol: Protocol, ranges: readonly Range[]): PortSet {
  return { ...NO_PORTS, [protocol]: merge(ranges) };
}

function merge(ranges: readonly Range[]): Range[] {
  const sorted = ranges
    .filter(([a, b]) => a <= b)
    .slice()
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

function intersectRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i][0], b[j][0]);
    const hi = Math.min(a[i][1], b[j][1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

export function union(a: PortSet, b: PortSet): PortSet {
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  return { TCP: merge([...a.TCP, ...b.TCP]), UDP: merge([...a.UDP, ...b.UDP]), SCTP: merge([...a.SCTP, ...b.SCTP]) };
}

export function intersect(a: PortSet, b: PortSet): PortSet {
  if (a === ALL_PORTS) return b;
  if (b === ALL_PORTS) return a;
  return { TCP: intersectRanges(a.TCP, b.TCP), UDP: intersectRanges(a.UDP, b.UDP), SCTP: intersectRanges(a.SCTP, b.SCTP) };
}

/** Whether two port sets share some port (what !isEmpty(intersect(a, b)) says, without building it). */
export function overlaps(a: PortSet, b: PortSet): boolean {
  for (const p of PROTOCOLS) {
    const x = a[p];
    const y = b[p];
    let i = 0;
    let j = 0;
    while (i < x.length && j < y.length) {
      if (Math.max(x[i][0], y[j][0]) <= Math.min(x[i][1], y[j][1])) return true;
      if (x[i][1] < y[j][1]) i++;
      else j++;
    }
  }
  return false;
}

export function isEmpty(s: PortSet): boolean {
  return s.TCP.length === 0 && s.UDP.length === 0 && s.SCTP.length === 0;
}

export function isAll(s: PortSet): boolean {
  return PROTOCOLS.every((p) => s[p].length === 1 && s[p][0][0] === 1 && s[p][0][1] === MAX_PORT);
}

export function contains(s: PortSet, protocol: Protocol, port: number): boolean {
  return s[protocol].some(([a, b]) => port >= a && port <= b);
}

export function equals(a: PortSet, b: PortSet): boolean {
  return key(a) === key(b);
}

/** A canonical string, for caching and comparisons. */
function key(s: PortSet): string {
  return PROTOCOLS.map((p) => s[p].map(([a, b]) => `${a}-${b}`).join(',')).join('|');
}

/** np-guard style: "All Connections" or "TCP 80,8080-8090,UDP 53". */
export function describe(s: PortSet): string {
  if (isAll(s)) return 'All Connections';
  if (isEmpty(s)) return 'No Connections';
  const parts: string[] = [];
  for (const p of ['SCTP', 'TCP', 'UDP'] as Protocol[]) {
    if (s[p].length) parts.push(`${p} ${s[p].map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(',')}`);
  }
  return parts.join(',');
}

export function toJson(s: PortSet): { protocol: Protocol; ports: [number, number][] }[] {
  return PROTOCOLS.filter((p) => s[p].length > 0).map((p) => ({ protocol: p, ports: s[p].map(([a, b]) => [a, b] as [number, number]) }));
}

function subtractRanges(a: readonly Range[], b: readonly Range[]): Range[] {
  const out: Range[] = [];
  for (const [lo0, hi] of a) {
    let lo = lo0;
    for (const [blo, bhi] of b) {
      if (bhi < lo || blo > hi) continue;
      if (blo > lo) out.push([lo, blo - 1]);
      lo = Math.max(lo, bhi + 1);
      if (lo > hi) break;
    }
    if (lo <= hi) out.push([lo, hi]);
  }
  return out;
}

/** Ports in `a` but not in `b`. */
export function subtract(a: PortSet, b: PortSet): PortSet {
  if (isEmpty(b) || isEmpty(a)) return a;
  return { TCP: subtractRanges(a.TCP, b.TCP), UDP: subtractRanges(a.UDP, b.UDP), SCTP: subtractRanges(a.SCTP, b.SCTP) };
}
