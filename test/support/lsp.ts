// The one LSP client of the tests, the fuzzer, the benchmark and the seed checks: spawns a server
// (dist/server.js --stdio unless told otherwise) and speaks JSON-RPC to it.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type CancellationToken,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node';
import type { Diagnostic, NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import { StatusRequest, type StatusResult } from '../../protocol/messages';
import { repoRoot } from './paths';

export interface Position {
  line: number;
  character: number;
}

/** The position of `offset` in `text` (lines split at \n). */
export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: offset - start };
}

/** `p`, or a rejection naming `what` after `ms` milliseconds. */
export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<T>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms / 1000} s`)), ms);
    timer.unref();
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

interface Waiter {
  method: string;
  match: (params: unknown) => boolean;
  resolve: (params: unknown) => void;
}

/** The notifications a session has received (when kept), and the waiters for the next ones. */
class Notifications {
  readonly received: { method: string; params: unknown }[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly listeners = new Map<string, ((params: unknown) => void)[]>();

  constructor(private readonly keep: boolean) {}

  add(method: string, params: unknown): void {
    if (this.keep) this.received.push({ method, params });
    for (const w of [...this.waiters]) {
      if (w.method === method && w.match(params)) {
        this.waiters.delete(w);
        w.resolve(params);
      }
    }
    for (const l of this.listeners.get(method) ?? []) l(params);
  }

  listen(method: string, listener: (params: unknown) => void): void {
    const ls = this.listeners.get(method) ?? [];
    ls.push(listener);
    this.listeners.set(method, ls);
  }

  /** The next notification `method` whose params match, or undefined after timeoutMs. */
  next<T>(method: string, match: (params: T) => boolean, timeoutMs: number): Promise<T | undefined> {
    return new Promise<T | undefined>((resolve) => {
      const w: Waiter = {
        method,
        match: match as (p: unknown) => boolean,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p as T);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.add(w);
    });
  }

  /** The first notification `method` (since the start) whose params match; rejects after timeoutMs. */
  first<T>(method: string, match: (params: T) => boolean, timeoutMs: number): Promise<T> {
    if (!this.keep) throw new Error('this session keeps no notifications (keepNotifications: false): use next()');
    const found = this.received.find((n) => n.method === method && match(n.params as T));
    if (found) return Promise.resolve(found.params as T);
    return this.next<T>(method, match, timeoutMs).then((p) => {
      if (p === undefined) throw new Error(`no ${method} notification within ${timeoutMs} ms`);
      return p;
    });
  }
}

export interface SpawnOptions {
  /** what node runs: the server's script and its arguments (default: dist/server.js --stdio) */
  args?: string[];
  /** another program to run instead of node (its path and arguments), e.g. the netlens-language-server launcher */
  command?: string[];
  env?: NodeJS.ProcessEnv;
  /** the answer to workspace/configuration for one section (undefined answers null) */
  configuration?: (section: string | undefined) => unknown;
  /** keep every notification, so that notification() also finds earlier ones (default true; long runs: false) */
  keepNotifications?: boolean;
  /** how many stderr chunks to keep (default: all) */
  stderrChunks?: number;
  /** a time limit for every request() (default: none) */
  requestTimeoutMs?: number;
}

export interface StopOptions {
  /** how long to wait for the shutdown answer, then for the process to exit, before killing it */
  shutdownMs?: number;
  exitMs?: number;
  signal?: NodeJS.Signals;
}

/** The client capabilities of `LspSession.start`: pull diagnostics, configuration, progress, markdown hovers. */
/** The client capabilities the tests send: with pull diagnostics (like VS Code), or without (like Neovim 0.9 and older). */
export function clientCapabilities(pull: boolean): Record<string, unknown> {
  return {
    workspace: {
      configuration: true,
      didChangeWatchedFiles: { dynamicRegistration: true },
      ...(pull ? { diagnostics: { refreshSupport: true } } : {}),
    },
    textDocument: {
      ...(pull ? { diagnostic: { dynamicRegistration: false } } : { publishDiagnostics: { versionSupport: true } }),
      hover: { contentFormat: ['markdown'] },
    },
    window: { workDoneProgress: true },
  };
}

export const TEST_CLIENT_CAPABILITIES = clientCapabilities(true);

export class LspSession {
  readonly stderr: string[] = [];
  capabilities: unknown;
  exited = false;
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
    private readonly notes: Notifications,
    private readonly requestTimeoutMs: number | undefined,
  ) {}

  /** Spawns a server and connects, without initializing it (see initialize). */
  static spawn(options: SpawnOptions = {}): LspSession {
    const args = options.args ?? [path.join(repoRoot(), 'dist', 'server.js'), '--stdio'];
    const [cmd, ...cmdArgs] = options.command ?? [process.execPath, ...args];
    const proc = spawn(cmd!, cmdArgs, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const notes = new Notifications(options.keepNotifications ?? true);
    const s = new LspSession(proc, conn, notes, options.requestTimeoutMs);
    const limit = options.stderrChunks ?? Infinity;
    proc.stderr!.on('data', (d) => {
      s.stderr.push(String(d));
      if (s.stderr.length > limit) s.stderr.shift();
    });
    proc.on('exit', () => {
      s.exited = true;
    });
    const configuration = options.configuration ?? (() => ({}));
    conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => configuration(i.section) ?? null),
    );
    // the requests servers make of clients that need no more than an answer
    for (const m of [
      'client/registerCapability',
      'client/unregisterCapability',
      'window/workDoneProgress/create',
      'workspace/diagnostic/refresh',
      'workspace/codeLens/refresh',
      'workspace/semanticTokens/refresh',
      'workspace/inlayHint/refresh',
      'window/showMessageRequest',
      'workspace/workspaceFolders',
    ])
      conn.onRequest(m, () => null);
    conn.onNotification((method: string, params: unknown) => notes.add(method, params));
    // $/progress does not reach the star handler: the connection routes it by token
    conn.onUnhandledProgress((params) => notes.add('$/progress', params));
    conn.onError(() => undefined);
    conn.listen();
    return s;
  }

  /**
   * Starts the server on `folder`. `options.pull: false` starts it as a client without pull diagnostics
   * (no textDocument.diagnostic capability, like Neovim 0.9 and older): the server publishes them, and
   * publishedDiagnostics() waits for them. `options.command` runs another launcher of the server;
   * `options.capabilities` replaces the client capabilities sent (e.g. {} for a bare client).
   */
  static async start(
    folder?: string,
    settings: Record<string, unknown> = {},
    initializationOptions?: Record<string, unknown>,
    options: { pull?: boolean; command?: string[]; capabilities?: Record<string, unknown> } = {},
  ): Promise<LspSession> {
    const pull = options.pull ?? true;
    const s = LspSession.spawn({
      configuration: (section) => (section === 'netlens' ? settings : {}),
      ...(options.command ? { command: options.command } : {}),
    });
    await s.initialize(folder, options.capabilities ?? clientCapabilities(pull), initializationOptions);
    return s;
  }

  /** initialize (on `folder`, or no folder) then initialized; returns the server's answer. */
  async initialize(
    folder: string | undefined,
    capabilities: unknown = TEST_CLIENT_CAPABILITIES,
    initializationOptions?: unknown,
  ): Promise<unknown> {
    const folders = folder ? [{ uri: pathToFileURL(folder).toString(), name: path.basename(folder) }] : null;
    const init = (await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folders ? folders[0].uri : null,
      workspaceFolders: folders,
      ...(initializationOptions ? { initializationOptions } : {}),
      capabilities,
    })) as { capabilities: unknown };
    this.capabilities = init.capabilities;
    await this.conn.sendNotification('initialized', {});
    return init;
  }

  async open(uri: string, text: string, languageId = 'yaml'): Promise<void> {
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  /** Opens a file with its text on disk; returns its uri. */
  async openFile(file: string): Promise<string> {
    const uri = pathToFileURL(file).toString();
    await this.open(uri, readFileSync(file, 'utf8'));
    return uri;
  }

  async close(uri: string): Promise<void> {
    this.versions.delete(uri);
    this.texts.delete(uri);
    await this.conn.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  /** The text of an open document as this session sent it. */
  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  /** Replaces the whole text of an open document. */
  async change(uri: string, text: string): Promise<void> {
    this.texts.set(uri, text);
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: this.nextVersion(uri) },
      contentChanges: [{ text }],
    });
  }

  /** Replaces one character at `offset` (an incremental change, as an editor sends it). */
  async replaceChar(uri: string, offset: number, ch: string): Promise<void> {
    const text = this.texts.get(uri) ?? '';
    this.texts.set(uri, text.slice(0, offset) + ch + text.slice(offset + 1));
    const start = positionAt(text, offset);
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: this.nextVersion(uri) },
      contentChanges: [{ range: { start, end: { line: start.line, character: start.character + 1 } }, rangeLength: 1, text: ch }],
    });
  }

  private nextVersion(uri: string): number {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    return v;
  }

  /**
   * The first textDocument/publishDiagnostics for `uri` (since the start) that satisfies `ready`, e.g.
   * one for a given document version; rejects after timeoutMs.
   */
  publishedDiagnostics(
    uri: string,
    ready: (p: { version?: number; diagnostics: Diagnostic[] }) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<{ uri: string; version?: number; diagnostics: Diagnostic[] }> {
    return this.notes.first<{ uri: string; version?: number; diagnostics: Diagnostic[] }>(
      'textDocument/publishDiagnostics',
      (p) => p.uri === uri && ready(p),
      timeoutMs,
    );
  }

  /** Every textDocument/publishDiagnostics received so far for `uri`, in order. */
  allPublished(uri: string): { uri: string; version?: number; diagnostics: Diagnostic[] }[] {
    return this.notes.received
      .filter((n) => n.method === 'textDocument/publishDiagnostics' && (n.params as { uri: string }).uri === uri)
      .map((n) => n.params as { uri: string; version?: number; diagnostics: Diagnostic[] });
  }

  /** The version the last open/change sent for `uri`. */
  versionOf(uri: string): number | undefined {
    return this.versions.get(uri);
  }

  /** The error a request that must fail answers with (fails the test when it answers instead). */
  async rejection(method: string, params: unknown): Promise<{ code?: number; message?: string }> {
    let answer: unknown;
    try {
      answer = await this.request(method, params);
    } catch (e) {
      return e as { code?: number; message?: string };
    }
    throw new Error(`${method} ${JSON.stringify(params)} answered ${JSON.stringify(answer).slice(0, 200)}`);
  }

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const r = await this.request<{ items: Diagnostic[] }>('textDocument/diagnostic', { textDocument: { uri } });
    return r.items;
  }

  /** Polls pull diagnostics until `ready` holds (the server debounces rebuilds). */
  async diagnosticsEventually(uri: string, ready: (d: Diagnostic[]) => boolean, timeoutMs = 10_000): Promise<Diagnostic[]> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const d = await this.diagnostics(uri);
      if (ready(d) || Date.now() > end) return d;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Waits until the initial indexing is done; returns the status. */
  async indexed(timeoutMs = 30_000): Promise<StatusResult> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const st = await this.request(StatusRequest);
      if ((!st.indexing && st.lastIndex) || Date.now() > end) return st;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /**
   * The first notification `method` the server has sent since the start whose params match (one sent
   * before this call counts), waiting up to timeoutMs for it; rejects if none comes.
   */
  notification<T>(type: NotificationType<T>, match: (params: T) => boolean = () => true, timeoutMs = 30_000): Promise<T> {
    return this.notes.first(type.method, match, timeoutMs);
  }

  /** The next notification (after this call) whose params match, or undefined after timeoutMs: register it before causing it. */
  next<T>(type: NotificationType<T> | string, match: (params: T) => boolean = () => true, timeoutMs = 60_000): Promise<T | undefined> {
    return this.notes.next(typeof type === 'string' ? type : type.method, match, timeoutMs);
  }

  /** Calls `listener` with every notification `method` from now on. */
  onNotification<T>(type: NotificationType<T> | string, listener: (params: T) => void): void {
    this.notes.listen(typeof type === 'string' ? type : type.method, listener as (params: unknown) => void);
  }

  /** A `netlens/*` request through its typed constant (protocol/messages.ts). */
  request<R>(type: RequestType0<R, void>): Promise<R>;
  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  /** Any request by method name (standard LSP requests, or parameters of any shape). */
  request<T>(method: string, params: unknown): Promise<T>;
  request(type: { method: string } | string, params?: unknown): Promise<unknown> {
    const method = typeof type === 'string' ? type : type.method;
    const sent = this.conn.sendRequest(method, params ?? {});
    return this.requestTimeoutMs === undefined ? sent : withTimeout(sent, this.requestTimeoutMs, method);
  }

  /** A request exactly as given (params of any shape, or none), cancellable, with no time limit: for the fuzzer. */
  send(method: string, params: unknown, token?: CancellationToken): Promise<unknown> {
    return token ? this.conn.sendRequest(method, params, token) : this.conn.sendRequest(method, params);
  }

  /** A notification exactly as given. */
  notify(method: string, params: unknown): Promise<void> {
    return this.conn.sendNotification(method, params);
  }

  /** shutdown, exit, and a kill if the server is still there after the waits. */
  async stop(options: StopOptions = {}): Promise<void> {
    const { shutdownMs = 2000, exitMs = 2000, signal = 'SIGTERM' } = options;
    const exited = new Promise<void>((r) => (this.exited || this.proc.exitCode !== null ? r() : this.proc.once('exit', () => r())));
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, shutdownMs))]);
      await this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, exitMs))]);
    this.conn.dispose();
    if (this.proc.exitCode === null && !this.exited) this.proc.kill(signal);
  }

  /** Ends the server at once. */
  kill(): void {
    this.conn.dispose();
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}
