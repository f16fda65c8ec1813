// How connected one workload is (what its code lens says), straight from the policy index: a pass over the
// classes its isolated sides' grants cover (every class for a side that is not isolated), instead of the
// matrix's row and column types over the whole workspace.
// After an edit the policy index is carried over from the previous snapshot, so a workload file's lenses
// do not wait for the matrix. Equal to Matrix.degree (test/engine/degree.test.ts).
import type { Workload } from '../model/types';
import type { Grant, PolicyIndex } from '../policy/grants';
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
  const classes = index.classes;
  const n = classes.length;
  // only the classes some grant of the isolated side covers can be connected to it: with default-deny
  // namespaces that is a few classes, not every class of the workspace (each pair still decided by the
  // matrix's own networkPolicyConnected)
  const reachesOver = covered(index.egress[c], n);
  const fromOver = covered(index.ingress[c], n);
  let reaches = 0;
  let reachableFrom = 0;
  if (reachesOver) {
    for (const d of reachesOver) if (classes[d].members.length && networkPolicyConnected(index, c, d)) reaches += classes[d].members.length;
  }
  if (fromOver) {
    for (const d of fromOver)
      if (classes[d].members.length && networkPolicyConnected(index, d, c)) reachableFrom += classes[d].members.length;
  }
  if (!reachesOver || !fromOver)
    for (let d = 0; d < n; d++) {
      const size = classes[d].members.length;
      if (size === 0) continue;
      if (!reachesOver && networkPolicyConnected(index, c, d)) reaches += size;
      if (!fromOver && networkPolicyConnected(index, d, c)) reachableFrom += size;
    }
  // the workload and itself
  if (networkPolicyConnected(index, c, c)) {
    reaches--;
    reachableFrom--;
  }
  return { reaches, reachableFrom };
}

/**
 * The classes the grants of an isolated side cover (their peers' classes, each once); undefined when that is
 * every class: the side is not isolated (null), or a rule has no peers.
 */
function covered(grants: Grant[] | null, n: number): number[] | undefined {
  if (grants === null) return undefined;
  const seen = new Uint8Array(n);
  const out: number[] = [];
  const add = (d: number) => {
    if (seen[d]) return;
    seen[d] = 1;
    out.push(d);
  };
  for (const g of grants) {
    if (g.peers === null) return undefined;
    for (const a of g.peers.atoms) a.classes.forEach(add);
  }
  return out;
}
