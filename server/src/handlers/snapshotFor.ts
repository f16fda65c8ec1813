// The snapshot a request about one document answers from: the one that includes the document's latest
// text (its positions are the editor's), waited for if an edit is not analysed yet; a cancelled wait
// answers RequestCancelled.
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import type { ServerState } from '../state';
import { SnapshotWaitCancelled } from '../workspace/index';
import type { Snapshot } from '../workspace/snapshot';

export async function snapshotFor(state: ServerState, uri: string, token: CancellationToken, version?: number): Promise<Snapshot> {
  try {
    return await state.index.snapshotIncluding(uri, version, token);
  } catch (e) {
    if (e instanceof SnapshotWaitCancelled) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'the request was cancelled');
    throw e;
  }
}
