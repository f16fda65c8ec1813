// The cluster DNS records of a model, per kubernetes/dns docs/specification.md and "DNS for
// Services and Pods": Service A/CNAME/SRV records, headless per-endpoint names, pod A records.
import type { Model, Service, Workload } from '../model/types';
import type { DnsAnswer } from './types';
import { backendPort, serviceBackends, type Backend } from './endpoints';
import { inZone, ipLabel, ipOfLabel, normalizeName } from './names';
import { KUBE_DNS_STAND_IN, kubeDnsServiceStandIn } from './dnsStandIn';
import { lookup as modelLookup } from '../model/lookup';

export interface DnsIndex {
  /** the cluster domain, lower-case, without trailing dot */
  readonly zone: string;
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

/** One namespace's records: every cluster name has its namespace as the label before `svc`/`pod`. */
interface NamespaceRecords {
  records: Map<string, DnsAnswer>;
  missing: Map<string, string>;
}

// Records are built per namespace when a name in it is first looked up: a lookup (lint of one file,
// a query) then costs the namespaces it names, not the whole workspace.
export function buildDnsIndex(model: Model, clusterDomain: string): DnsIndex {
  const zone = normalizeName(clusterDomain);
  const l = modelLookup(model);
  const built = new Map<string, NamespaceRecords>();
  const svcFqdn = (s: Service) => `${s.name}.${s.namespace}.svc.${zone}`.toLowerCase();
  // Everything here is found on first use, from the model's lookup (carried over after an edit): a new
  // snapshot's first hover or lint pays for the namespaces it names, not a pass over every Service.
  // Without CoreDNS in the workspace, the assumed standard kube-dns Service answers for its name.
  let standIn: { svc: Service | undefined } | undefined;
  const dnsStandIn = () => (standIn ??= { svc: kubeDnsServiceStandIn(model) }).svc;
  let byId: Map<string, Service> | undefined;
  const ids = () => {
    if (!byId) {
      byId = new Map();
      for (const svc of model.services) byId.set(svc.id, svc);
      const s = dnsStandIn();
      if (s) byId.set(s.id, s);
    }
    return byId;
  };
  let byName: Map<string, Service[]> | undefined;
  const names = () => {
    if (!byName) {
      byName = new Map();
      for (const svc of model.services) push(byName, svc.name.toLowerCase(), svc);
      const s = dnsStandIn();
      if (s) push(byName, s.name, s);
    }
    return byName;
  };
  // a lower-case namespace's Services and pods (DNS names are case-insensitive: a namespace spelt with
  // capitals somewhere makes these a filter over the model)
  const servicesIn = (ns: string): readonly Service[] =>
    l.namespaceCapitals ? model.services.filter((s) => s.namespace.toLowerCase() === ns) : l.servicesIn(ns);
  const podsIn = (ns: string): readonly Workload[] =>
    (l.namespaceCapitals ? model.workloads.filter((w) => w.namespace.toLowerCase() === ns) : l.workloadsIn(ns)).filter(
      (w) => w.podIPs.length,
    );

  const recordsOf = (ns: string): NamespaceRecords => {
    let r = built.get(ns);
    if (!r) {
      r = { records: new Map(), missing: new Map() };
      for (const svc of servicesIn(ns)) addService(model, r, svc, svcFqdn(svc));
      for (const w of podsIn(ns)) addPodRecords(r.records, w, zone);
      const s = ns === 'kube-system' ? dnsStandIn() : undefined;
      if (s) addClusterIp(r.records, s, svcFqdn(s), [{ workload: KUBE_DNS_STAND_IN }]);
      built.set(ns, r);
    }
    return r;
  };
  /** `<...>.<ns>.(svc|pod).<zone>`: the namespace label, or undefined for names no record can have */
  const namespaceOf = (n: string): string | undefined => {
    const suffix = `.${zone}`;
    if (!n.endsWith(suffix)) return undefined;
    const labels = n.slice(0, -suffix.length).split('.');
    const kind = labels[labels.length - 1];
    return labels.length >= 3 && (kind === 'svc' || kind === 'pod') ? labels[labels.length - 2] : undefined;
  };
  const lookup = (name: string): DnsAnswer | undefined => {
    const n = normalizeName(name);
    const ns = namespaceOf(n);
    if (ns === undefined) return undefined;
    const { records } = recordsOf(ns);
    return records.get(n) ?? records.get(canonicalPodName(n, zone) ?? '');
  };
  return {
    zone,
    lookup,
    serviceByFqdn: (name) => lookup(name)?.service,
    serviceById: (id) => ids().get(id),
    servicesNamed: (name) => names().get(name.toLowerCase()) ?? [],
    serviceFqdn: svcFqdn,
    whyMissing: (name) => {
      const n = normalizeName(name);
      const ns = namespaceOf(n);
      return ns === undefined ? undefined : recordsOf(ns).missing.get(n);
    },
    inZone: (name) => inZone(name, zone),
  };
}

function addService(model: Model, r: NamespaceRecords, svc: Service, fqdn: string): void {
  if (svc.type === 'ExternalName') {
    // the API requires externalName for this type; without it there is nothing to answer
    if (svc.externalName)
      add(r.records, {
        fqdn,
        type: 'ExternalName',
        target: svc.id,
        endpoints: [],
        service: svc,
        workloads: [],
        cname: normalizeName(svc.externalName),
      });
    return;
  }
  const backends = serviceBackends(model, svc);
  if (svc.headless) addHeadless(r.records, r.missing, svc, fqdn, backends);
  else addClusterIp(r.records, svc, fqdn, backends);
}

function push<V>(m: Map<string, V[]>, k: string, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
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
    add(
      records,
      b.workload
        ? {
            fqdn: name,
            type: 'Pod',
            target: b.workload.id,
            endpoints: [b.workload.id],
            service: svc,
            workloads: [b.workload],
            ...(b.podName ? { podName: b.podName } : {}),
          }
        : {
            fqdn: name,
            type: 'HeadlessService',
            target: svc.id,
            endpoints: [],
            service: svc,
            workloads: [],
            ...(b.ip ? { addresses: [b.ip] } : {}),
          },
    );
  }
  for (const p of svc.ports) {
    if (!p.name) continue;
    const srv = named.flatMap(({ b, label }) => {
      const port = backendPort(p, b);
      // an endpoint without hostname or known IP gets a name the cluster assigns: shown as a placeholder
      return port === undefined ? [] : [{ port, target: `${label ?? '<pod-ip>'}.${fqdn}` }];
    });
    if (srv.length)
      add(records, { ...serviceAnswer(svc, fqdn, 'HeadlessService', backends), fqdn: srvName(p.name, p.protocol, fqdn), srv });
  }
}

function addPodRecords(records: Map<string, DnsAnswer>, w: Workload, zone: string): void {
  for (const ip of w.podIPs) {
    const label = ipLabel(ip);
    if (!label) continue;
    add(records, {
      fqdn: `${label}.${w.namespace}.pod.${zone}`.toLowerCase(),
      type: 'Pod',
      target: w.id,
      endpoints: [w.id],
      workloads: [w],
    });
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
  return {
    fqdn,
    type,
    target: svc.id,
    endpoints: workloads.map((w) => w.id),
    service: svc,
    workloads,
    ...(addresses.length ? { addresses } : {}),
  };
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
