// CIDR parsing and containment (IPv4 and IPv6) on top of ipaddr.js.
import ipaddr from 'ipaddr.js';

export interface Cidr {
  text: string;
  family: 'ipv4' | 'ipv6';
  addr: ipaddr.IPv4 | ipaddr.IPv6;
  prefix: number;
}

export function parseCidr(text: string): Cidr | undefined {
  try {
    const [addr, prefix] = ipaddr.parseCIDR(text.trim());
    return { text, family: addr.kind(), addr, prefix };
  } catch {
    return undefined;
  }
}

// Every address ipaddr.js reads (IPv4 in decimal, hex or octal parts; IPv6 with an optional zone)
// fits this: host names mostly do not, and are answered without a throwing parse.
const MAYBE_IP = /^\s*[0-9a-fA-FxX.:]+(%\S*)?\s*$/;

export function parseIp(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (!MAYBE_IP.test(text)) return undefined;
  try {
    const a = ipaddr.parse(text.trim());
    return a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
  } catch {
    return undefined;
  }
}

export function cidrContainsIp(c: Cidr, ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  if (ip.kind() !== c.family) return false;
  return (ip as ipaddr.IPv4).match(c.addr as ipaddr.IPv4, c.prefix);
}

/** true when `inner` lies within `outer` */
export function cidrWithin(inner: Cidr, outer: Cidr): boolean {
  return inner.family === outer.family && inner.prefix >= outer.prefix && cidrContainsIp(outer, inner.addr);
}

/** Whether `text` is an IPv4 or IPv6 address. */
export function isValidIp(text: string): boolean {
  return ipaddr.isValid(text.trim());
}
