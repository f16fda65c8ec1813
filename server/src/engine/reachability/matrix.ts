// The effective connectivity between workloads: source egress AND destination ingress, per class pair.
import { ALL_PORTS, NO_PORTS, intersect, isEmpty, union, type PortSet } from '../net/ports';
import type { Model, Workload } from '../model/types';
import { buildPolicyIndex, grantPorts, type Grant, type PolicyIndex } from '../policy/grants';

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
  const out = sidePorts(index, index.egress[s], d, d);
  if (isEmpty(out)) return NO_PORTS;
  return intersect(out, sidePorts(index, index.ingress[d], s, d));
}

export interface Matrix {
  index: PolicyIndex;
  /** allowed ports between two distinct workloads (a workload to itself is always allowed). */
  ports(from: Workload, to: Workload): PortSet;
  /** every ordered pair of distinct workloads with something allowed, in workload order */
  connections(): Iterable<Connection>;
}

export function computeMatrix(model: Model, index: PolicyIndex = buildPolicyIndex(model)): Matrix {
  const cache = new Map<number, PortSet>();
  const n = index.classes.length;
  const ports = (from: Workload, to: Workload): PortSet => {
    if (from === to) return ALL_PORTS;
    const s = index.classOf.get(from)!;
    const d = index.classOf.get(to)!;
    const k = s * n + d;
    let p = cache.get(k);
    if (!p) {
      p = classPairPorts(index, s, d);
      cache.set(k, p);
    }
    return p;
  };
  return {
    index,
    ports,
    *connections() {
      for (const from of model.workloads) {
        for (const to of model.workloads) {
          if (from === to) continue;
          const allowed = ports(from, to);
          if (!isEmpty(allowed)) yield { from, to, allowed };
        }
      }
    },
  };
}
