// Runs one query name through the DNS server's configuration as CoreDNS would: the server block
// with the most specific zone, then its plugins in execution order (rewrite, hosts, kubernetes,
// forward); NodeLocal DNSCache's blocks first when it is deployed.
import type { Model } from '../model/types';
import type { DnsAnswer, DnsStep } from './types';
import type { DnsIndex } from './records';
import type { DnsServerConfig, ServerBlockChain } from './dnsServer';
import type { HostsPlugin, RewriteRule } from './corefilePlugins';
import { safeRegex } from './corefilePlugins';
import { kubernetesLookup } from './kubernetesPlugin';
import { isClusterDnsAddress } from './clusterDns';
import { inZone } from './names';

export interface Served {
  steps: DnsStep[];
  outcome: 'answer' | 'nxdomain' | 'forward' | 'refused' | 'servfail';
  answer?: DnsAnswer;
  /** forward: the upstreams */
  forwardedTo?: string[];
  /** why a name is NXDOMAIN, when a plugin says more than "no such record" */
  why?: string;
  /** what else a report should say (a rewrite without answer rewriting) */
  notes?: string[];
}

export function serveName(model: Model, index: DnsIndex, config: DnsServerConfig, name: string): Served {
  const steps: DnsStep[] = [];
  let qname = name;
  if (config.nodeLocal) {
    const r = runBlocks(model, index, config.nodeLocal.blocks, qname, steps, true);
    if (r.outcome !== 'forward' || !r.forwardedTo?.some((to) => isClusterDns(model, to))) return r;
    qname = r.name;
    const next = runBlocks(model, index, config.blocks, qname, steps, false);
    const notes = [...(r.notes ?? []), ...(next.notes ?? [])];
    return { ...next, ...(notes.length ? { notes } : {}) };
  }
  return runBlocks(model, index, config.blocks, qname, steps, false);
}

/** The block serving `name` on port 53 over plain DNS: the longest zone it is in. */
function serverBlockFor(blocks: readonly ServerBlockChain[], name: string): ServerBlockChain | undefined {
  let best: ServerBlockChain | undefined;
  let bestLen = -1;
  for (const b of blocks)
    for (const k of b.keys) {
      if (k.port !== 53 || k.scheme !== 'dns') continue;
      const len = k.zone === '.' ? 0 : k.zone.length;
      if ((k.zone === '.' || inZone(name, k.zone)) && len > bestLen) {
        best = b;
        bestLen = len;
      }
    }
  return best;
}

function runBlocks(
  model: Model,
  index: DnsIndex,
  blocks: readonly ServerBlockChain[],
  name: string,
  steps: DnsStep[],
  nodeLocal: boolean,
): Served & { name: string } {
  // the assumed default Corefile has no source: its steps carry no ref
  const mark = ({ ref, ...s }: DnsStep): DnsStep => ({ ...s, ...(ref?.uri ? { ref } : {}), ...(nodeLocal ? { nodeLocal: true } : {}) });
  const notes: string[] = [];
  const done = (r: Omit<Served, 'steps' | 'notes'> & { name: string }): Served & { name: string } => ({
    steps,
    ...r,
    ...(notes.length ? { notes } : {}),
  });
  const block = serverBlockFor(blocks, name);
  if (!block) {
    steps.push(mark({ plugin: 'server', action: 'refused' }));
    return done({ outcome: 'refused', name });
  }
  let qname = name;
  for (const p of block.plugins) {
    if ('other' in p) continue;
    if (p.name === 'rewrite') {
      const { name: to, answerRewritten } = rewriteName(p.rules, qname);
      if (to !== qname) {
        steps.push(mark({ plugin: 'rewrite', action: 'rewrite', name: to, ref: p.ref }));
        if (!answerRewritten)
          notes.push(
            `${qname} is rewritten to ${to} without "answer auto" or "answer name": the response names ${to}, not the name asked, and some clients reject such a response`,
          );
        qname = to;
      }
    } else if (p.name === 'hosts') {
      if (!p.zones.some((z) => z === '.' || inZone(qname, z))) continue;
      const addresses = hostsLookup(p, qname);
      if (addresses) {
        steps.push(mark({ plugin: 'hosts', action: 'answer', to: addresses, ref: p.ref }));
        const workloads = model.workloads.filter((w) => w.podIPs.some((ip) => addresses.includes(ip)));
        const answer: DnsAnswer = {
          fqdn: qname,
          type: 'Address',
          target: addresses.join(', '),
          endpoints: workloads.map((w) => w.id),
          workloads,
          addresses,
        };
        return done({ outcome: 'answer', answer, name: qname });
      }
      if (covers(p.fallthrough, p.zones, qname)) continue;
      steps.push(mark({ plugin: 'hosts', action: 'nxdomain', ref: p.ref }));
      return done({
        outcome: 'nxdomain',
        name: qname,
        why: `${qname} is in the zones of the hosts plugin, which has no entry for it and no fallthrough (its file ${p.file} is not in the workspace)`,
      });
    } else if (p.name === 'kubernetes') {
      if (!p.zones.some((z) => z !== '.' && inZone(qname, z))) continue;
      const r = kubernetesLookup(model, index, p, qname);
      if (r.answer) {
        steps.push(mark({ plugin: 'kubernetes', action: 'answer', ref: p.ref }));
        return done({ outcome: 'answer', answer: r.answer, name: qname });
      }
      if (covers(p.fallthrough, p.zones, qname)) {
        steps.push(mark({ plugin: 'kubernetes', action: 'fallthrough', ref: p.ref }));
        continue;
      }
      steps.push(mark({ plugin: 'kubernetes', action: 'nxdomain', ref: p.ref }));
      return done({ outcome: 'nxdomain', name: qname, ...(r.why ? { why: r.why } : {}) });
    } else if (p.name === 'forward') {
      if (!(p.from === '.' || inZone(qname, p.from)) || p.except.some((z) => inZone(qname, z))) continue;
      steps.push(mark({ plugin: 'forward', action: 'forward', to: p.to, ref: p.ref }));
      return done({ outcome: 'forward', forwardedTo: p.to, name: qname });
    }
  }
  steps.push(mark({ plugin: 'server', action: 'servfail', ref: block.ref ?? block.keys[0].ref }));
  return done({ outcome: 'servfail', name: qname });
}

/** `fallthrough` alone covers all of the plugin's zones; with zones, only names in them. */
function covers(fallthrough: string[] | undefined, zones: string[], name: string): boolean {
  if (!fallthrough) return false;
  const list = fallthrough.length ? fallthrough : zones;
  return list.some((z) => z === '.' || inZone(name, z));
}

function hostsLookup(h: HostsPlugin, name: string): string[] | undefined {
  const exact = h.entries.get(name);
  if (exact) return exact;
  // `*.example.com` matches exactly one more label, and not example.com itself
  const dot = name.indexOf('.');
  return dot > 0 ? h.entries.get(`*${name.slice(dot)}`) : undefined;
}

/** The name after the rewrite rules: in order, until a matching `stop` rule (the default mode). */
function rewriteName(rules: readonly RewriteRule[], name: string): { name: string; answerRewritten: boolean } {
  let n = name;
  let answerRewritten = false;
  for (const r of rules) {
    const next = applyRule(r, n);
    if (next === undefined) continue;
    n = next;
    if (r.answer) answerRewritten = true;
    if (r.mode === 'stop') break;
  }
  return { name: n, answerRewritten };
}

function applyRule(r: RewriteRule, name: string): string | undefined {
  const from = r.from.toLowerCase();
  const to = r.to.toLowerCase();
  const strip = (s: string) => s.replace(/\.$/, '');
  switch (r.match) {
    case 'exact':
      return name === strip(from) ? strip(to) : undefined;
    case 'prefix':
      return name.startsWith(from) ? strip(to + name.slice(from.length)) : undefined;
    case 'suffix': {
      const f = strip(from);
      return name.endsWith(f) ? strip(name.slice(0, name.length - f.length) + strip(to)) : undefined;
    }
    case 'substring':
      return name.includes(from) ? strip(name.split(from).join(to)) : undefined;
    case 'regex': {
      // CoreDNS matches the fully qualified name (with its trailing dot); {1}, {2} are the groups
      const re = safeRegex(r.from);
      const m = re?.exec(`${name}.`);
      if (!m) return undefined;
      return strip(to.replace(/\{(\d+)\}/g, (_all, g: string) => m[Number(g)] ?? '')).toLowerCase();
    }
  }
}

/** A forward target that is the cluster DNS (NodeLocal DNSCache sends the cluster zone there). */
function isClusterDns(model: Model, to: string): boolean {
  if (/^__PILLAR__(CLUSTER__DNS|DNS__SERVER)__$/.test(to)) return true;
  const host = to
    .replace(/^dns:\/\//, '')
    .replace(/^\[(.*)\](:\d+)?$/, '$1')
    .replace(/^([^:]+):\d+$/, '$1');
  return isClusterDnsAddress(model, host) === 'known';
}
