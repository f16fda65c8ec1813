// Reports shown in the editor name files relative to the workspace folder they are in
// ("shop/frontend.yaml:28:25", as the CLI names them relative to where it runs), not as file:// URIs.
import { fileSystemPath } from './fileUri';
import { Locator } from '../engine/report/locate';
import type { Snapshot } from './snapshot';

/** `uri` as a path relative to the first folder that holds it; other URIs as they are. */
function workspaceRelative(uri: string, folders: readonly string[]): string {
  const fsPath = fileSystemPath(uri);
  if (fsPath === undefined) return uri;
  for (const f of folders) {
    const base = f.endsWith('/') || f.endsWith('\\') ? f : `${f}${fsPath.includes('\\') ? '\\' : '/'}`;
    if (fsPath.startsWith(base)) return fsPath.slice(base.length).replace(/\\/g, '/');
  }
  return fsPath;
}

export function relativeLocator(snap: Snapshot, folders: readonly string[]): Locator {
  return new Locator(
    (uri) => snap.lines(uri),
    (uri) => workspaceRelative(uri, folders),
    (ref) => snap.mapRef(ref),
  );
}
