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

/**
 * The matrix in a format, as a sequence of text pieces: a matrix of thousands of workloads can be
 * larger than the longest string JavaScript can hold, so it is never joined into one.
 */
export function* renderMatrix(
  format: MatrixFormat,
  model: Model,
  matrix: Matrix,
  clusterDomain: string,
  locator: Locator,
): Generator<string> {
  switch (format) {
    case 'json':
      return yield* matrixJson(model, matrix, clusterDomain, locator);
    case 'text': {
      const all = [
        ...sorted(matrix).map((c) => `${textField(c.from.id)} => ${textField(c.to.id)} : ${describe(c.allowed)}`),
        ...externalConnections(model, matrix.index).map((e) => {
          const { from, to } = externalEnds(e);
          return `${textField(from)} => ${textField(to)} : ${describe(e.allowed)}`;
        }),
      ].sort();
      for (const l of all) yield `${l}\n`;
      return;
    }
    case 'md':
      yield '| source | destination | allowed |\n|---|---|---|\n';
      return yield* lines(matrix, (c) => `| ${mdCell(c.from.id)} | ${mdCell(c.to.id)} | ${describe(c.allowed)} |`);
    case 'csv':
      yield 'source,destination,allowed\n';
      return yield* lines(matrix, (c) => [c.from.id, c.to.id, describe(c.allowed)].map(csvCell).join(','));
    case 'dot':
      return yield* matrixDot(model, matrix);
    case 'stats':
      yield `${JSON.stringify(matrixStats(model, matrix), null, 2)}\n`;
      return;
  }
}

function sorted(matrix: Matrix): Connection[] {
  return [...matrix.connections()].sort((a, b) => cmp(a.from.id, b.from.id) || cmp(a.to.id, b.to.id));
}

function* lines(matrix: Matrix, f: (c: Connection) => string): Generator<string> {
  for (const c of sorted(matrix)) yield `${f(c)}\n`;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `JSON.stringify(value, null, 1)` of the whole report, written one array element at a time. */
function* matrixJson(model: Model, matrix: Matrix, clusterDomain: string, locator: Locator): Generator<string> {
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
  function* connections(): Generator<unknown> {
    for (const c of matrix.connections()) yield { from: c.from.id, to: c.to.id, allowed: toJson(c.allowed) };
  }
  const out: Record<string, unknown> = {
    clusterDomain,
    workloads,
    connections: connections(),
    externals: externalConnections(model, matrix.index).map((e) => ({ ...externalEnds(e), allowed: toJson(e.allowed) })),
    policies: model.policies.map((p) => ({ id: p.id, policyTypes: p.policyTypes, source: locator.locate(p.ref) })),
    skipped: model.skipped.map((s) => ({
      file: s.ref ? locator.locate(s.ref).file : s.uri,
      ...(s.ref ? { line: locator.locate(s.ref).line } : {}),
      reason: s.reason,
    })),
  };
  yield '{';
  let first = true;
  for (const [key, value] of Object.entries(out)) {
    yield `${first ? '' : ','}\n ${JSON.stringify(key)}: `;
    first = false;
    if (typeof value !== 'object' || value === null || !(Symbol.iterator in value)) {
      yield JSON.stringify(value, null, 1).replace(/\n/g, '\n ');
      continue;
    }
    let empty = true;
    for (const item of value as Iterable<unknown>) {
      yield `${empty ? '[' : ','}\n  ${JSON.stringify(item, null, 1).replace(/\n/g, '\n  ')}`;
      empty = false;
    }
    yield empty ? '[]' : '\n ]';
  }
  yield '\n}\n';
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

function* matrixDot(model: Model, matrix: Matrix): Generator<string> {
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
  yield `${out.join('\n')}\n`;
  for (const c of sorted(matrix)) yield `  ${q(c.from.id)} -> ${q(c.to.id)} [label=${q(describe(c.allowed))}];\n`;
  yield '}\n';
}
