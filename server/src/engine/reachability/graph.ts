// Who talks to whom, as a graph: workloads (grouped by namespace) as nodes, allowed connections as
// edges with their ports, address ranges outside the pods and DNS names the workloads name (resolved
// outside the cluster) as nodes of their own. Filtered to a namespace or a workload and its peers;
// above a threshold, workloads are merged into one node per namespace so a large workspace stays readable.
import type { Model, Workload } from '../model/types';
import type { DnsIndex } from '../dns/records';
import { isAll, union, portSetOf, type PortSet } from '../net/ports';
import type { Matrix } from './matrix';
import { externalConnections } from './externals';
import { sampleAddress } from '../net/ipRanges';
import { findHosts } from '../lint/hosts';
import { runQuery } from './query';
import { portsLabel, verdictText } from '../report/pairVerdict';

export type GraphNodeKind = 'workload' | 'namespace' | 'external' | 'dns';

export interface GraphNode {
  /** a workload id, `namespace:<name>`, `external:<range>` or `dns:<name>` */
  id: string;
  kind: GraphNodeKind;
  label: string;
  /** the namespace group (workloads and aggregated namespaces) */
  namespace?: string;
  /** the workload's kind (Deployment, StatefulSet...) */
  workloadKind?: string;
  /** an aggregated namespace: how many workloads it stands for, and the connections between them */
  workloads?: number;
  internal?: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** "TCP 7070", "all ports" */
  label: string;
  all: boolean;
  /** "allowed on TCP 7070 only" */
  verdict: string;
  /** between aggregated namespaces: how many workload pairs the edge stands for */
  pairs: number;
  /** a DNS name's edge: the port the workload names (a query can explain it) */
  port?: number;
  /**
   * An edge a query cannot take as it is (between merged namespaces, or to an address range): one
   * workload pair it stands for, or the workload and an address of the range, which a query explains.
   */
  example?: EdgeExample;
}

export interface EdgeExample {
  /** a workload id */
  from: string;
  /** a workload id or an IP address */
  to: string;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** true when workloads were merged into their namespaces */
  aggregated: boolean;
  /** workloads in the graph before aggregation */
  workloadCount: number;
  /** every namespace with workloads (for the filter) */
  namespaces: string[];
}

export interface GraphOptions {
  /** only this namespace's workloads and their peers */
  namespace?: string;
  /** only this workload (id) and its peers */
  workload?: string;
  /** merge workloads into namespaces when more than this many would be shown */
  aggregateAbove: number;
}

export const DEFAULT_AGGREGATE_ABOVE = 150;

const ANYWHERE = '0.0.0.0-255.255.255.255';

interface RawEdge {
  from: string;
  to: string;
  ports: PortSet;
  port?: number;
  example?: EdgeExample;
}

/** The ends of the graph: what a workload becomes (itself, or its namespace when aggregated). */
const namespaceId = (ns: string) => `namespace:${ns}`;

export function buildGraph(model: Model, matrix: Matrix, dns: DnsIndex, options: GraphOptions): Graph {
  const inFocus = focusTest(model, options);
  const raw: RawEdge[] = [];
  const shown = new Set<Workload>();
  for (const c of matrix.connections()) {
    if (!inFocus(c.from) && !inFocus(c.to)) continue;
    shown.add(c.from).add(c.to);
    raw.push({ from: c.from.id, to: c.to.id, ports: c.allowed, example: { from: c.from.id, to: c.to.id } });
  }
  for (const w of model.workloads) if (inFocus(w)) shown.add(w);
  const externals = new Map<string, GraphNode>();
  for (const e of externalConnections(model, matrix.index)) {
    if (!inFocus(e.workload)) continue;
    const id = `external:${e.range}`;
    if (!externals.has(id)) externals.set(id, { id, kind: 'external', label: e.range === ANYWHERE ? 'any address (0.0.0.0/0)' : e.range });
    raw.push(
      e.direction === 'egress'
        ? { from: e.workload.id, to: id, ports: e.allowed, example: { from: e.workload.id, to: sampleAddress(e.interval) } }
        : { from: id, to: e.workload.id, ports: e.allowed }, // a query starts at a workload: no example
    );
  }
  for (const w of model.workloads) if (inFocus(w)) raw.push(...dnsEdges(model, dns, w, externals));

  const workloads = model.workloads.filter((w) => shown.has(w));
  const aggregated = workloads.length > options.aggregateAbove;
  const byId = new Map(workloads.map((w) => [w.id, w]));
  const end = (id: string) => {
    const w = byId.get(id);
    return w && aggregated ? namespaceId(w.namespace) : id;
  };
  const nodes: GraphNode[] = [];
  if (aggregated) {
    const counts = new Map<string, number>();
    for (const w of workloads) counts.set(w.namespace, (counts.get(w.namespace) ?? 0) + 1);
    for (const [ns, n] of [...counts].sort(([a], [b]) => cmp(a, b)))
      nodes.push({ id: namespaceId(ns), kind: 'namespace', label: ns, namespace: ns, workloads: n, internal: 0 });
  } else {
    for (const w of workloads) nodes.push({ id: w.id, kind: 'workload', label: w.name, namespace: w.namespace, workloadKind: w.kind });
  }
  nodes.push(...[...externals.values()].sort((a, b) => cmp(a.id, b.id)));

  const merged = new Map<string, GraphEdge & { ports: PortSet }>();
  const nodeById = new Map(nodes.map((n) => [n.id, n]));
  for (const e of raw) {
    const from = end(e.from);
    const to = end(e.to);
    if (from === to) {
      const n = nodeById.get(from);
      if (n && n.internal !== undefined) n.internal++;
      continue;
    }
    const key = `${from}\u0000${to}`;
    const had = merged.get(key);
    const ports = had ? union(had.ports, e.ports) : e.ports;
    merged.set(key, {
      from,
      to,
      ports,
      label: '',
      all: false,
      verdict: '',
      pairs: (had?.pairs ?? 0) + 1,
      ...(e.port !== undefined && !had ? { port: e.port } : {}),
      ...(had?.example ? { example: had.example } : e.example && !queryable(from, to) ? { example: e.example } : {}),
    });
  }
  const edges = [...merged.values()].map(({ ports, ...e }) => ({
    ...e,
    label: portsLabel(ports),
    all: isAll(ports),
    verdict: verdictText(ports),
  }));
  const namespaces = [...new Set(model.workloads.map((w) => w.namespace))].sort(cmp);
  return { nodes, edges, aggregated, workloadCount: workloads.length, namespaces };
}

/** Whether a query takes the edge's ends as they are (workloads, DNS names), so that it needs no example. */
function queryable(from: string, to: string): boolean {
  return ![from, to].some((id) => id.startsWith('namespace:') || id.startsWith('external:'));
}

/** Which workloads the filter is about (their peers come along with their edges). */
function focusTest(model: Model, options: GraphOptions): (w: Workload) => boolean {
  if (options.workload) return (w) => w.id === options.workload;
  if (options.namespace) return (w) => w.namespace === options.namespace;
  return () => model.workloads.length > 0;
}

/** Names a workload's configuration points at that resolve outside the cluster, with the egress its policies allow to them. */
function dnsEdges(model: Model, dns: DnsIndex, w: Workload, nodes: Map<string, GraphNode>): RawEdge[] {
  const out: RawEdge[] = [];
  const seen = new Set<string>();
  for (const c of w.containers)
    for (const v of c.values)
      for (const h of findHosts(v.value, v.where)) {
        // a name without a port says nothing about which connection the workload makes
        const port = h.port || undefined;
        if (port === undefined) continue;
        const key = `${h.host.toLowerCase()}:${port}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const r = runQuery(model, dns, { from: w, to: h.host, protocol: 'TCP', port });
        if (r.resolvedTo?.kind !== 'external' || r.outcome !== 'allowed') continue;
        const name = h.host.replace(/\.$/, '').toLowerCase();
        const id = `dns:${name}`;
        if (!nodes.has(id)) nodes.set(id, { id, kind: 'dns', label: name });
        out.push({ from: w.id, to: id, ports: portSetOf('TCP', [[port, port]]), port });
      }
  return out;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
