// The persisted index: each disk file's model keyed by uri and content hash, stored in the
// extension's storage (never in the user's tree), so reopening a workspace skips YAML parsing.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { FileModel } from '../engine/model/build';

// Bump when the FileModel shape or the reading of manifests changes.
const FORMAT = 'netlens-index-1';

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

  constructor(private readonly file: string | undefined, private readonly engineVersion: string) {}

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

  async save(entries: { uri: string; text: string; file: FileModel }[], defaultNamespace: string): Promise<void> {
    if (!this.file) return;
    const files: Stored['files'] = {};
    for (const e of entries) files[e.uri] = { hash: contentHash(e.text), file: e.file };
    const data: Stored = { format: FORMAT, engine: this.engineVersion, defaultNamespace, files };
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(data));
    await fs.rename(tmp, this.file);
    this.files = files;
  }
}
