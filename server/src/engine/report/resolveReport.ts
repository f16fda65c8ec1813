// Renders a ResolveResult: the JSON of the CLI contract (plus extra keys) and a readable report.
import type { ClusterDomainSource, SourceRef } from '../model/types';
import type { DnsAnswer, DnsAttempt, DnsStep, ResolvConf, ResolveResult } from '../dns/types';
import type { DnsTraffic } from '../reachability/dnsTraffic';
import { resolveOutcome } from '../dns/resolve';

export function optionText(o: { name: string; value?: string }): string {
  return o.value !== undefined ? `${o.name}:${o.value}` : o.name;
}

/**
 * What happened to one name: the plugins' steps (`rewritten to x (rewrite) -> NOERROR (kubernetes)`),
 * or, for a pod that does not ask the cluster DNS, the rcode (`external` names an upstream answer).
 */
export function attemptText(t: DnsAttempt, external = `${t.rcode} (outside the cluster: upstream DNS)`): string {
  if (!t.steps?.length) return t.external ? external : t.rcode;
  return t.steps.map(stepText).join(' -> ');
}

function stepText(s: DnsStep): string {
  const by = s.nodeLocal ? `node-local-dns ${s.plugin}` : s.plugin;
  switch (s.action) {
    case 'rewrite':
      return `rewritten to ${s.name ?? ''} (${by})`;
    case 'answer':
      return `${s.plugin === 'hosts' && s.to?.length ? s.to.join(', ') : 'NOERROR'} (${by})`;
    case 'nxdomain':
      return `NXDOMAIN (${by})`;
    case 'fallthrough':
      return `NXDOMAIN, falls through (${by})`;
    case 'forward':
      return `forwarded to ${(s.to ?? []).join(' ')} (${by})`;
    case 'refused':
      return `REFUSED (${s.nodeLocal ? 'node-local-dns: ' : ''}no server block for this name)`;
    case 'servfail':
      return `SERVFAIL (${s.nodeLocal ? 'node-local-dns: ' : ''}no plugin of the server block answers)`;
  }
}

function stepJson(s: DnsStep) {
  return {
    plugin: s.plugin,
    action: s.action,
    ...(s.name ? { name: s.name } : {}),
    ...(s.to ? { to: s.to } : {}),
    ...(s.nodeLocal ? { nodeLocal: true } : {}),
  };
}

function answerJson(a: DnsAnswer) {
  return {
    fqdn: a.fqdn,
    type: a.type,
    target: a.target,
    endpoints: a.endpoints,
    ...(a.cname ? { cname: a.cname } : {}),
    ...(a.srv ? { srv: a.srv } : {}),
    ...(a.addresses ? { addresses: a.addresses } : {}),
    ...(a.podName ? { podName: a.podName } : {}),
  };
}

function resolvConfJson(c: ResolvConf) {
  return {
    dnsPolicy: c.effectivePolicy,
    nameservers: c.nameservers,
    searches: c.searches,
    options: c.options.map(optionText),
    ndots: c.ndots,
    usesClusterDns: c.usesClusterDns,
    notes: c.notes,
  };
}

export function resolveJson(r: ResolveResult, domain: ClusterDomainSource, locate: (ref: SourceRef) => string) {
  return {
    from: r.from,
    query: r.query,
    tried: r.tried.map((t) => t.name),
    answer: r.answer ? answerJson(r.answer) : null,
    rcode: r.rcode,
    clusterDomain: domain.domain,
    clusterDomainOrigin: { origin: domain.origin, ...(domain.ref ? { source: locate(domain.ref) } : {}) },
    resolvConf: resolvConfJson(r.resolvConf),
    attempts: r.tried.map((t) => ({
      name: t.name,
      rcode: t.rcode,
      ...(t.external ? { external: true } : {}),
      ...(t.plugin ? { plugin: t.plugin } : {}),
      ...(t.forwardedTo ? { forwardedTo: t.forwardedTo } : {}),
      ...(t.steps ? { steps: t.steps.map(stepJson) } : {}),
    })),
    ...(r.external ? { external: true } : {}),
    ...(r.cnameAnswer ? { cnameAnswer: answerJson(r.cnameAnswer) } : {}),
    ...(r.suggestions ? { suggestions: r.suggestions } : {}),
    ...(r.dnsConfig
      ? {
          dnsConfig: {
            origin: r.dnsConfig.origin,
            name: r.dnsConfig.name,
            source: locate(r.dnsConfig.ref),
            ...(r.dnsConfig.nodeLocal
              ? { nodeLocal: { name: r.dnsConfig.nodeLocal.name, source: locate(r.dnsConfig.nodeLocal.ref) } }
              : {}),
          },
        }
      : {}),
    notes: r.notes,
    outcome: resolveOutcome(r),
    dnsTraffic: dnsTrafficJson(r.dnsTraffic, locate),
  };
}

export function dnsTrafficJson<L>(t: DnsTraffic, locate: (ref: SourceRef) => L) {
  return {
    status: t.status,
    assumed: t.assumed,
    dnsPods: t.dnsPods,
    ...(t.direction ? { direction: t.direction } : {}),
    ...(t.policies ? { policies: t.policies.map((p) => p.id) } : {}),
    ...(t.ref ? { source: locate(t.ref) } : {}),
    ...(t.tcp !== undefined ? { tcp: t.tcp } : {}),
    text: t.text,
  };
}

export function resolveText(r: ResolveResult, domain: ClusterDomainSource, locate: (ref: SourceRef) => string): string {
  const c = r.resolvConf;
  const origin =
    domain.origin === 'corefile' && domain.ref
      ? `Corefile, ${locate(domain.ref)}`
      : domain.origin === 'setting'
        ? 'setting / --cluster-domain'
        : 'default';
  const lines = [
    `Resolve: ${r.query} from ${r.from}`,
    `Cluster domain: ${domain.domain} (${origin})`,
    `DNS policy: ${c.effectivePolicy}${c.usesClusterDns ? '' : ' (not the cluster DNS)'}`,
    ...(r.dnsConfig
      ? [
          `DNS server: ${r.dnsConfig.origin === 'kube-dns' ? 'kube-dns ConfigMap' : 'Corefile'} ${r.dnsConfig.name} (${locate(r.dnsConfig.ref)})${r.dnsConfig.nodeLocal ? `, behind NodeLocal DNSCache ${r.dnsConfig.nodeLocal.name} (${locate(r.dnsConfig.nodeLocal.ref)})` : ''}`,
        ]
      : []),
    `resolv.conf: nameserver ${c.nameservers.join(' ') || '(none)'}; search ${searchText(c)}; options ${optionsText(c)}`,
  ];
  lines.push('Tried:');
  for (const t of r.tried) lines.push(`  try ${t.name} -> ${attemptText(t)}`);
  const a = r.answer;
  if (a) {
    lines.push(`Answer: ${a.fqdn} (${a.type}) -> ${a.target}${a.podName ? ` pod ${a.podName}` : ''}`);
    if (a.cname) lines.push(`  CNAME ${a.cname}`);
    if (a.type !== 'ExternalName') lines.push(`  endpoints: ${[...a.endpoints, ...(a.addresses ?? [])].join(', ') || '(none)'}`);
    for (const s of a.srv ?? []) lines.push(`  SRV port ${s.port} ${s.target}`);
  } else lines.push('Answer: none');
  const t = r.dnsTraffic;
  if (t.status !== 'not-cluster-dns') lines.push(`DNS traffic: ${t.text}${t.ref && t.ref.uri ? ` (${locate(t.ref)})` : ''}`);
  const notes = [...c.notes, ...r.notes];
  if (notes.length) {
    lines.push('Notes:');
    for (const n of notes) lines.push(`  ${n}`);
  }
  lines.push(
    t.status === 'blocked'
      ? `Outcome: DNS-BLOCKED (the records ${r.answer ? `hold ${r.answer.fqdn}` : `say ${r.rcode}`}, but the query never reaches the cluster DNS)`
      : `Outcome: ${r.rcode}${r.external ? ' (upstream DNS)' : ''}`,
  );
  return `${lines.join('\n')}\n`;
}

// dnsPolicy Default starts from the node's resolv.conf, which a static analysis cannot see.
function searchText(c: ResolvConf): string {
  const node = c.effectivePolicy === 'Default' ? ['<node-search>'] : [];
  return [...node, ...c.searches].join(' ') || '(none)';
}

function optionsText(c: ResolvConf): string {
  const node = c.effectivePolicy === 'Default' ? ['<node-options>'] : [];
  return [...node, ...c.options.map(optionText)].join(' ') || `(none: ndots:${c.ndots})`;
}
