// Geometry of the matrix: header and label sizes, visible ranges, hit testing and scrolling a cell into view.
import { ctx, scroller, viewport } from './dom';
import { BAND, MAX_LABEL, state } from './state';
import { namespacesOutgrowingBands, workloadLabel } from './groupLabels';

/** What the pointer is over: a cell, a row or column label, or a namespace band. */
export type Hit =
  | { area: 'cell'; i: number; j: number; mx: number; my: number }
  | { area: 'row'; i: number; mx: number; my: number }
  | { area: 'rowBand'; i: number; mx: number; my: number }
  | { area: 'col'; j: number; mx: number; my: number }
  | { area: 'colBand'; j: number; mx: number; my: number };

export function fontPx(): number {
  return Math.max(9, Math.min(state.colors.fontSize, state.cell - 3));
}

/** The font of the namespace bands. */
export function bandFont(): string {
  return `bold ${Math.min(12, state.colors.fontSize)}px ${state.colors.font}`;
}

/** Sizes the label areas to the longest name shown (within limits). */
export function measureLabels(): void {
  ctx.font = bandFont();
  const width = (s: string) => ctx.measureText(s).width;
  state.nsInLabels = namespacesOutgrowingBands([...state.rowGroups, ...state.colGroups], state.cell, width);
  ctx.font = `${fontPx()}px ${state.colors.font}`;
  let max = 40;
  const seen = new Set([...state.rows, ...state.cols]);
  for (const i of seen) max = Math.max(max, width(workloadLabel(state.workloads[i], state.nsInLabels)));
  state.labelW = Math.min(MAX_LABEL, Math.ceil(max) + 12);
  state.labelH = Math.min(MAX_LABEL, Math.ceil(max) + 12);
}

export function headerW(): number {
  return BAND + state.labelW;
}
export function headerH(): number {
  return BAND + state.labelH;
}

/** A cell size that fills the view for small matrices (and stays readable for big ones). */
export function fitCell(n: number): number {
  if (n === 0) return state.cell;
  const w = (viewport.clientWidth - 260) / n;
  const h = (viewport.clientHeight - 200) / n;
  return Math.max(14, Math.min(28, Math.floor(Math.min(w, h))));
}

/** The positions [first, last) of the rows (or columns) at least partly in view. */
export function visibleRange(scroll: number, size: number, header: number, count: number): [number, number] {
  const cs = state.cell;
  const first = Math.max(0, Math.floor(scroll / cs));
  const last = Math.min(count, Math.ceil((scroll + size - header) / cs) + 1);
  return [first, last];
}

export function hit(e: MouseEvent): Hit | null {
  const rect = viewport.getBoundingClientRect();
  const mx = e.clientX - rect.left;
  const my = e.clientY - rect.top;
  if (mx > scroller.clientWidth || my > scroller.clientHeight) return null; // on a scrollbar
  const cs = state.cell;
  const hw = headerW();
  const hh = headerH();
  const j = Math.floor((mx - hw + scroller.scrollLeft) / cs);
  const i = Math.floor((my - hh + scroller.scrollTop) / cs);
  const inRow = i >= 0 && i < state.rows.length;
  const inCol = j >= 0 && j < state.cols.length;
  if (mx >= hw && my >= hh) return inRow && inCol ? { area: 'cell', i, j, mx, my } : null;
  if (mx < BAND && my >= hh) return inRow ? { area: 'rowBand', i, mx, my } : null;
  if (my < BAND && mx >= hw) return inCol ? { area: 'colBand', j, mx, my } : null;
  if (mx < hw && my >= hh) return inRow ? { area: 'row', i, mx, my } : null;
  if (my < hh && mx >= hw) return inCol ? { area: 'col', j, mx, my } : null;
  return null;
}

/** Scrolls so that the cell at row position i, column position j is in view. */
export function ensureVisible(i: number, j: number): void {
  const cs = state.cell;
  const x = j * cs;
  const y = i * cs;
  const w = scroller.clientWidth - headerW();
  const h = scroller.clientHeight - headerH();
  if (x < scroller.scrollLeft) scroller.scrollLeft = x;
  else if (x + cs > scroller.scrollLeft + w) scroller.scrollLeft = x + cs - w;
  if (y < scroller.scrollTop) scroller.scrollTop = y;
  else if (y + cs > scroller.scrollTop + h) scroller.scrollTop = y + cs - h;
}
