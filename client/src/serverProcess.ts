// How the language server's process is started, shared by the extension's small entry (main.ts, which forks
// it first thing in activate()) and the LanguageClient (client.ts, which adopts that process for its first
// start and forks the same way for every later one).
//
// Why a head start: activation waits for two things, loading the client (dist/clientMain.js: the
// LanguageClient, the views, the commands; ~75 ms in a fresh Node) and the server's answer to `initialize`
// (its process start and module init, ~120 ms with the code cache). Forked before the client loads, the
// server starts on another core meanwhile, so activation waits for the longer of the two instead of both
// (docs/performance.md, Extension activation). The process is the one LanguageClient would fork: the same
// module, arguments, environment, working directory and IPC transport (vscode-languageclient 11's
// `createMessageTransports` for a `NodeModule` with `TransportKind.ipc`); in debug mode nothing is forked
// ahead (the LanguageClient starts its debug options as before).
import { fork, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { compileCacheEnv } from './compileCache';

/** What starts the server: its module and the environment added to the extension host's. */
export interface ServerLaunch {
  module: string;
  env?: Record<string, string>;
}

/** The extension's server launch: dist/server.js with the caches in its global storage (compileCache.ts). */
export function serverLaunch(asAbsolutePath: (p: string) => string, globalStorage: string | undefined): ServerLaunch {
  const env = compileCacheEnv(globalStorage);
  return { module: asAbsolutePath('dist/server.js'), ...(env ? { env: { ...env } } : {}) };
}

const DEBUG_STARTS_WITH = ['--debug=', '--debug-brk=', '--inspect=', '--inspect-brk='];
const DEBUG_EQUALS = ['--debug', '--debug-brk', '--inspect', '--inspect-brk'];

/** The extension host runs under a debugger: LanguageClient then starts the server's `debug` options. */
export function startedInDebugMode(execArgv: readonly string[] = process.execArgv): boolean {
  return execArgv.some((a) => DEBUG_STARTS_WITH.some((s) => a.startsWith(s)) || DEBUG_EQUALS.includes(a));
}

/** The working directory LanguageClient gives the server: the first workspace folder on disk, if it is one. */
export function serverWorkingDir(firstFolder: string | undefined): string | undefined {
  if (!firstFolder) return undefined;
  try {
    return statSync(firstFolder).isDirectory() ? firstFolder : undefined;
  } catch {
    return undefined;
  }
}

/** Forks the server as LanguageClient does for a node module over IPC (its arguments, environment and options). */
export function forkServer(launch: ServerLaunch, cwd: string | undefined): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_RUN_AS_NODE: '1', ELECTRON_NO_ASAR: '1', ...launch.env };
  return fork(launch.module, ['--node-ipc', `--clientProcessId=${process.pid}`], {
    env,
    execArgv: [],
    ...(cwd ? { cwd } : {}),
    silent: true,
  });
}

/**
 * A server process forked ahead of the client. The LanguageClient takes it once (take()); one never taken
 * (activation failed before the client started) is killed on dispose.
 */
export class PrestartedServer {
  private process: ChildProcess | undefined;

  constructor(process: ChildProcess) {
    this.process = process;
    // an error here (the fork failed) ends this process; take() then hands out nothing and the client forks again
    process.on('error', () => undefined);
  }

  /** The process, once, if it is still running and connected; else undefined (and it is killed). */
  take(): ChildProcess | undefined {
    const p = this.process;
    this.process = undefined;
    if (!p) return undefined;
    if (p.exitCode === null && p.signalCode === null && p.connected) return p;
    p.kill();
    return undefined;
  }

  dispose(): void {
    this.process?.kill();
    this.process = undefined;
  }
}
