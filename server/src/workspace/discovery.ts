// Finds the files NetLens reads under the workspace folders, honouring exclude globs and a size limit.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { minimatch } from 'minimatch';

const WANTED = /\.(ya?ml|json|conf|conflist)$|(^|[/\\])Corefile$/i;
const ALWAYS_SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn']);

export interface DiscoveryOptions {
  exclude: string[];
  maxFileBytes: number;
  log(message: string): void;
}

export interface Discovered {
  path: string;
  size: number;
}

export async function discoverFiles(roots: readonly string[], opts: DiscoveryOptions): Promise<Discovered[]> {
  const out: Discovered[] = [];
  const seen = new Set<string>();
  const excluded = (rel: string) =>
    opts.exclude.some((g) => minimatch(rel, g, { dot: true }) || minimatch(rel, g.replace(/^\*\*\//, ''), { dot: true }));
  const walk = async (root: string, dir: string): Promise<void> => {
    let real: string;
    try {
      real = await fs.realpath(dir);
    } catch {
      return;
    }
    if (seen.has(real)) return; // symlink loop
    seen.add(real);
    let entries: import('node:fs').Dirent[];
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      opts.log(`skipped ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    // the sizes of this folder's files are asked for all at once (one stat after another is I/O-bound)
    const sizes = new Map<string, Promise<number | Error>>();
    const kept = entries.filter(
      (e) => !ALWAYS_SKIPPED.has(e.name) && !excluded(path.relative(root, path.join(dir, e.name)).split(path.sep).join('/')),
    );
    for (const e of kept) {
      if (e.isFile() && WANTED.test(e.name))
        sizes.set(
          e.name,
          fs.stat(path.join(dir, e.name)).then(
            (st) => st.size,
            (err: Error) => err,
          ),
        );
    }
    for (const e of kept) {
      const p = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = await fs.stat(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          opts.log(`skipped ${p}: broken symlink`);
          continue;
        }
      }
      if (isDir) await walk(root, p);
      else if (isFile && WANTED.test(e.name)) {
        const size = await (sizes.get(e.name) ??
          fs.stat(p).then(
            (st) => st.size,
            (err: Error) => err,
          ));
        if (size instanceof Error) {
          opts.log(`skipped ${p}: ${size.message}`);
        } else if (size > opts.maxFileBytes) {
          opts.log(`skipped ${p}: ${(size / 1048576).toFixed(1)} MB is over netlens.files.maxSizeKB`);
        } else out.push({ path: p, size });
      }
    }
  };
  for (const r of roots) await walk(r, r);
  return out;
}
