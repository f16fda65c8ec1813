// IP address ranges as integer intervals (IPv4 as numbers in bigint form, IPv6 as bigint), to cut
// the address space into the disjoint pieces that all ipBlocks of a workspace agree on.
import ipaddr from 'ipaddr.js';
import { parseCidr, type Cidr } from './cidr';

export interface IpInterval {
  family: 'ipv4' | 'ipv6';
  start: bigint;
  end: bigint;
}

const BITS = { ipv4: 32, ipv6: 128 } as const;

function toBig(addr: ipaddr.IPv4 | ipaddr.IPv6): bigint {
  let n = 0n;
  for (const b of addr.toByteArray()) n = (n << 8n) | BigInt(b);
  return n;
}

export function cidrInterval(c: Cidr): IpInterval {
  const bits = BITS[c.family];
  const host = BigInt(bits - c.prefix);
  const base = (toBig(c.addr) >> host) << host;
  return { family: c.family, start: base, end: base + (1n << host) - 1n };
}

function fullInterval(family: 'ipv4' | 'ipv6'): IpInterval {
  return { family, start: 0n, end: (1n << BigInt(BITS[family])) - 1n };
}

function fromBig(n: bigint, family: 'ipv4' | 'ipv6'): string {
  const bytes: number[] = [];
  for (let i = 0; i < (family === 'ipv4' ? 4 : 16); i++) {
    bytes.unshift(Number(n & 255n));
    n >>= 8n;
  }
  return family === 'ipv4' ? bytes.join('.') : ipaddr.fromByteArray(bytes).toString();
}

export function intervalText(i: IpInterval): string {
  return `${fromBig(i.start, i.family)}-${fromBig(i.end, i.family)}`;
}

/** An address of the range to ask a query about: the one after its start (10.0.0.1 for 10.0.0.0/8). */
export function sampleAddress(i: IpInterval): string {
  return fromBig(i.end > i.start ? i.start + 1n : i.start, i.family);
}

/** Cuts each family's space at every boundary of the given CIDRs: the resulting pieces are atomic. */
export function cutSpace(cidrTexts: readonly string[]): IpInterval[] {
  const cuts = { ipv4: new Set<bigint>([0n]), ipv6: new Set<bigint>([0n]) };
  const families = new Set<'ipv4' | 'ipv6'>(['ipv4']);
  for (const t of cidrTexts) {
    const c = parseCidr(t);
    if (!c) continue;
    families.add(c.family);
    const i = cidrInterval(c);
    cuts[c.family].add(i.start);
    cuts[c.family].add(i.end + 1n);
  }
  const out: IpInterval[] = [];
  for (const family of families) {
    const max = fullInterval(family).end;
    const points = [...cuts[family]].filter((p) => p <= max).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (let k = 0; k < points.length; k++) out.push({ family, start: points[k], end: k + 1 < points.length ? points[k + 1] - 1n : max });
  }
  return out;
}

export function intervalWithin(inner: IpInterval, outer: IpInterval): boolean {
  return inner.family === outer.family && inner.start >= outer.start && inner.end <= outer.end;
}
