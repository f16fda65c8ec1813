// The names pods use (URLs, host:port pairs and host variables in their containers) and where each
// leads in one version: resolved or not, and the pods and ports a connection would reach.
import type { Model, Workload } from '../model/types';
import { findHosts } from '../lint/hosts';
import { buildDnsIndex } from '../dns/records';
import { clusterDomainOf } from '../dns/clusterDomain';
import { runQuery, type QueryResult } from '../reachability/query';
import type { SearchCache } from '../dns/resolve';
import { NO_PORTS, portSetOf, union, describe, type PortSet } from '../net/ports';

export interface NameUse {
  workload: Workload;
  host: string;
  port?: number;
}

export interface NameOutcome {
  /** the name resolves (to something in or outside the cluster) */
  resolved: boolean;
  allowed: boolean;
  ports: PortSet;
  /** "shop/cart[Deployment] TCP 8080" per reached target, sorted; or the outcome ("nxdomain") */
  note: string;
  /** the Service (or workload) the name resolved to */
  resolvedTo?: string;
  targets: string[];
}

export const nameKey = (workloadId: string, host: string, port?: number) => `${workloadId}\u0000${host}${port ? `:${port}` : ''}`;

/** The names each workload's containers use, once per (workload, name, port). */
export function namesUsed(model: Model): Map<string, NameUse> {
  const out = new Map<string, NameUse>();
  for (const w of model.workloads)
    for (const c of w.containers)
      for (const v of c.values)
        for (const h of findHosts(v.value, v.where)) {
          const k = nameKey(w.id, h.host, h.port);
          if (!out.has(k)) out.set(k, { workload: w, host: h.host, ...(h.port ? { port: h.port } : {}) });
        }
  return out;
}

export function nameResolver(model: Model): (use: NameUse) => NameOutcome {
  const dns = buildDnsIndex(model, clusterDomainOf(model).domain);
  // pods of one namespace use the same names: each (resolv.conf, name) is searched once
  const searches: SearchCache = new Map();
  return (use) =>
    outcomeOf(
      runQuery(model, dns, { from: use.workload, to: use.host, protocol: 'TCP', searches, ...(use.port ? { port: use.port } : {}) }),
    );
}

function outcomeOf(r: QueryResult): NameOutcome {
  const resolved = r.outcome !== 'nxdomain' && r.outcome !== 'dns-blocked';
  const allowed = r.outcome === 'allowed';
  const reached = r.targets.filter((t) => t.allowed);
  let ports: PortSet = NO_PORTS;
  if (allowed) ports = r.port ? portSetOf(r.protocol, [[r.port, r.port]]) : reached.reduce((s, t) => union(s, t.verdict.allowed), NO_PORTS);
  if (allowed && reached.length === 0 && !r.port) ports = portSetOf(r.protocol, [[1, 65535]]);
  const targets = reached.map((t) => `${t.workload.id} ${t.port ? `${r.protocol} ${t.port}` : describe(t.verdict.allowed)}`).sort();
  const note = allowed ? (targets.length ? targets.join(', ') : `allowed (${r.resolvedTo?.kind ?? 'outside'})`) : r.outcome;
  return { resolved, allowed, ports, note, targets, ...(r.resolvedTo?.id ? { resolvedTo: r.resolvedTo.id } : {}) };
}
