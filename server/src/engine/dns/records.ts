// The cluster DNS records of a model, per kubernetes/dns docs/specification.md and "DNS for
// Services and Pods": Service A/CNAME/SRV records, headless per-endpoint names, pod A records.
import type { Model, Service, Workload } from '../model/types';
import type { DnsAnswer } from './types';
import { backendPort, serviceBackends, type Backend } from './endpoints';
import { inZone, ipLabel, ipOfLabel, normalizeName } from './names';

export interface DnsIndex {
  /** the cluster domain, lower-case, without trailing dot */
  readonly zone: string;
  /** every record by its normalized name (lower-case, no trailing dot) */
  readonly records: ReadonlyMap<string, DnsAnswer>;
  /** the answer for an absolute name (case-insensitive, trailing dot optional) */
  lookup(fqdn: string): DnsAnswer | undefined;
  /** the Service a record belongs to (its own name, a per-endpoint name or an SRV name) */
  serviceByFqdn(fqdn: string): Service | undefined;
  serviceById(id: string): Service | undefined;
  /** Services of that name in any namespace, e.g. to suggest `name.ns` for a short name */
  servicesNamed(name: string): Service[];
  /** `<service>.<ns>.svc.<zone>` */
  serviceFqdn(svc: Service): string;
  /** why a name that looks like a record has none (a headless Service without endpoints) */
  whyMissing(fqdn: string): string | undefined;
  inZone(name: string): boolean;
}

export function buildDnsIndex(model: Model, clusterDomain: string): DnsIndex {
  const zone = normalizeName(clusterDomain);
  const records = new Map<string, DnsAnswer>();
  const missing = new Map<string, string>();
  const byId = new Map<string, Service>();
  const byName = new Map<string, Service[]>();
  const svcFqdn = (s: Service) => `${s.name}.${s.namespace}.svc.${zone}`.toLowerCase();

  for (const svc of model.services) {
    byId.set(svc.id, svc);
    const named = byName.get(svc.name.toLowerCase());
    if (named) named.push(svc);
    else byName.set(svc.name.toLowerCase(), [svc]);
    const fqdn = svcFqdn(svc);
    if (svc.type === 'ExternalName') {
      // the API requires externalName for this type; without it there is nothing to answer
      if (svc.externalName) add(records, { fqdn, type: 'ExternalName', target: svc.id, endpoints: [], service: svc, workloads: [], cname: normalizeName(svc.externalName) });
      continue;
    }
    const backends = serviceBackends(model, svc);
    if (svc.headless) addHeadless(records, missing, svc, fqdn, backends);
    else addClusterIp(records, svc, fqdn, backends);
  }
  for (const w of model.workloads) addPodRecords(records, w, zone);

  const lookup = (name: string): DnsAnswer | undefined => {
    const n = normalizeName(name);
    return records.get(n) ?? records.get(canonicalPodName(n, zone) ?? '');
  };
  return {
    zone,
    records,
    lookup,
    serviceByFqdn: (name) => lookup(name)?.service,
    serviceById: (id) => byId.get(id),
    servicesNamed: (name) => byName.get(name.toLowerCase()) ?? [],
    serviceFqdn: svcFqdn,
    whyMissing: (name) => missing.get(normalizeName(name)),
    inZone: (name) => inZone(name, zone),
  };
}

function addClusterIp(records: Map<string, DnsAnswer>, svc: Service, fqdn: string, backends: Backend[]): void {
  const base = serviceAnswer(svc, fqdn, 'Service', backends);
  add(records, base);
  for (const p of svc.ports) {
    if (!p.name) continue; // unnamed ports have no SRV record
    add(records, { ...base, fqdn: srvName(p.name, p.protocol, fqdn), srv: [{ port: p.port, target: fqdn }] });
  }
}

function addHeadless(records: Map<string, DnsAnswer>, missing: Map<string, string>, svc: Service, fqdn: string, backends: Backend[]): void {
  if (backends.length === 0) {
    missing.set(fqdn, `${svc.id} is headless and has no ready endpoints in the workspace: per the DNS specification its name is NXDOMAIN`);
    return;
  }
  add(records, serviceAnswer(svc, fqdn, 'HeadlessService', backends));
  // one name per endpoint: its hostname, else (as CoreDNS does) its IP with dashes
  const named = backends.map((b) => ({ b, label: b.hostname ?? (b.ip ? ipLabel(b.ip) : undefined) }));
  for (const { b, label } of named) {
    if (!label) continue;
    const name = `${label.toLowerCase()}.${fqdn}`;
    add(records, b.workload
      ? { fqdn: name, type: 'Pod', target: b.workload.id, endpoints: [b.workload.id], service: svc, workloads: [b.workload], ...(b.podName ? { podName: b.podName } : {}) }
      : { fqdn: name, type: 'HeadlessService', target: svc.id, endpoints: [], service: svc, workloads: [], ...(b.ip ? { addresses: [b.ip] } : {}) });
  }
  for (const p of svc.ports) {
    if (!p.name) continue;
    const srv = named.flatMap(({ b, label }) => {
      const port = backendPort(p, b);
      // an endpoint without hostname or known IP gets a name the cluster assigns: shown as a placeholder
      return port === undefined ? [] : [{ port, target: `${label ?? '<pod-ip>'}.${fqdn}` }];
    });
    if (srv.length) add(records, { ...serviceAnswer(svc, fqdn, 'HeadlessService', backends), fqdn: srvName(p.name, p.protocol, fqdn), srv });
  }
}

function addPodRecords(records: Map<string, DnsAnswer>, w: Workload, zone: string): void {
  for (const ip of w.podIPs) {
    const label = ipLabel(ip);
    if (!label) continue;
    add(records, { fqdn: `${label}.${w.namespace}.pod.${zone}`.toLowerCase(), type: 'Pod', target: w.id, endpoints: [w.id], workloads: [w] });
  }
}

function serviceAnswer(svc: Service, fqdn: string, type: 'Service' | 'HeadlessService', backends: Backend[]): DnsAnswer {
  const workloads: Workload[] = [];
  const addresses: string[] = [];
  for (const b of backends) {
    if (b.workload) {
      if (!workloads.includes(b.workload)) workloads.push(b.workload);
    } else if (b.ip && !addresses.includes(b.ip)) addresses.push(b.ip);
  }
  return { fqdn, type, target: svc.id, endpoints: workloads.map((w) => w.id), service: svc, workloads, ...(addresses.length ? { addresses } : {}) };
}

function srvName(port: string, protocol: string, fqdn: string): string {
  return `_${port}._${protocol}.${fqdn}`.toLowerCase();
}

/** Several endpoints may share a name (replicas with one hostname): their answers merge. */
function add(records: Map<string, DnsAnswer>, a: DnsAnswer): void {
  const prev = records.get(a.fqdn);
  if (!prev) {
    records.set(a.fqdn, a);
    return;
  }
  if (prev.target !== a.target && prev.service !== a.service) return; // first definition wins
  const workloads = [...prev.workloads, ...a.workloads.filter((w) => !prev.workloads.includes(w))];
  const addresses = [...(prev.addresses ?? []), ...(a.addresses ?? []).filter((x) => !prev.addresses?.includes(x))];
  records.set(a.fqdn, {
    ...prev,
    workloads,
    endpoints: workloads.map((w) => w.id),
    ...(addresses.length ? { addresses } : {}),
    ...(prev.srv || a.srv ? { srv: [...(prev.srv ?? []), ...(a.srv ?? [])] } : {}),
  });
}

/** `<ip>.<ns>.pod.<zone>` in its canonical spelling, so IPv6 labels written differently still match. */
function canonicalPodName(name: string, zone: string): string | undefined {
  const suffix = `.pod.${zone}`;
  if (!name.endsWith(suffix)) return undefined;
  const parts = name.slice(0, -suffix.length).split('.');
  if (parts.length !== 2) return undefined;
  const ip = ipOfLabel(parts[0]);
  const label = ip ? ipLabel(ip) : undefined;
  return label ? `${label}.${parts[1]}${suffix}` : undefined;
}
