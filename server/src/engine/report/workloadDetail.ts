// What the editor shows for one workload (the Reachability tree's sections): the workloads it reaches
// and is reached from, with ports; the policies that select it; the Services whose selector matches it.
import type { Model, NetworkPolicy, Service, Workload } from '../model/types';
import { isEmpty, type PortSet } from '../net/ports';
import type { Matrix } from '../reachability/matrix';
import { lookup } from '../model/lookup';
import { policySelects } from '../policy/semantics';
import { mapSelectorMatches } from '../selectors/match';
import { connectionLayers, hasPolicyLayers } from './decidingLayer';

export interface PeerPorts {
  workload: Workload;
  ports: PortSet;
  /** the policy layers that decided it ("Calico tier security"), when layers besides NetworkPolicy are in play */
  decidedBy?: string;
}

export interface WorkloadDetail {
  canReach: PeerPorts[];
  reachableFrom: PeerPorts[];
  /** the NetworkPolicies of its namespace that select it */
  policies: NetworkPolicy[];
  /** the Services of its namespace whose selector matches its labels */
  services: Service[];
}

export function workloadDetail(model: Model, matrix: Matrix, w: Workload): WorkloadDetail {
  const canReach: PeerPorts[] = [];
  const reachableFrom: PeerPorts[] = [];
  const layered = hasPolicyLayers(model);
  const peer = (from: Workload, to: Workload, other: Workload, ports: PortSet): PeerPorts => {
    const decidedBy = layered ? connectionLayers(model, from, to, ports) : undefined;
    return { workload: other, ports, ...(decidedBy ? { decidedBy } : {}) };
  };
  for (const o of model.workloads) {
    if (o === w) continue;
    const out = matrix.ports(w, o);
    if (!isEmpty(out)) canReach.push(peer(w, o, o, out));
    const inn = matrix.ports(o, w);
    if (!isEmpty(inn)) reachableFrom.push(peer(o, w, o, inn));
  }
  const l = lookup(model);
  return {
    canReach,
    reachableFrom,
    policies: l.policiesIn(w.namespace).filter((p) => policySelects(p, w, model)),
    services: l.servicesIn(w.namespace).filter((s) => s.selector && mapSelectorMatches(s.selector, w.labels)),
  };
}
