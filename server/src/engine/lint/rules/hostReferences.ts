// Hosts named in env values, args, commands and ConfigMap data: a Service name that does not
// resolve from the pod's namespace (`unresolvable-name`, fix: the FQDN), or that resolves but whose
// traffic policies block on that port (`blocked-reference`, naming the policy and direction).
import type { Finding, Model, SourceRef, TextValue, Workload } from '../../model/types';
import type { LintRule } from '../rules';
import type { LintContext } from '../context';
import type { HostRef } from '../hosts';
import { sideStep } from '../../reachability/query';
import type { SideVerdict } from '../../reachability/explain';
import { contains } from '../../net/ports';
import { allowedByCatchAllIpBlock } from '../unknownAddresses';
import { KUBE_DNS_STAND_IN } from '../../dns/dnsStandIn';

export const hostReferences: LintRule = {
  codes: ['unresolvable-name', 'blocked-reference'],
  check(model, cx, scope) {
    const out: Finding[] = [];
    const subjects = cx.subjects(scope);
    for (const w of subjects.workloads) {
      for (const c of w.containers) for (const v of c.values) checkValue(model, cx, w, v, true, out);
    }
    for (const cm of subjects.configMaps) {
      if (cm.namespace === 'kube-system' && cm.name === 'coredns') continue;
      // A ConfigMap is read by pods of its namespace: resolve as one of them would.
      const reader: Workload = {
        ...KUBE_DNS_STAND_IN,
        id: `${cm.namespace}/<pod reading ${cm.name}>`,
        namespace: cm.namespace,
        labels: {},
        dnsPolicy: 'ClusterFirst',
        containers: [],
      };
      for (const v of cm.values) checkValue(model, cx, reader, v, false, out);
    }
    return out;
  },
};

function checkValue(model: Model, cx: LintContext, w: Workload, v: TextValue, checkPolicy: boolean, out: Finding[]): void {
  for (const h of cx.hosts(v.value, v.where)) {
    const ref = hostRef(v, h);
    const res = cx.search(w, h.host);
    if (!res.answer) {
      if (res.tried.some((t) => t.external)) continue;
      const looksInCluster = /\.svc(\.|$)/i.test(h.host) || cx.dns.inZone(h.host.replace(/\.$/, ''));
      const first = h.host.split('.')[0].toLowerCase();
      const best = cx.dns.servicesNamed(first).find((s) => s.namespace !== w.namespace || h.host.includes('.'));
      if (!best && !looksInCluster) continue;
      const fqdn = best ? `${cx.dns.serviceFqdn(best)}` : undefined;
      out.push({
        code: 'unresolvable-name',
        severity: 'warning',
        ref,
        message: best
          ? `"${h.host}" does not resolve from namespace ${w.namespace}${w.kind === 'Deployment' || w.kind === 'Pod' ? ` (${w.id})` : ''}; use ${fqdn} (Service ${best.namespace}/${best.name})`
          : `"${h.host}" does not resolve from namespace ${w.namespace}: no such Service in the workspace`,
        ...(fqdn ? { data: { replacement: fqdn, host: h.host } } : {}),
      });
      continue;
    }
    if (!checkPolicy || h.port === undefined || res.answer.type === 'ExternalName') continue;
    // As runQuery decides (blocked when some backing pod refuses the connection), without its
    // explanations: the first backing pod that a side's policies block on its port (not just for
    // want of a known address).
    // (layered, blocks: below)
    let blocked: { workload: Workload; port: number } | undefined;
    let s: SideVerdict | undefined;
    for (const t of cx.tcpTargets(res.answer, h.port)) {
      const port = t.port ?? h.port;
      if (t.workload === w || contains(cx.allowedPorts(w, t.workload), t.protocol, port)) continue;
      const verdict = cx.explain(w, t.workload);
      s = blocks(model, verdict.egress, port) ? verdict.egress : blocks(model, verdict.ingress, port) ? verdict.ingress : undefined;
      if (s) {
        blocked = { workload: t.workload, port };
        break;
      }
    }
    if (!blocked || !s) continue;
    const policy = s.isolatedBy[0];
    const step = layered(s) ? sideStep(s, 'TCP', blocked.port) : undefined;
    out.push({
      code: 'blocked-reference',
      severity: 'warning',
      ref,
      message: step
        ? `${w.id} cannot reach ${h.host}:${h.port}: ${step.text}`
        : `${w.id} cannot reach ${h.host}:${h.port}: ${s.direction === 'Egress' ? `egress of ${w.id}` : `ingress of ${blocked.workload.id}`} is isolated by ${s.isolatedBy.map((p) => p.id).join(', ')} and no rule allows TCP ${blocked.port}${s.direction === 'Egress' ? ` to ${blocked.workload.id}` : ` from ${w.id}`}`,
      related: step?.ref
        ? [{ ref: step.ref, message: `decides ${s.direction.toLowerCase()}` }]
        : policy
          ? [{ ref: policy.ref, message: `${policy.id} isolates ${s.direction.toLowerCase()}` }]
          : [],
      data: {
        host: h.host,
        port: h.port,
        podPort: blocked.port,
        direction: s.direction,
        policy: policy?.id,
        from: w.id,
        to: blocked.workload.id,
      },
    });
  }
}

// With Calico tiers, the Admin/Baseline tiers or Cilium in play, the side's allowed ports are those
// layers' decision: a pod no NetworkPolicy isolates can still be denied by them.
const layered = (side: SideVerdict): boolean => !!(side.calico || side.admin || side.cilium);

const blocks = (model: Model, side: SideVerdict, port: number): boolean =>
  (side.isolatedBy.length > 0 || layered(side)) &&
  !contains(side.allowed, 'TCP', port) &&
  !allowedByCatchAllIpBlock(model, side, 'TCP', port);

/** The host's range inside a scalar: exact for plain and quoted single-line values. */
function hostRef(v: TextValue, h: HostRef): SourceRef {
  const len = v.ref.end - v.ref.start;
  const quoted = len === v.value.length + 2 ? 1 : 0;
  if (len === v.value.length || quoted) return { uri: v.ref.uri, start: v.ref.start + quoted + h.start, end: v.ref.start + quoted + h.end };
  return v.ref;
}
