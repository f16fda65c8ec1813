// A pod's /etc/resolv.conf as kubelet writes it (pkg/kubelet/network/dns): the base from the
// effective dnsPolicy, then spec.dnsConfig appended, then kubelet's limits.
import type { DnsPolicy, Model, Workload } from '../model/types';
import type { ResolvConf } from './types';
import { CLUSTER_DNS, NODE_DNS, clusterDnsServer, isClusterDnsAddress } from './clusterDns';

// Kubelet's and the API's limits (k8s.io/kubernetes/pkg/apis/core/validation).
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;
const MAX_SEARCH_CHARS = 2048;
const MAX_SEARCH_LEN = 253;
// glibc caps ndots at 15 (RES_MAXNDOTS); without an ndots option the resolver uses 1.
const MAX_NDOTS = 15;
const DEFAULT_NDOTS = 1;

type Option = { name: string; value?: string };

/** The policy kubelet applies: ClusterFirst on hostNetwork falls back to Default. */
function effectiveDnsPolicy(w: Workload): DnsPolicy {
  return w.dnsPolicy === 'ClusterFirst' && w.hostNetwork ? 'Default' : w.dnsPolicy;
}

export function resolvConf(w: Workload, model: Model, clusterDomain: string): ResolvConf {
  const policy = effectiveDnsPolicy(w);
  const notes: string[] = [];
  let nameservers: string[] = [];
  let searches: string[] = [];
  let options: Option[] = [];
  if (policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') {
    const server = clusterDnsServer(model);
    nameservers = [server.address];
    searches = [`${w.namespace}.svc.${clusterDomain}`, `svc.${clusterDomain}`, clusterDomain];
    options = [{ name: 'ndots', value: '5' }];
    if (policy === 'ClusterFirstWithHostNet' && w.hostNetwork)
      notes.push('dnsPolicy ClusterFirstWithHostNet: this hostNetwork pod uses the cluster DNS');
    notes.push(
      server.service
        ? `nameserver ${server.address} is the ClusterIP of ${server.service.id}`
        : `the cluster DNS address (kubelet --cluster-dns, the kube-dns Service's ClusterIP, often 10.96.0.10) is not in the workspace: shown as ${CLUSTER_DNS}`,
    );
    notes.push("kubelet appends the node's own search domains after these; a static analysis cannot see them");
  } else if (policy === 'Default') {
    nameservers = [NODE_DNS];
    notes.push(
      w.dnsPolicy === 'ClusterFirst'
        ? "hostNetwork with dnsPolicy ClusterFirst falls back to Default: the pod uses the node's resolv.conf, not the cluster DNS (set dnsPolicy: ClusterFirstWithHostNet to use it)"
        : "dnsPolicy Default: the pod uses the node's resolv.conf, not the cluster DNS",
    );
    notes.push("the node's nameservers, search domains and options are unknown to a static analysis");
  } else {
    notes.push('dnsPolicy None: resolv.conf holds only what spec.dnsConfig gives');
  }

  const dc = w.dnsConfig;
  if (dc) {
    nameservers = unique([...nameservers, ...dc.nameservers]);
    searches = unique([...searches, ...dc.searches]);
    options = mergeOptions(options, dc.options);
    if (dc.nameservers.length || dc.searches.length || dc.options.length)
      notes.push('spec.dnsConfig is merged in: nameservers and searches appended (duplicates dropped), options override by name');
  }
  if (policy === 'None' && nameservers.length === 0)
    notes.push('dnsPolicy None without dnsConfig.nameservers: the API server rejects this pod');

  if (nameservers.length > MAX_NAMESERVERS) {
    notes.push(`kubelet keeps the first ${MAX_NAMESERVERS} nameservers and drops ${nameservers.slice(MAX_NAMESERVERS).join(', ')}`);
    nameservers = nameservers.slice(0, MAX_NAMESERVERS);
  }
  searches = fitSearches(searches, notes);

  const ndotsOption = options.find((o) => o.name === 'ndots');
  const parsed = ndotsOption?.value !== undefined && /^\d+$/.test(ndotsOption.value) ? Number(ndotsOption.value) : undefined;
  if (ndotsOption && parsed === undefined) notes.push(`option ndots "${ndotsOption.value ?? ''}" is not a number; the resolver ignores it`);
  const ndots = Math.min(parsed ?? DEFAULT_NDOTS, MAX_NDOTS);

  return {
    nameservers,
    searches,
    ndots,
    options,
    notes,
    usesClusterDns: usesClusterDns(model, policy, nameservers, notes),
    effectivePolicy: policy,
  };
}

/** The resolver asks the first nameserver; later ones are only tried when it does not answer. */
function usesClusterDns(model: Model, policy: DnsPolicy, nameservers: string[], notes: string[]): boolean {
  if (policy === 'ClusterFirst' || policy === 'ClusterFirstWithHostNet') return true;
  const first = nameservers[0];
  if (policy === 'Default' || first === undefined) return false;
  const kind = isClusterDnsAddress(model, first);
  if (kind === 'assumed')
    notes.push(
      `nameserver ${first} is taken to be the cluster DNS (a common default address; the kube-dns Service is not in the workspace)`,
    );
  if (!kind) notes.push(`nameserver ${first} is not the cluster DNS: cluster names do not resolve through it`);
  return kind !== false;
}

/** kubelet: options merge by name, dnsConfig winning; an option without value stays bare. */
function mergeOptions(base: Option[], extra: Option[]): Option[] {
  const out = base.map((o) => ({ ...o }));
  for (const o of extra) {
    const at = out.findIndex((x) => x.name === o.name);
    const next = o.value !== undefined ? { name: o.name, value: o.value } : { name: o.name };
    if (at >= 0) out[at] = next;
    else out.push(next);
  }
  return out;
}

/** kubelet's formDNSSearchFitsLimits: at most 32 domains, none over 253 chars, 2048 chars in all. */
function fitSearches(searches: string[], notes: string[]): string[] {
  let out = searches;
  if (out.length > MAX_SEARCHES) {
    notes.push(`kubelet keeps the first ${MAX_SEARCHES} search domains (of ${out.length})`);
    out = out.slice(0, MAX_SEARCHES);
  }
  const long = out.filter((s) => s.length > MAX_SEARCH_LEN);
  if (long.length) {
    notes.push(`kubelet drops search domains longer than ${MAX_SEARCH_LEN} characters`);
    out = out.filter((s) => s.length <= MAX_SEARCH_LEN);
  }
  let cols = 0;
  for (let i = 0; i < out.length; i++) {
    cols += out[i].length;
    if (cols > MAX_SEARCH_CHARS) {
      notes.push(`kubelet cuts the search line at ${MAX_SEARCH_CHARS} characters`);
      return out.slice(0, i);
    }
    cols++;
  }
  return out;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}
