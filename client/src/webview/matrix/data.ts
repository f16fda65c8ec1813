// Loads the matrix into the state and derives what is shown: sorted, filtered rows and columns, zoom, summary.
import type { MatrixResult } from '../../../../protocol/messages';
import { summaryEl } from './dom';
import { fitCell, measureLabels } from './geometry';
import { layout } from './layout';
import type { Group, Workload } from './state';
import { MAX_CELL, MIN_CELL, overlayOn, persist, state } from './state';
import { saved } from './vscodeApi';

export function setData(matrix: MatrixResult): void {
  const ws = matrix.workloads;
  state.workloads = ws;
  state.cells = new Map();
  const n = ws.length;
  for (const [from, to, ports, all] of matrix.cells) state.cells.set(from * n + to, { ports, all: all === 1 });
  const first = !state.loaded;
  state.loaded = true;
  if (first && !saved.cell) state.cell = fitCell(n);
  applyFilter(false);
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Workload indexes sorted by namespace, then name, then kind. */
function order(): number[] {
  const ws = state.workloads;
  return ws
    .map((_, i) => i)
    .sort((a, b) => {
      const x = ws[a];
      const y = ws[b];
      return collator.compare(x.namespace, y.namespace) || collator.compare(x.name, y.name) || collator.compare(x.kind, y.kind);
    });
}

function matches(w: Workload, terms: string[]): boolean {
  const text = `${w.namespace}/${w.name} ${w.kind}`.toLowerCase();
  return terms.every((t) => text.includes(t));
}

function groups(list: number[]): Group[] {
  const out: Group[] = [];
  list.forEach((wi, pos) => {
    const ns = state.workloads[wi].namespace;
    const last = out[out.length - 1];
    if (last && last.namespace === ns) last.end = pos + 1;
    else out.push({ namespace: ns, start: pos, end: pos + 1 });
  });
  return out;
}

/** Recomputes the rows and columns from the filter, then lays out and redraws. */
export function applyFilter(keepSelection: boolean): void {
  const terms = state.filter.toLowerCase().split(/\s+/).filter(Boolean);
  const all = order();
  const filtered = terms.length ? all.filter((i) => matches(state.workloads[i], terms)) : all;
  state.rows = state.filterMode === 'cols' ? all : filtered;
  state.cols = state.filterMode === 'rows' ? all : filtered;
  state.rowGroups = groups(state.rows);
  state.colGroups = groups(state.cols);
  if (!keepSelection) state.selected = null;
  measureLabels();
  layout();
  updateSummary();
  persist();
}

/** "12 workloads · 40 allowed pairs" (of the rows and columns shown), with the changed pairs when the overlay is on. */
export function updateSummary(): void {
  if (!state.loaded) return;
  const n = state.workloads.length;
  let allowed = 0;
  let changed = 0;
  const overlay = overlayOn();
  if (state.rows.length * state.cols.length <= 4000000) {
    const colSet = new Set(state.cols);
    const rowSet = new Set(state.rows);
    const shown = (key: number) => rowSet.has(Math.floor(key / n)) && colSet.has(key % n);
    for (const key of state.cells.keys()) if (shown(key)) allowed++;
    if (overlay) for (const key of state.changeCells.cells.keys()) if (shown(key)) changed++;
  }
  const shown =
    state.rows.length === n && state.cols.length === n ? `${n} workloads` : `${state.rows.length} × ${state.cols.length} of ${n} workloads`;
  summaryEl.textContent = `${shown} · ${allowed} allowed pairs${overlay ? ` · ${changed} changed against HEAD` : ''}`;
}

/** Grows or shrinks the cells by delta pixels (within limits). */
export function zoom(delta: number): void {
  const next = Math.max(MIN_CELL, Math.min(MAX_CELL, state.cell + delta));
  if (next === state.cell) return;
  state.cell = next;
  measureLabels();
  layout();
  persist();
}
