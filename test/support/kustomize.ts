// Differential testing of the Kustomize renderer: a KustomizeFs over the real disk, `kubectl kustomize`
// (found on PATH, in $KUBECTL or where scripts/tools/install-kubectl.sh caches it), and an
// object-by-object comparison of both outputs (parsed, keys in one order).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import type { KustomizeFs, RenderResult } from '../../server/src/engine/kustomize';
import { printStream } from '../../server/src/engine/kustomize';
import { kustomizeDiskFs } from '../../server/src/workspace/kustomizeDiskFs';

export const diskFs: KustomizeFs = kustomizeDiskFs;

/** The Kustomize fixture roots (test/fixtures/kustomize): one per feature, and the two overlays of a shared base. */
export const KUSTOMIZE_ROOTS: readonly string[] = [
  'resources',
  'components',
  'namespace',
  'prefix-suffix',
  'labels',
  'patches-smp',
  'patches-json6902',
  'replicas-images',
  'generators',
  'vars-replacements',
  'overlays/dev',
  'overlays/prod',
  'generators-replace/overlay',
];

/** An in-memory KustomizeFs over `{ 'dir/file.yaml': text }` (paths relative to '/'). */
export function memoryFs(files: Record<string, string>): KustomizeFs {
  const norm = (p: string) => path.posix.normalize('/' + p).replace(/\/$/, '') || '/';
  const map = new Map(Object.entries(files).map(([k, v]) => [norm(k), v]));
  const dirs = new Set<string>(['/']);
  for (const k of map.keys())
    for (let d = path.posix.dirname(k); ; d = path.posix.dirname(d)) {
      dirs.add(d);
      if (d === '/') break;
    }
  return {
    readFile: (p) => map.get(norm(p)),
    isDir: (p) => dirs.has(norm(p)),
    listDir: (p) => {
      const d = norm(p);
      if (!dirs.has(d)) return undefined;
      const names = new Set<string>();
      for (const k of [...map.keys(), ...dirs]) if (k !== d && path.posix.dirname(k) === d) names.add(path.posix.basename(k));
      return [...names];
    },
  };
}

/** Prints a render result the way `kubectl kustomize` prints its output. */
export function printLikeKubectl(result: RenderResult): string {
  return printStream(result.objects.map((o) => o.yaml));
}

export const INSTALL_SCRIPT = 'scripts/tools/install-kubectl.sh';

/** The kubectl binary to compare with, or undefined (tests then skip, naming the install script). */
export function findKubectl(): string | undefined {
  const cache = path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'netlens-tools', 'kubectl', 'kubectl');
  for (const c of [process.env.KUBECTL, cache]) if (c && existsSync(c)) return c;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter))
    if (dir && existsSync(path.join(dir, 'kubectl'))) return path.join(dir, 'kubectl');
  return undefined;
}

export function kubectlKustomize(kubectl: string, dir: string): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync(kubectl, ['kustomize', dir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, KUBECONFIG: '/dev/null' },
  });
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}

export function parseStream(text: string): Record<string, unknown>[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as Record<string, unknown> | null)
    .filter((o): o is Record<string, unknown> => o !== null && o !== undefined)
    .map((o) => sortKeys(o) as Record<string, unknown>);
}

function idOf(o: Record<string, unknown>): string {
  const m = (o.metadata ?? {}) as Record<string, unknown>;
  return `${String(o.kind)} ${m.namespace ? `${String(m.namespace)}/` : ''}${String(m.name)}`;
}

/** The first few paths where two values differ. */
function diffPaths(a: unknown, b: unknown, at: string, out: string[]): void {
  if (out.length >= 5) return;
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) diffPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`, out);
    return;
  }
  out.push(`${at}: kubectl ${JSON.stringify(a)} / netlens ${JSON.stringify(b)}`);
}

/** Differences between kubectl's objects and NetLens's, object by object and in order ([] when equal). */
export function compareOutputs(kubectlText: string, netlensText: string): string[] {
  const want = parseStream(kubectlText);
  const got = parseStream(netlensText);
  const diffs: string[] = [];
  const wantIds = want.map(idOf);
  const gotIds = got.map(idOf);
  for (const id of wantIds) if (!gotIds.includes(id)) diffs.push(`missing ${id}`);
  for (const id of gotIds) if (!wantIds.includes(id)) diffs.push(`extra ${id}`);
  for (const [i, w] of want.entries()) {
    const j = gotIds.indexOf(wantIds[i]);
    if (j < 0) continue;
    const paths: string[] = [];
    diffPaths(w, got[j], '', paths);
    for (const p of paths) diffs.push(`${wantIds[i]}${p}`);
  }
  if (diffs.length === 0 && wantIds.join('\n') !== gotIds.join('\n'))
    diffs.push(`order: kubectl ${wantIds.join(', ')} / netlens ${gotIds.join(', ')}`);
  return diffs;
}
