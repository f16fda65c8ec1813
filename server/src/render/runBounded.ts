// Runs a program with a time limit and a cap on what it prints, cancellable: a chart that loops or
// prints gigabytes must not hang or exhaust the language server.
import { spawn } from 'node:child_process';

export interface BoundedRun {
  /** exit status; null when killed (timeout, cap, abort) or not started */
  status: number | null;
  stdout: string;
  stderr: string;
  /** why the run ended early, if it did */
  stopped?: 'timeout' | 'output-cap' | 'aborted' | 'not-found' | 'spawn-failed';
  /** the spawn error's message when stopped is 'not-found' or 'spawn-failed' */
  error?: string;
}

export interface BoundedOptions {
  timeoutMs: number;
  /** bytes of stdout + stderr together */
  maxOutputBytes: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  signal?: AbortSignal;
}

export function runBounded(file: string, args: readonly string[], o: BoundedOptions): Promise<BoundedRun> {
  return new Promise((resolve) => {
    if (o.signal?.aborted) return resolve({ status: null, stdout: '', stderr: '', stopped: 'aborted' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let bytes = 0;
    let stopped: BoundedRun['stopped'];
    let spawnError: string | undefined;
    const child = spawn(file, args, { env: o.env, cwd: o.cwd, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const stop = (why: NonNullable<BoundedRun['stopped']>) => {
      stopped ??= why;
      child.kill('SIGKILL');
    };
    const timer = setTimeout(() => stop('timeout'), o.timeoutMs);
    const onAbort = () => stop('aborted');
    o.signal?.addEventListener('abort', onAbort, { once: true });
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      if (stopped) return;
      bytes += chunk.length;
      if (bytes > o.maxOutputBytes) return stop('output-cap');
      into.push(chunk);
    };
    child.stdout.on('data', collect(out));
    child.stderr.on('data', collect(err));
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e.message;
      stopped ??= e.code === 'ENOENT' || e.code === 'EACCES' ? 'not-found' : 'spawn-failed';
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      o.signal?.removeEventListener('abort', onAbort);
      resolve({
        status: stopped ? null : code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ...(stopped ? { stopped } : {}),
        ...(spawnError ? { error: spawnError } : {}),
      });
    });
  });
}
