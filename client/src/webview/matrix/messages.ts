// The messages between the matrix panel (extension host) and its webview script: one definition for both sides.
import type * as P from '../../../../protocol/messages';
import type { ChangesStatus } from './changeCells';

/** Messages from the webview to the panel. */
export type FromWebview =
  | { type: 'ready' }
  | { type: 'query'; from: string; to: string; port?: number; protocol?: P.QueryParams['protocol'] }
  | { type: 'open'; location: P.Location }
  | { type: 'showReport'; from: string; to: string; text: string }
  | { type: 'refresh' }
  /** what the changes overlay shows: whether it is on, the cells it marks, the changes it cannot place
   *  (sent whenever it, the matrix or the diff changes; `id`: the answer to that 'showChanges') */
  | { type: 'overlay'; on: boolean; marked: number; outside: number; id?: number };

/** Messages from the panel to the webview. */
export type ToWebview =
  | { type: 'data'; matrix: P.MatrixResult }
  | { type: 'loading' }
  | { type: 'explanation'; from: string; to: string; result: P.QueryResultDto }
  | { type: 'error'; message: string; from?: string; to?: string }
  /** the connectivity diff against git HEAD (netlens/changes, as the Changes view has it): its entries when
   *  `status` is 'ready' (`head`: HEAD's short commits), else why there are none in `reason` */
  | { type: 'changes'; status: ChangesStatus; reason?: string; head?: string; entries: P.ChangeEntryDto[] }
  /** turns the changes overlay on or off, as its toolbar button does (answered with an 'overlay' message) */
  | { type: 'showChanges'; on: boolean; id: number };

/** What the webview keeps across reloads (vscode.setState). */
export interface SavedState {
  filter?: string;
  filterMode?: FilterMode;
  cell?: number;
  /** the "Show changes" overlay is on (kept while there is nothing to show, so that it comes back) */
  changes?: boolean;
}

/** Which axes the workload filter applies to. */
export type FilterMode = 'both' | 'rows' | 'cols';
