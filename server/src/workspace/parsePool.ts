// Worker threads that parse files while the main thread reads the disk and answers the editor:
// indexing a large workspace is parse-bound, and parsing one file needs nothing from another.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { FileModel } from '../engine/model/build';
import { MAX_FILE_BYTES } from './readRegular';
import type { CodeCacheStatus } from '../codeCache';

export interface ParseJob {
  /** the file on disk */
  path: string;
  uri: string;
  /** the persisted index's hash of the file: if the content still has it, the file is not parsed */
  knownHash?: string;
  /**
   * read only Kubernetes content (looksLikeKubernetes on the text read): other files come back as
   * `notIndexed` (the language server sniffs here rather than with another read of each file's head)
   */
  sniff?: true;
}
export interface ParseRequest {
  id: number;
  defaultNamespace: string;
  /** decode UTF-16 files with a BOM too (the CLI; see decodeText) */
  utf16?: boolean;
  /** files larger than this are not read (readRegular) */
  maxBytes: number;
  jobs: ParseJob[];
}
/**
 * The text read (BOM removed), and its file model unless its hash was the known one; `notIndexed` for a
 * sniffed file that holds no Kubernetes content; or why not:
 * the file could not be read (`stage: 'read'`, with the errno code when there is one) or parsing threw.
 */
export type ParseResult =
  { text: string; hash?: string; file?: FileModel } | { notIndexed: true } | { error: string; stage: 'read' | 'parse'; code?: string };
export interface ParseResponse {
  id: number;
  results: ParseResult[];
}
/** Asks a worker to write its code cache (../codeCache.ts); it answers with a CodeCacheReply. */
export interface SaveCodeCache {
  saveCodeCache: true;
}
export interface CodeCacheReply {
  codeCache: { status: CodeCacheStatus; saved: boolean };
}

interface Slot {
  worker: Worker;
  busy: number;
}

/** Threads to use when the setting says "auto": one per core, at most four. */
export function autoParseThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), 4));
}

export class ParsePool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, { slot: Slot; resolve(results: ParseResult[]): void; reject(e: Error): void }>();
  private nextId = 0;
  private broken: Error | undefined;
  /** what the first worker said of its code cache when the pool was disposed (NETLENS_CODE_CACHE set) */
  codeCache: CodeCacheReply['codeCache'] | undefined;

  private constructor(workerFile: string, threads: number) {
    for (let i = 0; i < threads; i++) {
      const slot: Slot = { worker: new Worker(workerFile), busy: 0 };
      slot.worker.on('message', (r: ParseResponse | CodeCacheReply) => {
        if ('codeCache' in r) this.codeCache = r.codeCache;
        else this.settle(r);
      });
      // a dead worker fails what it had; the caller parses those files itself
      const fail = (e: Error) => this.failAll(e);
      slot.worker.on('error', fail);
      // (also one that ends on its own, e.g. a script without a message handler: its jobs would never settle)
      slot.worker.on('exit', (code) => fail(new Error(`parse worker exited${code !== 0 ? ` with code ${code}` : ''}`)));
      this.slots.push(slot);
    }
  }

  /** A pool of `threads` workers, or undefined when the worker script is missing or threads < 1. */
  static create(workerFile: string, threads: number): ParsePool | undefined {
    if (threads < 1 || !existsSync(workerFile)) return undefined;
    try {
      return new ParsePool(workerFile, threads);
    } catch {
      return undefined;
    }
  }

  get size(): number {
    return this.slots.length;
  }

  /** Results of the jobs, in their order (rejects if the pool broke: read them on the main thread then). */
  parse(jobs: ParseJob[], defaultNamespace: string, utf16 = false, maxBytes = MAX_FILE_BYTES): Promise<ParseResult[]> {
    if (this.broken) return Promise.reject(this.broken);
    const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { slot, resolve, reject });
      slot.worker.postMessage({ id, defaultNamespace, ...(utf16 ? { utf16 } : {}), maxBytes, jobs } satisfies ParseRequest);
    });
  }

  /**
   * Ends the workers. Where the workers run through the code cache (NETLENS_CODE_CACHE: the language server
   * the extension started), the first one writes it before it ends (at most once per bundle and runtime: a
   * worker that started from a valid cache writes nothing); the promise settles when every worker has ended.
   */
  dispose(): Promise<void> {
    this.failAll(new Error('parse pool disposed'));
    const [first, ...rest] = this.slots;
    const ended: Promise<void>[] = rest.map((s) => s.worker.terminate().then(() => undefined));
    if (first && process.env.NETLENS_CODE_CACHE) {
      ended.push(
        new Promise<void>((resolve) => {
          const end = () => {
            clearTimeout(timer);
            first.worker.terminate().then(
              () => resolve(),
              () => resolve(),
            );
          };
          // a worker that does not answer (busy, or an older script) is ended anyway
          const timer = setTimeout(end, 2000);
          timer.unref();
          first.worker.on('message', (r: Partial<CodeCacheReply>) => {
            if (r.codeCache) end();
          });
          first.worker.postMessage({ saveCodeCache: true } satisfies SaveCodeCache);
        }),
      );
    } else if (first) ended.push(first.worker.terminate().then(() => undefined));
    return Promise.all(ended).then(() => undefined);
  }

  private settle(r: ParseResponse): void {
    const p = this.pending.get(r.id);
    if (!p) return;
    this.pending.delete(r.id);
    p.slot.busy--;
    p.resolve(r.results);
  }

  private failAll(e: Error): void {
    this.broken ??= e;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(e);
    }
  }
}
