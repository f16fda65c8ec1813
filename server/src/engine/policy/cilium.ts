// Cilium's policy layer (docs.cilium.io "Policy Enforcement Modes", "Layer 3/4/7 examples", "Deny Policies"),
// evaluated per direction beside Kubernetes NetworkPolicies, which Cilium also enforces: an endpoint selected
// by a rule with a section for the direction is default-deny there (unless enableDefaultDeny says false);
// allows of Cilium rules and NetworkPolicies add up; deny rules beat every allow.
import type { Direction, Labels, Model, Protocol, Workload } from '../model/types';
import type { CiliumEntity, CiliumPeerRule, CiliumPolicy, CiliumRule, CiliumSelector } from '../model/cilium/types';
import { ALL_PORTS, NO_PORTS, contains, isEmpty, portSetOf, subtract, union, type PortSet } from '../net/ports';
import { selectorMatches } from '../selectors/match';
import { namespaceLabels, selectable } from './semantics';
import { ciliumActive, ciliumEnforcement } from './ciliumEnforcement';
import { NAMESPACE_LABELS_PREFIX, POD_NAMESPACE_LABEL } from '../model/cilium/selector';
import { cidrContainsIp, parseCidr, parseIp } from '../net/cidr';

export { ciliumActive };

export interface CiliumRef {
  policy: CiliumPolicy;
  rule: CiliumRule;
}

export interface CiliumMatch extends CiliumRef {
  peerRule: CiliumPeerRule;
  /** what matched the other end: `fromEndpoints org=empire`, `toEntities world`, `no from: every peer` */
  peer: string;
  ports: PortSet;
  /** L7 rules on the matched ports (allow rules): the connection opens, requests are filtered */
  l7: string[];
}

export interface CiliumSide {
  /** Cilium rules selecting the subject with a section for this direction */
  selecting: CiliumRef[];
  /** those that put it into default deny */
  isolating: CiliumRef[];
  /** enforcement mode always: default deny without any policy */
  always: boolean;
  allows: CiliumMatch[];
  denies: CiliumMatch[];
  allowed: PortSet;
  denied: PortSet;
}

/** The labels Cilium selects a pod by: its labels, its namespace and its namespace's labels. */
export function identityLabels(model: Model, w: Workload): Labels {
  let byW = identityCache.get(model);
  if (!byW) identityCache.set(model, (byW = new WeakMap()));
  let out = byW.get(w);
  if (!out) {
    const labels: Record<string, string> = { ...w.labels, [POD_NAMESPACE_LABEL]: w.namespace };
    for (const [k, v] of Object.entries(namespaceLabels(model, w.namespace))) labels[NAMESPACE_LABELS_PREFIX + k] = v;
    byW.set(w, (out = labels));
  }
  return out;
}
const identityCache = new WeakMap<Model, WeakMap<Workload, Labels>>();

/** Does a Cilium endpoint selector select this workload's pods? (hostNetwork pods as node traffic have the host identity.) */
export function ciliumSelectorMatches(model: Model, sel: CiliumSelector, w: Workload): boolean {
  if (!selectable(w, model)) return sel.reserved.some((e) => e === 'host' || e === 'remote-node');
  if (sel.reserved.length) return false;
  return selectorMatches({ requirements: sel.requirements, text: sel.text, ref: sel.ref }, identityLabels(model, w));
}

/** The workloads a rule's endpointSelector selects (subjects; never node traffic). */
export function ciliumSelected(model: Model, rule: CiliumRule): Workload[] {
  const sel = rule.endpointSelector;
  if (!sel) return [];
  return model.workloads.filter((w) => selectable(w, model) && ciliumSelectorMatches(model, sel, w));
}

/** Which entities a workload belongs to: every pod is in the cluster; node traffic is the host (or a remote node). */
export function entityMatches(e: CiliumEntity, w: Workload, model: Model): boolean {
  if (e === 'all' || e === 'cluster') return true;
  if (e === 'host' || e === 'remote-node') return !selectable(w, model);
  return false;
}

/** Entities a static analysis cannot place on any workload of the workspace. */
export const SYMBOLIC_ENTITIES: Readonly<Partial<Record<CiliumEntity, string>>> = {
  'kube-apiserver': 'the API server (no workload of the workspace)',
  init: 'endpoints whose identity is not resolved yet',
  health: "Cilium's health endpoints",
  unmanaged: 'endpoints Cilium does not manage',
  ingress: "Cilium's ingress proxy",
  none: 'nothing',
  world: 'addresses outside the cluster',
};

function rulesSelecting(model: Model, w: Workload): CiliumRef[] {
  let byW = selectingCache.get(model);
  if (!byW) selectingCache.set(model, (byW = new WeakMap()));
  let out = byW.get(w);
  if (!out) {
    out = [];
    if (selectable(w, model))
      for (const policy of model.ciliumPolicies ?? [])
        for (const rule of policy.rules)
          if (rule.endpointSelector && ciliumSelectorMatches(model, rule.endpointSelector, w)) out.push({ policy, rule });
    byW.set(w, out);
  }
  return out;
}
const selectingCache = new WeakMap<Model, WeakMap<Workload, CiliumRef[]>>();

/** The ports of a peer rule on the destination (named ports resolve there; none on an address). */
export function peerRulePorts(r: CiliumPeerRule, dst: Workload | undefined): PortSet {
  if (!r.toPorts) return r.icmpOnly ? NO_PORTS : ALL_PORTS;
  let out = NO_PORTS;
  for (const pr of r.toPorts)
    for (const p of pr.ports)
      for (const proto of p.protocols) {
        if (p.port === undefined) out = union(out, portSetOf(proto, [[1, 65535]]));
        else if (typeof p.port === 'number') out = union(out, portSetOf(proto, [[p.port, p.endPort ?? p.port]]));
        else if (dst)
          for (const c of dst.containers)
            for (const cp of c.ports)
              if (cp.name === p.port && cp.protocol === proto) out = union(out, portSetOf(proto, [[cp.port, cp.port]]));
      }
  return out;
}

/** The L7 rules of a peer rule's port entries that cover a port (all of them when `port` is undefined). */
export function l7On(r: CiliumPeerRule, protocol: Protocol | undefined, port: number | undefined, dst: Workload | undefined): string[] {
  const out: string[] = [];
  for (const pr of r.toPorts ?? []) {
    if (!pr.l7.length) continue;
    const covers =
      port === undefined ||
      pr.ports.some((p) => contains(peerRulePorts({ ...r, toPorts: [{ ...pr, ports: [p] }] }, dst), protocol ?? 'TCP', port));
    if (covers) out.push(...pr.l7);
  }
  return out;
}

const hasL3 = (r: CiliumPeerRule) => !!(r.endpoints || r.entities || r.cidrs || r.fqdns || r.services || r.unanalysed.length);

/** What of a peer rule matches a workload on the other side (undefined: nothing). */
export function peerRuleMatch(model: Model, r: CiliumPeerRule, w: Workload, requires: CiliumSelector[]): string | undefined {
  const dir = r.field.startsWith('ingress') ? 'from' : 'to';
  if (!hasL3(r)) return r.toPorts || r.icmpOnly ? `no ${dir}Endpoints/${dir}Entities: every peer` : undefined;
  for (const sel of r.endpoints ?? [])
    if (ciliumSelectorMatches(model, sel, w) && requires.every((q) => ciliumSelectorMatches(model, q, w)))
      return `${dir}Endpoints ${sel.text}${sel.impliedNamespace ? ` (in namespace ${sel.impliedNamespace})` : ''}`;
  for (const e of r.entities ?? []) if (entityMatches(e, w, model)) return `${dir}Entities ${e}`;
  // CIDR, FQDN and Service (without selector) peers never match pods or nodes of the cluster
  return undefined;
}

/** One direction of a connection under the Cilium layer: `subject`'s policies towards `other`; named ports on `dst`. */
export function ciliumSide(model: Model, dir: Direction, subject: Workload, other: Workload, dst: Workload): CiliumSide {
  const key = dir === 'Ingress' ? 'ingress' : 'egress';
  const selecting = rulesSelecting(model, subject).filter((r) => r.rule.sections[key]);
  const isolating = selecting.filter((r) => r.rule.defaultDeny[key]);
  const requires = selecting.flatMap((r) => r.rule[key].flatMap((p) => p.requires ?? []));
  const allows: CiliumMatch[] = [];
  const denies: CiliumMatch[] = [];
  let allowed = NO_PORTS;
  let denied = NO_PORTS;
  for (const ref of selecting) {
    for (const peerRule of ref.rule[key]) {
      const peer = peerRuleMatch(model, peerRule, other, requires);
      if (!peer) continue;
      const ports = peerRulePorts(peerRule, dst);
      if (isEmpty(ports)) continue;
      const m: CiliumMatch = { ...ref, peerRule, peer, ports, l7: peerRule.deny ? [] : l7On(peerRule, undefined, undefined, dst) };
      if (peerRule.deny) {
        denies.push(m);
        denied = union(denied, ports);
      } else {
        allows.push(m);
        allowed = union(allowed, ports);
      }
    }
  }
  return { selecting, isolating, always: ciliumEnforcement(model).mode === 'always', allows, denies, allowed, denied };
}

/** NetworkPolicy and Cilium together: isolated if either isolates; allows add up; denies are taken out last. */
export function combineWithNetworkPolicies(
  np: { isolated: boolean; allowed: PortSet },
  c: CiliumSide,
): { isolated: boolean; allowed: PortSet } {
  const isolated = np.isolated || c.isolating.length > 0 || c.always;
  const allowed = isolated ? union(np.isolated ? np.allowed : NO_PORTS, c.allowed) : ALL_PORTS;
  return { isolated, allowed: subtract(allowed, c.denied) };
}

export interface CiliumExternal {
  selecting: CiliumRef[];
  isolating: CiliumRef[];
  always: boolean;
  allow?: CiliumMatch;
  deny?: CiliumMatch;
  /** allow rules whose CIDRs might hold the unknown address */
  maybe: string[];
  /** FQDN rules matched: Cilium learns their addresses only from DNS answers its proxy sees */
  fqdn: boolean;
}

/** toFQDNs matchPattern: `*` is any run of name characters within a label; `*` alone matches every name. */
export function fqdnMatches(f: { name?: string; pattern?: string }, name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  if (f.name !== undefined) return f.name.toLowerCase().replace(/\.$/, '') === n;
  const p = (f.pattern ?? '').toLowerCase().replace(/\.$/, '');
  if (p === '*') return true;
  const re = new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[-a-z0-9_]*')}$`);
  return re.test(n);
}

/** Egress from `from` to an address or name outside the workspace's pods, under the Cilium layer. */
export function ciliumExternalEgress(
  model: Model,
  from: Workload,
  target: { ip?: string; names: string[] },
  protocol: Protocol,
  port: number | undefined,
): CiliumExternal {
  const selecting = rulesSelecting(model, from).filter((r) => r.rule.sections.egress);
  const out: CiliumExternal = {
    selecting,
    isolating: selecting.filter((r) => r.rule.defaultDeny.egress),
    always: ciliumEnforcement(model).mode === 'always',
    maybe: [],
    fqdn: false,
  };
  const ip = target.ip ? parseIp(target.ip) : undefined;
  for (const ref of selecting)
    for (const r of ref.rule.egress) {
      const ports = peerRulePorts(r, undefined);
      if (port === undefined ? isEmpty(ports) : !contains(ports, protocol, port)) continue;
      let peer: string | undefined;
      if (!hasL3(r)) peer = r.toPorts || r.icmpOnly ? 'no toEndpoints/toEntities: every destination' : undefined;
      for (const e of r.entities ?? []) if (!peer && (e === 'world' || e === 'all')) peer = `toEntities ${e}`;
      for (const c of r.cidrs ?? []) {
        if (peer) break;
        const cidr = parseCidr(c.cidr);
        if (!cidr) continue;
        if (ip) {
          if (
            cidrContainsIp(cidr, ip) &&
            !c.except.some((e) => {
              const x = parseCidr(e);
              return !!x && cidrContainsIp(x, ip);
            })
          )
            peer = `toCIDR ${c.cidr}${c.except.length ? ` except ${c.except.join(',')}` : ''}`;
        } else if (cidr.prefix === 0 && c.except.length === 0) peer = `toCIDR ${c.cidr} (every address)`;
        else if (!r.deny)
          out.maybe.push(
            `${c.cidr}${c.except.length ? ` except ${c.except.join(',')}` : ''} (${ref.policy.id} ${ref.rule.where} ${r.field})`,
          );
      }
      for (const f of r.fqdns ?? []) {
        if (peer) break;
        const name = target.names.find((n) => fqdnMatches(f, n));
        if (name) {
          peer = `toFQDNs ${f.name !== undefined ? `matchName ${f.name}` : `matchPattern ${f.pattern}`} (${name})`;
          out.fqdn = true;
        }
      }
      for (const s of r.services ?? []) {
        if (peer || !ip) break;
        // by name only: Service labels (k8sServiceSelector) are not in the model
        const svc = s.name
          ? model.services.find((x) => !x.selector && x.name === s.name && x.namespace === (s.namespace ?? x.namespace))
          : undefined;
        const eps = svc ? model.endpoints.filter((e) => e.service === svc.name && e.namespace === svc.namespace) : [];
        if (eps.some((e) => e.addresses.some((a) => a.ip === target.ip))) peer = `toServices ${svc!.id}`;
      }
      if (!peer) continue;
      const m: CiliumMatch = { ...ref, peerRule: r, peer, ports, l7: r.deny ? [] : l7On(r, protocol, port, undefined) };
      if (r.deny) out.deny ??= m;
      else out.allow ??= m;
    }
  return out;
}

/** `CiliumNetworkPolicy default/rule1 spec ingress[0]` */
export function ciliumRuleText(m: { policy: CiliumPolicy; rule: CiliumRule; peerRule?: CiliumPeerRule }): string {
  return `${m.policy.kind} ${m.policy.namespace ? `${m.policy.namespace}/` : ''}${m.policy.name} ${m.rule.where}${m.peerRule ? ` ${m.peerRule.field}` : ''}`;
}
