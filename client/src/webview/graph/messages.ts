// The messages between the graph panel (extension host) and its webview script: one definition for both sides.
import type * as P from '../../../../protocol/messages';

export interface GraphFilter {
  namespace?: string;
  workload?: string;
}

/** Messages from the webview to the panel. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'load'; filter: GraphFilter }
  | { type: 'explainEdge'; from: string; to: string; port?: number }
  | { type: 'path'; from: string; to: string; port?: number }
  | { type: 'open'; location: P.Location }
  | { type: 'exported'; id: number; format: ExportFormat; data: string }
  | { type: 'export'; format: ExportFormat };

/** Messages from the panel to the webview. */
export type ToWebview =
  | { type: 'data'; graph: P.GraphResult; filter: GraphFilter }
  | { type: 'loading' }
  | { type: 'explanation'; from: string; to: string; verdict: string; result?: P.QueryResultDto }
  | { type: 'path'; from: string; to: string; result: P.QueryResultDto }
  | { type: 'export'; id: number; format: ExportFormat }
  | { type: 'error'; message: string };

/** SVG as text; PNG as a data: URL. */
export type ExportFormat = 'svg' | 'png';

/** What the webview keeps across reloads (vscode.setState). */
export interface SavedState {
  filter?: GraphFilter;
}
