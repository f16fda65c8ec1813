// What the LSP handlers share: the workspace index and the current settings.
import type { WorkspaceIndex } from './workspace/index';
import type { SeverityOverrides } from './handlers/convert';

export interface Settings {
  clusterDomain: string;
  hostNetwork: 'node' | 'pod';
  defaultNamespace: string;
  cni: string;
  filesExclude: string[];
  maxFileSizeKB: number;
  rules: SeverityOverrides;
}

export const DEFAULT_SETTINGS: Settings = {
  clusterDomain: '',
  hostNetwork: 'node',
  defaultNamespace: 'default',
  cni: '',
  filesExclude: [],
  maxFileSizeKB: 2048,
  rules: {},
};

export interface ServerState {
  index: WorkspaceIndex;
  settings: Settings;
  log(message: string): void;
}
