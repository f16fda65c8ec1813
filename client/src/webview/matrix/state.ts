// The view's state: the matrix as received, the rows and columns shown, zoom, hover and selection.
import type { MatrixResult } from '../../../../protocol/messages';
import type { CellChange, ChangeCells } from './changeCells';
import { changeText } from './changeCells';
import type { FilterMode, ToWebview } from './messages';
import { saveState, saved } from './vscodeApi';

export type Workload = MatrixResult['workloads'][number];

export interface Cell {
  ports: string;
  all: boolean;
}

/** A run of consecutive positions (in rows or cols) of one namespace. */
export interface Group {
  namespace: string;
  start: number;
  end: number;
}

/** Theme colours and font, read from VS Code's CSS variables. */
export interface Colors {
  bg: string;
  fg: string;
  muted: string;
  header: string;
  grid: string;
  group: string;
  all: string;
  some: string;
  none: string;
  self: string;
  hover: string;
  focus: string;
  added: string;
  removed: string;
  changed: string;
  font: string;
  fontSize: number;
}

export const MIN_CELL = 6;
export const MAX_CELL = 40;
/** the namespace band (rows: a vertical strip; columns: a horizontal strip) */
export const BAND = 18;
export const MAX_LABEL = 220;

export interface State {
  workloads: Workload[];
  /** from * n + to -> allowed ports; absent pairs are blocked */
  cells: Map<number, Cell>;
  /** workload indexes shown as rows, in display order */
  rows: number[];
  cols: number[];
  rowGroups: Group[];
  colGroups: Group[];
  cell: number;
  labelW: number;
  labelH: number;
  /** namespaces too long for their band at this zoom, written in their workloads' labels instead */
  nsInLabels: Set<string>;
  /** the hovered row and/or column (positions in rows/cols) */
  hover: { i?: number; j?: number } | null;
  /** the selected cell (positions in rows/cols) */
  selected: { i: number; j: number } | null;
  filter: string;
  filterMode: FilterMode;
  colors: Colors;
  loaded: boolean;
  /** the "Show changes" button is pressed (what is drawn also needs changes to show: see overlayOn) */
  showChanges: boolean;
  /** the diff against git HEAD as the panel last sent it */
  changes: Omit<Extract<ToWebview, { type: 'changes' }>, 'type'>;
  /** the diff's entries on this matrix's cells */
  changeCells: ChangeCells;
}

export const state: State = {
  workloads: [],
  cells: new Map(),
  rows: [],
  cols: [],
  rowGroups: [],
  colGroups: [],
  cell: saved.cell || 16,
  labelW: 120,
  nsInLabels: new Set(),
  labelH: 120,
  hover: null,
  selected: null,
  filter: saved.filter || '',
  filterMode: saved.filterMode || 'both',
  colors: {} as Colors, // read from the theme before the first draw
  loaded: false,
  showChanges: saved.changes === true,
  changes: { status: 'computing', entries: [] },
  changeCells: { cells: new Map(), outside: { total: 0, external: 0, names: 0, workloads: 0 } },
};

/** Saves what a reload of the webview restores. */
export function persist(): void {
  saveState({ filter: state.filter, filterMode: state.filterMode, cell: state.cell, changes: state.showChanges });
}

/** The changes overlay is drawn: its button is pressed and the diff has entries. */
export function overlayOn(): boolean {
  return state.showChanges && state.changes.status === 'ready' && state.changes.entries.length > 0;
}

/** The change of the cell at row position i, column position j, when the overlay is drawn. */
export function changeAt(i: number, j: number): CellChange | undefined {
  if (!overlayOn()) return undefined;
  return state.changeCells.cells.get(state.rows[i] * state.workloads.length + state.cols[j]);
}

/** The allowed ports of the cell at row position i, column position j (undefined: blocked). */
export function cellAt(i: number, j: number): Cell | undefined {
  const from = state.rows[i];
  const to = state.cols[j];
  return state.cells.get(from * state.workloads.length + to);
}

/** The two workloads of a cell and what the matrix says about them. */
export function describeCell(i: number, j: number): { from: Workload; to: Workload; text: string } {
  const from = state.workloads[state.rows[i]];
  const to = state.workloads[state.cols[j]];
  const change = changeAt(i, j);
  const changed = change ? `\n${changeText(change)}` : '';
  if (from === to) return { from, to, text: `same workload: a pod can always reach itself${changed}` };
  const cell = cellAt(i, j);
  const text = cell ? (cell.all ? 'allowed on all ports' : `allowed on ${portsInWords(cell.ports)} only`) : 'blocked: no rule allows it';
  return { from, to, text: `${text}${changed}` };
}

/** The server's compact port list in the words of engine/report/pairVerdict.ts: "TCP 80,443,UDP 53" -> "TCP 80, 443 and UDP 53". */
export function portsInWords(ports: string): string {
  const parts = ports.split(/,(?=(?:TCP|UDP|SCTP) )/).map((p) => p.replace(/,/g, ', '));
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/** What fits in a cell of `size` pixels: the ports without the protocol when it is TCP ("7070"), else a symbol. */
export function cellText(ports: string): string {
  return ports.replace(/^TCP /, '');
}
