// Reads one committed version of the repository with the real `git` executable (rev-parse, ls-tree,
// cat-file; never the network): the files under the given paths, as the working tree walk would
// name them (relative to the current folder), so the two versions' reports line up.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { SourceText } from '../engine';
import type { Skip } from '../engine/model/types';
import { decodeText } from '../workspace/decode';
import { chartOfPath } from '../workspace/charts';
import { GitError, gitTopLevel, readCommittedFiles } from '../workspace/gitObjects';
import { UsageError } from './args';

/** git's failures as the CLI's usage errors (exit 2), saying why git was needed. */
function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof GitError) {
      throw new UsageError(e.cannotRun ? `${e.message}: --base/--head name a git revision, which needs git on PATH` : e.message);
    }
    throw e;
  }
}

/** The commit a revision names, or undefined when it names none (or this is no git repository). */
export function resolveRevision(rev: string, cwd: string): string | undefined {
  if (rev.startsWith('-')) return undefined; // never an option to git
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`], { cwd });
  return r.status === 0 ? r.stdout.toString().trim() : undefined;
}

export interface GitFiles {
  sources: SourceText[];
  skipped: Skip[];
}

/** The wanted files under `paths` (relative to `cwd`) in `commit`, read with one `git cat-file --batch`. */
export function readGitVersion(commit: string, paths: readonly string[], cwd: string): GitFiles {
  return asUsage(() => {
    const top = gitTopLevel(cwd);
    const inRepo = paths.map((p) => {
      const rel = path.relative(top, path.resolve(cwd, p));
      if (rel.startsWith('..') || path.isAbsolute(rel)) throw new UsageError(`${p} is outside the git repository ${top}`);
      return rel === '' ? '.' : rel.split(path.sep).join('/');
    });
    const files = readCommittedFiles(top, commit, inRepo, new Set(inRepo));
    const inCommit = new Set(files.map((f) => path.join(top, f.file)));
    const out: GitFiles = { sources: [], skipped: [] };
    for (const f of files) {
      const uri = path.relative(cwd, path.join(top, f.file)) || f.file;
      if (!('body' in f)) {
        out.skipped.push({ uri, reason: f.unread });
        continue;
      }
      const chart = chartOfPath(path.join(top, f.file), (p) => inCommit.has(p));
      out.sources.push({ uri, text: decodeText(f.body, true), ...(chart ? { chart } : {}) });
    }
    return out;
  });
}
