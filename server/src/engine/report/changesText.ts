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
  const side = (s: 'before' | 'after') => {
    const note = s === 'before' ? e.beforeNote : e.afterNote;
    const ports = describe(e[s]);
    return note && e.destination.kind === 'name' ? `${ports} (${note})` : ports;
  };
  return `${side('before')} -> ${side('after')}`;
}

/** The warning on the place that newly opens a workload to everyone. */
export function exposureMessage(x: Exposure): string {
  return `${x.workload} is newly open to ${x.to === '0.0.0.0/0' ? 'every address (0.0.0.0/0)' : 'every pod of the cluster'} (not in git HEAD): ${x.why}`;
}
