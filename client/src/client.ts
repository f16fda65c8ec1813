// The LanguageClient's life cycle (start, restart, crash policy) and typed access to the custom
// `netlens/*` requests. Views and commands only talk to the server through this class, so a restarted
// server (a new LanguageClient) is invisible to them: the events below survive restarts.
import type { ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import * as vscode from 'vscode';
import {
  CloseAction,
  IPCMessageReader,
  IPCMessageWriter,
  type MessageTransports,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type CloseHandlerResult,
  type ErrorHandler,
  type ErrorHandlerResult,
  type LanguageClientOptions,
  type ServerOptions,
  type RequestType,
  type RequestType0,
} from 'vscode-languageclient/node';
import * as P from '../../protocol/messages';
import { errorMessage } from './errors';
import { serverLaunch, type PrestartedServer } from './serverProcess';

export type ServerState = 'starting' | 'running' | 'stopped';

/** The server is restarted after a crash at most this many times within RESTART_WINDOW_MS. */
const MAX_RESTARTS = 4;
const RESTART_WINDOW_MS = 3 * 60 * 1000;
const SHOW_OUTPUT = 'Show Output';
const RESTART = 'Restart Server';

/** Decides what happens when the server's connection breaks: restart a few times, then give up. */
class CrashPolicy implements ErrorHandler {
  private restarts: number[] = [];

  constructor(private readonly onCrash: (restarting: boolean, crashes: number) => void) {}

  error(_error: Error, _message: unknown, count: number | undefined): ErrorHandlerResult {
    // A few transport errors in a row are tolerated (the default behaviour); more shut the connection.
    return { action: count !== undefined && count <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown, handled: true };
  }

  closed(): CloseHandlerResult {
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < RESTART_WINDOW_MS);
    if (this.restarts.length >= MAX_RESTARTS) {
      this.onCrash(false, this.restarts.length + 1);
      return { action: CloseAction.DoNotRestart, handled: true };
    }
    this.restarts.push(now);
    this.onCrash(true, this.restarts.length);
    return { action: CloseAction.Restart, handled: true };
  }

  reset(): void {
    this.restarts = [];
  }
}

/**
 * A LanguageClient that takes, for its first start, the server process the extension's entry forked ahead of
 * loading the client (serverProcess.ts), connected as LanguageClient connects the one it forks itself (IPC,
 * stdout and stderr to the output channel, the exit logged, killed if it outlives a stop); every later start
 * (a restart after a crash) forks as usual.
 */
class NetLensLanguageClient extends LanguageClient {
  constructor(
    clientOptions: LanguageClientOptions,
    serverOptions: ServerOptions,
    private readonly output: vscode.LogOutputChannel,
    private prestarted: PrestartedServer | undefined,
    private readonly onAdopted: () => void,
  ) {
    super('netlens', 'NetLens', serverOptions, clientOptions);
  }

  protected override createMessageTransports(encoding: string): Promise<MessageTransports> {
    const sp = this.prestarted?.take();
    this.prestarted = undefined;
    if (!sp) return super.createMessageTransports(encoding);
    this.onAdopted();
    // what LanguageClient keeps of a process it forked: stopping checks that it died (and kills it if not)
    (this as unknown as { _serverProcess?: ChildProcess })._serverProcess = sp;
    (this as unknown as { _isDetached?: boolean })._isDetached = false;
    const lines = (input: NodeJS.ReadableStream | null, to: (line: string) => void) => {
      if (input) readline.createInterface({ input, crlfDelay: Infinity, terminal: false, historySize: 0 }).on('line', to);
    };
    lines(sp.stderr, (l) => this.output.error(l));
    lines(sp.stdout, (l) => this.output.info(l));
    sp.on('exit', (code, signal) => {
      if (code === 0) this.info('Server process exited successfully', undefined, false);
      else if (code !== null) this.error(`Server process exited with code ${code}.`, undefined, false);
      if (signal !== null) this.error(`Server process exited with signal ${signal}.`, undefined, false);
    });
    return Promise.resolve({ reader: new IPCMessageReader(sp), writer: new IPCMessageWriter(sp) });
  }
}

export class NetLensClient implements vscode.Disposable {
  readonly output: vscode.LogOutputChannel;
  private client: LanguageClient | undefined;
  private starting: Promise<void> | undefined;
  private clientSubscriptions: vscode.Disposable[] = [];
  private crashNotified = false;
  private readonly crashPolicy = new CrashPolicy((restarting, crashes) => this.onCrash(restarting, crashes));

  private readonly indexChangedEmitter = new vscode.EventEmitter<P.IndexChangedParams>();
  /** netlens/indexChanged from the server; also fired (version -1) when a (re)started server is ready. */
  readonly onIndexChanged = this.indexChangedEmitter.event;
  private readonly findingsCountedEmitter = new vscode.EventEmitter<P.IndexChangedParams>();
  /** netlens/findingsCounted: the server has counted every finding of a snapshot (the status item's counts). */
  readonly onFindingsCounted = this.findingsCountedEmitter.event;
  private readonly headChangedEmitter = new vscode.EventEmitter<void>();
  /** netlens/headChanged: git HEAD may name another commit (the Changes view asks again). */
  readonly onHeadChanged = this.headChangedEmitter.event;
  private readonly stateEmitter = new vscode.EventEmitter<ServerState>();
  readonly onDidChangeState = this.stateEmitter.event;
  private currentState: ServerState = 'stopped';
  /** how many times the server was started (first start, automatic and user restarts) */
  starts = 0;
  /** the first start took the process the extension's entry forked ahead (serverProcess.ts; for tests) */
  startedPrestarted = false;

  constructor(
    private readonly context: vscode.ExtensionContext,
    output?: vscode.LogOutputChannel,
    /** the server process the extension's entry forked ahead (serverProcess.ts), for the first start */
    private prestarted?: PrestartedServer,
  ) {
    this.output = output ?? vscode.window.createOutputChannel('NetLens', { log: true });
    context.subscriptions.push(this.output, this.indexChangedEmitter, this.findingsCountedEmitter, this.stateEmitter);
  }

  get state(): ServerState {
    return this.currentState;
  }

  get languageClient(): LanguageClient | undefined {
    return this.client;
  }

  /** Starts the server; resolves when it is running. A failure is logged and reported, not thrown. */
  start(): Promise<void> {
    if (this.starting) return this.starting;
    if (this.client && this.currentState !== 'stopped') return Promise.resolve();
    this.starting = this.doStart().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async doStart(): Promise<void> {
    if (this.client) await this.disposeClient(); // one that gave up after crashes
    // dist/server.js with V8's compiled code of the bundle kept in the extension's global storage (compileCache.ts)
    const { module, env } = serverLaunch((p) => this.context.asAbsolutePath(p), this.context.globalStorageUri?.fsPath);
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc, ...(env ? { options: { env } } : {}) },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'untitled', language: 'yaml' },
        { scheme: 'file', language: 'json', pattern: '**/*.json' },
        { scheme: 'file', language: 'corefile' },
      ],
      outputChannel: this.output,
      traceOutputChannel: this.output,
      synchronize: { configurationSection: 'netlens' },
      // a function: an automatic restart after a crash sends the trust as it is then, not as it was at start
      initializationOptions: () => ({
        storagePath: this.context.storageUri?.fsPath ?? this.context.globalStorageUri.fsPath,
        // the server runs helm (a chart's templates are the workspace's code) only in a trusted workspace
        workspaceTrusted: vscode.workspace.isTrusted,
      }),
      errorHandler: this.crashPolicy,
      initializationFailedHandler: (error) => {
        // logged here; start() below reports the failure to the user once
        this.output.error(`the NetLens server failed to initialize: ${errorMessage(error)}`);
        return false;
      },
    };
    // the process forked ahead serves the first start only; a later one (a user restart) forks its own
    const client = new NetLensLanguageClient(clientOptions, serverOptions, this.output, this.prestarted, () => {
      this.startedPrestarted = true;
    });
    this.prestarted = undefined;
    this.client = client;
    this.clientSubscriptions = [
      // Handlers registered on the LanguageClient survive its automatic restarts; a new client (user
      // restart) gets them again here.
      client.onNotification(P.IndexChangedNotification, (params: P.IndexChangedParams) => this.indexChangedEmitter.fire(params)),
      client.onNotification(P.FindingsCountedNotification, (params: P.IndexChangedParams) => this.findingsCountedEmitter.fire(params)),
      client.onNotification(P.HeadChangedNotification, () => this.headChangedEmitter.fire()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        if (this.client === client && client.isRunning())
          client.sendNotification(P.WorkspaceTrustNotification, { trusted: true }).catch(() => undefined);
      }),
      client.onDidChangeState((e) => {
        const next: ServerState = e.newState === State.Running ? 'running' : e.newState === State.Starting ? 'starting' : 'stopped';
        this.setState(next);
        if (next === 'running') {
          this.starts++;
          this.indexChangedEmitter.fire({ version: -1 });
        }
      }),
    ];
    this.setState('starting');
    try {
      await testDelay();
      await client.start();
    } catch (err) {
      this.output.error(`could not start the NetLens server: ${errorMessage(err)}`);
      this.setState('stopped');
      this.notifyFailure(`The NetLens language server could not be started: ${errorMessage(err)}`);
    }
  }

  /** Stops the current server (if any) and starts a fresh one; resets the crash counter. */
  async restart(): Promise<void> {
    await this.stop();
    this.crashPolicy.reset();
    this.crashNotified = false;
    await this.start();
  }

  async stop(): Promise<void> {
    if (this.starting) await this.starting;
    await this.disposeClient();
    this.setState('stopped');
  }

  private async disposeClient(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    for (const d of this.clientSubscriptions) d.dispose();
    this.clientSubscriptions = [];
    if (c) {
      try {
        if (c.needsStop()) await c.stop(5000);
      } catch (err) {
        this.output.warn(`stopping the NetLens server: ${errorMessage(err)}`);
      }
      try {
        await c.dispose(2000);
      } catch {
        // already stopped
      }
    }
  }

  showOutput(): void {
    this.output.show(true);
  }

  dispose(): void {
    this.prestarted?.dispose();
    this.prestarted = undefined;
    void this.stop();
  }

  // ---- requests ------------------------------------------------------------------------------------------

  /** Sends a custom request once the server runs; rejects with a readable error when it does not. */
  private async running(): Promise<LanguageClient> {
    if (this.starting) await this.starting;
    const c = this.client;
    if (!c || this.currentState === 'stopped')
      throw new Error('the NetLens language server is not running (command "NetLens: Restart Server")');
    return c;
  }
  private async request0<R>(type: RequestType0<R, void>, token?: vscode.CancellationToken): Promise<R> {
    const c = await this.running();
    return token ? c.sendRequest(type, token) : c.sendRequest(type);
  }
  private async request<Params, R>(
    type: RequestType<Params, R, void>,
    params: Params extends null ? Params | undefined : Params, // as vscode-jsonrpc's RequestParam,
    token?: vscode.CancellationToken,
  ): Promise<R> {
    const c = await this.running();
    return token ? c.sendRequest(type, params, token) : c.sendRequest(type, params);
  }

  status(token?: vscode.CancellationToken): Promise<P.StatusResult> {
    return this.request0(P.StatusRequest, token);
  }
  namespaces(token?: vscode.CancellationToken): Promise<P.NamespacesResult> {
    return this.request0(P.NamespacesRequest, token);
  }
  workload(id: string, token?: vscode.CancellationToken): Promise<P.WorkloadResult> {
    return this.request(P.WorkloadRequest, { id } satisfies P.WorkloadParams, token);
  }
  policies(token?: vscode.CancellationToken): Promise<P.PoliciesResult> {
    return this.request0(P.PoliciesRequest, token);
  }
  changes(token?: vscode.CancellationToken): Promise<P.ChangesResult> {
    return this.request0(P.ChangesRequest, token);
  }
  query(params: P.QueryParams, token?: vscode.CancellationToken): Promise<P.QueryResultDto> {
    return this.request(P.QueryRequest, params, token);
  }
  resolve(params: P.ResolveParams, token?: vscode.CancellationToken): Promise<P.ResolveResultDto> {
    return this.request(P.ResolveRequest, params, token);
  }
  /** The whole matrix, fetched page by page (the server stays free for other requests between pages); a
   *  snapshot that changes meanwhile starts the fetch again. */
  async matrix(token?: vscode.CancellationToken): Promise<P.MatrixResult> {
    for (let attempt = 0; ; attempt++) {
      const first = await this.request(P.MatrixRequest, {}, token);
      const cells = first.cells;
      let next = first.nextRow;
      try {
        while (next !== undefined) {
          if (token?.isCancellationRequested) throw new vscode.CancellationError();
          const page = await this.request(P.MatrixRequest, { fromRow: next, version: first.version }, token);
          for (const c of page.cells) cells.push(c);
          next = page.nextRow;
        }
      } catch (e) {
        // ContentModified: a new snapshot came between pages
        if ((e as { code?: unknown }).code === -32801 && attempt < 3) continue;
        throw e;
      }
      return { version: first.version, workloads: first.workloads, cells };
    }
  }
  graph(params: P.GraphParams, token?: vscode.CancellationToken): Promise<P.GraphResult> {
    return this.request(P.GraphRequest, params, token);
  }
  explainAt(params: P.ExplainAtParams, token?: vscode.CancellationToken): Promise<P.ExplainAtResult> {
    return this.request(P.ExplainAtRequest, params, token);
  }
  scopes(token?: vscode.CancellationToken): Promise<P.ScopesResult> {
    return this.request0(P.ScopesRequest, token);
  }
  setScope(id: string, token?: vscode.CancellationToken): Promise<P.ScopesResult> {
    return this.request(P.SetScopeRequest, { id } satisfies P.SetScopeParams, token);
  }
  scopesOf(uri: string, token?: vscode.CancellationToken): Promise<string[]> {
    return this.request(P.ScopesOfRequest, { uri } satisfies P.ScopesOfParams, token);
  }

  // ---- internals -----------------------------------------------------------------------------------------

  private setState(state: ServerState): void {
    if (state === this.currentState) return;
    this.currentState = state;
    void vscode.commands.executeCommand('setContext', 'netlens.serverState', state);
    this.stateEmitter.fire(state);
  }

  private onCrash(restarting: boolean, crashes: number): void {
    if (restarting) {
      this.output.error(
        `the NetLens server stopped unexpectedly; restarting it (${crashes} of at most ${MAX_RESTARTS} restarts in 3 minutes)`,
      );
      if (this.crashNotified) return;
      this.crashNotified = true;
      void vscode.window
        .showWarningMessage('The NetLens language server stopped unexpectedly and is being restarted.', SHOW_OUTPUT)
        .then((choice) => {
          if (choice === SHOW_OUTPUT) this.showOutput();
        });
      return;
    }
    this.output.error(`the NetLens server crashed ${crashes} times in 3 minutes; it will not be restarted`);
    this.notifyFailure(`The NetLens language server crashed ${crashes} times in 3 minutes and was not restarted.`);
  }

  private notifyFailure(message: string): void {
    void vscode.window.showErrorMessage(message, SHOW_OUTPUT, RESTART).then((choice) => {
      if (choice === SHOW_OUTPUT) this.showOutput();
      else if (choice === RESTART) void this.restart();
    });
  }
}

/**
 * For the real-editor tests only (test/e2e/README.md): NETLENS_TEST_DELAY_SERVER_MS in the extension host's
 * environment holds every start of the server in the "starting" state that long (at most a minute), so that
 * a test sees what the views show meanwhile. Unset (as for every user), it does nothing.
 */
function testDelay(): Promise<void> {
  const ms = Math.min(60_000, Number(process.env.NETLENS_TEST_DELAY_SERVER_MS) || 0);
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}
