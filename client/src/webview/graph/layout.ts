// Places the graph with dagre (a layered layout): namespaces are compound nodes around their workloads,
// edges run left to right (or top to bottom) with room for their port labels. chooseDirection picks the
// one of the two that shows the graph largest in the room the view has (the explanation panel takes a
// third of the width, and a wide graph then fits better drawn top to bottom).
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

/** LR: edges run left to right; TB: top to bottom. */
export type Direction = 'LR' | 'TB';

/** Below this scale labels are unreadable: the view scrolls instead. */
export const MIN_SCALE = 0.6;

/** The scale that shows all of a `width` x `height` drawing in `room` (never enlarged, never below MIN_SCALE). */
export function fitScale(width: number, height: number, room: { width: number; height: number }): number {
  if (!(width > 0) || !(height > 0)) return 1;
  return Math.max(MIN_SCALE, Math.min(1, room.width / width, room.height / height));
}

/**
 * The direction whose layout fits `room` at the larger scale. The current one is kept unless the other
 * is clearly better (by 5 %), so that a resize near a tie does not redraw the graph back and forth.
 */
export function chooseDirection(
  layout: (d: Direction) => Placed,
  room: { width: number; height: number },
  current: Direction = 'LR',
): Direction {
  const other: Direction = current === 'LR' ? 'TB' : 'LR';
  const exact = (p: Placed) => Math.min(1, room.width / p.width, room.height / p.height);
  const mine = exact(layout(current));
  if (mine >= 1) return current;
  return exact(layout(other)) > mine * 1.05 ? other : current;
}

export function layoutGraph(g: P.GraphResult, direction: Direction = 'LR'): Placed {
  const graph = new dagre.graphlib.Graph({ compound: true, multigraph: false });
  graph.setGraph({ rankdir: direction, nodesep: 24, ranksep: 60, edgesep: 16, marginx: 16, marginy: 16 });
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
