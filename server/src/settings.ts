// The server's settings: what the `netlens.*` and `files.*` sections of the client's configuration
// mean, read defensively (settings.json may hold values of any type; VS Code only warns).
import type { ModelOptions, Severity } from './engine/model/types';

/** severity per diagnostic code, from `netlens.rules` */
export type SeverityOverrides = Record<string, Severity | 'off'>;

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
  /** netlens.diagnostics.scope: report every indexed file's problems, or only the open files' */
  diagnosticsScope: 'workspace' | 'openFiles';
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
  diagnosticsScope: 'workspace',
};

/** The settings from the configuration sections `netlens` and `files`; each value of the wrong type is ignored. */
export function settingsFrom(netlensSection: unknown, filesSection: unknown): Settings {
  const n = (netlensSection ?? {}) as Partial<Settings> & {
    files?: { exclude?: string[]; maxSizeKB?: number; parseThreads?: number };
    dns?: { assumeClusterDns?: unknown };
    diagnostics?: { scope?: unknown };
  };
  const filesExclude = Object.entries(((filesSection ?? {}) as { exclude?: Record<string, boolean> }).exclude ?? {})
    .filter(([, on]) => on)
    .map(([g]) => g);
  const text = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
  const exclude: unknown = n.files?.exclude;
  return {
    ...DEFAULT_SETTINGS,
    clusterDomain: text(n.clusterDomain, ''),
    hostNetwork: n.hostNetwork === 'pod' ? 'pod' : 'node',
    defaultNamespace: text(n.defaultNamespace, 'default'),
    cni: text(n.cni, ''),
    assumeClusterDns: n.dns?.assumeClusterDns !== false,
    filesExclude: [...filesExclude, ...(Array.isArray(exclude) ? exclude.filter((g): g is string => typeof g === 'string') : [])],
    maxFileSizeKB: typeof n.files?.maxSizeKB === 'number' ? n.files.maxSizeKB : DEFAULT_SETTINGS.maxFileSizeKB,
    parseThreads:
      typeof n.files?.parseThreads === 'number' && n.files.parseThreads >= 0
        ? Math.min(16, Math.floor(n.files.parseThreads))
        : DEFAULT_SETTINGS.parseThreads,
    rules: n.rules && typeof n.rules === 'object' && !Array.isArray(n.rules) ? n.rules : {},
    hoverMaxItems: typeof n.hoverMaxItems === 'number' ? n.hoverMaxItems : DEFAULT_SETTINGS.hoverMaxItems,
    codeLens: n.codeLens !== false,
    diagnosticsScope: n.diagnostics?.scope === 'openFiles' ? 'openFiles' : 'workspace',
  };
}

/** The engine's model options these settings imply. */
export function modelOptions(s: Settings): Partial<ModelOptions> {
  const o: Partial<ModelOptions> = { hostNetwork: s.hostNetwork, defaultNamespace: s.defaultNamespace || 'default' };
  if (s.clusterDomain) o.clusterDomain = s.clusterDomain;
  if (s.cni) o.cni = s.cni;
  if (!s.assumeClusterDns) o.assumeClusterDns = false;
  return o;
}
