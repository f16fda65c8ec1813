// The persisted index: each disk file's model keyed by uri and content hash, stored in the
// extension's storage (never in the user's tree), so reopening a workspace skips YAML parsing.
import { promises as fs, createReadStream, closeSync, openSync, renameSync, rmSync, unlinkSync, writeFile as writeFd } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { createHash } from 'node:crypto';
import type { FileModel } from '../engine/model/build';

// Bump VERSION when the FileModel shape or the reading of manifests changes; any other format or
// version is discarded (with a log line), as is a file that does not have the shape below.
/** the persisted index's format: a file of another format is not read */
export const INDEX_FORMAT = 'netlens-index';
const FORMAT = INDEX_FORMAT;
const VERSION = 3;

interface Stored {
  format: string;
  version: number;
  engine: string;
  defaultNamespace: string;
  files: Record<string, { hash: string; file: FileModel }>;
}

export function contentHash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

export class PersistedIndex {
  private files: Stored['files'] = {};
  /** the default namespace of what index.json holds (as loaded or last written) */
  private storedNamespace: string | undefined;
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

  /**
   * Reads index.json; anything unreadable, of another format or version, or of the wrong shape is discarded (logged).
   * The index as save() writes it is read a line (one file's entry) at a time, so that the whole file is never one
   * string (203 MB on XL, which JSON.parse then doubled); a file laid out otherwise (an index of an older build,
   * a truncated or corrupt one) is read whole, as before, and accepted only if it is valid as a whole.
   */
  async load(defaultNamespace: string, log: (message: string) => void = () => undefined): Promise<number> {
    if (!this.file) return 0;
    let read: LineRead;
    try {
      read = await readLines(this.file, this.engineVersion, defaultNamespace);
    } catch {
      return 0; // no index yet: start cold
    }
    if (read.kind === 'whole') return this.loadWhole(defaultNamespace, log);
    if (read.kind === 'invalid') {
      log(`discarded the persisted index ${this.file}: ${read.why}`);
      return 0;
    }
    if (read.kind === 'other') return 0; // another build or setting: start cold
    this.files = read.files;
    this.storedNamespace = defaultNamespace;
    return Object.keys(this.files).length;
  }

  /** The whole file as one JSON document (what load() did before the index was read by lines). */
  private async loadWhole(defaultNamespace: string, log: (message: string) => void): Promise<number> {
    let text: string;
    try {
      text = await fs.readFile(this.file!, 'utf8');
    } catch {
      return 0;
    }
    try {
      const data = JSON.parse(text) as unknown;
      const why = invalid(data);
      if (why) {
        log(`discarded the persisted index ${this.file}: ${why}`);
        return 0;
      }
      const d = data as Stored;
      if (d.engine !== this.engineVersion || d.defaultNamespace !== defaultNamespace) return 0; // another build or setting: start cold
      this.files = d.files;
      this.storedNamespace = d.defaultNamespace;
      return Object.keys(this.files).length;
    } catch (e) {
      log(`discarded the persisted index ${this.file}: ${(e as Error).message}`);
      return 0;
    }
  }

  /** The stored file model of `uri` when its hash matches and its source ranges fit `text`. */
  lookup(uri: string, text: string): FileModel | undefined {
    // a file the index does not hold is not hashed
    return this.hashOf(uri) === undefined ? undefined : this.withHash(uri, contentHash(text), text);
  }

  /** The stored content hash of a file (what a parse worker compares its reading with). */
  hashOf(uri: string): string | undefined {
    return Object.hasOwn(this.files, uri) ? this.files[uri].hash : undefined;
  }

  /** The stored file model, if the file's content hash is still `hash`. */
  withHash(uri: string, hash: string, text: string): FileModel | undefined {
    const e = this.files[uri];
    if (!e || e.hash !== hash) return undefined;
    // the hash says the text is the same; the ranges say the model is one of it (not a corrupt or foreign entry)
    return e.file.uri === uri && rangesFit(e.file, text.length) ? e.file : undefined;
  }

  /**
   * Whether index.json already holds exactly these entries: the same files, each with the very file model
   * it gave (so its content hash matched), read with the same default namespace. A warm start that
   * reused every file then skips the save: stringifying and writing L's 37 MB index took 0.5-0.9 s of
   * the main thread right after indexing, while the first requests wait.
   */
  holds(entries: readonly { uri: string; file: FileModel }[], defaultNamespace: string): boolean {
    if (!this.file || this.storedNamespace !== defaultNamespace) return false;
    let n = 0;
    for (const k in this.files) if (Object.hasOwn(this.files, k)) n++;
    if (n !== entries.length) return false;
    return entries.every((e) => Object.hasOwn(this.files, e.uri) && this.files[e.uri].file === e.file);
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
    await fs.mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    await removeStaleTemps(this.file);
    // The temp file is created and renamed synchronously, its contents written in the background: an
    // exit listener (discardUnfinished) runs between those steps, never during the creation or rename.
    const tmp = `${this.file}.${process.pid}.${++this.seq}.tmp`;
    let fd: number | undefined = openSync(tmp, 'w', 0o600);
    this.temps.add(tmp);
    try {
      for (const chunk of indexChunks(this.engineVersion, defaultNamespace, files)) await writeAll(fd, chunk);
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
    this.storedNamespace = defaultNamespace;
    return true;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const FILE_ARRAYS = ['objects', 'findings', 'skipped', 'corefiles', 'dnsConfigs', 'cniHints'] as const;

/** Why `data` is not an index of this format and version (undefined when it is one). */
function invalid(data: unknown): string | undefined {
  if (!isObject(data)) return 'not an object';
  if (data.format !== FORMAT) return `format ${JSON.stringify(data.format)}, not ${FORMAT}`;
  if (data.version !== VERSION) return `version ${JSON.stringify(data.version)}, not ${VERSION}`;
  if (typeof data.engine !== 'string' || typeof data.defaultNamespace !== 'string') return 'no engine or defaultNamespace';
  if (!isObject(data.files)) return 'no files';
  for (const [uri, e] of Object.entries(data.files)) {
    const why = invalidEntry(uri, e);
    if (why) return why;
  }
  return undefined;
}

/** Why `e` is not the entry of `uri` in an index (undefined when it is one). */
function invalidEntry(uri: string, e: unknown): string | undefined {
  if (!isObject(e) || typeof e.hash !== 'string' || !/^[0-9a-f]{40}$/.test(e.hash) || !isObject(e.file)) return `bad entry for ${uri}`;
  const f = e.file;
  if (f.uri !== uri) return `entry for ${uri} names ${JSON.stringify(f.uri)}`;
  for (const k of FILE_ARRAYS) if (!Array.isArray(f[k])) return `entry for ${uri}: ${k} is not a list`;
  for (const o of f.objects as unknown[])
    if (!isObject(o) || typeof o.kind !== 'string' || typeof o.key !== 'string' || !isObject(o.ref) || !Array.isArray(o.findings))
      return `entry for ${uri}: a malformed object`;
  return undefined;
}

/**
 * Whether every number in a file model is finite and every source range ({uri, start, end}) lies in the text.
 * Run for every file the warm start reuses, so it walks without allocating: only objects and arrays go on
 * the stack (strings and numbers, most of the values, are checked where they are found; 0.26 s sampled on
 * L when every value went through the stack).
 */
function rangesFit(file: FileModel, length: number): boolean {
  const stack: object[] = [file];
  let seen = 0;
  // a value inside an object or array: false when it is a number that is not finite; objects go on the stack
  const visit = (x: unknown): boolean => {
    if (typeof x === 'number') return Number.isFinite(x);
    if (typeof x === 'object' && x !== null) stack.push(x);
    return true;
  };
  while (stack.length) {
    const v = stack.pop()!;
    if (Array.isArray(v)) {
      seen += v.length;
      for (let i = 0; i < v.length; i++) if (!visit(v[i])) return false;
    } else {
      const o = v as Record<string, unknown>;
      if (typeof o.uri === 'string' && ('start' in o || 'end' in o)) {
        const { start, end } = o;
        if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || (start as number) < 0 || (start as number) > (end as number))
          return false;
        if (o.uri === file.uri && (end as number) > length) return false;
      }
      for (const k in o) {
        seen++;
        if (!visit(o[k])) return false;
      }
    }
    if (seen > 5_000_000) return false;
  }
  return true;
}

// writeFile on a descriptor writes all of the data from the file's current position
const writeAll = promisify(writeFd) as (fd: number, data: string) => Promise<void>;

/** Characters of index text gathered before one write. */
const CHUNK_CHARS = 1 << 20;
/** The longest first line the line reader takes for the header of an index (a longer one: the file is read whole). */
const MAX_HEADER_CHARS = 1 << 16;

/**
 * The text of index.json, in chunks of about a megabyte: the JSON document {format, version, engine,
 * defaultNamespace, files} that JSON.stringify gives, with a line break after the header, after each file's
 * entry and before the closing braces. JSON.stringify never writes a raw line break, so each file's entry is
 * one line: the writer holds one file's JSON at a time (JSON.stringify of the whole was one 203 MB string
 * on XL, and its UTF-8 copy another), and the reader (readLines) parses one entry at a time.
 */
export function* indexChunks(engine: string, defaultNamespace: string, files: Stored['files']): Generator<string> {
  const head = JSON.stringify({ format: FORMAT, version: VERSION, engine, defaultNamespace, files: {} });
  let chunk = `${head.slice(0, -2)}\n`; // ends with "files":{
  const uris = Object.keys(files);
  for (let i = 0; i < uris.length; i++) {
    chunk += `${JSON.stringify(uris[i])}:${JSON.stringify(files[uris[i]])}${i < uris.length - 1 ? ',' : ''}\n`;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  yield `${chunk}}}`;
}

/**
 * What the line reader made of index.json: its files; another engine or default namespace (`other`);
 * a header or entry of the wrong shape (`invalid`); or `whole` when the file is not laid out as
 * indexChunks writes it (an older build's index, a truncated or corrupt file): read it whole.
 */
type LineRead = { kind: 'lines'; files: Stored['files'] } | { kind: 'other' } | { kind: 'invalid'; why: string } | { kind: 'whole' };

/** Reads index.json as indexChunks writes it, one file's entry at a time (rejects when it cannot be opened or read). */
async function readLines(file: string, engine: string, defaultNamespace: string): Promise<LineRead> {
  const files: Stored['files'] = {};
  let header = false;
  let entries = 0;
  /** whether the last entry line ended with a comma (another entry must follow) */
  let comma = false;
  let ended = false;
  // one line: a result when reading stops there, undefined to go on
  const take = (line: string): LineRead | undefined => {
    if (ended) return { kind: 'whole' };
    if (!header) {
      if (!line.startsWith('{') || !line.endsWith('"files":{')) return { kind: 'whole' };
      let data: unknown;
      try {
        data = JSON.parse(`${line}}}`);
      } catch {
        return { kind: 'whole' };
      }
      const why = invalid(data);
      if (why) return { kind: 'invalid', why };
      const d = data as Stored;
      if (d.engine !== engine || d.defaultNamespace !== defaultNamespace) return { kind: 'other' };
      header = true;
      return undefined;
    }
    if (line === '}}') {
      if (comma) return { kind: 'whole' };
      ended = true;
      return undefined;
    }
    if (entries > 0 && !comma) return { kind: 'whole' };
    comma = line.endsWith(',');
    let data: unknown;
    try {
      data = JSON.parse(`{${comma ? line.slice(0, -1) : line}}`);
    } catch {
      return { kind: 'whole' };
    }
    if (!isObject(data)) return { kind: 'whole' };
    for (const [uri, e] of Object.entries(data)) {
      const why = invalidEntry(uri, e);
      if (why) return { kind: 'invalid', why };
      // an own property whatever the key (as JSON.parse makes it; `files[uri] =` would set the prototype of "__proto__")
      Object.defineProperty(files, uri, { value: e, enumerable: true, writable: true, configurable: true });
    }
    entries++;
    return undefined;
  };
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: CHUNK_CHARS });
  let rest = '';
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      const text = rest + chunk;
      let from = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
        const r = take(text.slice(from, nl));
        if (r) return r;
        from = nl + 1;
      }
      rest = text.slice(from);
      if (!header && rest.length > MAX_HEADER_CHARS) return { kind: 'whole' };
    }
  } finally {
    stream.destroy();
  }
  if (rest !== '') {
    const r = take(rest);
    if (r) return r;
  }
  return ended ? { kind: 'lines', files } : { kind: 'whole' };
}

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
