// A minimal LSP client for tests: spawns dist/server.js --stdio and speaks JSON-RPC to it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node';
import type { Diagnostic, NotificationType, RequestType, RequestType0 } from 'vscode-languageserver-protocol';
import { StatusRequest, type StatusResult } from '../../protocol/messages';
import { repoRoot } from './paths';

/** The notifications a session has received, and the waiters for the next ones. */
class Notifications {
  readonly received: { method: string; params: unknown }[] = [];
  private readonly waiters = new Set<() => void>();

  add(method: string, params: unknown): void {
    this.received.push({ method, params });
    for (const w of [...this.waiters]) w();
  }

  /** The first notification `method` (since the start) whose params match; rejects after timeoutMs. */
  first<T>(method: string, match: (params: T) => boolean, timeoutMs: number): Promise<T> {
    const find = () => this.received.find((n) => n.method === method && match(n.params as T));
    const found = find();
    if (found) return Promise.resolve(found.params as T);
    return new Promise<T>((resolve, reject) => {
      const w = () => {
        const n = find();
        if (!n) return;
        this.waiters.delete(w);
        clearTimeout(timer);
        resolve(n.params as T);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(w);
        reject(new Error(`no ${method} notification within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.add(w);
    });
  }
}

export class LspSession {
  private versions = new Map<string, number>();

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
    readonly capabilities: unknown,
    readonly stderr: string[],
    private readonly notes: Notifications,
  ) {}

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
    const [cmd, ...args] = options.command ?? [process.execPath, path.join(repoRoot(), 'dist', 'server.js'), '--stdio'];
    const proc = spawn(cmd!, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const stderr: string[] = [];
    proc.stderr!.on('data', (d) => stderr.push(String(d)));
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === 'netlens' ? settings : {})),
    );
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('workspace/diagnostic/refresh', () => null);
    const notes = new Notifications();
    conn.onNotification((method: string, params: unknown) => notes.add(method, params));
    conn.listen();
    const folders = folder ? [{ uri: pathToFileURL(folder).toString(), name: path.basename(folder) }] : null;
    const init = (await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folders ? folders[0].uri : null,
      workspaceFolders: folders,
      ...(initializationOptions ? { initializationOptions } : {}),
      capabilities: options.capabilities ?? {
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
      },
    })) as { capabilities: unknown };
    await conn.sendNotification('initialized', {});
    return new LspSession(proc, conn, init.capabilities, stderr, notes);
  }

  async open(uri: string, text: string, languageId = 'yaml'): Promise<void> {
    this.versions.set(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
  }

  async change(uri: string, text: string): Promise<void> {
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    await this.conn.sendNotification('textDocument/didChange', { textDocument: { uri, version: v }, contentChanges: [{ text }] });
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

  async diagnostics(uri: string): Promise<Diagnostic[]> {
    const r = (await this.conn.sendRequest('textDocument/diagnostic', { textDocument: { uri } })) as { items: Diagnostic[] };
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

  /** A `netlens/*` request through its typed constant (protocol/messages.ts). */
  request<R>(type: RequestType0<R, void>): Promise<R>;
  request<P, R>(type: RequestType<P, R, void>, params: P): Promise<R>;
  /** Any request by method name (standard LSP requests, or parameters of any shape). */
  request<T>(method: string, params: unknown): Promise<T>;
  request(type: { method: string } | string, params?: unknown): Promise<unknown> {
    return this.conn.sendRequest(typeof type === 'string' ? type : type.method, params ?? {});
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((r) => (this.proc.exitCode !== null ? r() : this.proc.once('exit', () => r())));
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
      await this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
    this.conn.dispose();
    if (this.proc.exitCode === null) this.proc.kill();
  }
}
