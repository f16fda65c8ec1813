// Reads one committed version of the repository with the real `git` executable (rev-parse, ls-tree,
// cat-file; never the network): the files under the given paths, as the working tree walk would
// name them (relative to the current folder), so the two versions' reports line up.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import type { SourceText } from '../engine';
import type { Skip } from '../engine/model/types';
import { decodeText } from '../workspace/decode';
import { chartOfPath } from '../workspace/charts';
import { isWantedFile } from '../workspace/walk';
import { UsageError } from './args';

const MAX_FILE_BYTES = 50 * 1024 * 1024;
const MAX_OUTPUT = 1024 * 1024 * 1024;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn']);

function git(args: string[], cwd: string, input?: string): Buffer {
  const r = spawnSync('git', args, {
    cwd,
    input,
    maxBuffer: MAX_OUTPUT,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
  });
  if (r.error)
    throw new UsageError(
      `cannot run git (${(r.error as NodeJS.ErrnoException).code ?? r.error.message}): --base/--head name a git revision, which needs git on PATH`,
    );
  if (r.status !== 0) throw new UsageError(`git ${args[0]} failed: ${r.stderr.toString().trim().split('\n')[0] ?? ''}`);
  return r.stdout;
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
  const top = git(['rev-parse', '--show-toplevel'], cwd).toString().trim();
  const inRepo = paths.map((p) => {
    const rel = path.relative(top, path.resolve(cwd, p));
    if (rel.startsWith('..') || path.isAbsolute(rel)) throw new UsageError(`${p} is outside the git repository ${top}`);
    return rel === '' ? '.' : rel.split(path.sep).join('/');
  });
  const named = new Set(inRepo);
  const listing = git(['ls-tree', '-r', '-z', '--full-name', commit, '--', ...inRepo], top).toString('utf8');
  const files: { oid: string; file: string }[] = [];
  for (const line of listing.split('\0')) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(line);
    if (!m || m[2] !== 'blob' || m[1] === '120000') continue; // trees, submodules and symbolic links are not read
    if (!isWantedFile(m[4]) && !named.has(m[4])) continue;
    if (m[4].split('/').some((seg) => SKIPPED_FOLDERS.has(seg))) continue; // as the working tree walk skips them
    files.push({ oid: m[3], file: m[4] });
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const out: GitFiles = { sources: [], skipped: [] };
  if (files.length === 0) return out;
  const batch = git(['cat-file', '--batch'], top, files.map((f) => `${f.oid}\n`).join(''));
  let at = 0;
  for (const f of files) {
    const nl = batch.indexOf(10, at);
    const header = batch.subarray(at, nl).toString();
    const size = Number(header.split(' ')[2]);
    const body = batch.subarray(nl + 1, nl + 1 + size);
    at = nl + 1 + size + 1;
    const uri = path.relative(cwd, path.join(top, f.file)) || f.file;
    if (!Number.isFinite(size)) {
      out.skipped.push({ uri, reason: `git cat-file could not read it (${header})` });
      continue;
    }
    if (size > MAX_FILE_BYTES) {
      out.skipped.push({ uri, reason: `file is over the ${MAX_FILE_BYTES / 1048576} MB limit` });
      continue;
    }
    const chart = chartOfPath(path.join(top, f.file), (p) => files.some((x) => path.join(top, x.file) === p));
    out.sources.push({ uri, text: decodeText(body, true), ...(chart ? { chart } : {}) });
  }
  return out;
}
