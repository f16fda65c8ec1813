// A pod whose manifest carries no status.podIP has an address the analysis does not know, so the
// policy engine matches it by no ipBlock. An ipBlock that covers a whole address family (0.0.0.0/0
// or ::/0, without except) contains that address all the same: a lint rule that claims traffic is
// blocked must not rest on the unknown address (e.g. "allow all egress" written as 0.0.0.0/0).
import type { Model, Protocol } from '../model/types';
import type { SideVerdict } from '../reachability/explain';
import { contains } from '../net/ports';
import { parseCidr } from '../net/cidr';
import { rulePortSet, selectable } from '../policy/semantics';

/** Does a rule of this side allow the port to/from the other pod through a catch-all ipBlock? */
export function allowedByCatchAllIpBlock(model: Model, s: SideVerdict, protocol: Protocol, port: number): boolean {
  // Known addresses were matched by the engine; hostNetwork pods (node traffic) already match /0.
  if (s.isolatedBy.length === 0 || s.other.podIPs.length > 0 || !selectable(s.other, model)) return false;
  const dst = s.direction === 'Egress' ? s.other : s.subject;
  return s.isolatedBy.some((p) =>
    (s.direction === 'Ingress' ? p.ingress : p.egress).some(
      (rule) =>
        !!rule.peers?.some((peer) => !!peer.ipBlock && peer.ipBlock.except.length === 0 && parseCidr(peer.ipBlock.cidr)?.prefix === 0) &&
        contains(rulePortSet(rule, dst), protocol, port),
    ),
  );
}
