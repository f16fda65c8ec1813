// Initial indexing of the workspace folders (with progress) and reaction to file watcher events.
import { promises as fs } from 'node:fs';
import { URI } from 'vscode-uri';
import type { Connection } from 'vscode-languageserver';
import { FileChangeType } from 'vscode-languageserver';
import { discoverFiles } from './discovery';
import type { ServerState } from '../state';
import type { PersistedIndex } from './persist';

// files read ahead of the one being parsed
const READ_AHEAD = 32;

const WANTED = /\.(ya?ml|json|conf|conflist)$|(^|\/)Corefile$/i;

export async function indexFolders(
  state: ServerState,
  folders: readonly string[],
  excludes: string[],
  progress?: { report(percentage: number, message: string): void },
  persisted?: PersistedIndex,
): Promise<{ files: number; reused: number }> {
  const files = await discoverFiles(folders, { exclude: excludes, maxFileBytes: state.settings.maxFileSizeKB * 1024, log: state.log });
  let done = 0;
  let reused = 0;
  // Reads run ahead of parsing (a window of them in flight), so the disk and the CPU work at once.
  const reads: Promise<string | Error>[] = [];
  const read = (i: number) => (reads[i] ??= i < files.length ? fs.readFile(files[i].path, 'utf8').catch((e: Error) => e) : Promise.resolve(''));
  for (let i = 0; i < READ_AHEAD; i++) read(i);
  for (const [i, f] of files.entries()) {
    read(i + READ_AHEAD);
    try {
      const raw = await read(i);
      delete reads[i];
      if (raw instanceof Error) throw raw;
      const text = raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
      const uri = URI.file(f.path).toString();
      const cached = persisted?.lookup(uri, text);
      if (cached) reused++;
      state.index.setDisk(uri, text, cached);
    } catch (e) {
      state.log(`skipped ${f.path}: ${(e as Error).message}`);
    }
    done++;
    if (progress && (done % 50 === 0 || done === files.length)) progress.report(Math.round((done / files.length) * 100), `Indexing ${done}/${files.length}`);
  }
  state.index.flush();
  return { files: files.length, reused };
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
