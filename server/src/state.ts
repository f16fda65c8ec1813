// ServerState: the language server's one mutable state, shared by the handlers (the workspace index,
// the settings, indexing progress). Not to be confused with a Snapshot, the immutable analysis of one version.
import type { WorkspaceIndex } from './workspace/index';
import type { Settings } from './settings';

export interface ServerState {
  index: WorkspaceIndex;
  /** the workspace folders (file paths): files are read only inside them */
  folders: string[];
  /** true while the initial indexing runs */
  indexing: boolean;
  progress?: string;
  lastIndex?: { files: number; reused: number; ms: number };
  /** the finding counts of the last snapshot whose findings were all computed */
  counted?: { version: number; counts: { error: number; warning: number; info: number } };
  settings: Settings;
  /**
   * whether the editor trusts the workspace (initializationOptions.workspaceTrusted, then
   * netlens/workspaceTrust; undefined: not trusted): only then is helm run, since it executes a chart's templates
   */
  workspaceTrusted?: boolean;
  /** the client's storage folder (initializationOptions.storagePath): the persisted index, rendered charts */
  storagePath?: string;
  /** when the editor last asked for something (background work waits for a pause) */
  lastRequest?: number;
  /** runs now the work that waits for the first requests after indexing (the index's save): before a shutdown */
  afterIndexing?: () => void;
  log(message: string): void;
}
