// The CLI's scopes: the walked files as the scope engine sees them (real paths for Kustomize, the walked
// names in reports), the disk as its file system, and the scope a run analyses (--scope).
import { kustomizeDiskFs } from '../workspace/kustomizeDiskFs';
import path from 'node:path';
import type { KustomizeFs } from '../engine/kustomize';
import {
  chooseScope,
  detectScopes,
  configureScopes,
  SCOPE_CONFIG_FILE,
  KustomizeRenderCache,
  viewScope,
  type Scope,
  type ScopeFile,
  type ScopeInput,
  type ScopeView,
  type HelmRenderer,
} from '../engine/scopes';
import { helmRendererFor } from '../render/helmRender';
import { findHelm } from '../render/helmBinary';
import { scopeHelmRenderer } from '../render/scopeRenderer';
import type { Finding, Skip } from '../engine/model/types';
import { UsageError } from './args';
import { readFound, walkPaths, type Walked } from './files';

export const diskFs: KustomizeFs = kustomizeDiskFs;

export interface CliScopes {
  input: ScopeInput;
  scopes: Scope[];
  cache: KustomizeRenderCache;
  skipped: Skip[];
  /** what .netlens.yaml got wrong (scope-config findings at its lines) */
  configFindings: Finding[];
  /** renders Helm charts (when a helm is found: --helm, else PATH); without, charts stay loose files */
  helm?: HelmRenderer;
}

export interface ScopeLoadOptions {
  /** --helm: the helm executable; undefined: helm on PATH */
  helmPath?: string;
  /** false: never render charts (a git version's charts are not on the disk helm reads) */
  helm?: boolean;
  /**
   * the render cache to use (default: a new one): `netlens diff` shares one between its two versions, so
   * the kustomizations whose inputs are the same in both (the base, the overlays not changed) render once
   */
  renderCache?: KustomizeRenderCache;
}

/**
 * Reads and walks the paths, and finds their scopes. Helm charts are scopes when a helm is found (the CLI
 * runs it as in a trusted workspace: the person running it chose the paths); else their files stay loose.
 */
export async function loadScopes(
  paths: readonly string[],
  maxBytes: number,
  walkedBefore?: Walked,
  so: ScopeLoadOptions = {},
): Promise<CliScopes> {
  if (paths.length === 0) throw new UsageError('no PATH given: name the manifest files or directories to analyse');
  const walked = walkedBefore ?? (await walkPaths(paths, maxBytes));
  if (walked.missing.length) throw new UsageError(`no such file or directory: ${walked.missing.join(', ')}`);
  const files: ScopeFile[] = [];
  const skipped: Skip[] = [];
  for (const e of walked.entries) {
    if ('skip' in e) {
      skipped.push(e.skip);
      continue;
    }
    const r = readFound(e.file, maxBytes);
    if ('skip' in r) skipped.push(r.skip);
    else files.push({ path: e.file.path, uri: r.uri, text: r.text, ...(r.chart ? { chart: r.chart } : {}) });
  }
  const roots = paths.map((p) => {
    const abs = path.resolve(p);
    return diskFs.isDir(abs) ? abs : path.dirname(abs);
  });
  const byPath = new Map(files.map((f) => [f.path, f]));
  // walked files read from memory, so one run sees one content
  const fs: KustomizeFs = { ...diskFs, readFile: (p) => byPath.get(p)?.text ?? diskFs.readFile(p) };
  return { ...scopesOf(files, roots, fs, so), skipped };
}

/** The scopes of files read elsewhere (a git version: memoryFs over its files); Helm as in loadScopes. */
export function scopesOf(files: ScopeFile[], roots: string[], fs: KustomizeFs, so: ScopeLoadOptions = {}): Omit<CliScopes, 'skipped'> {
  const input: ScopeInput = { files, roots, fs, uriOf: (p) => path.relative(process.cwd(), p) || p };
  const cache = so.renderCache ?? new KustomizeRenderCache();
  const helm =
    so.helm !== false && findHelm(so.helmPath).ok
      ? scopeHelmRenderer(helmRendererFor({ ...(so.helmPath ? { helmPath: so.helmPath } : {}), trusted: true }), input.uriOf)
      : undefined;
  const detected = detectScopes(input, cache, { helm: helm !== undefined });
  // .netlens.yaml at the first folder given names, hides or adds scopes
  const root = roots[0];
  const configPath = root === undefined ? undefined : path.join(root, SCOPE_CONFIG_FILE);
  const configText = configPath === undefined ? undefined : fs.readFile(configPath);
  const sources =
    root !== undefined && configPath !== undefined && configText !== undefined ? [{ root, path: configPath, text: configText }] : [];
  const configured = configureScopes(detected, input, cache, sources);
  return { input, scopes: configured.scopes, cache, configFindings: configured.findings, ...(helm ? { helm } : {}) };
}

/** A KustomizeFs over files held in memory (absolute paths): folders are the paths' parents. */
export function memoryFs(files: readonly ScopeFile[]): KustomizeFs {
  const text = new Map(files.map((f) => [f.path, f.text]));
  const children = new Map<string, Set<string>>();
  for (const f of files) {
    let p = f.path;
    for (let d = path.dirname(p); d !== p; p = d, d = path.dirname(d)) {
      let c = children.get(d);
      if (!c) children.set(d, (c = new Set()));
      c.add(path.basename(p));
    }
  }
  return {
    readFile: (p) => text.get(p),
    listDir: (p) => (children.has(p) ? [...children.get(p)!] : undefined),
    isDir: (p) => children.has(p),
  };
}

/** The scope --scope names, else the only one; a UsageError lists them otherwise. */
export function pickScope(cs: CliScopes, requested: string | undefined): Scope {
  const s = chooseScope(cs.scopes, requested, cs.helm !== undefined);
  if ('error' in s) throw new UsageError(s.error);
  return s;
}

export async function viewOf(cs: CliScopes, scope: Scope): Promise<ScopeView> {
  return viewScope(scope, cs.input, cs.cache, cs.helm);
}
