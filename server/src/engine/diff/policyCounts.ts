// How many connections each policy's change opens, closes or alters: every diff entry counts once
// for each policy named among its causes (a policy or one of its rules, added, removed or modified).
import type { ConnectivityDiff, DiffCategory } from './types';

export type PolicyChangeCounts = Record<DiffCategory, number>;

const POLICY_CAUSES = new Set(['policy', 'rule', 'admin-policy']);

/** Per policy id (of either version): the number of added, removed and changed entries it causes. */
export function policyChangeCounts(diff: ConnectivityDiff): Map<string, PolicyChangeCounts> {
  const out = new Map<string, PolicyChangeCounts>();
  for (const e of diff.entries) {
    const ids = new Set(e.causes.filter((c) => POLICY_CAUSES.has(c.kind)).map((c) => c.id));
    for (const id of ids) {
      const counts = out.get(id) ?? { changed: 0, added: 0, removed: 0 };
      counts[e.category]++;
      out.set(id, counts);
    }
  }
  return out;
}
