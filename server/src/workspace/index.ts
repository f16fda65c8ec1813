// The set of files NetLens analyses: disk contents, overridden by open editor buffers. Each file is
// parsed once per content; a new Snapshot is built from the cached parses after a short debounce.
import { parseSourceFile, buildModel } from '../engine';
import type { ParsedFile } from '../engine/parse/documents';
import type { ModelOptions } from '../engine/model/types';
import { Snapshot } from './snapshot';

interface Entry {
  text: string;
  parsed: ParsedFile;
}

export class WorkspaceIndex {
  private readonly disk = new Map<string, Entry>();
  private readonly open = new Map<string, Entry>();
  private current: Snapshot;
  private version = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly listeners: ((s: Snapshot) => void)[] = [];

  constructor(private options: Partial<ModelOptions>, private readonly debounceMs = 120) {
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

  setDisk(uri: string, text: string): void {
    const prev = this.disk.get(uri);
    if (prev && prev.text === text) return;
    this.disk.set(uri, entry(uri, text, prev));
    if (!this.open.has(uri)) this.schedule();
  }

  deleteDisk(uri: string): void {
    if (this.disk.delete(uri) && !this.open.has(uri)) this.schedule();
  }

  setOpen(uri: string, text: string): void {
    const prev = this.open.get(uri) ?? this.disk.get(uri);
    if (prev && prev.text === text && this.open.has(uri)) return;
    this.open.set(uri, entry(uri, text, prev));
    this.schedule();
  }

  close(uri: string): void {
    if (this.open.delete(uri)) this.schedule();
  }

  get fileCount(): number {
    return new Set([...this.disk.keys(), ...this.open.keys()]).size;
  }

  /** Rebuild now (used at the end of indexing and by tests). */
  flush(): Snapshot {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.current = this.build();
    for (const l of this.listeners) l(this.current);
    return this.current;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), this.debounceMs);
  }

  private build(): Snapshot {
    const merged = new Map<string, Entry>(this.disk);
    for (const [uri, e] of this.open) merged.set(uri, e);
    const uris = [...merged.keys()].sort();
    const model = buildModel(uris.map((u) => merged.get(u)!.parsed), this.options);
    const texts = new Map<string, string>();
    for (const u of uris) texts.set(u, merged.get(u)!.text);
    return new Snapshot(++this.version, model, texts);
  }
}

function entry(uri: string, text: string, prev: Entry | undefined): Entry {
  if (prev && prev.text === text) return prev;
  return { text, parsed: parseSourceFile(uri, text) };
}
