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

export function resolveName(model: Model, index: DnsIndex, from: Workload, name: string): ResolveResult {
  const conf = resolvConf(from, model, index.zone);
  const notes: string[] = [];
  if (!conf.usesClusterDns)
    notes.push(
      `${from.id} does not use the cluster DNS (dnsPolicy ${conf.effectivePolicy === from.dnsPolicy ? from.dnsPolicy : `${from.dnsPolicy} on hostNetwork, so ${conf.effectivePolicy}`}): names in ${index.zone} are taken not to resolve`,
    );
  const { tried, answer } = searchName(model, index, conf, name, notes);

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
  const upstream = tried.filter((t) => t.external);
  if (answer) {
    result.rcode = 'NOERROR';
    explainAnswer(index, name, conf, result, answer, upstream);
  } else if (upstream.length) {
    result.rcode = 'NOERROR';
    result.external = true;
    notes.push(
      `${upstream.map((t) => t.name).join(', ')} ${upstream.length > 1 ? 'are' : 'is'} outside ${index.zone}: resolved by upstream DNS, which a static analysis cannot see`,
    );
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

export function searchName(model: Model, index: DnsIndex, conf: ResolvConf, name: string, notes?: string[]): NameSearch {
  const tried: DnsAttempt[] = [];
  for (const candidate of searchCandidates(name, conf)) {
    const attempt = tryName(model, index, conf, candidate);
    tried.push(attempt.attempt);
    if (notes && attempt.why && !notes.includes(attempt.why)) notes.push(attempt.why);
    if (attempt.answer) return { tried, answer: attempt.answer };
  }
  return { tried, answer: null };
}

/** Two searches with equal keys find the same (searchName's inputs besides the model). */
export function resolutionKey(conf: ResolvConf, name: string): string {
  return `${conf.usesClusterDns ? 1 : 0}${conf.ndots}\u0000${conf.searches.join('\u0001')}\u0000${name}`;
}

interface Tried {
  attempt: DnsAttempt;
  answer?: DnsAnswer;
  why?: string;
}

function tryName(model: Model, index: DnsIndex, conf: ResolvConf, name: string): Tried {
  if (index.inZone(name)) {
    if (!conf.usesClusterDns) return { attempt: { name, rcode: 'NXDOMAIN' } };
    const answer = index.lookup(name);
    if (answer) return { attempt: { name, rcode: 'NOERROR' }, answer };
    const why = index.whyMissing(name);
    return why ? { attempt: { name, rcode: 'NXDOMAIN' }, why } : { attempt: { name, rcode: 'NXDOMAIN' } };
  }
  const labels = name.split('.');
  const tld = labels[labels.length - 1];
  // A single label would be a top-level domain (none is a host); a last label naming a namespace
  // (or svc/pod) is a cluster-relative name that fell through the search list. Both are taken as
  // NXDOMAIN so that a short name missing from the cluster is reported as such, not as external.
  if (labels.length === 1) return { attempt: { name, rcode: 'NXDOMAIN' } };
  if (tld === 'svc' || tld === 'pod' || model.namespaces.has(tld)) {
    return {
      attempt: { name, rcode: 'NXDOMAIN' },
      why: `${name} ends in "${tld}" (${tld === 'svc' || tld === 'pod' ? 'a cluster label' : 'a namespace'}): taken as a cluster name without the cluster domain, which upstream DNS does not answer`,
    };
  }
  return { attempt: { name, rcode: 'UNKNOWN', external: true } };
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

/** For a name that did not resolve: Services of that name in other namespaces. */
function suggest(index: DnsIndex, name: string, from: Workload): Service[] {
  const first = normalizeName(name).split('.')[0];
  return first ? index.servicesNamed(first).filter((s) => s.namespace !== from.namespace) : [];
}
