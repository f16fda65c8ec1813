// The set of files NetLens analyses: disk contents, overridden by open editor buffers. Each file is
// parsed once per content; a new Snapshot is built from the cached parses after a short debounce.
// A request can wait for the snapshot that includes an open document's version.
import { parseSourceFile } from '../engine';
import { readFileModel, type FileModel } from '../engine/model/build';
import { IncrementalCombiner } from '../engine/model/incremental';
import { carryLookup } from '../engine/model/lookup';
import { OverlayMap } from '../engine/model/overlayMap';
import type { ModelOptions } from '../engine/model/types';
import { looksLikeKubernetes } from '../engine/parse/sniff';
import { Snapshot } from './snapshot';
import { parseOptionsForUri } from './charts';
import { WorkspaceScopes } from './scopes';
import type { HelmRendererSettings } from '../render/helmRender';
import { fileSystemPath } from './fileUri';

/** What a wait for a snapshot listens to for cancellation (an LSP CancellationToken fits). */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

/** Thrown by WorkspaceIndex.snapshotIncluding when its token is cancelled. */
export class SnapshotWaitCancelled extends Error {
  constructor() {
    super('cancelled while waiting for the snapshot');
  }
}

interface Entry {
  text: string;
  /** what the file contributes; its YAML tree is not kept */
  file: FileModel;
  /** the default namespace it was read with */
  defaultNamespace: string;
  /** the file model came from the persisted index, not from reading `text` */
  cached?: true;
}

/** An open document's latest version, and the change (generation) that gave the index its text. */
interface OpenVersion {
  version: number | undefined;
  generation: number;
}

export class WorkspaceIndex {
  private readonly disk = new Map<string, Entry>();
  private readonly open = new Map<string, Entry>();
  private current: Snapshot;
  private version = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** when the armed timer fires, and when the rebuild is due (later when changes moved it: the timer re-arms then) */
  private timerAt = 0;
  private dueAt = 0;
  private lastChange = 0;
  /** how long the last rebuild took (ms), and when it ended (Date.now()): disk changes are spaced by it */
  private lastBuildMs = 0;
  private lastBuildEnd = 0;
  /** a change that is not spaced (an open document's edit, settings, scope) waits for the next rebuild */
  private unspacedPending = false;
  private readonly listeners: ((s: Snapshot) => void)[] = [];
  /** where a failed rebuild is told (the server's output channel) */
  log: (message: string) => void = () => undefined;
  /** counts the changes that need a rebuild; `built` is the count the current snapshot includes */
  private generation = 0;
  private built = 0;
  private readonly openVersions = new Map<string, OpenVersion>();
  private readonly waiters = new Set<() => void>();
  /** when a request waits for a rebuild: the rebuild comes by then, however long the changes go on */
  private deadline: number | undefined;
  /** whether a disk file / open document looks like Kubernetes content (sniffed once per text) */
  private readonly kubernetesText = new WeakMap<Entry, boolean>();
  /** the analysis scopes and the client's choice among them */
  readonly scopes = new WorkspaceScopes();
  /**
   * the active rendered scope's objects' file models by object URI, each reused while its rendered text is
   * the same: an edit to a patch or a base file re-reads only the objects whose rendered text it changed
   */
  private rendered = new Map<string, { text: string; file: FileModel; defaultNamespace: string }>();
  /** the last build's rendered sources and their file models, position for position (patched while few change) */
  private renderedModels?: { sources: readonly { uri: string; text: string }[]; models: FileModel[]; namespace: string };
  /** combines the file models, patching the last model where only a few files changed */
  private readonly combiner = new IncrementalCombiner();
  /**
   * The last build's sorted uris, texts and (all files loose) file models, reused by the next build while
   * the set of files stays the same: only the `dirty` files' entries are redone (an edit costs the edited
   * files, not a sort and copy of every file's).
   */
  private last?: {
    uris: string[];
    at: Map<string, number>;
    texts: ReadonlyMap<string, string>;
    models?: FileModel[];
    defaultNamespace: string;
  };
  private readonly dirty = new Set<string>();
  /** until then (Date.now()) changes wait for a flush or a waiting request instead of rebuilding on their own */
  private holdUntil = 0;

  /** Notes a change of a file's entry; `files` when the set of files changed (the next build starts over). */
  private touch(uri: string, files: boolean): void {
    if (files) this.last = undefined;
    else this.dirty.add(uri);
  }

  constructor(
    private options: Partial<ModelOptions>,
    private readonly debounceMs = 40,
  ) {
    this.current = this.build();
    // a Helm render that lands is new content for the active scope
    this.scopes.onRendered = () => this.schedule();
    this.scopes.onSettingProblems = (messages) => this.log(`netlens.scopes setting: ${messages.join('; ')}`);
  }

  /**
   * For the next `ms` (the server's initial indexing, which ends with a flush), changes rebuild only when a
   * request waits for them (snapshotIncluding) or the time is up: a small workspace's start is then one build
   * instead of one per settings change and batch of files, and the open documents are not parsed before their
   * disk entries (often from the persisted index) arrive. A longer indexing rebuilds as before once `ms` has passed.
   */
  hold(ms: number): void {
    this.holdUntil = Date.now() + ms;
  }

  /** The helm that renders chart scopes (settings, trust, storage); rebuilds when that changes. */
  configureHelm(s: HelmRendererSettings): void {
    if (this.scopes.configureHelm(s)) this.schedule();
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
    this.touch(uri, !prev && !this.open.has(uri));
    this.disk.set(
      uri,
      cached ? { text, file: cached, defaultNamespace: this.defaultNamespace, cached: true } : this.entry(uri, text, prev),
    );
    if (!this.open.has(uri)) this.schedule(true, true);
  }

  /** The disk entries' file models (what a persisted index stores). */
  diskFileModels(): { uri: string; text: string; file: FileModel; defaultNamespace: string }[] {
    return [...this.disk].map(([uri, e]) => ({ uri, ...e }));
  }

  deleteDisk(uri: string): void {
    if (this.disk.delete(uri) && !this.open.has(uri)) {
      this.touch(uri, true);
      this.schedule(true, true);
    }
  }

  /** An open document's text; `version` is the editor's document version, for snapshotIncluding. */
  setOpen(uri: string, text: string, version?: number): void {
    const prev = this.open.get(uri) ?? this.disk.get(uri);
    if (prev && prev.text === text && this.open.has(uri)) {
      // the same text: the snapshot that has it already (or soon) includes this version too
      this.openVersions.set(uri, { version, generation: this.openVersions.get(uri)?.generation ?? this.generation });
      return;
    }
    this.touch(uri, !this.open.has(uri) && !this.disk.has(uri));
    this.open.set(uri, this.openEntry(uri, text, prev));
    this.schedule();
    this.openVersions.set(uri, { version, generation: this.generation });
  }

  close(uri: string): void {
    this.openVersions.delete(uri);
    if (this.open.delete(uri)) {
      this.touch(uri, !this.disk.has(uri));
      this.schedule();
    }
  }

  /**
   * The first snapshot that includes the open document's text at `version` (or later): the current one
   * when it does, else the next rebuild's, which then comes within the debounce time even while other
   * changes keep coming (indexing). Without `version`: the latest text the index has. A document that
   * is not open gets the current snapshot. Rejects with SnapshotWaitCancelled when `token` is cancelled.
   */
  snapshotIncluding(uri: string, version?: number, token?: Cancellation): Promise<Snapshot> {
    const open = this.openVersions.get(uri);
    if (!open) return Promise.resolve(this.current);
    // a version the index has not seen yet cannot come before the changes it has: wait for all of them
    const needed = version === undefined || open.version === undefined || open.version >= version ? open.generation : this.generation;
    if (this.built >= needed) return Promise.resolve(this.current);
    this.deadline ??= Date.now() + this.debounceMs;
    this.schedule(false);
    return new Promise<Snapshot>((resolve, reject) => {
      const cancel = token?.onCancellationRequested(() => {
        this.waiters.delete(check);
        reject(new SnapshotWaitCancelled());
      });
      const check = () => {
        if (this.built < needed) return;
        this.waiters.delete(check);
        cancel?.dispose();
        resolve(this.current);
      };
      if (token?.isCancellationRequested) {
        cancel?.dispose();
        reject(new SnapshotWaitCancelled());
        return;
      }
      this.waiters.add(check);
    });
  }

  /** The open documents' URIs. */
  get openUris(): string[] {
    return [...this.open.keys()];
  }

  /** Whether the current snapshot includes every change the index has been told of (none waits for a rebuild). */
  get settled(): boolean {
    return this.built >= this.generation;
  }

  /** The version of an open document that the current snapshot includes; undefined while a newer one waits for a rebuild. */
  includedVersion(uri: string): number | undefined {
    const open = this.openVersions.get(uri);
    return open && this.built >= open.generation ? open.version : undefined;
  }

  /** Whether the workspace holds Kubernetes content: a manifest, Corefile or CNI config on disk or open. */
  get hasKubernetes(): boolean {
    for (const [uri, e] of this.disk) if (this.isKubernetes(uri, e)) return true;
    for (const [uri, e] of this.open) if (this.isKubernetes(uri, e)) return true;
    return false;
  }

  private isKubernetes(uri: string, e: Entry): boolean {
    let k = this.kubernetesText.get(e);
    if (k === undefined) {
      k = looksLikeKubernetes(uri, e.text);
      this.kubernetesText.set(e, k);
    }
    return k;
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
    this.holdUntil = 0; // (the end of indexing: the hold is over)
    return this.rebuildNow();
  }

  /** flush(), without ending a hold (a rebuild the timer asked for). */
  private rebuildNow(): Snapshot {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.deadline = undefined;
    this.unspacedPending = false;
    const generation = this.generation;
    const started = Date.now();
    const next = this.rebuild();
    this.lastBuildEnd = Date.now();
    this.lastBuildMs = this.lastBuildEnd - started;
    // waiters are released even when the rebuild failed: they answer from the last good snapshot
    this.built = generation;
    if (next) this.current = next;
    for (const w of [...this.waiters]) w();
    if (!next) return this.current;
    for (const l of this.listeners) {
      try {
        l(this.current);
      } catch (e) {
        this.log(`a snapshot listener failed: ${(e as Error)?.stack ?? String(e)}`);
      }
    }
    return this.current;
  }

  /** A new snapshot, or undefined when building fails (logged), also after reading cached files again. */
  private rebuild(): Snapshot | undefined {
    try {
      return this.build();
    } catch (e) {
      this.log(`rebuilding the model failed, keeping the last one (version ${this.current.version}): ${(e as Error)?.stack ?? String(e)}`);
      if (!this.rereadCached()) return undefined;
      try {
        return this.build();
      } catch (e2) {
        this.log(`rebuilding from the files' text failed too: ${(e2 as Error)?.stack ?? String(e2)}`);
        return undefined;
      }
    }
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
    this.last = undefined;
    // open documents may have taken their file models from those entries
    if (any) for (const [uri, e] of this.open) this.open.set(uri, this.openEntry(uri, e.text, undefined));
    if (any) this.log('read the files of the persisted index again');
    return any;
  }

  /**
   * A change after a quiet spell is built at once (on the next turn, so that one burst of messages
   * makes one snapshot); changes that follow within the debounce time wait until they pause, or until
   * the deadline of a request waiting for a rebuild. `change` false: only that deadline is new.
   * `disk`: a change of a file on disk (indexing, the file watcher), spaced from the last rebuild (see rebuildDelay).
   */
  private schedule(change = true, disk = false): void {
    if (change) this.generation++;
    const now = Date.now();
    const quiet = now - this.lastChange >= this.debounceMs;
    if (change) this.lastChange = now;
    if (change && !disk) this.unspacedPending = true;
    const delay = rebuildDelay({
      quiet,
      debounceMs: this.debounceMs,
      // a disk change that comes while an edit waits for its rebuild must not space that rebuild out
      ...(disk && !this.unspacedPending ? { spacing: { lastBuildMs: this.lastBuildMs, sinceBuildMs: now - this.lastBuildEnd } } : {}),
      ...(this.deadline !== undefined ? { untilDeadlineMs: this.deadline - now } : {}),
    });
    // held (hold()): at the end of the hold, unless a request waits
    this.arm(this.deadline === undefined ? Math.max(now + delay, this.holdUntil) : now + delay);
  }

  /**
   * The rebuild is due at `at`. A timer already armed to fire by then is kept and re-armed for the rest when
   * it fires: indexing moves the rebuild once per file, and a clearTimeout and setTimeout per file was about
   * 50 ms of a 2,300-file warm start (docs/performance.md).
   */
  private arm(at: number): void {
    this.dueAt = at;
    if (this.timer && this.timerAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(() => this.fire(), Math.max(0, at - Date.now()));
  }

  private fire(): void {
    this.timer = undefined;
    const rest = this.dueAt - Date.now();
    if (rest > 0) this.arm(this.dueAt);
    else this.rebuildNow();
  }

  private entry(uri: string, text: string, prev: Entry | undefined): Entry {
    if (prev && prev.text === text && prev.defaultNamespace === this.defaultNamespace) return prev;
    return {
      text,
      file: readFileModel(parseSourceFile(uri, text, parseOptionsForUri(uri)), this.defaultNamespace),
      defaultNamespace: this.defaultNamespace,
    };
  }

  /**
   * An open document's entry, its file model read when a build first needs it: by then the disk entry of the
   * same text often has one (from the persisted index, or a parse worker), and the document is not parsed at
   * all. A document opened as the server starts was parsed on arrival before, 50-60 ms of the warm start's
   * main thread on S and M (docs/performance.md, "The first seconds of a small repository").
   */
  private openEntry(uri: string, text: string, prev: Entry | undefined): Entry {
    if (prev && prev.text === text && prev.defaultNamespace === this.defaultNamespace) return prev;
    const defaultNamespace = this.defaultNamespace;
    let file: FileModel | undefined;
    const disk = this.disk;
    return {
      text,
      defaultNamespace,
      get file(): FileModel {
        if (file) return file;
        const d = disk.get(uri);
        file =
          d && d.text === text && d.defaultNamespace === defaultNamespace
            ? d.file
            : readFileModel(parseSourceFile(uri, text, parseOptionsForUri(uri)), defaultNamespace);
        return file;
      },
    };
  }

  /** A rendered object's file model: `kept` when it was read from the same text and default namespace, else read now. */
  private renderedModelOf(
    src: { uri: string; text: string },
    kept: { text: string; file: FileModel; defaultNamespace: string } | undefined,
  ): { text: string; file: FileModel; defaultNamespace: string } {
    if (kept && kept.text === src.text && kept.defaultNamespace === this.defaultNamespace) return kept;
    return {
      text: src.text,
      file: readFileModel(parseSourceFile(src.uri, src.text), this.defaultNamespace),
      defaultNamespace: this.defaultNamespace,
    };
  }

  /** The entry's file model, re-read if the default namespace changed since. */
  private fileModelOf(uri: string): FileModel {
    let e = (this.open.get(uri) ?? this.disk.get(uri))!;
    if (e.defaultNamespace !== this.defaultNamespace) {
      e = this.entry(uri, e.text, undefined);
      (this.open.has(uri) ? this.open : this.disk).set(uri, e);
    }
    return e.file;
  }

  /** Makes `id` the active scope (rebuilds); false when there is no such scope. */
  setScope(id: string | undefined): boolean {
    if (id !== undefined && !this.current.scopes.some((s) => s.id === id)) return false;
    this.scopes.requested = id;
    this.schedule();
    return true;
  }

  private build(): Snapshot {
    const textOf = (u: string) => (this.open.get(u) ?? this.disk.get(u))!.text;
    const last = this.last?.defaultNamespace === this.defaultNamespace ? this.last : undefined;
    let uris: string[];
    let at: Map<string, number>;
    let texts: ReadonlyMap<string, string>;
    if (last) {
      // the same files: the last build's, with the changed files' texts (laid over it, not a copy)
      ({ uris, at } = last);
      texts = OverlayMap.of(last.texts, new Map([...this.dirty].map((u) => [u, textOf(u)])));
    } else {
      uris = [...new Set([...this.disk.keys(), ...this.open.keys()])].sort();
      at = new Map(uris.map((u, i) => [u, i]));
      texts = new Map(uris.map((u) => [u, textOf(u)]));
    }
    const fileTexts = texts;
    const scoped = this.scopes.resolve(texts, chartOfUri, last !== undefined, last ? this.dirty : undefined);
    let models: FileModel[];
    let reusable: FileModel[] | undefined;
    if (!scoped && last?.models) {
      models = last.models.slice();
      for (const u of this.dirty) models[at.get(u)!] = this.fileModelOf(u);
      reusable = models;
    } else if (!scoped || scoped.active.kind === 'loose') {
      const keep = scoped ? new Set(scoped.active.files) : undefined;
      models = uris.filter((u) => !keep || keepLoose(keep, u)).map((u) => this.fileModelOf(u));
      if (!scoped) reusable = models;
    } else {
      // a rendered scope: one file model per rendered object (the whole text only for a view without objects)
      const view = scoped.view!;
      const sources = view.objects ?? view.sources;
      const was = this.renderedModels;
      const changed = was && was.namespace === this.defaultNamespace ? changedSources(was.sources, sources) : undefined;
      if (changed && was) {
        // the same objects but a few (an edit to a patch or a base file): the last models with theirs redone
        models = was.models.slice();
        for (const k of changed) {
          const src = sources[k];
          const entry = this.renderedModelOf(src, this.rendered.get(src.uri));
          this.rendered.set(src.uri, entry);
          models[k] = entry.file;
        }
      } else {
        const next = new Map<string, { text: string; file: FileModel; defaultNamespace: string }>();
        models = sources.map((src) => {
          const entry = this.renderedModelOf(src, this.rendered.get(src.uri) ?? next.get(src.uri));
          next.set(src.uri, entry);
          return entry.file;
        });
        this.rendered = next;
      }
      this.renderedModels = { sources, models, namespace: this.defaultNamespace };
      if (!view.objects) {
        // the rendered scope's text joins this snapshot's, not the next build's
        const withRendered = new Map(texts);
        for (const src of view.sources) withRendered.set(src.uri, src.text);
        texts = withRendered;
      }
    }
    if (!scoped || scoped.active.kind !== 'kustomize') this.renderedModels = undefined;
    this.last = { uris, at, texts: fileTexts, defaultNamespace: this.defaultNamespace, ...(reusable ? { models: reusable } : {}) };
    this.dirty.clear();
    const model = this.combiner.combine(models, this.options);
    const { patched, from, parts, rank } = this.combiner.last;
    if (patched && from !== model) carryLookup(from, model, patched, parts && rank ? { parts, rank } : undefined);
    return new Snapshot(++this.version, model, texts, this.current, scoped);
  }
}

/**
 * The positions where a rendered scope's sources differ from the last build's (another text), when the
 * URIs are the same position for position and few texts changed; undefined otherwise.
 */
function changedSources(
  was: readonly { uri: string; text: string }[],
  now: readonly { uri: string; text: string }[],
): number[] | undefined {
  if (was.length !== now.length) return undefined;
  const out: number[] = [];
  for (let k = 0; k < now.length; k++) {
    const a = was[k];
    const b = now[k];
    if (a === b) continue;
    if (a.uri !== b.uri) return undefined;
    if (a.text !== b.text) {
      out.push(k);
      if (out.length > 256) return undefined;
    }
  }
  return out;
}

/** A stream of disk changes rebuilds at most once per this many times the last rebuild's duration. */
export const DISK_REBUILD_SPACING = 10;

/**
 * How long to wait before the rebuild of a change (ms). A change after a quiet spell: at once; else after
 * the debounce time. A disk change (`spacing`) also waits until DISK_REBUILD_SPACING times the last
 * rebuild's duration has passed since it ended: while indexing, a rebuild of a large workspace (100-200 ms on L)
 * made the next batch of files look like the first change after a quiet spell, so each batch was rebuilt
 * at once and rebuilds took most of the thread (40 to 90 snapshots while indexing L, more on a loaded
 * machine). An edit in an open document is never spaced; a request waiting for a rebuild (its deadline) wins over both.
 */
export function rebuildDelay(p: {
  quiet: boolean;
  debounceMs: number;
  spacing?: { lastBuildMs: number; sinceBuildMs: number };
  untilDeadlineMs?: number;
}): number {
  let delay = p.quiet ? 0 : p.debounceMs;
  if (p.spacing) delay = Math.max(delay, p.spacing.lastBuildMs * DISK_REBUILD_SPACING - p.spacing.sinceBuildMs);
  return p.untilDeadlineMs === undefined ? delay : Math.max(0, Math.min(delay, p.untilDeadlineMs));
}

function chartOfUri(uri: string): string | undefined {
  return parseOptionsForUri(uri).chart;
}

/** Loose files, and documents that are not files (untitled buffers) */
function keepLoose(keep: ReadonlySet<string>, uri: string): boolean {
  const p = fileSystemPath(uri);
  return p === undefined || keep.has(p);
}
