// Renders a Helm chart with one values file by running the real `helm template`, as a person would
// before applying it. Only in trusted workspaces (the chart's templates are the workspace's code),
// never with network access (no --dependency-update; missing dependencies are reported, not fetched),
// bounded in time and output, and cached by what determines the output.
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findHelm, helmVersion, HELM_PATH_SETTING } from './helmBinary';
import { chartDigest, missingDependencies } from './chartFiles';
import { HelmRenderCache, helmCacheKey } from './helmCache';
import { runBounded, type BoundedRun } from './runBounded';
import type { HelmRenderResult } from './helmResult';

export type { HelmRenderCode, HelmRenderResult } from './helmResult';
export { HelmRenderCache } from './helmCache';
export { HELM_PATH_SETTING } from './helmBinary';

export interface HelmRenderOptions {
  chartDir: string;
  /** `-f` file; without it, the chart's own values.yaml only */
  valuesFile?: string;
  /** the `netlens.helm.path` setting (CLI --helm); empty or undefined: `helm` on PATH */
  helmPath?: string;
  /** whether the workspace is trusted: helm runs the chart's templates, so only then */
  trusted: boolean;
  /** default "release-name", as `helm template` prints without a name */
  releaseName?: string;
  namespace?: string;
  signal?: AbortSignal;
  /** default: the process-wide memory cache (sharedHelmCache()) */
  cache?: HelmRenderCache;
  /** default 30 s */
  timeoutMs?: number;
  /** default 32 MB of output (stdout and stderr together) */
  maxOutputBytes?: number;
}

export const DEFAULT_RELEASE_NAME = 'release-name';
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_OUTPUT = 32 * 1024 * 1024;
/** error messages keep helm's first lines only */
const MAX_MESSAGE = 2000;

const fail = (code: Exclude<HelmRenderResult, { ok: true }>['code'], message: string): HelmRenderResult => ({ ok: false, code, message });

// helm sees a private, empty home (no user plugins, repositories or registry logins) and no cluster:
// rendering reads the chart and the values file, nothing else.
function isolatedEnv(): NodeJS.ProcessEnv {
  const home = path.join(os.tmpdir(), 'netlens-helm-home');
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^(HELM_|KUBECONFIG$)/.test(k)) env[k] = v;
  return {
    ...env,
    HELM_CACHE_HOME: path.join(home, 'cache'),
    HELM_CONFIG_HOME: path.join(home, 'config'),
    HELM_DATA_HOME: path.join(home, 'data'),
    HELM_PLUGINS: path.join(home, 'plugins'),
    KUBECONFIG: path.join(home, 'no-kubeconfig'),
  };
}

const sizeText = (bytes: number) => (bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.ceil(bytes / 1024)} KB`);

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** helm's error text, shortened, without its "Error:" prefix and its advice to rerun with --debug */
function firstLines(text: string): string {
  const t = text
    .replace(/^Error: /, '')
    .replace(/^Use --debug flag.*$/m, '')
    .trim();
  return t.length > MAX_MESSAGE ? `${t.slice(0, MAX_MESSAGE)}…` : t;
}

/** Why a run that did not finish failed (not cached: the next render may succeed). */
function stoppedEarly(
  why: NonNullable<BoundedRun['stopped']>,
  error: string | undefined,
  helmPath: string,
  chartName: string,
  timeoutMs: number,
  maxOutputBytes: number,
): HelmRenderResult {
  switch (why) {
    case 'not-found':
      return fail('helm-not-found', `helm could not be started at "${helmPath}" (${error ?? 'not found'}): check ${HELM_PATH_SETTING}`);
    case 'timeout':
      return fail('helm-error', `helm template of "${chartName}" took longer than ${Math.round(timeoutMs / 1000)} s and was stopped`);
    case 'output-cap':
      return fail('helm-error', `helm template of "${chartName}" printed more than ${sizeText(maxOutputBytes)} and was stopped`);
    case 'aborted':
      return fail('helm-error', `helm template of "${chartName}" was cancelled`);
    case 'spawn-failed':
      return fail('helm-error', `helm could not be started: ${error ?? 'unknown error'}`);
  }
}

/** `helm template` of one chart with one values file; see HelmRenderResult for the outcomes. */
export async function renderHelmChart(opts: HelmRenderOptions): Promise<HelmRenderResult> {
  const chartDir = path.resolve(opts.chartDir);
  const chartName = path.basename(chartDir);
  if (!opts.trusted)
    return fail(
      'helm-untrusted',
      `the Helm chart "${chartName}" is not rendered: helm runs the chart's templates, which NetLens does only in a trusted workspace (trust this folder to analyse it)`,
    );
  if (!isDirectory(chartDir)) return fail('helm-error', `the Helm chart folder "${chartName}" does not exist or is not a folder`);
  const missing = missingDependencies(chartDir);
  if (missing.length > 0)
    return fail(
      'helm-dependency-missing',
      `the Helm chart "${chartName}" depends on ${missing.map((d) => `"${d.name}"${d.version ? ` ${d.version}` : ''}`).join(', ')}, missing from its charts/ folder; NetLens never downloads charts: run "helm dependency build" in the chart to vendor them`,
    );
  const helm = findHelm(opts.helmPath);
  if (!helm.ok) return fail('helm-not-found', helm.message);
  const env = isolatedEnv();
  const version = await helmVersion(helm.path, env);
  if (!version)
    return fail('helm-not-found', `"${helm.path}" did not answer "helm version": set ${HELM_PATH_SETTING} to a helm 3 executable`);

  let values: string | undefined;
  const valuesFile = opts.valuesFile ? path.resolve(opts.valuesFile) : undefined;
  if (valuesFile) {
    try {
      // a regular file only: reading a FIFO would wait forever
      if (!statSync(valuesFile).isFile()) throw new Error('not a regular file');
      values = readFileSync(valuesFile, 'utf8');
    } catch (e) {
      return fail('helm-error', `the values file "${path.basename(valuesFile)}" cannot be read: ${(e as Error).message}`);
    }
  }
  const releaseName = opts.releaseName || DEFAULT_RELEASE_NAME;
  // helm's own rule for release names; it also keeps a name like "--post-renderer=x" from being read as a flag
  if (!/^[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?$/.test(releaseName))
    return fail('helm-error', `"${releaseName}" is not a valid Helm release name (lowercase letters, digits and "-", at most 53)`);
  const digest = chartDigest(chartDir);
  const cache = opts.cache ?? sharedHelmCache();
  const key = digest
    ? helmCacheKey({ chartDigest: digest, values, helmVersion: version, releaseName, namespace: opts.namespace })
    : undefined;
  const hit = key ? cache.get(key) : undefined;
  if (hit) return hit;

  const args = ['template', releaseName, chartDir];
  if (valuesFile) args.push('--values', valuesFile);
  if (opts.namespace) args.push(`--namespace=${opts.namespace}`);
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxOutputBytes = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  const run = await runBounded(helm.path, args, { env, timeoutMs, maxOutputBytes, signal: opts.signal });

  if (run.stopped) return stoppedEarly(run.stopped, run.error, helm.path, chartName, timeoutMs, maxOutputBytes);
  const result: HelmRenderResult =
    run.status === 0
      ? { ok: true, yaml: run.stdout }
      : /missing in charts\/ directory/.test(run.stderr)
        ? // a dependency charts/ holds under another name than Chart.yaml says: helm's word decides
          fail('helm-dependency-missing', firstLines(run.stderr))
        : fail('helm-error', firstLines(run.stderr) || `helm template exited with status ${run.status}`);
  // deterministic outcomes only: the same files give the same output or the same template error
  if (key) cache.set(key, result);
  return result;
}

const sharedCaches = new Map<string, HelmRenderCache>();

/** One cache per storage folder (undefined: memory only), shared by every renderer of the process. */
export function sharedHelmCache(dir?: string): HelmRenderCache {
  let c = sharedCaches.get(dir ?? '');
  if (!c) sharedCaches.set(dir ?? '', (c = new HelmRenderCache(dir ? { dir } : {})));
  return c;
}

/** The folder for renders kept between sessions inside the language server's storage path (undefined without one). */
export function helmCacheDirIn(storagePath: string | undefined): string | undefined {
  return storagePath ? path.join(storagePath, 'helm-renders') : undefined;
}

/** What a renderer needs to know: the `netlens.helm.path` setting, the workspace's trust, where to cache. */
export interface HelmRendererSettings {
  helmPath?: string;
  trusted: boolean;
  /** a folder for renders kept between sessions (the language server's storage path); undefined: memory only */
  cacheDir?: string;
}

export type HelmRenderer = (
  chartDir: string,
  valuesFile?: string,
  o?: { releaseName?: string; namespace?: string; signal?: AbortSignal },
) => Promise<HelmRenderResult>;

/** A renderer bound to the settings, sharing the process's cache for that folder: what analysis scopes call. */
export function helmRendererFor(s: HelmRendererSettings): HelmRenderer {
  const cache = sharedHelmCache(s.cacheDir);
  return (chartDir, valuesFile, o = {}) =>
    renderHelmChart({
      chartDir,
      ...(valuesFile ? { valuesFile } : {}),
      ...(s.helmPath ? { helmPath: s.helmPath } : {}),
      trusted: s.trusted,
      cache,
      ...o,
    });
}
