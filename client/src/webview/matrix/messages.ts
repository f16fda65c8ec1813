// The messages between the matrix panel (extension host) and its webview script: one definition for both sides.
import type * as P from '../../../../protocol/messages';

/** Messages from the webview to the panel. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'query'; from: string; to: string; port?: number; protocol?: P.QueryParams['protocol'] }
  | { type: 'open'; location: P.Location }
  | { type: 'showReport'; from: string; to: string; text: string }
  | { type: 'refresh' };

/** Messages from the panel to the webview. */
export type ToWebview =
  | { type: 'data'; matrix: P.MatrixResult }
  | { type: 'loading' }
  | { type: 'explanation'; from: string; to: string; result: P.QueryResultDto }
  | { type: 'error'; message: string; from?: string; to?: string };

/** What the webview keeps across reloads (vscode.setState). */
export interface SavedState {
  filter?: string;
  filterMode?: FilterMode;
  cell?: number;
}

/** Which axes the workload filter applies to. */
export type FilterMode = 'both' | 'rows' | 'cols';
