// The server's settings: what the `netlens.*` and `files.*` sections of the client's configuration
// mean, read defensively (settings.json may hold values of any type; VS Code only warns).
import type { ModelOptions, Severity } from './engine/model/types';
import { MAX_FILE_BYTES } from './workspace/readRegular';

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
  /** netlens.helm.path: the helm executable; '' for helm on PATH (server/src/render/helmRender.ts) */
  helmPath: string;
  /** netlens.scopes: scope entries as in `.netlens.yaml` (read by engine/scopes/config.ts scopeEntriesFromSetting) */
  scopes: unknown[];
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
  helmPath: '',
  scopes: [],
};

/** netlens.files.maxSizeKB within 1 KB..50 MB (package.json declares the same bounds; a workspace could
 *  write any number, and a huge one would let crafted files fill the server's memory). */
function maxSizeKB(v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 1) return DEFAULT_SETTINGS.maxFileSizeKB;
  return Math.min(Math.floor(v), MAX_FILE_BYTES / 1024);
}

/** The settings from the configuration sections `netlens` and `files`; each value of the wrong type is ignored. */
export function settingsFrom(netlensSection: unknown, filesSection: unknown): Settings {
  const n = (netlensSection ?? {}) as Partial<Settings> & {
    files?: { exclude?: string[]; maxSizeKB?: number; parseThreads?: number };
    dns?: { assumeClusterDns?: unknown };
    diagnostics?: { scope?: unknown };
    helm?: { path?: unknown };
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
    maxFileSizeKB: maxSizeKB(n.files?.maxSizeKB),
    parseThreads:
      typeof n.files?.parseThreads === 'number' && n.files.parseThreads >= 0
        ? Math.min(16, Math.floor(n.files.parseThreads))
        : DEFAULT_SETTINGS.parseThreads,
    rules: n.rules && typeof n.rules === 'object' && !Array.isArray(n.rules) ? n.rules : {},
    hoverMaxItems: typeof n.hoverMaxItems === 'number' ? n.hoverMaxItems : DEFAULT_SETTINGS.hoverMaxItems,
    codeLens: n.codeLens !== false,
    diagnosticsScope: n.diagnostics?.scope === 'openFiles' ? 'openFiles' : 'workspace',
    helmPath: text(n.helm?.path, '').trim(),
    scopes: Array.isArray(n.scopes) ? n.scopes : [],
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
