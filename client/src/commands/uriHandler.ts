// vscode://netlens.netlens/<action>?... links (from CI output, docs, chat): run a NetLens command.
//   /query?from=ns/name[Kind]&to=name-or-ip&port=443&protocol=TCP
//   /resolve?from=...&name=...
//   /focus?workload=...   /focus?policy=...
//   /matrix
import * as vscode from 'vscode';

export class NetLensUriHandler implements vscode.UriHandler {
  async handleUri(uri: vscode.Uri): Promise<void> {
    await this.run(uri);
  }

  private run(uri: vscode.Uri): Thenable<unknown> | undefined {
    const q = new URLSearchParams(uri.query);
    const get = (k: string): string | undefined => q.get(k) ?? undefined;
    switch (uri.path.replace(/^\/+/, '')) {
      case 'query':
        return vscode.commands.executeCommand('netlens.query', {
          from: get('from'),
          to: get('to'),
          port: get('port'),
          protocol: get('protocol'),
        });
      case 'resolve':
        return vscode.commands.executeCommand('netlens.resolve', { from: get('from'), name: get('name') });
      case 'focus':
        if (get('policy')) return vscode.commands.executeCommand('netlens.focusPolicy', get('policy'));
        return vscode.commands.executeCommand('netlens.focusWorkload', get('workload'));
      case 'matrix':
        return vscode.commands.executeCommand('netlens.showMatrix');
      default:
        void vscode.window.showWarningMessage(`NetLens: unknown link ${uri.toString()}`);
        return undefined;
    }
  }
}
