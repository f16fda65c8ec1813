// Short texts of the editor's "Changes" view and code lenses (the connectivity diff against HEAD).
import { describe } from '../net/ports';
import type { DiffEntry } from '../diff/types';
import type { PolicyChangeCounts } from '../diff/policyCounts';
import type { Exposure } from '../diff/exposure';

/** "+3 / -1 connections", with "~2 changed" when some connections keep existing on other ports. */
export function policyCountsTitle(c: PolicyChangeCounts): string {
  const parts = [`+${c.added}`, `-${c.removed}`];
  if (c.changed > 0) parts.push(`~${c.changed} changed`);
  const n = c.added + c.removed + c.changed;
  return `${parts.join(' / ')} connection${n === 1 ? '' : 's'} (against HEAD)`;
}

/** The ports on each side: "TCP 80 -> TCP 80,443", "No Connections -> TCP 80", with a name's notes. */
export function entryPortsText(e: DiffEntry): string {
  return `${entrySideText(e, 'before')} -> ${entrySideText(e, 'after')}`;
}

/** One side of an entry's ports: "TCP 80", "No Connections", with what a DNS name led to ("(NXDOMAIN)"). */
export function entrySideText(e: DiffEntry, s: 'before' | 'after'): string {
  const note = s === 'before' ? e.beforeNote : e.afterNote;
  const ports = describe(e[s]);
  return note && e.destination.kind === 'name' ? `${ports} (${note})` : ports;
}

const EVERY_ADDRESS: Record<string, string> = {
  '0.0.0.0-255.255.255.255': 'every IPv4 address (0.0.0.0/0)',
  '::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff': 'every IPv6 address (::/0)',
};

/** The peer of a newly exposed workload for people: "every pod of the cluster", "[namespace with {team=a}]/[all pods]". */
export function exposurePeerText(x: Pick<Exposure, 'peer' | 'kind'>): string {
  if (x.kind === 'entire-cluster') return 'every pod of the cluster (entire-cluster)';
  if (x.kind === 'ip-range') return EVERY_ADDRESS[x.peer] ?? `the addresses ${x.peer}`;
  return x.peer;
}

/** "ingress from every pod of the cluster (entire-cluster)", "egress to every IPv4 address (0.0.0.0/0)" */
export function exposureWhat(x: Pick<Exposure, 'peer' | 'kind' | 'direction'>): string {
  return `${x.direction === 'ingress' ? 'ingress from' : 'egress to'} ${exposurePeerText(x)}`;
}

/** The warning on the place that newly opens a workload to pods or addresses outside the manifests. */
export function exposureMessage(x: Exposure, baseName = 'git HEAD'): string {
  return `${x.workload} is newly open to ${exposureWhat(x)} on ${describe(x.after)} (${baseName}: ${describe(x.before)}): ${x.why}`;
}
