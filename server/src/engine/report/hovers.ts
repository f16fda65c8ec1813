// Hover texts (Markdown) for the nodes NetLens knows: short, and only about networking, so they
// sit well next to the YAML extension's schema hovers.
import type { Model, Peer, SourceRef, Workload } from '../model/types';
import type { CalicoPolicy } from '../model/calico/types';
import type { NodeHit } from './nodeAt';
import type { DnsIndex } from '../dns/records';
import {
  peerWorkloads,
  policiesIn,
  policySelects,
  ruleWorkloadsOf,
  selectable,
  selectedWorkloads,
  namespaceLabels,
  policyPortSet,
} from '../policy/semantics';
import { lookup } from '../model/lookup';
import { selectorMatches, mapSelectorMatches } from '../selectors/match';
import { describe, isEmpty } from '../net/ports';
import { serviceEndpoints, targetPortFor } from '../dns/endpoints';
import { resolveName } from '../dns/resolve';
import { runQuery } from '../reachability/query';
import { findHosts } from '../lint/hosts';
import type { Matrix } from '../reachability/matrix';
import { clusterDomainOf } from '../dns/clusterDomain';
import { ciliumSelected } from '../policy/cilium';
import { ciliumEnforcement } from '../policy/ciliumEnforcement';
import { calicoEnforced, calicoPolicySelects, entityMatches } from '../policy/calico';

export interface HoverContext {
  model: Model;
  /** the model's matrix, asked for only by the hovers that need it (workloads' degrees): after an edit it is computed anew */
  readonly matrix: Matrix;
  dns: DnsIndex;
  /**
   * How connected a workload is, when the caller has it without the matrix (the server: from the policy
   * index carried over after an edit, as the code lenses count); else the matrix's.
   */
  degree?(w: Workload): { reaches: number; reachableFrom: number };
  /** a Markdown link to a source location, its label literal text */
  link(label: string, ref: SourceRef): string;
  /** workspace text as a Markdown code span (a fence longer than any backtick run inside) */
  code(text: string): string;
  /** workspace text as literal Markdown text (punctuation escaped) */
  text(text: string): string;
  /** how many items a list shows before "and K more" */
  maxItems?: number;
}

export function hoverMarkdown(hit: NodeHit, cx: HoverContext): string | undefined {
  switch (hit.kind) {
    case 'podSelector':
      return podSelectorHover(hit.policy, cx);
    case 'peerPodSelector':
    case 'peerNamespaceSelector':
      return peerHover(hit.policy.namespace, hit.peer, hit.direction, hit.kind, cx);
    case 'peerIpBlock':
      return ipBlockHover(hit.policy.namespace, hit.peer, cx);
    case 'policy':
      return policyHover(hit.policy, cx);
    case 'rule':
      return undefined;
    case 'policyPort':
      return portHover(hit, cx);
    case 'service':
      return serviceHover(hit.service, cx);
    case 'servicePort':
      return servicePortHover(hit, cx);
    case 'value':
      return valueHover(hit, cx);
    case 'workload':
    case 'workloadLabels':
      return workloadHover(hit.workload, cx);
    case 'endpointSelector':
      return endpointSelectorHover(hit, cx);
    case 'calicoPolicySelector':
      return calicoPolicySelectorHover(hit, cx);
    case 'calicoEntitySelector':
      return calicoEntitySelectorHover(hit, cx);
  }
}

function list<T>(items: readonly T[], render: (t: T) => string, cx: HoverContext): string {
  const max = cx.maxItems ?? 10;
  const shown = items.slice(0, max).map((t) => `- ${render(t)}`);
  if (items.length > max) shown.push(`- … and ${items.length - max} more`);
  return shown.join('\n');
}

const wl = (w: Workload, cx: HoverContext) => cx.link(`${w.id}`, w.ref);
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function podSelectorHover(p: import('../model/types').NetworkPolicy, cx: HoverContext): string {
  const selected = selectedWorkloads(cx.model, p);
  const head = `**NetLens** · podSelector ${cx.code(p.podSelector.text)} selects ${plural(selected.length, 'workload')} in namespace ${cx.code(p.namespace)}`;
  const iso = `isolates ${p.policyTypes.join(' and ').toLowerCase()}`;
  const hostNet = lookup(cx.model)
    .workloadsIn(p.namespace)
    .filter((w) => w.hostNetwork && !selectable(w, cx.model) && selectorMatches(p.podSelector, w.labels));
  const tail = hostNet.length
    ? `\n\n${plural(hostNet.length, 'hostNetwork workload')} match the labels but are node traffic (netlens.hostNetwork = node): ${hostNet.map((w) => cx.code(w.id)).join(', ')}`
    : '';
  return `${head} (${iso})${selected.length ? `:\n\n${list(selected, (w) => wl(w, cx), cx)}` : '.'}${tail}`;
}

function peerHover(policyNs: string, peer: Peer, direction: string, kind: string, cx: HoverContext): string {
  const matched = peerWorkloads(cx.model, peer, policyNs);
  const dir = direction === 'Ingress' ? 'from' : 'to';
  const parts: string[] = [];
  if (peer.namespaceSelector) {
    const nss = [...cx.model.namespaces.values()].filter((ns) => selectorMatches(peer.namespaceSelector!, ns.labels));
    parts.push(
      `namespaceSelector ${cx.code(peer.namespaceSelector.text)} matches ${plural(nss.length, 'namespace')}${
        nss.length
          ? `: ${nss
              .slice(0, cx.maxItems ?? 10)
              .map((ns) => (ns.ref ? cx.link(ns.name, ns.ref) : `${cx.code(ns.name)}`))
              .join(', ')}${nss.length > (cx.maxItems ?? 10) ? ', …' : ''}`
          : ''
      }`,
    );
  }
  if (peer.podSelector)
    parts.push(
      `podSelector ${cx.code(peer.podSelector.text)}${peer.namespaceSelector ? ' in those namespaces (one peer: AND)' : ` in namespace ${cx.code(policyNs)}`}`,
    );
  const focus = kind === 'peerNamespaceSelector' && !peer.podSelector ? ' (every pod of those namespaces)' : '';
  return `**NetLens** · ${dir} peer${focus}\n\n${parts.map((p) => `- ${p}`).join('\n')}\n\nmatches ${plural(matched.length, 'workload')}${matched.length ? `:\n\n${list(matched, (w) => wl(w, cx), cx)}` : ' in the workspace.'}`;
}

function ipBlockHover(policyNs: string, peer: Peer, cx: HoverContext): string {
  const b = peer.ipBlock!;
  const pods = peerWorkloads(cx.model, peer, policyNs);
  return `**NetLens** · ipBlock ${cx.code(b.cidr)}${b.except.length ? ` except ${b.except.map((e) => cx.code(e)).join(', ')}` : ''}\n\nMatches addresses outside the workspace's pods${pods.length ? ` and ${plural(pods.length, 'workload')} by status.podIP:\n\n${list(pods, (w) => `${wl(w, cx)} (${cx.text(w.podIPs.join(', '))})`, cx)}` : '; no workload of the workspace has a known IP in it.'}`;
}

function policyHover(p: import('../model/types').NetworkPolicy, cx: HoverContext): string {
  const selected = selectedWorkloads(cx.model, p);
  const lines = [
    `**NetLens** · NetworkPolicy ${cx.code(p.id)} selects ${plural(selected.length, 'workload')} (${cx.code(p.podSelector.text)}) and isolates ${p.policyTypes.join(' and ').toLowerCase()}.`,
  ];
  const rules = (dir: 'Ingress' | 'Egress') => {
    if (!p.policyTypes.includes(dir)) return;
    const rs = dir === 'Ingress' ? p.ingress : p.egress;
    const word = dir === 'Ingress' ? 'from' : 'to';
    if (rs.length === 0) {
      lines.push(`- ${dir.toLowerCase()}: **denied** (no rules)`);
      return;
    }
    for (const r of rs) {
      const peers = r.peers ? r.peers.map((peer) => peerText(peer, cx.code)).join(' OR ') : 'every peer';
      const ports = r.ports
        ? r.ports
            .map(
              (pp) =>
                `${pp.protocol} ${typeof pp.port === 'string' ? cx.code(pp.port) : (pp.port ?? 'all')}${pp.endPort ? `-${pp.endPort}` : ''}`,
            )
            .join(', ')
        : 'all ports';
      lines.push(`- ${dir.toLowerCase()}[${r.index}]: ${word} ${peers} on ${ports}`);
    }
  };
  rules('Ingress');
  rules('Egress');
  return lines.join('\n');
}

/** A peer in one line; `code` wraps workspace text (Markdown code spans in hovers, nothing in plain text). */
export function peerText(p: Peer, code: (text: string) => string = (t) => t): string {
  const parts: string[] = [];
  if (p.namespaceSelector) parts.push(`namespaces ${code(p.namespaceSelector.text)}`);
  if (p.podSelector) parts.push(`pods ${code(p.podSelector.text)}`);
  if (p.ipBlock)
    parts.push(`ipBlock ${code(p.ipBlock.cidr)}${p.ipBlock.except.length ? ` except ${code(p.ipBlock.except.join(','))}` : ''}`);
  return parts.join(' AND ');
}

function portHover(hit: Extract<NodeHit, { kind: 'policyPort' }>, cx: HoverContext): string {
  const { port, policy, rule, direction } = hit;
  if (typeof port.port !== 'string') {
    const range = port.port === undefined ? 'every port' : port.endPort ? `ports ${port.port}-${port.endPort}` : `port ${port.port}`;
    return `**NetLens** · ${port.protocol} ${range} on the destination pods (after any Service's port translation).`;
  }
  const dsts = direction === 'Ingress' ? selectedWorkloads(cx.model, policy) : ruleWorkloadsOf(cx.model, rule, policy.namespace);
  const rows = dsts.map((w) => {
    const s = policyPortSet(port, w);
    return `${wl(w, cx)}: ${isEmpty(s) ? '**no such port**' : cx.text(describe(s))}`;
  });
  return `**NetLens** · named port ${cx.code(port.port)} (${port.protocol}) resolves on each destination pod:\n\n${rows.length ? list(rows, (r) => r, cx) : '- no destination workloads in the workspace'}`;
}

function serviceHover(svc: import('../model/types').Service, cx: HoverContext): string {
  const fqdn = cx.dns.serviceFqdn(svc);
  if (svc.type === 'ExternalName')
    return `**NetLens** · ${cx.code(fqdn)} is a CNAME to ${cx.code(svc.externalName ?? '?')}, outside the cluster: only the client's egress policy applies.`;
  const pods = serviceEndpoints(cx.model, svc);
  const governing = policiesIn(cx.model, svc.namespace).filter(
    (p) => p.policyTypes.includes('Ingress') && pods.some((w) => policySelects(p, w, cx.model)),
  );
  const cd = clusterDomainOf(cx.model);
  const origin =
    cd.origin === 'corefile' && cd.ref
      ? `from the ${cx.link('Corefile', cd.ref)}`
      : cd.origin === 'setting'
        ? 'from the netlens.clusterDomain setting'
        : 'the default; no Corefile in the workspace';
  const lines = [
    `**NetLens** · ${cx.code(fqdn)}${svc.headless ? ' (headless: answers with pod addresses)' : ''} · cluster domain ${cx.code(cd.domain)} (${origin})`,
  ];
  lines.push(
    `\nendpoints: ${plural(pods.length, 'workload')}${pods.length ? '' : svc.selector ? ' — the selector matches no pod' : ' (no selector: Endpoints objects)'}`,
  );
  if (pods.length) lines.push(list(pods, (w) => wl(w, cx), cx));
  for (const sp of svc.ports) {
    const targets = [...new Set(pods.map((w) => targetPortFor(sp, w)).map((t) => (t === undefined ? 'missing' : String(t))))];
    lines.push(
      `\nport ${sp.port}/${sp.protocol}${sp.name ? ` (${cx.code(sp.name)})` : ''} → targetPort ${cx.code(String(sp.targetPort))}${typeof sp.targetPort === 'string' ? ` = ${cx.text(targets.join(', ')) || '?'}` : ''}`,
    );
  }
  lines.push(
    `\ningress to its pods: ${governing.length ? governing.map((p) => cx.link(p.id, p.ref)).join(', ') : 'not isolated (no policy selects them)'}`,
  );
  return lines.join('\n');
}

function servicePortHover(hit: Extract<NodeHit, { kind: 'servicePort' }>, cx: HoverContext): string {
  const pods = serviceEndpoints(cx.model, hit.service);
  const rows = pods.map((w) => {
    const t = targetPortFor(hit.port, w);
    return `${wl(w, cx)}: ${t === undefined ? `**no container port named ${cx.code(String(hit.port.targetPort))}**` : `${hit.port.protocol} ${t}`}`;
  });
  return `**NetLens** · Service port ${hit.port.port} → targetPort ${cx.code(String(hit.port.targetPort))} on each pod (policies see the pod port):\n\n${rows.length ? list(rows, (r) => r, cx) : '- no endpoints'}`;
}

function valueHover(hit: Extract<NodeHit, { kind: 'value' }>, cx: HoverContext): string | undefined {
  const hosts = findHosts(hit.value.value, hit.value.where);
  if (hosts.length === 0) return undefined;
  const w = hit.workload;
  const out: string[] = [];
  for (const h of hosts.slice(0, 3)) {
    if (!w) {
      out.push(`${cx.code(h.host)}: read by pods of namespace ${cx.code(hit.configMap?.namespace ?? '?')}`);
      continue;
    }
    const res = resolveName(cx.model, cx.dns, w, h.host);
    const tried = res.tried.map((t) => `${cx.code(t.name)} ${t.external ? 'upstream' : t.rcode}`).join(' → ');
    const traffic = res.dnsTraffic;
    if (traffic.status === 'blocked') {
      const policies = (traffic.policies ?? []).map((p) => cx.link(p.id, p.ref)).join(', ');
      out.push(
        `${cx.code(h.host)} from ${cx.code(w.id)}: **DNS-BLOCKED**${policies ? ` by ${policies}` : ''}\n\n${cx.text(traffic.text)}\n\n tried ${tried}`,
      );
      continue;
    }
    const assumed = traffic.assumed ? ' (cluster DNS pods assumed: none in the workspace)' : '';
    if (!res.answer) {
      out.push(
        `${cx.code(h.host)} from ${cx.code(w.id)}: ${res.tried.some((t) => t.external) ? 'outside the cluster (upstream DNS)' : '**does not resolve**'}\n\n tried ${tried}${assumed}`,
      );
      continue;
    }
    let verdict = '';
    if (h.port !== undefined && res.answer.type !== 'ExternalName') {
      const q = runQuery(cx.model, cx.dns, { from: w, to: h.host, port: h.port, protocol: 'TCP' });
      verdict = ` · TCP ${h.port}: **${q.outcome.toUpperCase()}**`;
      const why = q.steps.filter((s) => s.kind === 'egress' || s.kind === 'ingress').map((s) => `- ${cx.text(s.text)}`);
      if (q.outcome !== 'allowed' && why.length) verdict += `\n\n${why.slice(0, 4).join('\n')}`;
    }
    out.push(
      `${cx.code(h.host)} → ${cx.code(res.answer.fqdn)} (${res.answer.type} ${cx.code(String(res.answer.target))})${verdict}\n\n tried ${tried}${assumed}`,
    );
  }
  return `**NetLens** · ${out.join('\n\n')}`;
}

function workloadHover(w: Workload, cx: HoverContext): string {
  const ingress = policiesIn(cx.model, w.namespace).filter((p) => p.policyTypes.includes('Ingress') && policySelects(p, w, cx.model));
  const egress = policiesIn(cx.model, w.namespace).filter((p) => p.policyTypes.includes('Egress') && policySelects(p, w, cx.model));
  const services = lookup(cx.model)
    .servicesIn(w.namespace)
    .filter((s) => s.selector && mapSelectorMatches(s.selector, w.labels));
  const { reaches, reachableFrom: from } = cx.degree ? cx.degree(w) : cx.matrix.degree(w);
  const pol = (ps: typeof ingress) => (ps.length ? ps.map((p) => cx.link(p.id, p.ref)).join(', ') : 'none (not isolated)');
  const lines = [
    `**NetLens** · ${cx.code(w.id)}${w.hostNetwork ? ' (hostNetwork)' : ''} · namespace labels ${cx.code(
      Object.entries(namespaceLabels(cx.model, w.namespace))
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
    )}`,
    `- ingress policies: ${pol(ingress)}`,
    `- egress policies: ${pol(egress)}`,
    `- reachable from ${plural(from, 'workload')} · reaches ${plural(reaches, 'workload')}`,
  ];
  if (services.length) lines.push(`- Services: ${services.map((s) => cx.link(s.id, s.ref)).join(', ')}`);
  return lines.join('\n');
}

/** A Cilium rule's endpointSelector: the workloads it selects (in the policy's namespace for a CiliumNetworkPolicy). */
function endpointSelectorHover(hit: Extract<NodeHit, { kind: 'endpointSelector' }>, cx: HoverContext): string {
  const { cilium: p, rule } = hit;
  const selected = ciliumSelected(cx.model, rule);
  const where = p.namespace !== undefined ? `in namespace ${cx.code(p.namespace)}` : 'in every namespace';
  const dirs = (['ingress', 'egress'] as const).filter((d) => rule.sections[d]);
  const iso = dirs.length
    ? `default deny for ${dirs.map((d) => (rule.defaultDeny[d] ? d : `${d} (enableDefaultDeny false: allows only)`)).join(' and ')}`
    : 'no ingress or egress rules';
  const e = ciliumEnforcement(cx.model);
  const tail = e.enforced ? '' : `\n\nNot enforced: ${cx.text(e.reason ?? '')}.`;
  return `**NetLens** · endpointSelector ${cx.code(rule.endpointSelector!.text)} (${p.kind} ${cx.text(p.name)}, ${cx.text(rule.where)}) selects ${plural(selected.length, 'workload')} ${where} (${iso})${selected.length ? `:\n\n${list(selected, (w) => wl(w, cx), cx)}` : '.'}${tail}`;
}

function calicoPolicyName(p: CalicoPolicy, cx: HoverContext): string {
  const name = p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name;
  return `Calico ${p.kind} ${cx.text(name)} (tier ${cx.text(p.tier)}, order ${p.order ?? 'none: last'})`;
}

function calicoEnforcementTail(cx: HoverContext): string {
  return calicoEnforced(cx.model) ? '' : '\n\nNot enforced: the detected network plugin is not Calico (or canal).';
}

/** A Calico policy's selector, namespaceSelector or serviceAccountSelector: the workloads the policy applies to (all of its selectors together). */
function calicoPolicySelectorHover(hit: Extract<NodeHit, { kind: 'calicoPolicySelector' }>, cx: HoverContext): string {
  const p = hit.calico;
  const selected = cx.model.workloads.filter((w) => calicoPolicySelects(cx.model, p, w));
  const where = p.namespace !== undefined ? `in namespace ${cx.code(p.namespace)}` : 'in every namespace';
  const others = [p.selector, p.namespaceSelector, p.serviceAccountSelector].filter((x) => x && x !== hit.selector).length;
  const together = others ? " (with the policy's other selectors)" : '';
  const types = p.types.length ? `applies to ${p.types.join(' and ').toLowerCase()}` : 'no policy types';
  return `**NetLens** · ${cx.text(hit.field)} ${cx.code(hit.selector.text)} of ${calicoPolicyName(p, cx)} selects ${plural(selected.length, 'workload')} ${where}${together} (${types})${selected.length ? `:\n\n${list(selected, (w) => wl(w, cx), cx)}` : '.'}${calicoEnforcementTail(cx)}`;
}

/** A selector field of a rule's source or destination: the workloads the whole entity matches (its nets, namespace scoping and other selectors included). */
function calicoEntitySelectorHover(hit: Extract<NodeHit, { kind: 'calicoEntitySelector' }>, cx: HoverContext): string {
  const p = hit.calico;
  const matched = cx.model.workloads.filter((w) => entityMatches(cx.model, hit.entity, p.namespace, w));
  const scope = hit.entity.namespaceSelector
    ? 'in the namespaces its namespaceSelector matches'
    : p.namespace !== undefined
      ? `in namespace ${cx.code(p.namespace)} (the policy's)`
      : 'in every namespace';
  const rule = `${hit.direction.toLowerCase()} rule ${hit.rule.index + 1} (${hit.rule.action})`;
  return `**NetLens** · ${hit.side} ${cx.text(hit.field)} ${cx.code(hit.selector.text)} of ${calicoPolicyName(p, cx)} ${rule}: the ${hit.side} matches ${plural(matched.length, 'workload')} ${scope}${matched.length ? `:\n\n${list(matched, (w) => wl(w, cx), cx)}` : '.'}${calicoEnforcementTail(cx)}`;
}
