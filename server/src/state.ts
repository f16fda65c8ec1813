// What the LSP handlers share: the workspace index and the current settings.
import type { WorkspaceIndex } from './workspace/index';
import type { SeverityOverrides } from './handlers/convert';

export interface Settings {
  clusterDomain: string;
  hostNetwork: 'node' | 'pod';
  defaultNamespace: string;
  cni: string;
  /** netlens.dns.assumeClusterDns: assume the standard CoreDNS pods when the workspace has none */
  assumeClusterDns: boolean;
  filesExclude: string[];
  maxFileSizeKB: number;
  /** parse worker threads while indexing; 0: automatic */
  parseThreads: number;
  rules: SeverityOverrides;
  hoverMaxItems: number;
  codeLens: boolean;
}

export const DEFAULT_SETTINGS: Settings = {
  clusterDomain: '',
  hostNetwork: 'node',
  defaultNamespace: 'default',
  cni: '',
  assumeClusterDns: true,
  filesExclude: [],
  maxFileSizeKB: 2048,
  parseThreads: 0,
  rules: {},
  hoverMaxItems: 10,
  codeLens: true,
};

export interface ServerState {
  index: WorkspaceIndex;
  /** true while the initial indexing runs */
  indexing: boolean;
  progress?: string;
  lastIndex?: { files: number; reused: number; ms: number };
  /** the finding counts of the last snapshot whose findings were all computed */
  counted?: { version: number; counts: { error: number; warning: number; info: number } };
  settings: Settings;
  /** when the editor last asked for something (background work waits for a pause) */
  lastRequest?: number;
  log(message: string): void;
}
