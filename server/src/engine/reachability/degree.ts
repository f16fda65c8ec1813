// How connected one workload is (what its code lens says), straight from the policy index: one pass over
// the classes in each direction, instead of the matrix's row and column types over the whole workspace.
// After an edit the policy index is carried over from the previous snapshot, so a workload file's lenses
// do not wait for the matrix. Equal to Matrix.degree (test/engine/degree.test.ts).
import type { Workload } from '../model/types';
import type { PolicyIndex } from '../policy/grants';
import { calicoActive } from '../policy/calico';
import { ciliumActive } from '../policy/cilium';
import { networkPolicyConnected } from './matrix';

type Degree = { reaches: number; reachableFrom: number };

/** per index, each class's degree (every member of a class has the same: a file's workloads often share one) */
const byClass = new WeakMap<PolicyIndex, Map<number, Degree>>();

/**
 * How many other workloads `w` reaches and is reachable from; undefined when admin, Cilium or Calico
 * policies are in play (each class pair then walks the tiers: the matrix's types are cheaper).
 */
export function degreeFromIndex(index: PolicyIndex, w: Workload): Degree | undefined {
  const model = index.model;
  if (model.adminPolicies.length > 0 || calicoActive(model) || ciliumActive(model)) return undefined;
  const c = index.classOf.get(w);
  if (c === undefined) return undefined;
  let known = byClass.get(index);
  if (!known) byClass.set(index, (known = new Map()));
  let d = known.get(c);
  if (!d) known.set(c, (d = classDegree(index, c)));
  return { ...d };
}

function classDegree(index: PolicyIndex, c: number): Degree {
  let reaches = 0;
  let reachableFrom = 0;
  const classes = index.classes;
  for (let d = 0; d < classes.length; d++) {
    const size = classes[d].members.length;
    if (size === 0) continue;
    if (networkPolicyConnected(index, c, d)) reaches += size;
    if (networkPolicyConnected(index, d, c)) reachableFrom += size;
  }
  // the workload and itself
  if (networkPolicyConnected(index, c, c)) {
    reaches--;
    reachableFrom--;
  }
  return { reaches, reachableFrom };
}
