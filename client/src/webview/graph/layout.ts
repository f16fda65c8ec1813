// Places the graph with dagre (a layered layout): namespaces are compound nodes around their workloads,
// edges run left to right with room for their port labels.
import dagre from '@dagrejs/dagre';
import type * as P from '../../../../protocol/messages';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface PlacedNode extends Box {
  node: P.GraphNodeDto;
}
export interface PlacedEdge {
  edge: P.GraphEdgeDto;
  points: { x: number; y: number }[];
  labelAt: { x: number; y: number };
}
export interface Placed {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  groups: (Box & { namespace: string })[];
  width: number;
  height: number;
}

const CHAR = 7.2;
const NODE_HEIGHT = 40;

export function nodeWidth(n: P.GraphNodeDto): number {
  const sub = subtitle(n);
  return Math.max(90, Math.ceil(Math.max(n.label.length, sub.length) * CHAR) + 28);
}

/** The smaller second line of a node: its kind, or what an aggregated namespace holds. */
export function subtitle(n: P.GraphNodeDto): string {
  switch (n.kind) {
    case 'workload':
      return n.workloadKind ?? 'workload';
    case 'namespace':
      return `${n.workloads} workloads${n.internal ? `, ${n.internal} connections inside` : ''}`;
    case 'external':
      return 'addresses outside the pods';
    case 'dns':
      return 'DNS name outside the cluster';
  }
}

const groupId = (ns: string) => `group:${ns}`;

export function layoutGraph(g: P.GraphResult): Placed {
  const graph = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  graph.setGraph({ rankdir: 'LR', nodesep: 24, ranksep: 60, edgesep: 16, marginx: 16, marginy: 16 });
  graph.setDefaultEdgeLabel(() => ({}));
  const grouped = !g.aggregated;
  if (grouped)
    for (const ns of new Set(g.nodes.filter((n) => n.kind === 'workload').map((n) => n.namespace!)))
      graph.setNode(groupId(ns), { label: ns, paddingTop: 28 });
  for (const n of g.nodes) {
    graph.setNode(n.id, { width: nodeWidth(n), height: NODE_HEIGHT });
    if (grouped && n.kind === 'workload' && n.namespace) graph.setParent(n.id, groupId(n.namespace));
  }
  for (const e of g.edges) graph.setEdge(e.from, e.to, { width: Math.ceil(e.label.length * CHAR) + 8, height: 16, labelpos: 'c' });
  dagre.layout(graph);
  const nodes: PlacedNode[] = g.nodes.map((node) => {
    const p = graph.node(node.id);
    return { node, x: p.x - p.width / 2, y: p.y - p.height / 2, width: p.width, height: p.height };
  });
  const edges: PlacedEdge[] = g.edges.map((edge) => {
    const p = graph.edge(edge.from, edge.to);
    return { edge, points: p.points ?? [], labelAt: { x: p.x ?? 0, y: p.y ?? 0 } };
  });
  const groups = grouped
    ? graph
        .nodes()
        .filter((id) => id.startsWith('group:'))
        .map((id) => {
          const p = graph.node(id);
          return {
            namespace: id.slice('group:'.length),
            x: p.x - p.width / 2,
            y: p.y - p.height / 2 - 14,
            width: p.width,
            height: p.height + 14,
          };
        })
    : [];
  const size = graph.graph();
  return { nodes, edges, groups, width: (size.width ?? 0) + 32, height: (size.height ?? 0) + 32 };
}
