// The custom `netlens/*` requests the client's tree view, commands, matrix view and status use.
import { LSPErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import type { ServerState } from '../state';
import { Snapshot } from '../workspace/snapshot';
import * as P from '../../../protocol/messages';
import type { Workload, SourceRef } from '../engine/model/types';
import { describe, isAll } from '../engine/net/ports';
import { selectedWorkloads } from '../engine/policy/semantics';
import { lookup } from '../engine/model/lookup';
import { rulePeersText, rulePortsText } from '../engine/report/policyText';
import { workloadDetail, type PeerPorts } from '../engine/report/workloadDetail';
import { runQuery, type QueryResult } from '../engine/reachability/query';
import { resolveName, resolveOutcome } from '../engine/dns/resolve';
import { effectiveCni } from '../engine/cni/effective';
import { nodeAt, objectAt } from '../engine/report/nodeAt';
import { findHosts } from '../engine/lint/hosts';
import { queryText } from '../engine/report/queryReport';
import { queryVerdictText } from '../engine/report/pairVerdict';
import { dnsTrafficJson, resolveText } from '../engine/report/resolveReport';
import { toRange } from './convert';
import { checkCancelled } from './cancel';
import { findWorkload, WorkloadRefError } from '../engine/model/workloadRef';
import { writtenLabels } from '../engine/model/controllerLabels';
import { validParams } from './validate';
import { relativeLocator } from '../workspace/relativeLocator';

/** A request that cannot be answered as asked (e.g. an unknown workload): the client gets RequestFailed
 *  with this message, not the InternalError an exception escaping a handler becomes. */
class RequestError extends ResponseError<void> {
  constructor(message: string) {
    super(LSPErrorCodes.RequestFailed, message);
  }
}

function location(snap: Snapshot, at: SourceRef): P.Location {
  // a rendered scope's places are shown where they come from (the base, the patch, the kustomization)
  const ref = snap.mapRef(at);
  return { uri: ref.uri, range: toRange(snap, ref) };
}

function scopesResult(snap: Snapshot): P.ScopesResult {
  return {
    scopes: snap.scopes.map((s) => ({
      id: s.id,
      kind: s.kind,
      root: s.root,
      files: s.files.length,
      ...(s.name !== undefined ? { name: s.name } : {}),
    })),
    active: snap.activeScope,
  };
}

function summary(snap: Snapshot, w: Workload): P.WorkloadSummary {
  return {
    id: w.id,
    kind: w.kind,
    name: w.name,
    namespace: w.namespace,
    labels: { ...writtenLabels(w) },
    hostNetwork: w.hostNetwork,
    location: location(snap, w.ref),
  };
}

/** The workload a request names (the same references as the CLI's); an unknown one is a RequestError. */
function workloadById(snap: Snapshot, id: string): Workload {
  try {
    return findWorkload(snap.model, id);
  } catch (e) {
    throw e instanceof WorkloadRefError ? new RequestError(e.message) : e;
  }
}

function queryDto(snap: Snapshot, r: QueryResult, folders: readonly string[]): P.QueryResultDto {
  return {
    from: r.from.id,
    to: r.to,
    port: r.port ?? null,
    protocol: r.protocol,
    outcome: r.outcome,
    resolvedTo: r.resolvedTo,
    steps: r.steps.map((s) => ({ kind: s.kind, text: s.text, ...(s.ref && s.ref.uri ? { location: location(snap, s.ref) } : {}) })),
    verdict: queryVerdictText(r),
    report: queryText(r, relativeLocator(snap, folders)),
  };
}

export function registerRequests(connection: Connection, state: ServerState): void {
  connection.onRequest(P.StatusRequest, (): P.StatusResult => {
    const snap = state.index.snapshot;
    const m = snap.model;
    // Counting every finding lints the whole workspace: use the background pass's counts unless it has finished for this snapshot.
    const upToDate = snap.findingsComplete;
    const counts = upToDate
      ? Snapshot.count(snap.allFindings(), state.settings.rules)
      : (state.counted?.counts ?? { error: 0, warning: 0, info: 0 });
    const cni = effectiveCni(m);
    const cd = snap.clusterDomain;
    return {
      indexing: state.indexing,
      ...(state.progress ? { progress: state.progress } : {}),
      version: snap.version,
      files: state.index.fileCount,
      workloads: m.workloads.length,
      policies: m.policies.length,
      services: m.services.length,
      findings: counts,
      findingsUpToDate: upToDate,
      cni: cni ? { plugin: cni.plugin, enforcesPolicy: cni.enforcesPolicy, origin: cni.origin } : null,
      clusterDomain: { domain: cd.domain, origin: cd.origin },
      hostNetwork: m.options.hostNetwork,
      skipped: m.skipped.length,
      ...(state.lastIndex ? { lastIndex: state.lastIndex } : {}),
      kubernetes: state.index.hasKubernetes,
      workspaceTrusted: state.workspaceTrusted === true,
      scope: snap.activeScope,
      scopeCount: snap.scopes.length,
      ...(snap.scoping?.active.name !== undefined ? { scopeName: snap.scoping.active.name } : {}),
    };
  });

  connection.onRequest(P.ScopesRequest, (): P.ScopesResult => scopesResult(state.index.snapshot));

  connection.onRequest(P.SetScopeRequest, async (params: P.SetScopeParams): Promise<P.ScopesResult> => {
    if (typeof params?.id !== 'string' || !state.index.setScope(params.id))
      throw new RequestError(`no scope "${String(params?.id)}"; the scopes: ${state.index.snapshot.scopes.map((s) => s.id).join(', ')}`);
    return scopesResult(state.index.flush());
  });

  connection.onRequest(P.ScopesOfRequest, (params: P.ScopesOfParams): string[] =>
    typeof params?.uri === 'string' ? state.index.snapshot.scopesOf(params.uri) : [],
  );

  connection.onRequest(P.NamespacesRequest, (token): P.NamespacesResult => {
    checkCancelled(token);
    const snap = state.index.snapshot;
    const namespaces = [...snap.model.namespaces.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((ns) => ({
        name: ns.name,
        declared: ns.declared,
        labels: { ...ns.labels },
        ...(ns.ref ? { location: location(snap, ns.ref) } : {}),
        workloads: lookup(snap.model)
          .workloadsIn(ns.name)
          .map((w) => summary(snap, w)),
      }));
    return { version: snap.version, namespaces };
  });

  connection.onRequest(P.WorkloadRequest, (raw: P.WorkloadParams, token): P.WorkloadResult => {
    const params = validParams(P.WorkloadRequest.method, raw, { id: { type: 'string' } });
    checkCancelled(token);
    const snap = state.index.snapshot;
    const w = workloadById(snap, params.id);
    const matrix = snap.matrix;
    checkCancelled(token);
    const d = workloadDetail(snap.model, matrix, w);
    const peer = (c: PeerPorts): P.PeerConnection => ({
      workload: summary(snap, c.workload),
      ports: describe(c.ports),
      all: isAll(c.ports),
      ...(c.decidedBy ? { decidedBy: c.decidedBy } : {}),
    });
    const canReach = d.canReach.map(peer);
    const reachableFrom = d.reachableFrom.map(peer);
    const policies = d.policies.map((p) => ({ id: p.id, directions: p.policyTypes, location: location(snap, p.ref) }));
    const services = d.services.map((s) => ({ id: s.id, fqdn: snap.dns.serviceFqdn(s), location: location(snap, s.ref) }));
    return {
      workload: summary(snap, w),
      canReach,
      reachableFrom,
      policies,
      services,
      isolated: {
        ingress: policies.some((p) => p.directions.includes('Ingress')),
        egress: policies.some((p) => p.directions.includes('Egress')),
      },
    };
  });

  connection.onRequest(P.PoliciesRequest, (token): P.PoliciesResult => {
    checkCancelled(token);
    const snap = state.index.snapshot;
    const model = snap.model;
    const policies = model.policies.map((p) => ({
      id: p.id,
      name: p.name,
      namespace: p.namespace,
      policyTypes: p.policyTypes,
      podSelector: p.podSelector.text,
      selected: selectedWorkloads(model, p).map((w) => summary(snap, w)),
      rules: [...p.ingress.map((r) => ['Ingress', r] as const), ...p.egress.map((r) => ['Egress', r] as const)].map(([direction, r]) => ({
        direction,
        index: r.index,
        peers: rulePeersText(model, p, r),
        ports: rulePortsText(r),
        location: location(snap, r.ref),
      })),
      location: location(snap, p.ref),
    }));
    return { version: snap.version, policies };
  });

  connection.onRequest(P.QueryRequest, (raw: P.QueryParams, token): P.QueryResultDto => {
    const params = validParams(P.QueryRequest.method, raw, {
      from: { type: 'string' },
      to: { type: 'string' },
      port: { type: 'integer', min: 1, max: 65535, optional: true },
      protocol: { type: 'enum', values: P.PROTOCOLS, optional: true },
    });
    checkCancelled(token);
    const snap = state.index.snapshot;
    const from = workloadById(snap, params.from);
    const r = runQuery(snap.model, snap.dns, {
      from,
      to: params.to.trim(),
      protocol: params.protocol ?? 'TCP',
      ...(params.port !== undefined ? { port: params.port } : {}),
    });
    return queryDto(snap, r, state.folders);
  });

  connection.onRequest(P.ResolveRequest, (raw: P.ResolveParams, token): P.ResolveResultDto => {
    const params = validParams(P.ResolveRequest.method, raw, { from: { type: 'string' }, name: { type: 'string' } });
    checkCancelled(token);
    const snap = state.index.snapshot;
    const from = workloadById(snap, params.from);
    const r = resolveName(snap.model, snap.dns, from, params.name.trim());
    return {
      from: r.from,
      query: r.query,
      tried: r.tried.map((t) => ({ name: t.name, rcode: t.rcode, ...(t.external ? { external: true } : {}) })),
      answer: r.answer ? { fqdn: r.answer.fqdn, type: r.answer.type, target: r.answer.target, endpoints: r.answer.endpoints } : null,
      rcode: r.rcode,
      searches: r.resolvConf.searches,
      ndots: r.resolvConf.ndots,
      notes: r.notes,
      outcome: resolveOutcome(r),
      dnsTraffic: dnsTrafficJson(r.dnsTraffic, (ref) => snap.locator.format(ref)),
      report: resolveText(r, snap.clusterDomain, (ref) => relativeLocator(snap, state.folders).format(ref)),
    };
  });

  // Paged: one page holds whole rows, about maxCells cells (1,500 unpoliced pods are 2.2 million cells,
  // 69 MB in one answer that held the server 8.5 s); the client asks for the next page from nextRow,
  // and a page of a previous snapshot is refused, so that the pages of one matrix agree.
  connection.onRequest(P.MatrixRequest, (raw: P.MatrixParams | undefined, token): P.MatrixResult => {
    const params = validParams(P.MatrixRequest.method, raw, {
      fromRow: { type: 'integer', min: 0, max: 2 ** 31, optional: true },
      maxCells: { type: 'integer', min: 1, max: P.MATRIX_MAX_CELLS, optional: true },
      version: { type: 'integer', min: 0, max: Number.MAX_SAFE_INTEGER, optional: true },
    });
    checkCancelled(token);
    const snap = state.index.snapshot;
    if (params.version !== undefined && params.version !== snap.version)
      throw new ResponseError(
        LSPErrorCodes.ContentModified,
        `the matrix of version ${params.version} is gone (now ${snap.version}): start again`,
      );
    const ws = snap.model.workloads;
    const fromRow = Math.min(params.fromRow ?? 0, ws.length);
    const maxCells = params.maxCells ?? P.MATRIX_MAX_CELLS;
    const idx = new Map(ws.map((w, i) => [w, i]));
    const cells: P.MatrixResult['cells'] = [];
    let row = fromRow;
    let more = false;
    for (const c of snap.matrix.connections(fromRow)) {
      const from = idx.get(c.from)!;
      if (from !== row) {
        // a page ends between rows
        if (cells.length >= maxCells) {
          more = true;
          break;
        }
        if ((from & 63) === 0) checkCancelled(token);
        row = from;
      }
      cells.push([from, idx.get(c.to)!, describe(c.allowed), isAll(c.allowed) ? 1 : 0]);
    }
    return {
      version: snap.version,
      workloads:
        fromRow === 0
          ? ws.map((w) => ({ id: w.id, namespace: w.namespace, name: w.name, kind: w.kind, location: location(snap, w.ref) }))
          : [],
      cells,
      ...(more ? { nextRow: row + 1 } : {}),
    };
  });

  connection.onRequest(P.ExplainAtRequest, (raw: P.ExplainAtParams, token): P.ExplainAtResult => {
    const params = validParams(P.ExplainAtRequest.method, raw, { uri: { type: 'string' }, position: { type: 'position' } });
    checkCancelled(token);
    const snap = state.index.snapshot;
    if (snap.text(params.uri) === undefined) return {};
    const analysed = snap.toAnalysed(params.uri, snap.lines(params.uri).offset(params.position));
    if (!analysed) return {};
    const offset = analysed.offset;
    const at = objectAt(snap.model, analysed.uri, offset);
    const out: P.ExplainAtResult = {};
    if (at.workload) out.workload = at.workload.id;
    if (at.policy) out.policy = at.policy.id;
    const hit = nodeAt(snap.model, analysed.uri, offset);
    if (hit?.kind === 'value' && hit.workload) {
      const h = findHosts(hit.value.value, hit.value.where)[0];
      if (h)
        out.query = queryDto(
          snap,
          runQuery(snap.model, snap.dns, {
            from: hit.workload,
            to: h.host,
            protocol: 'TCP',
            ...(h.port !== undefined ? { port: h.port } : {}),
          }),
          state.folders,
        );
    }
    return out;
  });
}
