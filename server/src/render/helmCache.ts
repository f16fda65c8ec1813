// Rendered charts, remembered by what determines the output: the chart's files, the values file's
// content, the helm version, the release name and namespace. In memory (most recent first) and, for
// successful renders, optionally on disk (the server's storage folder) so that a restart is instant too.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { HelmRenderResult } from './helmResult';

export interface HelmCacheKeyParts {
  chartDigest: string;
  /** the values file's content; undefined without one */
  values: string | undefined;
  helmVersion: string;
  releaseName: string;
  namespace: string | undefined;
}

/** bumped when the way NetLens calls helm changes what it prints */
const KEY_FORMAT = 'helm-template-1';

export function helmCacheKey(k: HelmCacheKeyParts): string {
  const h = createHash('sha256');
  for (const part of [
    KEY_FORMAT,
    k.chartDigest,
    k.helmVersion,
    k.releaseName,
    k.namespace ?? '',
    k.values === undefined ? '\u0001' : k.values,
  ])
    h.update(`${part.length}:${part}\0`);
  return h.digest('hex');
}

export class HelmRenderCache {
  private readonly memory = new Map<string, HelmRenderResult>();
  private readonly maxEntries: number;
  private readonly maxDiskFiles: number;
  /** where successful renders are kept between sessions; undefined: memory only */
  readonly dir: string | undefined;

  constructor(o: { dir?: string; maxEntries?: number; maxDiskFiles?: number } = {}) {
    this.dir = o.dir;
    this.maxEntries = o.maxEntries ?? 64;
    this.maxDiskFiles = o.maxDiskFiles ?? 256;
  }

  get(key: string): HelmRenderResult | undefined {
    const hit = this.memory.get(key);
    if (hit) {
      this.memory.delete(key);
      this.memory.set(key, hit);
      return hit;
    }
    if (!this.dir) return undefined;
    try {
      const yaml = readFileSync(path.join(this.dir, `${key}.yaml`), 'utf8');
      const result: HelmRenderResult = { ok: true, yaml };
      this.remember(key, result);
      return result;
    } catch {
      return undefined;
    }
  }

  set(key: string, result: HelmRenderResult): void {
    this.remember(key, result);
    if (result.ok && this.dir) this.writeToDisk(key, result.yaml);
  }

  /** entries held in memory (for tests and the output channel) */
  get size(): number {
    return this.memory.size;
  }

  private remember(key: string, result: HelmRenderResult): void {
    this.memory.delete(key);
    this.memory.set(key, result);
    while (this.memory.size > this.maxEntries) this.memory.delete(this.memory.keys().next().value!);
  }

  // Written whole (temp file, then rename), so a reader never sees half a render; failures only cost speed.
  private writeToDisk(key: string, yaml: string): void {
    const dir = this.dir!;
    try {
      mkdirSync(dir, { recursive: true });
      const tmp = path.join(dir, `${key}.${process.pid}.tmp`);
      writeFileSync(tmp, yaml);
      renameSync(tmp, path.join(dir, `${key}.yaml`));
      this.prune(dir);
    } catch {
      // a read-only or full disk: the memory cache still serves
    }
  }

  /** keeps the newest maxDiskFiles renders */
  private prune(dir: string): void {
    const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
    if (files.length <= this.maxDiskFiles) return;
    const byAge = files
      .map((f) => {
        try {
          return { f, t: statSync(path.join(dir, f)).mtimeMs };
        } catch {
          return { f, t: 0 };
        }
      })
      .sort((a, b) => a.t - b.t);
    for (const { f } of byAge.slice(0, files.length - this.maxDiskFiles)) {
      try {
        unlinkSync(path.join(dir, f));
      } catch {
        // gone already
      }
    }
  }
}
