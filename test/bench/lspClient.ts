// A small LSP client for the benchmark: spawns a server over stdio, answers the requests servers
// make of clients, and lets the benchmark wait for notifications ($/progress, netlens/indexChanged,
// textDocument/publishDiagnostics) with timeouts. Used for dist/server.js and yaml-language-server.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-languageserver-protocol/node';

export interface Position {
  line: number;
  character: number;
}

export function positionAt(text: string, offset: number): Position {
  let line = 0;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, character: offset - start };
}

interface Waiter {
  method: string;
  match: (params: unknown) => boolean;
  resolve: (params: unknown) => void;
}

export class BenchLsp {
  private readonly waiters: Waiter[] = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  readonly stderr: string[] = [];
  exited = false;

  private constructor(
    readonly proc: ChildProcess,
    readonly conn: MessageConnection,
  ) {}

  /**
   * Spawns `node <args>` and connects. `configuration(section)` answers workspace/configuration.
   * `onNotification(method, params)` sees every notification (after the waiters).
   */
  static spawn(
    nodeArgs: string[],
    configuration: (section: string | undefined) => unknown,
    env: NodeJS.ProcessEnv = process.env,
  ): BenchLsp {
    const proc = spawn(process.execPath, nodeArgs, { stdio: ['pipe', 'pipe', 'pipe'], env });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const c = new BenchLsp(proc, conn);
    proc.stderr!.on('data', (d) => {
      c.stderr.push(String(d));
      if (c.stderr.length > 200) c.stderr.shift();
    });
    proc.on('exit', () => {
      c.exited = true;
    });
    conn.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => configuration(i.section) ?? null),
    );
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('client/unregisterCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.onRequest('workspace/diagnostic/refresh', () => null);
    conn.onRequest('workspace/codeLens/refresh', () => null);
    conn.onRequest('workspace/semanticTokens/refresh', () => null);
    conn.onRequest('workspace/inlayHint/refresh', () => null);
    conn.onRequest('window/showMessageRequest', () => null);
    conn.onRequest('workspace/workspaceFolders', () => null);
    conn.onNotification((method: string, params: unknown) => c.dispatch(method, params));
    // $/progress does not reach the star handler: the connection routes it by token
    conn.onUnhandledProgress((params) => c.dispatch('$/progress', params));
    conn.onError(() => undefined);
    conn.listen();
    return c;
  }

  private dispatch(method: string, params: unknown): void {
    for (let i = 0; i < this.waiters.length;) {
      const w = this.waiters[i];
      if (w.method === method && w.match(params)) {
        this.waiters.splice(i, 1);
        w.resolve(params);
      } else i++;
    }
  }

  /** A promise for the next notification `method` whose params match; register it before causing it. */
  next<T>(method: string, match: (params: T) => boolean = () => true, timeoutMs = 60_000): Promise<T | undefined> {
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
        const i = this.waiters.indexOf(w);
        if (i >= 0) this.waiters.splice(i, 1);
        resolve(undefined);
      }, timeoutMs);
      this.waiters.push(w);
    });
  }

  async initialize(folder: string, capabilities: Record<string, unknown>, initializationOptions?: unknown): Promise<unknown> {
    const uri = pathToFileURL(folder).toString();
    const r = await this.conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: path.basename(folder) }],
      capabilities,
      ...(initializationOptions ? { initializationOptions } : {}),
    });
    await this.conn.sendNotification('initialized', {});
    return r;
  }

  async open(file: string): Promise<string> {
    const uri = pathToFileURL(file).toString();
    const text = readFileSync(file, 'utf8');
    this.texts.set(uri, text);
    this.versions.set(uri, 1);
    await this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
    return uri;
  }

  text(uri: string): string {
    return this.texts.get(uri) ?? '';
  }

  /** Replaces one character at `offset` (an incremental change, as an editor sends it). */
  async replaceChar(uri: string, offset: number, ch: string): Promise<void> {
    const text = this.texts.get(uri)!;
    const next = text.slice(0, offset) + ch + text.slice(offset + 1);
    this.texts.set(uri, next);
    const v = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, v);
    const start = positionAt(text, offset);
    await this.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: v },
      contentChanges: [{ range: { start, end: { line: start.line, character: start.character + 1 } }, rangeLength: 1, text: ch }],
    });
  }

  request<T>(method: string, params: unknown, timeoutMs = 600_000): Promise<T> {
    return Promise.race([
      this.conn.sendRequest(method, params) as Promise<T>,
      new Promise<T>((_, reject) =>
        setTimeout(() => reject(new Error(`${method}: no answer in ${timeoutMs / 1000} s`)), timeoutMs).unref(),
      ),
    ]);
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((r) => (this.exited ? r() : this.proc.once('exit', () => r())));
    try {
      await Promise.race([this.conn.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 5000))]);
      await this.conn.sendNotification('exit');
    } catch {
      /* already gone */
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    this.conn.dispose();
    if (!this.exited) this.proc.kill('SIGKILL');
  }

  kill(): void {
    this.conn.dispose();
    if (!this.exited) this.proc.kill('SIGKILL');
  }
}
