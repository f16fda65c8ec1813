// What a chart is made of, read from disk: a digest of all its files (the render cache key), and the
// dependencies its Chart.yaml (or a v1 chart's requirements.yaml) declares that charts/ does not hold.
// `helm template` would fail on those; NetLens says so without running helm, and never fetches them.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';

/** beyond this many files or bytes a directory is no chart worth caching (a misdetected tree): no key, no cache */
const MAX_FILES = 10_000;
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * sha256 over every file under the chart (relative path and content, in sorted order; symbolic links
 * followed as helm follows them, each real directory once), or undefined when it cannot be read whole.
 */
export function chartDigest(chartDir: string): string | undefined {
  const hash = createHash('sha256');
  const seen = new Set<string>();
  let files = 0;
  let bytes = 0;
  const walk = (abs: string, rel: string): boolean => {
    let real: string;
    try {
      real = realpathSync(abs);
    } catch {
      return false;
    }
    if (seen.has(real)) return true;
    seen.add(real);
    let names: string[];
    try {
      names = readdirSync(abs).sort();
    } catch {
      return false;
    }
    for (const name of names) {
      const p = path.join(abs, name);
      const r = rel ? `${rel}/${name}` : name;
      let st;
      try {
        st = statSync(p);
      } catch {
        continue; // a dangling link: helm skips it too
      }
      if (st.isDirectory()) {
        if (!walk(p, r)) return false;
      } else if (st.isFile()) {
        if (++files > MAX_FILES || (bytes += st.size) > MAX_BYTES) return false;
        let content: Buffer;
        try {
          content = readFileSync(p);
        } catch {
          return false;
        }
        hash.update(`${r}\0${content.length}\0`);
        hash.update(content);
      }
    }
    return true;
  };
  return walk(chartDir, '') ? hash.digest('hex') : undefined;
}

interface Dependency {
  name: string;
  version?: string;
  repository?: string;
}

/** a regular file's YAML (never a FIFO or device, which would block), or undefined */
function readYaml(file: string): unknown {
  try {
    if (!statSync(file).isFile()) return undefined;
    return parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function declaredDependencies(chartDir: string): Dependency[] {
  const out: Dependency[] = [];
  for (const file of ['Chart.yaml', 'requirements.yaml']) {
    const doc = readYaml(path.join(chartDir, file));
    const deps = doc && typeof doc === 'object' ? (doc as { dependencies?: unknown }).dependencies : undefined;
    if (!Array.isArray(deps)) continue;
    for (const d of deps) {
      if (!d || typeof d !== 'object') continue;
      const { name, version, repository } = d as Record<string, unknown>;
      if (typeof name !== 'string' || !name) continue;
      out.push({
        name,
        ...(typeof version === 'string' ? { version } : {}),
        ...(typeof repository === 'string' ? { repository } : {}),
      });
    }
  }
  return out;
}

/** The names of the charts in charts/: a directory's Chart.yaml name; an archive's name as in "<name>-<version>.tgz". */
function vendoredCharts(chartDir: string): { names: Set<string>; archives: string[] } {
  const names = new Set<string>();
  const archives: string[] = [];
  const dir = path.join(chartDir, 'charts');
  let entries: string[] = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return { names, archives };
  }
  for (const e of entries) {
    const p = path.join(dir, e);
    if (/\.tgz$|\.tar\.gz$/.test(e)) archives.push(e);
    else {
      const doc = readYaml(path.join(p, 'Chart.yaml'));
      const name = doc && typeof doc === 'object' ? (doc as { name?: unknown }).name : undefined;
      if (typeof name === 'string') names.add(name);
    }
  }
  return { names, archives };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Dependencies declared by the chart that charts/ does not hold (helm template would stop on them). */
export function missingDependencies(chartDir: string): Dependency[] {
  const declared = declaredDependencies(chartDir);
  if (declared.length === 0) return [];
  const { names, archives } = vendoredCharts(chartDir);
  return declared.filter((d) => !names.has(d.name) && !archives.some((a) => new RegExp(`^${escapeRe(d.name)}-v?\\d`).test(a)));
}
