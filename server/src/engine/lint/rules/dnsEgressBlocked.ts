// Default-deny egress also blocks DNS: pods isolated for egress need a rule allowing UDP 53 (and
// TCP 53 for large answers) to kube-dns, or every name lookup times out.
import type { Finding, NetworkPolicy, Workload } from '../../model/types';
import type { LintRule } from '../rules';
import { lookup } from '../../model/lookup';
import { contains } from '../../net/ports';
import { dnsPodsOrStandIn } from '../../dns/dnsStandIn';
import { resolvConf } from '../../dns/resolvConf';
import { clusterDomainOf } from '../../dns/clusterDomain';
import { isolatingPolicies, selectable } from '../../policy/semantics';
import { allowedByCatchAllIpBlock } from '../unknownAddresses';

export const dnsEgressBlocked: LintRule = {
  codes: ['dns-egress-blocked'],
  check(model, cx, scope) {
    const domain = clusterDomainOf(model).domain;
    const { pods: dns, standIn } = dnsPodsOrStandIn(model);
    if (dns.length === 0) return []; // no DNS pods and assuming them is off: nothing to check against
    // The finding sits on a policy of the failing workloads' namespace: a file's findings come from its policies' namespaces.
    const candidates = scope
      ? [...new Set(cx.subjects(scope).policies.map((p) => p.namespace))].flatMap((ns) => lookup(model).workloadsIn(ns))
      : model.workloads;
    // failing workloads per namespace, and the egress policies that isolate them
    const failing = new Map<string, { workloads: Workload[]; policies: Map<NetworkPolicy, number> }>();
    for (const w of candidates) {
      if (!selectable(w, model) || dns.includes(w)) continue;
      const isolating = isolatingPolicies(model, w, 'Egress');
      if (isolating.length === 0) continue;
      // (the egress sides are shared by workloads isolated alike: asked before the pod's resolv.conf, made per pod)
      const reaches = dns.some((d) => {
        const egress = cx.egressSide(w, d);
        return contains(egress.allowed, 'UDP', 53) || allowedByCatchAllIpBlock(model, egress, 'UDP', 53);
      });
      if (reaches) continue;
      if (!resolvConf(w, model, domain).usesClusterDns) continue;
      const entry = failing.get(w.namespace) ?? { workloads: [] as Workload[], policies: new Map<NetworkPolicy, number>() };
      entry.workloads.push(w);
      for (const p of isolating) entry.policies.set(p, (entry.policies.get(p) ?? 0) + 1);
      failing.set(w.namespace, entry);
    }
    const out: Finding[] = [];
    for (const [ns, { workloads, policies }] of failing) {
      // Point at the policy that isolates most of them (typically the namespace's default-deny).
      const ranked = [...policies].sort((a, b) => b[1] - a[1] || a[0].egress.length - b[0].egress.length);
      const primary = ranked[0][0];
      const names = workloads.map((w) => w.id);
      out.push({
        code: 'dns-egress-blocked',
        severity: 'warning',
        ref: primary.ref,
        message: `egress of ${names.length === 1 ? names[0] : `${names.length} workloads in ${ns} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''})`} is isolated by ${primary.id} and no egress rule allows DNS (UDP 53) to kube-dns in kube-system${standIn ? ' (assumed: the standard CoreDNS pods, none in the workspace)' : ''}: every name lookup will time out`,
        related: ranked.slice(1).map(([p]) => ({ ref: p.ref, message: `${p.id} also isolates egress here` })),
        data: { namespace: ns, policy: primary.id, workloads: names },
      });
    }
    return out;
  },
};
