// The persisted index: each disk file's model keyed by uri and content hash, stored in the
// extension's storage (never in the user's tree), so reopening a workspace skips YAML parsing.
import { promises as fs, closeSync, openSync, renameSync, rmSync, unlinkSync, writeFile as writeFd } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import type { FileModel } from '../engine/model/build';

// Bump when the FileModel shape or the reading of manifests changes.
/** the persisted index's format: a file of another format is not read */
export const INDEX_FORMAT = 'netlens-index-2';
const FORMAT = INDEX_FORMAT;

interface Stored {
  format: string;
  engine: string;
  defaultNamespace: string;
  files: Record<string, { hash: string; file: FileModel }>;
}

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export class PersistedIndex {
  private files: Stored['files'] = {};
  /** the last save in the queue (settled: it never rejects) */
  private saving: Promise<void> = Promise.resolve();
  /** temp files of the saves in flight */
  private readonly temps = new Set<string>();
  private seq = 0;

  constructor(
    private readonly file: string | undefined,
    private readonly engineVersion: string,
  ) {}

  static in(storageDir: string | undefined, engineVersion: string): PersistedIndex {
    return new PersistedIndex(storageDir ? path.join(storageDir, 'index.json') : undefined, engineVersion);
  }

  async load(defaultNamespace: string): Promise<number> {
    if (!this.file) return 0;
    try {
      const data = JSON.parse(await fs.readFile(this.file, 'utf8')) as Stored;
      if (data.format !== FORMAT || data.engine !== this.engineVersion || data.defaultNamespace !== defaultNamespace) return 0;
      this.files = data.files;
      return Object.keys(this.files).length;
    } catch {
      return 0; // no index yet, or unreadable: start cold
    }
  }

  lookup(uri: string, text: string): FileModel | undefined {
    return this.withHash(uri, contentHash(text));
  }

  /** The stored content hash of a file (what a parse worker compares its reading with). */
  hashOf(uri: string): string | undefined {
    return this.files[uri]?.hash;
  }

  /** The stored file model, if the file's content hash is still `hash`. */
  withHash(uri: string, hash: string): FileModel | undefined {
    const e = this.files[uri];
    return e && e.hash === hash ? e.file : undefined;
  }

  /**
   * Writes the index: to a temp file next to it, renamed over it once complete, so that a reader (or a
   * process that dies mid-save) never sees a half-written index.json; the temp files of servers killed
   * mid-save are removed by the next save. Saves run one after another. Resolves to false when there
   * is no storage dir.
   */
  save(entries: { uri: string; text: string; file: FileModel }[], defaultNamespace: string): Promise<boolean> {
    const run = this.saving.then(() => this.write(entries, defaultNamespace));
    this.saving = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /** Resolves (never rejects) once every save started so far has finished, written or failed. */
  settled(): Promise<void> {
    return this.saving;
  }

  /**
   * For a process that exits without waiting for its saves: removes their temp files (synchronously,
   * as in a process 'exit' listener). index.json itself is only ever replaced whole, by a rename.
   */
  discardUnfinished(): void {
    for (const tmp of this.temps) {
      try {
        unlinkSync(tmp);
      } catch {
        /* already renamed or removed */
      }
    }
    this.temps.clear();
  }

  private async write(entries: { uri: string; text: string; file: FileModel }[], defaultNamespace: string): Promise<boolean> {
    if (!this.file) return false;
    const files: Stored['files'] = {};
    for (const e of entries) files[e.uri] = { hash: contentHash(e.text), file: e.file };
    const data: Stored = { format: FORMAT, engine: this.engineVersion, defaultNamespace, files };
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    await removeStaleTemps(this.file);
    const json = JSON.stringify(data);
    // The temp file is created and renamed synchronously, its contents written in the background: an
    // exit listener (discardUnfinished) runs between those steps, never during the creation or rename.
    const tmp = `${this.file}.${process.pid}.${++this.seq}.tmp`;
    let fd: number | undefined = openSync(tmp, 'w');
    this.temps.add(tmp);
    try {
      await writeAll(fd, json);
      closeSync(fd);
      fd = undefined;
      if (!this.temps.has(tmp)) throw new Error('the save was discarded');
      renameSync(tmp, this.file);
    } catch (e) {
      if (fd !== undefined) closeSync(fd);
      rmSync(tmp, { force: true });
      throw e;
    } finally {
      this.temps.delete(tmp);
    }
    this.files = files;
    return true;
  }
}

const writeAll = promisify(writeFd) as (fd: number, data: string) => Promise<void>;

/**
 * Removes the temp files that servers killed mid-save left next to `file` (`index.json.<pid>[.<n>].tmp`
 * of a process that no longer runs), so that they do not pile up in the storage dir.
 */
async function removeStaleTemps(file: string): Promise<void> {
  const dir = path.dirname(file);
  const prefix = `${path.basename(file)}.`;
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const m = name.startsWith(prefix) ? /^(\d+)(?:\.\d+)?\.tmp$/.exec(name.slice(prefix.length)) : null;
    if (!m || Number(m[1]) === process.pid || isRunning(Number(m[1]))) continue;
    await fs.rm(path.join(dir, name), { force: true }).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
