// The set of files NetLens analyses: disk contents, overridden by open editor buffers. Each file is
// parsed once per content; a new Snapshot is built from the cached parses after a short debounce.
import { parseSourceFile } from '../engine';
import { combineFileModels, readFileModel, type FileModel } from '../engine/model/build';
import type { ModelOptions } from '../engine/model/types';
import { Snapshot } from './snapshot';
import { parseOptionsForUri } from './charts';

interface Entry {
  text: string;
  /** what the file contributes; its YAML tree is not kept */
  file: FileModel;
  /** the default namespace it was read with */
  defaultNamespace: string;
  /** the file model came from the persisted index, not from reading `text` */
  cached?: true;
}

export class WorkspaceIndex {
  private readonly disk = new Map<string, Entry>();
  private readonly open = new Map<string, Entry>();
  private current: Snapshot;
  private version = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastChange = 0;
  private readonly listeners: ((s: Snapshot) => void)[] = [];
  /** where a failed rebuild is told (the server's output channel) */
  log: (message: string) => void = () => undefined;

  constructor(
    private options: Partial<ModelOptions>,
    private readonly debounceMs = 40,
  ) {
    this.current = this.build();
  }

  /** The last complete snapshot; never waits for a rebuild. */
  get snapshot(): Snapshot {
    return this.current;
  }

  onDidChange(listener: (s: Snapshot) => void): void {
    this.listeners.push(listener);
  }

  setOptions(options: Partial<ModelOptions>): void {
    this.options = options;
    this.schedule();
  }

  /** the namespace of objects that name none (file models are read with it) */
  get defaultNamespace(): string {
    return this.options.defaultNamespace || 'default';
  }

  /** A file's disk contents; `cached` is its file model from a persisted index, if its content hash matched. */
  setDisk(uri: string, text: string, cached?: FileModel): void {
    const prev = this.disk.get(uri);
    if (prev && prev.text === text) return;
    this.disk.set(
      uri,
      cached ? { text, file: cached, defaultNamespace: this.defaultNamespace, cached: true } : this.entry(uri, text, prev),
    );
    if (!this.open.has(uri)) this.schedule();
  }

  /** The disk entries' file models (what a persisted index stores). */
  diskFileModels(): { uri: string; text: string; file: FileModel; defaultNamespace: string }[] {
    return [...this.disk].map(([uri, e]) => ({ uri, ...e }));
  }

  deleteDisk(uri: string): void {
    if (this.disk.delete(uri) && !this.open.has(uri)) this.schedule();
  }

  setOpen(uri: string, text: string): void {
    const prev = this.open.get(uri) ?? this.disk.get(uri);
    if (prev && prev.text === text && this.open.has(uri)) return;
    this.open.set(uri, this.entry(uri, text, prev));
    this.schedule();
  }

  close(uri: string): void {
    if (this.open.delete(uri)) this.schedule();
  }

  get fileCount(): number {
    return new Set([...this.disk.keys(), ...this.open.keys()]).size;
  }

  /**
   * Rebuild now (used at the end of indexing and by tests). A rebuild that throws keeps the last good
   * snapshot (and logs): when file models came from the persisted index, they are read again from their
   * text and the rebuild is tried once more, so a stale or corrupt index cannot stop the server.
   */
  flush(): Snapshot {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let next: Snapshot;
    try {
      next = this.build();
    } catch (e) {
      this.log(`rebuilding the model failed, keeping the last one (version ${this.current.version}): ${(e as Error)?.stack ?? String(e)}`);
      if (!this.rereadCached()) return this.current;
      try {
        next = this.build();
      } catch (e2) {
        this.log(`rebuilding from the files' text failed too: ${(e2 as Error)?.stack ?? String(e2)}`);
        return this.current;
      }
    }
    this.current = next;
    for (const l of this.listeners) {
      try {
        l(this.current);
      } catch (e) {
        this.log(`a snapshot listener failed: ${(e as Error)?.stack ?? String(e)}`);
      }
    }
    return this.current;
  }

  /** Reads the files whose models came from the persisted index again; false when there were none. */
  private rereadCached(): boolean {
    let any = false;
    for (const [uri, e] of this.disk) {
      if (!e.cached) continue;
      any = true;
      try {
        this.disk.set(uri, this.entry(uri, e.text, undefined));
      } catch {
        this.disk.delete(uri);
      }
    }
    if (any) this.log('read the files of the persisted index again');
    return any;
  }

  /**
   * A change after a quiet spell is built at once (on the next turn, so that one burst of messages
   * makes one snapshot); changes that follow within the debounce time wait until they pause.
   */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    const now = Date.now();
    const quiet = now - this.lastChange >= this.debounceMs;
    this.lastChange = now;
    this.timer = setTimeout(() => this.flush(), quiet ? 0 : this.debounceMs);
  }

  private entry(uri: string, text: string, prev: Entry | undefined): Entry {
    if (prev && prev.text === text && prev.defaultNamespace === this.defaultNamespace) return prev;
    return {
      text,
      file: readFileModel(parseSourceFile(uri, text, parseOptionsForUri(uri)), this.defaultNamespace),
      defaultNamespace: this.defaultNamespace,
    };
  }

  /** The entry's file model, re-read if the default namespace changed since. */
  private fileModelOf(merged: Map<string, Entry>, uri: string): FileModel {
    let e = merged.get(uri)!;
    if (e.defaultNamespace !== this.defaultNamespace) {
      e = this.entry(uri, e.text, undefined);
      (this.open.has(uri) ? this.open : this.disk).set(uri, e);
    }
    return e.file;
  }

  private build(): Snapshot {
    const merged = new Map<string, Entry>(this.disk);
    for (const [uri, e] of this.open) merged.set(uri, e);
    const uris = [...merged.keys()].sort();
    const model = combineFileModels(
      uris.map((u) => this.fileModelOf(merged, u)),
      this.options,
    );
    const texts = new Map<string, string>();
    for (const u of uris) texts.set(u, merged.get(u)!.text);
    return new Snapshot(++this.version, model, texts, this.current);
  }
}
