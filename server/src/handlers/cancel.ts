// Cancellation for LSP handlers: a request the client cancelled (the user typed on, the tree closed)
// stops before and between its expensive steps with RequestCancelled, instead of finishing unseen.
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

/** Throws RequestCancelled when the client cancelled the request. */
export function checkCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'request cancelled');
}
