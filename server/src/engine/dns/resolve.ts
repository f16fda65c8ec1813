// Resolves a name as a pod's stub resolver would: the resolv.conf search algorithm against the
// cluster's records. Names outside the cluster zone go to upstream DNS, which a static analysis
// cannot see: such attempts are marked external and never stop the search, so a later cluster
// name still answers; without any cluster answer the result is answer null, rcode NOERROR,
// external true (only a search that stayed inside the cluster is NXDOMAIN).
import type { Model, Service, Workload } from '../model/types';
import type { DnsAnswer, DnsAttempt, ResolvConf, ResolveResult } from './types';
import type { DnsIndex } from './records';
import { resolvConf } from './resolvConf';
import { countDots, isAbsolute, normalizeName } from './names';
import { dnsServerConfig } from './dnsServer';
import { serveName } from './serveName';
import { dnsTraffic } from '../reachability/dnsTraffic';
import { KUBE_DNS_SERVICE_STAND_IN } from './dnsStandIn';

/** The absolute names the resolver tries, in order (glibc's res_search). */
export function searchCandidates(name: string, conf: Pick<ResolvConf, 'searches' | 'ndots'>): string[] {
  const n = normalizeName(name);
  if (!n) return [];
  if (isAbsolute(name)) return [n];
  const dots = countDots(n);
  const searched = conf.searches.map((s) => `${n}.${normalizeName(s)}`);
  return dots >= conf.ndots ? [n, ...searched] : [...searched, n];
}

/** Searches kept per (resolv.conf, name) with the notes they add: the callers that resolve many names share one. */
export type SearchCache = Map<string, NameSearch & { notes: string[] }>;

export function resolveName(model: Model, index: DnsIndex, from: Workload, name: string, searches?: SearchCache): ResolveResult {
  const conf = resolvConf(from, model, index.zone);
  const notes: string[] = [];
  if (!conf.usesClusterDns)
    notes.push(
      `${from.id} does not use the cluster DNS (dnsPolicy ${conf.effectivePolicy === from.dnsPolicy ? from.dnsPolicy : `${from.dnsPolicy} on hostNetwork, so ${conf.effectivePolicy}`}): names in ${index.zone} are taken not to resolve`,
    );
  let found: NameSearch;
  if (searches) {
    // the same notes in the same order as searchName adds them (each once)
    const key = resolutionKey(conf, name);
    let hit = searches.get(key);
    if (!hit) {
      const added: string[] = [];
      hit = { ...searchName(model, index, conf, name, added), notes: added };
      searches.set(key, hit);
    }
    for (const n of hit.notes) if (!notes.includes(n)) notes.push(n);
    found = { tried: [...hit.tried], answer: hit.answer };
  } else found = searchName(model, index, conf, name, notes);
  const { tried, answer } = found;

  const result: ResolveResult = {
    from: from.id,
    query: name,
    tried,
    answer,
    rcode: 'NXDOMAIN',
    resolvConf: conf,
    clusterDomain: index.zone,
    notes,
    dnsTraffic: dnsTraffic(model, from, conf),
  };
  if (tried.length === 0) notes.push('an empty name does not resolve');
  const server = dnsServerConfig(model, index.zone);
  if (conf.usesClusterDns && server.origin !== 'assumed' && server.source) {
    const nodeLocal = server.nodeLocal ? { nodeLocal: { name: server.nodeLocal.source.name, ref: server.nodeLocal.source.ref } } : {};
    result.dnsConfig = { origin: server.origin, name: server.source.name, ref: server.source.ref, ...nodeLocal };
  }
  if (conf.usesClusterDns) for (const n of server.notes) if (!notes.includes(n)) notes.push(n);
  const upstream = tried.filter((t) => t.external);
  if (answer) {
    result.rcode = 'NOERROR';
    explainAnswer(index, name, conf, result, answer, upstream);
  } else if (upstream.length) {
    result.rcode = 'NOERROR';
    result.external = true;
    notes.push(upstreamNote(upstream, index.zone, conf.usesClusterDns ? dnsServerConfig(model, index.zone).origin : 'assumed'));
  } else if (tried.some((t) => t.rcode === 'REFUSED' || t.rcode === 'SERVFAIL')) {
    // glibc: a REFUSED answer ends the search; a SERVFAIL on the way makes the whole search fail so
    result.rcode = tried.some((t) => t.rcode === 'REFUSED') ? 'REFUSED' : 'SERVFAIL';
  } else if (conf.usesClusterDns) {
    const meant = suggest(index, name, from);
    if (meant.length) {
      result.suggestions = meant.map((s) => index.serviceFqdn(s));
      const names = meant.map((s) => `${s.name}.${s.namespace} (${index.serviceFqdn(s)})`);
      notes.push(
        `${name} does not resolve from namespace ${from.namespace}: the search list only covers ${from.namespace}; did you mean ${names.join(' or ')}?`,
      );
    }
  }
  return result;
}

export type ResolveOutcome = 'resolved' | 'nxdomain' | 'upstream' | 'dns-blocked';

/** The answer as the pod gets it: blocked DNS traffic times out whatever the records hold. */
export function resolveOutcome(r: ResolveResult): ResolveOutcome {
  if (r.dnsTraffic.status === 'blocked') return 'dns-blocked';
  if (r.answer) return 'resolved';
  return r.external ? 'upstream' : 'nxdomain';
}

/** What the search finds: the names tried and the first answer. It depends on the name and on the
 * resolv.conf's searches, ndots and use of the cluster DNS only (see resolutionKey). */
export interface NameSearch {
  tried: DnsAttempt[];
  answer: DnsAnswer | null;
}

/**
 * What each absolute name tried gives, kept per use of the cluster DNS and name (all tryName reads of a
 * resolv.conf): the searches of many namespaces try the same names after their own. The attempts are
 * shared between the searches: read-only.
 */
export type TryCache = Map<string, Tried>;

export function searchName(model: Model, index: DnsIndex, conf: ResolvConf, name: string, notes?: string[], tries?: TryCache): NameSearch {
  const tried: DnsAttempt[] = [];
  for (const candidate of searchCandidates(name, conf)) {
    let attempt: Tried | undefined;
    if (tries) {
      const key = `${conf.usesClusterDns ? 1 : 0}${candidate}`;
      attempt = tries.get(key);
      if (!attempt) tries.set(key, (attempt = tryName(model, index, conf, candidate)));
    } else attempt = tryName(model, index, conf, candidate);
    tried.push(attempt.attempt);
    if (notes) for (const n of attempt.notes ?? []) if (!notes.includes(n)) notes.push(n);
    if (attempt.answer) return { tried, answer: attempt.answer };
    // glibc's res_search: REFUSED ends the search (NO_RECOVERY); NXDOMAIN and SERVFAIL try the next name
    if (attempt.attempt.rcode === 'REFUSED') break;
  }
  return { tried, answer: null };
}

/** Two searches with equal keys find the same (searchName's inputs besides the model). */
export function resolutionKey(conf: ResolvConf, name: string): string {
  return `${conf.usesClusterDns ? 1 : 0}${conf.ndots}\u0000${conf.searches.join('\u0001')}\u0000${name}`;
}

export interface Tried {
  attempt: DnsAttempt;
  answer?: DnsAnswer;
  notes?: string[];
}

function tryName(model: Model, index: DnsIndex, conf: ResolvConf, name: string): Tried {
  if (!conf.usesClusterDns) {
    // the pod asks other nameservers: cluster names do not resolve, others go to them
    if (index.inZone(name)) return { attempt: { name, rcode: 'NXDOMAIN' } };
    return upstreamNxdomain(model, name) ?? { attempt: { name, rcode: 'UNKNOWN', external: true } };
  }
  const served = serveName(model, index, dnsServerConfig(model, index.zone), name);
  const { steps } = served;
  const plugin = steps[steps.length - 1]?.plugin;
  const base = { name, ...(plugin ? { plugin } : {}), steps };
  const notes = served.notes ?? [];
  switch (served.outcome) {
    case 'answer':
      return { attempt: { ...base, rcode: 'NOERROR' }, answer: served.answer!, notes };
    case 'nxdomain':
      return { attempt: { ...base, rcode: 'NXDOMAIN' }, notes: served.why ? [...notes, served.why] : notes };
    case 'refused':
      return {
        attempt: { ...base, rcode: 'REFUSED' },
        notes: [...notes, `no server block of the Corefile serves ${name}: CoreDNS answers REFUSED`],
      };
    case 'servfail':
      return {
        attempt: { ...base, rcode: 'SERVFAIL' },
        notes: [...notes, `no plugin of the server block for ${name} answers it: CoreDNS answers SERVFAIL`],
      };
    case 'forward': {
      const to = served.forwardedTo ?? [];
      const upstream = upstreamNxdomain(model, name);
      if (upstream) {
        return {
          attempt: {
            ...base,
            plugin: 'upstream',
            rcode: 'NXDOMAIN',
            forwardedTo: to,
            steps: [...steps, { plugin: 'upstream', action: 'nxdomain' }],
          },
          notes: upstream.notes ? [...notes, ...upstream.notes] : notes,
        };
      }
      return { attempt: { ...base, rcode: 'UNKNOWN', external: true, forwardedTo: to }, notes };
    }
  }
}

/** A forwarded name upstream DNS is taken not to answer (undefined: it may). */
function upstreamNxdomain(model: Model, name: string): Tried | undefined {
  const labels = name.split('.');
  const tld = labels[labels.length - 1];
  // A single label would be a top-level domain (none is a host); a last label naming a namespace
  // (or svc/pod) is a cluster-relative name that fell through the search list. Both are taken as
  // NXDOMAIN so that a short name missing from the cluster is reported as such, not as external.
  if (labels.length === 1) return { attempt: { name, rcode: 'NXDOMAIN' } };
  if (tld === 'svc' || tld === 'pod' || model.namespaces.has(tld)) {
    return {
      attempt: { name, rcode: 'NXDOMAIN' },
      notes: [
        `${name} ends in "${tld}" (${tld === 'svc' || tld === 'pod' ? 'a cluster label' : 'a namespace'}): taken as a cluster name without the cluster domain, which upstream DNS does not answer`,
      ],
    };
  }
  return undefined;
}

function explainAnswer(
  index: DnsIndex,
  query: string,
  conf: ResolvConf,
  r: ResolveResult,
  answer: DnsAnswer,
  upstream: DnsAttempt[],
): void {
  const notes = r.notes;
  if (upstream.length)
    notes.push(
      `${upstream.map((t) => t.name).join(', ')} went to upstream DNS first; had it answered, the pod would have used that answer instead`,
    );
  const first = searchCandidates(query, conf)[0];
  if (!isAbsolute(query) && first === normalizeName(query) && r.tried.length > 1) {
    notes.push(
      `"${query}" has ${countDots(query)} dots (ndots:${conf.ndots}), so glibc tries it as is first and then searches; musl (Alpine) does not search such names and would get no answer`,
    );
  }
  if (answer.service === KUBE_DNS_SERVICE_STAND_IN)
    notes.push(
      `${answer.target} is assumed: the standard cluster DNS Service (k8s-app=kube-dns pods, 53/UDP+TCP, 9153/TCP); the workspace has no CoreDNS`,
    );
  if (answer.type === 'ExternalName') {
    const target = answer.cname ?? '';
    const inner = index.inZone(target) ? index.lookup(target) : undefined;
    if (inner) {
      r.cnameAnswer = inner;
      notes.push(`${answer.fqdn} is a CNAME to ${target}, a cluster name: ${inner.target}`);
    } else notes.push(`${answer.fqdn} is a CNAME to ${target}, resolved by upstream DNS (its address is unknown to a static analysis)`);
  } else if (answer.type === 'HeadlessService' && !answer.srv) {
    notes.push(`${answer.target} is headless: the name answers with the addresses of the pods behind it, not a ClusterIP`);
  } else if (answer.type === 'Service' && answer.endpoints.length === 0 && !answer.addresses?.length && answer.service) {
    const svc = answer.service;
    notes.push(
      `${svc.id} has ${svc.selector ? 'a selector that matches no workload' : 'no selector and no Endpoints/EndpointSlice'} in the workspace: the name resolves, connections find no endpoint`,
    );
  }
  if (answer.addresses?.length) notes.push(`endpoint address(es) ${answer.addresses.join(', ')} belong to no workload of the workspace`);
}

function upstreamNote(upstream: DnsAttempt[], zone: string, origin: string): string {
  const names = `${upstream.map((t) => t.name).join(', ')} ${upstream.length > 1 ? 'are' : 'is'}`;
  const targets = [...new Set(upstream.flatMap((t) => t.forwardedTo ?? []))];
  // the kubeadm default (forward . /etc/resolv.conf) keeps the wording it always had
  if (origin === 'assumed' || !targets.length)
    return `${names} outside ${zone}: resolved by upstream DNS, which a static analysis cannot see`;
  return `${names} forwarded to ${targets.join(', ')}: resolved outside the cluster, which a static analysis cannot see`;
}

/** For a name that did not resolve: Services of that name in other namespaces. */
function suggest(index: DnsIndex, name: string, from: Workload): Service[] {
  const first = normalizeName(name).split('.')[0];
  return first ? index.servicesNamed(first).filter((s) => s.namespace !== from.namespace) : [];
}
