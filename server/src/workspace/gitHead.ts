// The files of a workspace folder as committed in git HEAD, read with the real `git` executable
// (rev-parse, ls-tree, cat-file; never the network). The server runs it only in a trusted workspace:
// a repository's own configuration can make git run programs.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { URI } from 'vscode-uri';
import { decodeText } from './decode';
import { isWantedFile } from './walk';

const MAX_FILE_BYTES = 50 * 1024 * 1024;
const MAX_OUTPUT = 1024 * 1024 * 1024;
const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.hg', '.svn']);

export class GitUnavailable extends Error {}

function git(args: string[], cwd: string, input?: string): Buffer {
  const r = spawnSync('git', args, {
    cwd,
    input,
    maxBuffer: MAX_OUTPUT,
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
  });
  if (r.error) throw new GitUnavailable(`cannot run git (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`);
  if (r.status !== 0) throw new GitUnavailable(`git ${args[0]}: ${r.stderr.toString().trim().split('\n')[0] ?? ''}`);
  return r.stdout;
}

/** The commit HEAD names in the repository holding `folder`; throws GitUnavailable when there is none. */
export function headCommit(folder: string): string {
  return git(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], folder).toString().trim();
}

/** The wanted files under `folder` in `commit`, by file URI (as the index names files on disk). */
export function readCommittedTexts(folder: string, commit: string): Map<string, string> {
  const top = git(['rev-parse', '--show-toplevel'], folder).toString().trim();
  const rel = path.relative(top, folder).split(path.sep).join('/') || '.';
  const listing = git(['ls-tree', '-r', '-z', '--full-name', commit, '--', rel], top).toString('utf8');
  const files: { oid: string; file: string }[] = [];
  for (const line of listing.split('\0')) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(line);
    if (!m || m[2] !== 'blob' || m[1] === '120000') continue; // trees, submodules and symbolic links are not read
    if (!isWantedFile(m[4]) || m[4].split('/').some((seg) => SKIPPED_FOLDERS.has(seg))) continue;
    files.push({ oid: m[3], file: m[4] });
  }
  const out = new Map<string, string>();
  if (files.length === 0) return out;
  const batch = git(['cat-file', '--batch'], top, files.map((f) => `${f.oid}\n`).join(''));
  let at = 0;
  for (const f of files) {
    const nl = batch.indexOf(10, at);
    if (nl < 0) break;
    const size = Number(batch.subarray(at, nl).toString().split(' ')[2]);
    if (!Number.isFinite(size)) {
      at = nl + 1; // "<oid> missing": no body follows
      continue;
    }
    at = nl + 1 + size + 1;
    if (size > MAX_FILE_BYTES) continue;
    out.set(URI.file(path.join(top, f.file)).toString(), decodeText(batch.subarray(nl + 1, nl + 1 + size), true));
  }
  return out;
}
