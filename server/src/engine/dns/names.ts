// DNS name helpers: names compare case-insensitively, and a trailing dot only marks a name absolute.
import { parseIp } from '../net/cidr';

/** Lower-cased, without the trailing dot: the key records are stored under. */
export function normalizeName(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

export function isAbsolute(name: string): boolean {
  return name.trim().endsWith('.');
}

/** Dots the resolver counts against ndots (a trailing dot is not counted). */
export function countDots(name: string): number {
  return (normalizeName(name).match(/\./g) ?? []).length;
}

/** true when `name` is `zone` or lies under it. */
export function inZone(name: string, zone: string): boolean {
  const n = normalizeName(name);
  const z = normalizeName(zone);
  return n === z || n.endsWith(`.${z}`);
}

/** The single DNS label CoreDNS makes of an IP: dots (IPv4) or colons (IPv6) become dashes. */
export function ipLabel(ip: string): string | undefined {
  const a = parseIp(ip);
  return a ? a.toString().toLowerCase().replace(/[.:]/g, '-') : undefined;
}

/**
 * The IP a dashed label stands for, canonicalised (CoreDNS's reading: exactly three dashes and no
 * "--" is IPv4, anything else is IPv6 with dashes for colons).
 */
export function ipOfLabel(label: string): string | undefined {
  const v4 = (label.match(/-/g) ?? []).length === 3 && !label.includes('--');
  const a = parseIp(v4 ? label.replace(/-/g, '.') : label.replace(/-/g, ':'));
  return a ? a.toString() : undefined;
}

/** Canonical text of an IP for comparisons (an IPv6 address has many spellings). */
export function canonicalIp(ip: string): string | undefined {
  return parseIp(ip)?.toString();
}
