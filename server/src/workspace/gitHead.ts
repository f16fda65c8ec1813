// The files of a workspace folder as committed in git HEAD, for the Changes view (read by
// workspace/gitObjects.ts). The server runs it only in a trusted workspace.
import path from 'node:path';
import { URI } from 'vscode-uri';
import { decodeText } from './decode';
import { GitError, gitTopLevel, readCommittedFiles, runGit } from './gitObjects';

/** git is missing, or the folder is in no repository or one without a commit. */
export class GitUnavailable extends Error {}

function unavailable<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (e instanceof GitError) throw new GitUnavailable(e.message);
    throw e;
  }
}

/**
 * The commit HEAD names in the repository holding `folder`; throws GitUnavailable when there is none,
 * with a reason a person reads in the matrix view and the Changes view (not git's raw stderr).
 */
export function headCommit(folder: string): string {
  try {
    return runGit(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], folder).toString().trim();
  } catch (e) {
    if (e instanceof GitError) throw new GitUnavailable(headProblem(e));
    throw e;
  }
}

/** Why HEAD cannot be read, in words: git missing, no repository, or a repository without a commit. */
export function headProblem(e: GitError): string {
  if (e.cannotRun) return `git is not available: ${e.message}`;
  if (/not a git repository/i.test(e.message)) return 'the folder is not in a git repository';
  if (/dubious ownership/i.test(e.message)) return 'git refuses the repository (owned by another user: see git config safe.directory)';
  // `rev-parse --verify --quiet` fails without a word when HEAD names no commit yet
  if (/failed:\s*$/.test(e.message)) return 'the repository has no commit yet';
  return e.message;
}

/**
 * Whether a changed file is one that moves HEAD: `.git/HEAD` (checkout, detached commit, `git init`),
 * a branch ref (commit, reset) or `packed-refs`. The server watches these (loader.ts `watchFiles`).
 */
export function movesHead(filePath: string): boolean {
  return /(^|\/)\.git\/(HEAD|packed-refs|refs\/heads\/.+)$/.test(filePath);
}

/** Glob patterns the client watches for `movesHead` (a repository at the top of a workspace folder). */
export const HEAD_WATCH_GLOBS = ['**/.git/{HEAD,packed-refs}', '**/.git/refs/heads/**'];

/** The wanted files under `folder` in `commit`, by file URI (as the index names files on disk). */
export function readCommittedTexts(folder: string, commit: string): Map<string, string> {
  return unavailable(() => {
    const top = gitTopLevel(folder);
    const rel = path.relative(top, folder).split(path.sep).join('/') || '.';
    const out = new Map<string, string>();
    for (const f of readCommittedFiles(top, commit, [rel])) {
      if ('body' in f) out.set(URI.file(path.join(top, f.file)).toString(), decodeText(f.body, true));
    }
    return out;
  });
}
