// The Cilium layer for the matrix's external ranges: which address pieces each workload may send to or
// receive from, with Cilium's rules joined to the NetworkPolicy sets (entities world/all, CIDR rules with
// except, rules without L3 peers; deny rules last). Names (toFQDNs) and Services have no range here.
import type { Model, Workload } from '../model/types';
import type { CiliumPeerRule } from '../model/cilium/types';
import { ALL_PORTS, NO_PORTS, subtract, union, type PortSet } from '../net/ports';
import { cidrInterval, intervalWithin, type IpInterval } from '../net/ipRanges';
import { parseCidr } from '../net/cidr';
import { ciliumSelectorMatches, peerRulePorts } from '../policy/cilium';
import { ciliumEnforcement } from '../policy/ciliumEnforcement';
import { selectable } from '../policy/semantics';

/** The CIDRs (and excepts) of the Cilium rules of one direction, to cut the address space by. */
export function ciliumBlocks(model: Model, direction: 'egress' | 'ingress'): string[] {
  const out: string[] = [];
  for (const p of model.ciliumPolicies ?? [])
    for (const r of p.rules) for (const pr of r[direction]) for (const c of pr.cidrs ?? []) out.push(c.cidr, ...c.except);
  return out;
}

function covers(r: CiliumPeerRule, piece: IpInterval): boolean {
  const l3 = r.endpoints || r.entities || r.cidrs || r.fqdns || r.services || r.unanalysed.length;
  if (!l3) return !!(r.toPorts || r.icmpOnly);
  if (r.entities?.some((e) => e === 'world' || e === 'all')) return true;
  return (r.cidrs ?? []).some((c) => {
    const x = parseCidr(c.cidr);
    if (!x || !intervalWithin(piece, cidrInterval(x))) return false;
    return !c.except.some((e) => {
      const y = parseCidr(e);
      return !!y && intervalWithin(piece, cidrInterval(y));
    });
  });
}

/** Per piece, the ports allowed between `w` and that piece: `np` (NetworkPolicy sets, isolated or not) joined with Cilium's rules. */
export function ciliumPieceSets(
  model: Model,
  w: Workload,
  direction: 'egress' | 'ingress',
  pieces: readonly IpInterval[],
  np: { isolated: boolean; sets: readonly PortSet[] },
): PortSet[] {
  if (!selectable(w, model)) return [...np.sets];
  const key = direction;
  const rules = (model.ciliumPolicies ?? []).flatMap((p) =>
    p.rules.filter((r) => r.sections[key] && r.endpointSelector && ciliumSelectorMatches(model, r.endpointSelector, w)),
  );
  const isolated = np.isolated || rules.some((r) => r.defaultDeny[key]) || ciliumEnforcement(model).mode === 'always';
  // named ports resolve on the destination: the workload itself for ingress, nothing for an address
  const dst = direction === 'ingress' ? w : undefined;
  return pieces.map((piece, i) => {
    let allowed = isolated ? (np.isolated ? np.sets[i] : NO_PORTS) : ALL_PORTS;
    let denied = NO_PORTS;
    for (const r of rules)
      for (const pr of r[key]) {
        if (!covers(pr, piece)) continue;
        if (pr.deny) denied = union(denied, peerRulePorts(pr, dst));
        else allowed = union(allowed, peerRulePorts(pr, dst));
      }
    return subtract(allowed, denied);
  });
}
