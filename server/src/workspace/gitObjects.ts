// Reading committed files with the real `git` executable (rev-parse, ls-tree, cat-file; never the network),
// shared by the editor's Changes view (workspace/gitHead.ts) and the CLI's `diff` (cli/gitVersion.ts).
// Callers run it only where git may run: a repository's own configuration can make git run programs.
import { spawnSync } from 'node:child_process';
import { isWantedFile } from './walk';

export const MAX_FILE_BYTES = 50 * 1024 * 1024;
const MAX_OUTPUT = 1024 * 1024 * 1024;
/** Folders the working-tree walk skips, skipped in a commit too so that both versions line up. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn']);

/** git could not run, or a git command failed; the message says which and why. */
export class GitError extends Error {
  constructor(
    message: string,
    readonly cannotRun = false,
  ) {
    super(message);
  }
}

export function runGit(args: string[], cwd: string, input?: string): Buffer {
  const r = spawnSync('git', args, {
    cwd,
    input,
    maxBuffer: MAX_OUTPUT,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
  });
  if (r.error) throw new GitError(`cannot run git (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`, true);
  if (r.status !== 0) throw new GitError(`git ${args[0]} failed: ${r.stderr.toString().trim().split('\n')[0] ?? ''}`);
  return r.stdout;
}

/** The repository's top folder. */
export function gitTopLevel(cwd: string): string {
  return runGit(['rev-parse', '--show-toplevel'], cwd).toString().trim();
}

/** One committed file: its text's bytes, or why it was not read. `file` is relative to the repository's top. */
export type CommittedFile = { file: string; body: Buffer } | { file: string; unread: string };

/**
 * The files under `paths` (relative to `top`) in `commit` that the walk would read (or that `named` names),
 * sorted by path, read with one `git cat-file --batch`. Trees, submodules and symbolic links are not read.
 */
export function readCommittedFiles(
  top: string,
  commit: string,
  paths: readonly string[],
  named: ReadonlySet<string> = new Set(),
): CommittedFile[] {
  const listing = runGit(['ls-tree', '-r', '-z', '--full-name', commit, '--', ...paths], top).toString('utf8');
  const files: { oid: string; file: string }[] = [];
  for (const line of listing.split('\0')) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(line);
    if (!m || m[2] !== 'blob' || m[1] === '120000') continue;
    if (!isWantedFile(m[4]) && !named.has(m[4])) continue;
    if (m[4].split('/').some((seg) => SKIPPED_FOLDERS.has(seg))) continue;
    files.push({ oid: m[3], file: m[4] });
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  if (files.length === 0) return [];
  const batch = runGit(['cat-file', '--batch'], top, files.map((f) => `${f.oid}\n`).join(''));
  const out: CommittedFile[] = [];
  let at = 0;
  for (const f of files) {
    const nl = batch.indexOf(10, at);
    if (nl < 0) {
      out.push({ file: f.file, unread: 'git cat-file ended early' });
      break;
    }
    const header = batch.subarray(at, nl).toString();
    const size = Number(header.split(' ')[2]);
    if (!Number.isFinite(size)) {
      at = nl + 1; // "<oid> missing": no body follows
      out.push({ file: f.file, unread: `git cat-file could not read it (${header})` });
      continue;
    }
    at = nl + 1 + size + 1;
    if (size > MAX_FILE_BYTES) out.push({ file: f.file, unread: `file is over the ${MAX_FILE_BYTES / 1048576} MB limit` });
    else out.push({ file: f.file, body: batch.subarray(nl + 1, nl + 1 + size) });
  }
  return out;
}
