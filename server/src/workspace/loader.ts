// Initial indexing of the workspace folders (with progress) and reaction to file watcher events.
import { promises as fs } from 'node:fs';
import { URI } from 'vscode-uri';
import type { Connection } from 'vscode-languageserver';
import { FileChangeType } from 'vscode-languageserver';
import { discoverFiles } from './discovery';
import type { ServerState } from '../state';

const WANTED = /\.(ya?ml|json|conf|conflist)$|(^|\/)Corefile$/i;

export async function indexFolders(state: ServerState, folders: readonly string[], excludes: string[], progress?: { report(percentage: number, message: string): void }): Promise<number> {
  const files = await discoverFiles(folders, { exclude: excludes, maxFileBytes: state.settings.maxFileSizeKB * 1024, log: state.log });
  let done = 0;
  for (const f of files) {
    try {
      const text = await fs.readFile(f.path, 'utf8');
      state.index.setDisk(URI.file(f.path).toString(), text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch (e) {
      state.log(`skipped ${f.path}: ${(e as Error).message}`);
    }
    done++;
    if (progress && (done % 50 === 0 || done === files.length)) progress.report(Math.round((done / files.length) * 100), `Indexing ${done}/${files.length}`);
  }
  state.index.flush();
  return files.length;
}

export function watchFiles(connection: Connection, state: ServerState): void {
  connection.onDidChangeWatchedFiles(async ({ changes }) => {
    for (const c of changes) {
      const uri = URI.parse(c.uri);
      if (uri.scheme !== 'file' || !WANTED.test(uri.path)) continue;
      if (c.type === FileChangeType.Deleted) {
        state.index.deleteDisk(c.uri);
        continue;
      }
      try {
        const st = await fs.stat(uri.fsPath);
        if (st.size > state.settings.maxFileSizeKB * 1024) continue;
        state.index.setDisk(c.uri, await fs.readFile(uri.fsPath, 'utf8'));
      } catch {
        state.index.deleteDisk(c.uri);
      }
    }
  });
}
