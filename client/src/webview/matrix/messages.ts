// The messages between the matrix panel (extension host) and its webview script: one definition for both sides.
import type * as P from '../../../../protocol/messages';

/** Messages from the webview to the panel. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'query'; from: string; to: string; port?: number; protocol?: P.QueryParams['protocol'] }
  | { type: 'open'; location: P.Location }
  | { type: 'showReport'; from: string; to: string; text: string }
  | { type: 'refresh' }
  /** what the "Changes against HEAD" overlay shows (sent when it or the data changes) */
  | { type: 'overlay'; on: boolean; marked: number; outside: number };

/** Messages from the panel to the webview. */
export type ToWebview =
  | { type: 'data'; matrix: P.MatrixResult }
  | { type: 'loading' }
  | { type: 'explanation'; from: string; to: string; result: P.QueryResultDto }
  | { type: 'error'; message: string; from?: string; to?: string }
  /** the connectivity diff against git HEAD (netlens/changes); `available` false: why in `reason` */
  | { type: 'changes'; available: boolean; reason?: string; entries: P.ChangeEntryDto[] };

/** What the webview keeps across reloads (vscode.setState). */
export interface SavedState {
  filter?: string;
  filterMode?: FilterMode;
  cell?: number;
  /** the "Changes against HEAD" overlay is on */
  changes?: boolean;
}

/** Which axes the workload filter applies to. */
export type FilterMode = 'both' | 'rows' | 'cols';
