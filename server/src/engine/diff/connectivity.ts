// One version's connectivity in the shape the diff compares: workload pairs by id, and per workload
// and direction the address ranges outside the pods with their ports.
import type { Model, Workload } from '../model/types';
import { computeMatrix, type Matrix } from '../reachability/matrix';
import { externalConnections } from '../reachability/externals';
import type { IpInterval } from '../net/ipRanges';
import type { PortSet } from '../net/ports';

export interface ExternalPiece {
  interval: IpInterval;
  ports: PortSet;
}

export interface Connectivity {
  model: Model;
  matrix: Matrix;
  workloads: Map<string, Workload>;
  /** `${from}\u0000${to}` -> ports (pairs with something allowed) */
  pairs: Map<string, PortSet>;
  /** `${workload}\u0000${egress|ingress}` -> ranges with something allowed */
  externals: Map<string, ExternalPiece[]>;
}

export const pairKey = (from: string, to: string): string => `${from}\u0000${to}`;

export function connectivityOf(model: Model): Connectivity {
  const matrix = computeMatrix(model);
  const pairs = new Map<string, PortSet>();
  for (const c of matrix.connections()) pairs.set(pairKey(c.from.id, c.to.id), c.allowed);
  const externals = new Map<string, ExternalPiece[]>();
  for (const e of externalConnections(model, matrix.index)) {
    const k = pairKey(e.workload.id, e.direction);
    let list = externals.get(k);
    if (!list) externals.set(k, (list = []));
    list.push({ interval: e.interval, ports: e.allowed });
  }
  return { model, matrix, workloads: new Map(model.workloads.map((w) => [w.id, w])), pairs, externals };
}
