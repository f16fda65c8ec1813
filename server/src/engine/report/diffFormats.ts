// Renders the connectivity diff: text (np-guard's lines, with causes), md (a PR comment), json (the
// contract of docs/cli.md), csv (np-guard's columns). Every manifest string goes through escape.ts.
import { describe, toJson } from '../net/ports';
import type { ConnectivityDiff, DiffCause, DiffEnd, DiffEntry } from '../diff/types';
import type { Location } from './locate';
import { csvCell, mdCell, textField } from './escape';
import type { Exposure } from '../diff/exposure';
import { exposurePeerText, exposureWhat } from './changesText';

export type DiffFormat = 'text' | 'md' | 'json' | 'csv' | 'sarif';
export const DIFF_FORMATS: readonly DiffFormat[] = ['text', 'md', 'json', 'csv', 'sarif'];

export interface DiffReportContext {
  /** what was compared, e.g. "HEAD" and "working tree" */
  baseName: string;
  headName: string;
  /** a cause's place in its version (undefined: an assumed object) */
  locate(c: DiffCause): Location | undefined;
}

/** np-guard's "workloads-diff-info": which end was added or removed by the change. */
export function workloadsInfo(e: DiffEntry): string {
  const one = (end: DiffEnd) => (end.workload ? `workload ${end.id} ${end.workload}` : '');
  return [one(e.source), one(e.destination)].filter(Boolean).join(', ');
}

const portsText = (e: DiffEntry, side: 'before' | 'after') => {
  const note = side === 'before' ? e.beforeNote : e.afterNote;
  const ports = describe(e[side]);
  return note && e.destination.kind === 'name' ? `${ports} (${note})` : ports;
};

const where = (l: Location | undefined, c: DiffCause) => (l ? ` (${c.version}: ${l.file}:${l.line}:${l.col})` : '');

export function diffText(d: ConnectivityDiff, cx: DiffReportContext, exposed: readonly Exposure[] = []): string {
  const out = [`Connectivity diff (${textField(cx.baseName)} -> ${textField(cx.headName)}):`];
  if (d.entries.length === 0) out.push('no connectivity changes');
  for (const e of d.entries) {
    const info = workloadsInfo(e);
    out.push(
      `diff-type: ${e.category}, source: ${textField(e.source.id)}, destination: ${textField(e.destination.id)}, ` +
        `dir1: ${textField(portsText(e, 'before'))}, dir2: ${textField(portsText(e, 'after'))}` +
        (info ? `, workloads-diff-info: ${textField(info)}` : ''),
    );
    for (const c of e.causes) out.push(`    because: ${textField(c.text)}${textField(where(cx.locate(c), c))}`);
  }
  for (const x of exposed)
    out.push(
      `newly exposed: ${textField(x.workload)} ${textField(exposureWhat(x))}: ${describe(x.before)} -> ${describe(x.after)}: ${textField(x.why)}`,
    );
  return `${out.join('\n')}\n`;
}

export function diffMarkdown(d: ConnectivityDiff, cx: DiffReportContext, exposed: readonly Exposure[] = []): string {
  const count = (k: DiffEntry['category']) => d.entries.filter((e) => e.category === k).length;
  const out = [
    `### NetLens connectivity diff: ${mdCell(cx.baseName)} → ${mdCell(cx.headName)}`,
    '',
    d.entries.length === 0
      ? 'No connectivity changes.'
      : `${count('changed')} changed, ${count('added')} added, ${count('removed')} removed connection(s).`,
  ];
  if (d.entries.length) {
    out.push('', '| diff-type | source | destination | before | after | workloads-diff-info | causes |', '|---|---|---|---|---|---|---|');
    for (const e of d.entries) {
      const causes = e.causes.map((c) => mdCell(`${c.text}${where(cx.locate(c), c)}`)).join('<br>');
      out.push(
        `| ${e.category} | ${mdCell(e.source.id)} | ${mdCell(e.destination.id)} | ${mdCell(portsText(e, 'before'))} | ${mdCell(portsText(e, 'after'))} | ${mdCell(workloadsInfo(e))} | ${causes} |`,
      );
    }
  }
  if (exposed.length) {
    out.push(
      '',
      '**Newly exposed workloads**',
      '',
      '| workload | direction | peer | before | after | because |',
      '|---|---|---|---|---|---|',
    );
    for (const x of exposed)
      out.push(
        `| ${mdCell(x.workload)} | ${x.direction} | ${mdCell(exposurePeerText(x))} | ${describe(x.before)} | ${describe(x.after)} | ${mdCell(x.why)} |`,
      );
  }
  return `${out.join('\n')}\n`;
}

export function diffCsv(d: ConnectivityDiff): string {
  const rows = ['diff-type,source,destination,dir1,dir2,workloads-diff-info'];
  for (const e of d.entries)
    rows.push(
      [e.category, e.source.id, e.destination.id, portsText(e, 'before'), portsText(e, 'after'), workloadsInfo(e)].map(csvCell).join(','),
    );
  return `${rows.join('\n')}\n`;
}

export function diffJson(d: ConnectivityDiff, cx: DiffReportContext, exposed: readonly Exposure[] = []): string {
  const end = (x: DiffEnd) => ({ id: x.id, kind: x.kind, ...(x.workload ? { workload: x.workload } : {}) });
  const out = {
    base: cx.baseName,
    head: cx.headName,
    entries: d.entries.map((e) => ({
      category: e.category,
      source: end(e.source),
      destination: end(e.destination),
      before: toJson(e.before),
      after: toJson(e.after),
      beforeText: describe(e.before),
      afterText: describe(e.after),
      ...(e.beforeNote !== undefined ? { beforeNote: e.beforeNote, afterNote: e.afterNote } : {}),
      workloadsDiffInfo: workloadsInfo(e),
      causes: e.causes.map((c) => {
        const l = cx.locate(c);
        return { kind: c.kind, change: c.change, id: c.id, text: c.text, version: c.version, ...(l ? { location: l } : {}) };
      }),
    })),
    workloadsAdded: d.workloadsAdded,
    workloadsRemoved: d.workloadsRemoved,
    newlyExposed: exposed.map((x) => ({
      workload: x.workload,
      direction: x.direction,
      peer: x.peer,
      kind: x.kind,
      before: toJson(x.before),
      after: toJson(x.after),
      beforeText: describe(x.before),
      afterText: describe(x.after),
      why: x.why,
    })),
  };
  return `${JSON.stringify(out, null, 1)}\n`;
}
