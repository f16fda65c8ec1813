// Renders the matrix: json (the contract of docs/cli.md), text (np-guard style), md, csv, dot and stats.
import type { Model } from '../model/types';
import type { Matrix, Connection } from '../reachability/matrix';
import { describe, toJson } from '../net/ports';
import type { Locator } from './locate';
import { externalConnections, type ExternalConnection } from '../reachability/externals';
import { writtenLabels } from '../model/controllerLabels';
import { csvCell, mdCell, textField } from './escape';

function externalEnds(e: ExternalConnection): { from: string; to: string } {
  const range = `${e.range}[External]`;
  return e.direction === 'egress' ? { from: e.workload.id, to: range } : { from: range, to: e.workload.id };
}

export type MatrixFormat = 'json' | 'text' | 'md' | 'csv' | 'dot' | 'stats';
export const MATRIX_FORMATS: readonly MatrixFormat[] = ['json', 'text', 'md', 'csv', 'dot', 'stats'];

export function renderMatrix(format: MatrixFormat, model: Model, matrix: Matrix, clusterDomain: string, locator: Locator): string {
  switch (format) {
    case 'json':
      return matrixJson(model, matrix, clusterDomain, locator);
    case 'text': {
      const all = [
        ...sorted(matrix).map((c) => `${textField(c.from.id)} => ${textField(c.to.id)} : ${describe(c.allowed)}`),
        ...externalConnections(model, matrix.index).map((e) => {
          const { from, to } = externalEnds(e);
          return `${textField(from)} => ${textField(to)} : ${describe(e.allowed)}`;
        }),
      ].sort();
      return all.map((l) => `${l}\n`).join('');
    }
    case 'md':
      return `| source | destination | allowed |\n|---|---|---|\n${lines(matrix, (c) => `| ${mdCell(c.from.id)} | ${mdCell(c.to.id)} | ${describe(c.allowed)} |`)}`;
    case 'csv':
      return `source,destination,allowed\n${lines(matrix, (c) => [c.from.id, c.to.id, describe(c.allowed)].map(csvCell).join(','))}`;
    case 'dot':
      return matrixDot(model, matrix);
    case 'stats':
      return `${JSON.stringify(matrixStats(model, matrix), null, 2)}\n`;
  }
}

function sorted(matrix: Matrix): Connection[] {
  return [...matrix.connections()].sort((a, b) => cmp(a.from.id, b.from.id) || cmp(a.to.id, b.to.id));
}

function lines(matrix: Matrix, f: (c: Connection) => string): string {
  return sorted(matrix)
    .map((c) => `${f(c)}\n`)
    .join('');
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function matrixJson(model: Model, matrix: Matrix, clusterDomain: string, locator: Locator): string {
  const workloads = model.workloads.map((w) => {
    const loc = locator.locate(w.objectRef);
    return {
      id: w.id,
      kind: w.kind,
      namespace: w.namespace,
      name: w.name,
      labels: writtenLabels(w),
      source: { file: loc.file, line: loc.line },
      ...(w.members.length ? { members: w.members } : {}),
      ...(w.hostNetwork ? { hostNetwork: true } : {}),
    };
  });
  const connections = [];
  for (const c of matrix.connections()) connections.push({ from: c.from.id, to: c.to.id, allowed: toJson(c.allowed) });
  const out = {
    clusterDomain,
    workloads,
    connections,
    externals: externalConnections(model, matrix.index).map((e) => ({ ...externalEnds(e), allowed: toJson(e.allowed) })),
    policies: model.policies.map((p) => ({ id: p.id, policyTypes: p.policyTypes, source: locator.locate(p.ref) })),
    skipped: model.skipped.map((s) => ({
      file: s.ref ? locator.locate(s.ref).file : s.uri,
      ...(s.ref ? { line: locator.locate(s.ref).line } : {}),
      reason: s.reason,
    })),
  };
  return `${JSON.stringify(out, null, 1)}\n`;
}

export interface MatrixStats {
  workloads: number;
  classes: number;
  rowTypes: number;
  columnTypes: number;
  namespaces: number;
  policies: number;
  connectedPairs: number;
  fullyOpenPairs: number;
  isolatedIngress: number;
  isolatedEgress: number;
}

export function matrixStats(model: Model, matrix: Matrix): MatrixStats {
  const idx = matrix.index;
  const count = (side: (unknown[] | null)[]) => model.workloads.filter((w) => side[idx.classOf.get(w)!] !== null).length;
  return {
    workloads: model.workloads.length,
    classes: idx.classes.filter((c) => c.members.length > 0).length,
    rowTypes: matrix.types.rows,
    columnTypes: matrix.types.columns,
    namespaces: model.namespaces.size,
    policies: model.policies.length,
    ...matrix.counts(),
    isolatedIngress: count(idx.ingress),
    isolatedEgress: count(idx.egress),
  };
}

function matrixDot(model: Model, matrix: Matrix): string {
  const q = (s: string) => JSON.stringify(s);
  const out = ['digraph netlens {', '  rankdir=LR;', '  node [shape=box, fontsize=10];'];
  const byNs = new Map<string, string[]>();
  for (const w of model.workloads) byNs.set(w.namespace, [...(byNs.get(w.namespace) ?? []), w.id]);
  let i = 0;
  for (const [ns, ids] of [...byNs].sort((a, b) => cmp(a[0], b[0]))) {
    out.push(`  subgraph cluster_${i++} {`, `    label=${q(ns)};`);
    for (const id of ids) out.push(`    ${q(id)} [label=${q(id.slice(ns.length + 1))}];`);
    out.push('  }');
  }
  for (const c of sorted(matrix)) out.push(`  ${q(c.from.id)} -> ${q(c.to.id)} [label=${q(describe(c.allowed))}];`);
  out.push('}');
  return `${out.join('\n')}\n`;
}
