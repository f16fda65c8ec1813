// "Newly exposed": what a change opens to pods and addresses that are not in the manifests, by the
// exposure analysis behind `netlens matrix --exposure` (reachability/exposure.ts) run on both
// versions. A workload is newly exposed when the head version grants a representative peer (the
// entire cluster, any pod in namespaces with labels, pods with labels) or an address range ports that
// the base version did not grant it, directly or through a broader peer (the entire cluster covers
// every namespace; a selector covers the selectors that add requirements to it). One definition, used
// by `netlens diff --fail-on exposure`, its reports, and the editor's warning (rule newly-exposed).
import type { LabelRequirement, Model, SourceRef } from '../model/types';
import { exposureAnalysis, rangeOpener, type ExposureItem, type PeerScope } from '../reachability/exposure';
import { buildPolicyIndex, type PolicyIndex } from '../policy/grants';
import { isEmpty, NO_PORTS, subtract, union, type PortSet } from '../net/ports';
import { selectorMatches } from '../selectors/match';
import { compareRanges } from './ranges';
import type { ExternalPiece } from './connectivity';

/** The rule id of the finding (docs/rules.md#newly-exposed). */
export const NEWLY_EXPOSED = 'newly-exposed';

export interface Exposure {
  workload: string;
  direction: 'ingress' | 'egress';
  /** np-guard's text of the peer: "entire-cluster", "[namespace with {team=a}]/[all pods]", "0.0.0.0-255.255.255.255" */
  peer: string;
  kind: ExposureItem['kind'];
  /** what the base version granted that peer (directly or through a broader peer), and what the head grants */
  before: PortSet;
  after: PortSet;
  /** what grants it in the head version, for people */
  why: string;
  /** where, in the head version */
  ref: SourceRef;
}

const reqKey = (r: LabelRequirement) => JSON.stringify([r.key, r.operator, [...r.values].sort()]);

/** Every requirement of `a` is one of `b`'s: `a` selects at least what `b` selects. */
function requirementsCover(a: readonly LabelRequirement[], b: readonly LabelRequirement[]): boolean {
  const have = new Set(b.map(reqKey));
  return a.every((r) => have.has(reqKey(r)));
}

function namespacesCover(a: PeerScope['namespaces'], b: PeerScope['namespaces'], base: Model): boolean {
  if ('all' in a) return true;
  if ('all' in b) return false;
  if ('name' in a) return 'name' in b && a.name === b.name;
  if ('selector' in b) return requirementsCover(a.selector.requirements, b.selector.requirements);
  // a selector and one namespace by name: the namespace's labels in the base version decide
  const ns = base.namespaces.get(b.name);
  return selectorMatches(a.selector, { ...(ns?.labels ?? {}), 'kubernetes.io/metadata.name': b.name });
}

function podsCover(a: PeerScope['pods'], b: PeerScope['pods']): boolean {
  if ('all' in a) return true;
  if ('all' in b) return false;
  return requirementsCover(a.selector.requirements, b.selector.requirements);
}

/** The representative peer `b` stands for pods that `a` also stands for (in the base version's namespaces). */
export function scopeCovers(a: PeerScope, b: PeerScope, base: Model): boolean {
  return namespacesCover(a.namespaces, b.namespaces, base) && podsCover(a.pods, b.pods);
}

const groupKey = (i: ExposureItem) => `${i.workload.id}\u0000${i.direction}`;

function byWorkloadAndDirection(items: readonly ExposureItem[]): Map<string, ExposureItem[]> {
  const out = new Map<string, ExposureItem[]>();
  for (const i of items) {
    const k = groupKey(i);
    let list = out.get(k);
    if (!list) out.set(k, (list = []));
    list.push(i);
  }
  return out;
}

const pieces = (items: readonly ExposureItem[]): ExternalPiece[] =>
  items.filter((i) => i.kind === 'ip-range' && i.interval).map((i) => ({ interval: i.interval!, ports: i.allowed }));

/** What the head version newly grants to peers outside the manifests, against the base version. */
export function newlyExposed(base: Model, head: Model, indexes?: { base?: PolicyIndex; head?: PolicyIndex }): Exposure[] {
  const b = byWorkloadAndDirection(exposureAnalysis(base, indexes?.base ?? buildPolicyIndex(base)).items);
  const h = byWorkloadAndDirection(exposureAnalysis(head, indexes?.head ?? buildPolicyIndex(head)).items);
  const out: Exposure[] = [];
  for (const [k, items] of h) {
    const before = b.get(k) ?? [];
    // representative peers: the ports the base granted this peer or a broader one
    for (const x of items) {
      if (x.kind === 'ip-range' || !x.scope) continue;
      let had: PortSet = NO_PORTS;
      for (const y of before) if (y.kind !== 'ip-range' && y.scope && scopeCovers(y.scope, x.scope, base)) had = union(had, y.allowed);
      if (isEmpty(subtract(x.allowed, had))) continue;
      const { workload, direction, peer, kind, why, ref } = x;
      out.push({ workload: workload.id, direction, peer, kind, before: had, after: x.allowed, why, ref });
    }
    // address ranges: both versions' ranges cut the space alike, then compared range by range
    const ranges = items.filter((i) => i.kind === 'ip-range' && i.interval);
    for (const r of compareRanges(pieces(before), pieces(ranges))) {
      if (isEmpty(subtract(r.after, r.before))) continue;
      const { family, start } = r.interval;
      const at = ranges.find((i) => i.interval!.family === family && i.interval!.start <= start && start <= i.interval!.end);
      if (!at) continue; // granted in head: some head range holds its start
      const dir = at.direction === 'ingress' ? 'Ingress' : 'Egress';
      // the rule that grants the new ports, not merely the first one that admits the range
      const opener = rangeOpener(head, at.workload, dir, r.interval, subtract(r.after, r.before));
      out.push({
        workload: at.workload.id,
        direction: at.direction,
        peer: r.range,
        kind: 'ip-range',
        before: r.before,
        after: r.after,
        ...opener,
      });
    }
  }
  const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return out.sort((x, y) => cmp(x.workload, y.workload) || cmp(x.direction, y.direction) || cmp(x.peer, y.peer));
}
