// netlens/graph: the graph view's data, computed by the engine (reachability/graph.ts); this only adapts it.
import type { Connection } from 'vscode-languageserver';
import type { ServerState } from '../state';
import * as P from '../../../protocol/messages';
import { buildGraph, DEFAULT_AGGREGATE_ABOVE } from '../engine/reachability/graph';
import { lookup } from '../engine/model/lookup';
import { toRange } from './convert';
import { checkCancelled } from './cancel';

export function registerGraph(connection: Connection, state: ServerState): void {
  connection.onRequest(P.GraphRequest, (params: P.GraphParams | undefined, token): P.GraphResult => {
    checkCancelled(token);
    const snap = state.index.snapshot;
    const p = params ?? {};
    const aggregateAbove =
      typeof p.aggregateAbove === 'number' && Number.isFinite(p.aggregateAbove) && p.aggregateAbove >= 0
        ? p.aggregateAbove
        : DEFAULT_AGGREGATE_ABOVE;
    const g = buildGraph(snap.model, snap.matrix, snap.dns, {
      aggregateAbove,
      ...(typeof p.namespace === 'string' && p.namespace ? { namespace: p.namespace } : {}),
      ...(typeof p.workload === 'string' && p.workload ? { workload: p.workload } : {}),
    });
    const byId = lookup(snap.model);
    const nodes = g.nodes.map((n) => {
      const w = n.kind === 'workload' ? byId.workloadById(n.id) : undefined;
      return w ? { ...n, location: { uri: w.ref.uri, range: toRange(snap, w.ref) } } : n;
    });
    return { version: snap.version, ...g, nodes };
  });
}
