// The cluster DNS server's configuration as the workspace gives it: CoreDNS's Corefile, else the
// legacy kube-dns ConfigMap (stubDomains, upstreamNameservers), else the kubeadm default; and
// NodeLocal DNSCache's Corefile in front of it when its ConfigMap is present.
import type { DnsConfigSource, Model, SourceRef } from '../model/types';
import type { CorefileKey } from './corefileSyntax';
import { normalizeZone, pluginChain, type ChainPlugin } from './corefilePlugins';

export interface ServerBlockChain {
  keys: CorefileKey[];
  /** plugins in execution order */
  plugins: ChainPlugin[];
  ref?: SourceRef;
}

export interface DnsServerConfig {
  /** corefile: a Corefile of the workspace; kube-dns: the legacy ConfigMap; assumed: none in the workspace */
  origin: 'corefile' | 'kube-dns' | 'assumed';
  source?: DnsConfigSource;
  blocks: ServerBlockChain[];
  /** NodeLocal DNSCache's server blocks, which see every query first */
  nodeLocal?: { source: DnsConfigSource; blocks: ServerBlockChain[] };
  /** what a report should say about the configuration (ignored ConfigMaps, imports not analysed, other ports) */
  notes: string[];
}

const NO_REF: SourceRef = { uri: '', start: 0, end: 0 };
const cache = new WeakMap<Model, Map<string, DnsServerConfig>>();

export function dnsServerConfig(model: Model, clusterDomain: string): DnsServerConfig {
  let m = cache.get(model);
  if (!m) cache.set(model, (m = new Map()));
  let c = m.get(clusterDomain);
  if (!c) m.set(clusterDomain, (c = readConfig(model, normalizeZone(clusterDomain))));
  return c;
}

function readConfig(model: Model, domain: string): DnsServerConfig {
  const corefiles = model.dnsConfigs.filter((s) => s.kind === 'corefile' && s.corefile);
  const kubeDns = model.dnsConfigs.find((s) => s.kind === 'kube-dns');
  const nodeLocalSource = model.dnsConfigs.find((s) => s.kind === 'node-local-dns' && s.corefile);
  const notes: string[] = [];
  // CoreDNS's own ConfigMap first, then any Corefile with the kubernetes plugin, then any Corefile
  const hasKubernetes = (s: DnsConfigSource) => s.corefile!.blocks.some((b) => b.directives.some((d) => d.name === 'kubernetes'));
  const main = corefiles.find((s) => s.name === 'kube-system/coredns[ConfigMap]') ?? corefiles.find(hasKubernetes) ?? corefiles[0];
  let config: DnsServerConfig;
  if (main) {
    config = { origin: 'corefile', source: main, blocks: chainsOf(main, notes), notes };
    if (corefiles.length > 1) notes.push(`${corefiles.length} Corefiles in the workspace; NetLens uses ${main.name}`);
    if (kubeDns)
      notes.push(
        `${kubeDns.name} (stubDomains, upstreamNameservers) is the legacy kube-dns configuration; CoreDNS reads its Corefile instead`,
      );
  } else if (kubeDns) config = { origin: 'kube-dns', source: kubeDns, blocks: [kubeDnsChain(kubeDns, domain)], notes };
  else config = { origin: 'assumed', blocks: [assumedChain(domain)], notes };
  if (nodeLocalSource) {
    const blocks = chainsOf(nodeLocalSource, notes, domain);
    config.nodeLocal = { source: nodeLocalSource, blocks };
    notes.push(
      `NodeLocal DNSCache (${nodeLocalSource.name}) answers the pods first; its __PILLAR__ placeholders are filled in by node-cache at start: __PILLAR__DNS__DOMAIN__ is taken as ${domain}, __PILLAR__CLUSTER__DNS__ and __PILLAR__DNS__SERVER__ as the cluster DNS, __PILLAR__UPSTREAM__SERVERS__ as the node's nameservers`,
    );
  }
  return config;
}

function chainsOf(source: DnsConfigSource, notes: string[], pillarDomain?: string): ServerBlockChain[] {
  const c = source.corefile!;
  const problems = [...c.problems];
  const out: ServerBlockChain[] = [];
  for (const b of c.blocks) {
    const keys = pillarDomain ? b.keys.map((k) => (k.zone === '__pillar__dns__domain__' ? { ...k, zone: pillarDomain } : k)) : b.keys;
    out.push({ keys, plugins: pluginChain({ ...b, keys }, problems), ref: b.ref });
  }
  for (const n of c.notAnalysed) notes.push(`${source.name}: ${n.what} is not analysed (NetLens does not follow imports or snippets)`);
  // option problems (pluginChain's) are reported with the resolution, the syntax ones as findings
  for (const p of problems.slice(c.problems.length)) notes.push(`${source.name}: ${p.message}`);
  return out;
}

/** kubeadm's default Corefile, with pod records answered only for pods the workspace has. */
function assumedChain(domain: string): ServerBlockChain {
  return {
    keys: [{ text: '.:53', zone: '.', port: 53, scheme: 'dns', ref: NO_REF }],
    plugins: [
      {
        name: 'kubernetes',
        zones: [domain, 'in-addr.arpa', 'ip6.arpa'],
        pods: 'verified',
        endpointPodNames: false,
        fallthrough: ['in-addr.arpa', 'ip6.arpa'],
        assumed: true,
        ref: NO_REF,
      },
      { name: 'forward', from: '.', to: ['/etc/resolv.conf'], except: [], ref: NO_REF },
    ],
  };
}

/** kube-dns: the cluster domain, each stub domain to its nameservers, the rest to upstreamNameservers (or the node's). */
function kubeDnsChain(s: DnsConfigSource, domain: string): ServerBlockChain {
  const ref = s.ref;
  return {
    keys: [{ text: '.:53', zone: '.', port: 53, scheme: 'dns', ref }],
    plugins: [
      // kube-dns answers pod A records for any IP (CoreDNS's `pods insecure` mirrors it)
      { name: 'kubernetes', zones: [domain], pods: 'insecure', endpointPodNames: false, ref },
      // the most specific stub domain wins, as a resolver picking the longest suffix would
      ...[...(s.stubDomains ?? [])]
        .sort((a, b) => b.domain.length - a.domain.length)
        .map((d) => ({ name: 'forward' as const, from: d.domain, to: d.servers, except: [], ref })),
      { name: 'forward', from: '.', to: s.upstreamNameservers?.length ? s.upstreamNameservers : ['/etc/resolv.conf'], except: [], ref },
    ],
  };
}
