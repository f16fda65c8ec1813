// Which policy layer decided a connection, in a few words for the tree ("Calico tier security",
// "Admin tier", "Cilium"): with Calico, the Admin/Baseline tiers or Cilium in play, a connection's ports
// are not always NetworkPolicy's answer, and the tree says whose answer they are. The full reasoning
// stays in the explanation (sideStep).
import type { Model, Protocol, Workload } from '../model/types';
import { contains, isEmpty, type PortSet } from '../net/ports';
import { explainPair, type SideVerdict } from '../reachability/explain';
import { calicoActive } from '../policy/calico';
import { ciliumActive } from '../policy/ciliumEnforcement';

/** Whether any layer besides NetworkPolicy can decide traffic in this model (else there is nothing to say). */
export function hasPolicyLayers(model: Model): boolean {
  return model.adminPolicies.length > 0 || calicoActive(model) || ciliumActive(model);
}

/** The first port of a set (the one a short label speaks for), TCP first. */
function firstPort(s: PortSet): { protocol: Protocol; port: number } | undefined {
  for (const protocol of ['TCP', 'UDP', 'SCTP'] as const) {
    const r = s[protocol][0];
    if (r) return { protocol, port: r[0] };
  }
  return undefined;
}

/** The layer that decided `port` on one side, or undefined when no policy had a say (not isolated). */
export function sideLayer(s: SideVerdict, protocol: Protocol, port: number): string | undefined {
  if (s.nodeTraffic) return undefined;
  const covers = (ports: PortSet) => contains(ports, protocol, port);
  if (s.calico) {
    const step = s.calico.steps.find((st) => st.action !== 'Pass' && covers(st.ports));
    if (step)
      return step.tier.layer === 'calico' ? `Calico tier ${step.tier.name}` : step.tier.layer === 'admin' ? 'Admin tier' : 'Baseline tier';
    const pr = s.calico.profile;
    return pr?.declared ? `Calico profile ${pr.name}` : undefined;
  }
  if (s.admin) {
    if (s.admin.admin.some((a) => a.rule.action !== 'Pass' && covers(a.ports))) return 'Admin tier';
    if (s.isolatedBy.length === 0 && s.admin.baseline.some((b) => covers(b.ports))) return 'Baseline tier';
  }
  if (s.cilium && (s.cilium.selecting.length > 0 || s.cilium.always)) return 'Cilium';
  return s.isolatedBy.length > 0 ? 'NetworkPolicy' : undefined;
}

/**
 * The layers that decided the connection `from` -> `to` on its first allowed port, e.g.
 * "Calico tier security + NetworkPolicy"; undefined when only NetworkPolicies are in play (the tree says
 * nothing new then) or nothing is allowed.
 */
export function connectionLayers(model: Model, from: Workload, to: Workload, allowed: PortSet): string | undefined {
  if (!hasPolicyLayers(model) || isEmpty(allowed)) return undefined;
  const p = firstPort(allowed);
  if (!p) return undefined;
  const v = explainPair(model, from, to);
  const names = [sideLayer(v.egress, p.protocol, p.port), sideLayer(v.ingress, p.protocol, p.port)].filter((x): x is string => !!x);
  const unique = [...new Set(names)];
  return unique.length ? unique.join(' + ') : 'no policy (not isolated)';
}
