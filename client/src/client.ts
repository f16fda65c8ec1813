// LanguageClient setup: which documents go to the server, where its output goes, how it restarts.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';

export class NetLensClient {
  private client: LanguageClient | undefined;
  readonly output: vscode.LogOutputChannel;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('NetLens', { log: true });
    context.subscriptions.push(this.output);
  }

  async start(): Promise<void> {
    const module = this.context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
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
      initializationOptions: { storagePath: this.context.storageUri?.fsPath ?? this.context.globalStorageUri.fsPath },
    };
    this.client = new LanguageClient('netlens', 'NetLens', serverOptions, clientOptions);
    await this.client.start();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    if (c) await c.stop();
  }

  showOutput(): void {
    this.output.show(true);
  }

  get languageClient(): LanguageClient | undefined {
    return this.client;
  }
}
