// Locates the repository from bundled tests (out/test/...) and runs the built CLI.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'netlens') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no netlens package.json above ${__dirname}`);
    dir = up;
  }
}

export function fixturePath(...parts: string[]): string {
  return path.join(repoRoot(), 'test', 'fixtures', ...parts);
}

/** Every file under a fixture folder as engine sources (uri = path relative to the repo). */
export function fixtureSources(...parts: string[]): { uri: string; text: string }[] {
  const root = repoRoot();
  const out: { uri: string; text: string }[] = [];
  const walk = (p: string) => {
    if (statSync(p).isDirectory()) for (const n of readdirSync(p).sort()) walk(path.join(p, n));
    else out.push({ uri: path.relative(root, p), text: readFileSync(p, 'utf8') });
  };
  walk(fixturePath(...parts));
  return out;
}

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd = repoRoot()): CliResult {
  const r = spawnSync(process.execPath, [path.join(repoRoot(), 'dist', 'cli.js'), ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
