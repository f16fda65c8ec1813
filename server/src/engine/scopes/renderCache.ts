// Kustomize renders cached by the content of everything they read: a render is reused while every file,
// folder listing and folder test it made answers the same, so an edit re-renders only the scopes whose
// kustomizations read the edited file.
import {
  KUSTOMIZATION_FILE_NAMES,
  KUSTOMIZE_ERROR,
  newRenderMemo,
  renderKustomization,
  type KustomizeFs,
  type RenderResult,
} from '../kustomize';
import { scanKustomizationReads, type KustomizationMemo } from '../kustomize/reads';

/**
 * What a render (or a scan) asked the file system, and the answers, by question kind; each path is the
 * string the renderer asked with, so checking them again hashes nothing new.
 */
interface Reads {
  files: Map<string, string | undefined>;
  /** a scan's reads of files whose content it does not read (all but kustomization files): whether they exist */
  exists: Map<string, boolean>;
  /** listings, as sorted names joined by line breaks */
  lists: Map<string, string | undefined>;
  dirs: Map<string, boolean>;
  /** the files read that exist, once asked */
  read?: string[];
  /** the last session (KustomizeRenderCache.session) in which these reads were found to answer the same */
  checkedAt: number;
  /** in sessions with changes: the paths read that the caller does not track (asked again each time) */
  untracked?: string[];
}

/**
 * What changed since the last session: the caller tracks some files (an edit to one is told here), and
 * everything else (files outside them, folders, listings) is asked again.
 */
export interface FsChanges {
  /** the tracked paths whose content may have changed since the last session */
  changed: ReadonlySet<string>;
  /** whether the caller tracks a path: its content changes are in `changed`, and it stays a file (no folder) */
  tracked(path: string): boolean;
}

interface Entry {
  result: RenderResult;
  reads: Reads;
}

function newReads(checkedAt = -1): Reads {
  return { files: new Map(), exists: new Map(), lists: new Map(), dirs: new Map(), checkedAt };
}

/**
 * A KustomizeFs that notes every question and answer. `scan`: a scan (kustomize/reads.ts) reads the text of
 * kustomization files only; of the others it notes whether they exist, so an edit to a base's resource
 * file leaves the scans valid.
 */
function recording(fs: KustomizeFs, reads: Reads, scan = false): KustomizeFs {
  return {
    readFile(p) {
      const v = fs.readFile(p);
      if (scan && !KUSTOMIZATION_FILE_NAMES.includes(p.slice(p.lastIndexOf('/') + 1))) reads.exists.set(p, v !== undefined);
      else reads.files.set(p, v);
      return v;
    },
    listDir(p) {
      const v = fs.listDir(p);
      reads.lists.set(p, v === undefined ? undefined : [...v].sort().join('\n'));
      return v;
    },
    isDir(p) {
      const v = fs.isDir(p);
      reads.dirs.set(p, v);
      return v;
    },
  };
}

function stillValid(fs: KustomizeFs, reads: Reads, list: (p: string) => string | undefined = (p) => listing(fs, p)): boolean {
  for (const [p, was] of reads.files) if (fs.readFile(p) !== was) return false;
  for (const [p, was] of reads.exists) if ((fs.readFile(p) !== undefined) !== was) return false;
  for (const [p, was] of reads.dirs) if (fs.isDir(p) !== was) return false;
  for (const [p, was] of reads.lists) if (list(p) !== was) return false;
  return true;
}

/**
 * stillValid for reads that answered the same in the last session, given what changed since: the changed
 * tracked paths they read, then every untracked question again (listings always).
 */
function stillValidAfter(fs: KustomizeFs, reads: Reads, changes: FsChanges, list: (p: string) => string | undefined): boolean {
  for (const p of changes.changed) {
    if (reads.files.has(p) && fs.readFile(p) !== reads.files.get(p)) return false;
    if (reads.exists.has(p) && (fs.readFile(p) !== undefined) !== reads.exists.get(p)) return false;
  }
  return untrackedAnswerTheSame(fs, reads, changes, list);
}

/**
 * Whether a render that read `reads` in the last session asks the same questions now: no kustomization file
 * among the changed files it read, and every untracked question and listing answers the same (only the
 * content of tracked files that are no kustomization changed, which asks nothing new).
 */
function sameQuestions(fs: KustomizeFs, reads: Reads, changes: FsChanges, list: (p: string) => string | undefined): boolean {
  for (const p of changes.changed)
    if ((reads.files.has(p) || reads.exists.has(p)) && KUSTOMIZATION_FILE_NAMES.includes(p.slice(p.lastIndexOf('/') + 1))) return false;
  return untrackedAnswerTheSame(fs, reads, changes, list);
}

/** Every question the render asked about a path the server does not track, and every listing, answers the same. */
function untrackedAnswerTheSame(fs: KustomizeFs, reads: Reads, changes: FsChanges, list: (p: string) => string | undefined): boolean {
  reads.untracked ??= untrackedOf(reads, changes);
  for (const p of reads.untracked) {
    if (reads.files.has(p) && fs.readFile(p) !== reads.files.get(p)) return false;
    if (reads.exists.has(p) && (fs.readFile(p) !== undefined) !== reads.exists.get(p)) return false;
    if (reads.dirs.has(p) && fs.isDir(p) !== reads.dirs.get(p)) return false;
  }
  for (const [p, was] of reads.lists) if (list(p) !== was) return false;
  return true;
}

function untrackedOf(reads: Reads, changes: FsChanges): string[] {
  const out = new Set<string>();
  for (const p of reads.files.keys()) if (!changes.tracked(p)) out.add(p);
  for (const p of reads.exists.keys()) if (!changes.tracked(p)) out.add(p);
  for (const p of reads.dirs.keys()) if (!changes.tracked(p)) out.add(p);
  return [...out];
}

function listing(fs: KustomizeFs, p: string): string | undefined {
  const v = fs.listDir(p);
  return v === undefined ? undefined : [...v].sort().join('\n');
}

function filesOf(reads: Reads): string[] {
  if (!reads.read) {
    const out: string[] = [];
    for (const [p, v] of reads.files) if (v !== undefined) out.push(p);
    for (const [p, v] of reads.exists) if (v) out.push(p);
    reads.read = out;
  }
  return reads.read;
}

export class KustomizeRenderCache {
  private readonly entries = new Map<string, Entry>();
  /** renders actually run (not served from the cache); tests read it */
  renders = 0;
  /** parsed files and printed objects shared by the renders (the overlays of one base parse it once) */
  private readonly memo = newRenderMemo();
  /** what each kustomization's render would read, found without rendering (scope detection), valid like renders */
  private readonly scans = new Map<string, Reads>();
  /** scans actually run (not served from the cache); tests read it */
  scanned = 0;
  /** kustomization files parsed by the scans, by path and text */
  private readonly kustomizations: KustomizationMemo = new Map();

  /** the current session: its file system, its number, and what changed since the last one */
  private current?: { fs: KustomizeFs; list: (p: string) => string | undefined; changes?: FsChanges };
  private epoch = 0;

  /**
   * Starts a session: until the next one, every call with this `fs` checks each render and scan at most
   * once, and `changes` (what changed since the last session, when the caller knows) lets a render or scan
   * that answered the same in the last session be checked against those changes only, instead of asking
   * every question again (a base of 11,000 files: 22,000 questions per kustomization). Without sessions
   * (the CLI) every call checks everything.
   */
  session(fs: KustomizeFs, changes?: FsChanges): void {
    this.epoch++;
    // a folder's listing is asked once per session (each render and scan checks the base's folder)
    const listed = new Map<string, string | undefined>();
    const list = (p: string): string | undefined => {
      if (listed.has(p)) return listed.get(p);
      const v = listing(fs, p);
      listed.set(p, v);
      return v;
    };
    this.current = { fs, list, ...(changes ? { changes } : {}) };
  }

  /** Whether what a render or scan read still answers the same (at most one check per session). */
  private valid(fs: KustomizeFs, reads: Reads): boolean {
    const s = this.current;
    if (!s || s.fs !== fs) return stillValid(fs, reads);
    if (reads.checkedAt === this.epoch) return true;
    let ok: boolean;
    if (reads.checkedAt === this.epoch - 1 && s.changes) ok = stillValidAfter(fs, reads, s.changes, s.list);
    else {
      ok = stillValid(fs, reads, s.list);
      reads.untracked = undefined;
    }
    if (ok) reads.checkedAt = this.epoch;
    return ok;
  }

  /** New reads for a render or scan with `fs`: checked in this session when it is this session's. */
  private freshReads(fs: KustomizeFs): Reads {
    return newReads(this.current?.fs === fs ? this.epoch : -1);
  }

  render(fs: KustomizeFs, dir: string): RenderResult {
    const hit = this.entries.get(dir);
    if (hit && this.valid(fs, hit.reads)) return hit.result;
    // the last render's reads go on when it answered the same in the last session and the render asks the same
    // questions now (no kustomization file changed, nothing untracked did): the renderer then leaves out the
    // questions whose answers did not change (render.ts accumulateResources: every path it read but the
    // changed ones, as sameQuestions found every untracked answer the same), and the reads keep them
    const s = this.current;
    const changes = s?.fs === fs ? s.changes : undefined;
    const again = hit && changes && hit.reads.checkedAt === this.epoch - 1 && sameQuestions(fs, hit.reads, changes, s!.list);
    const reads = again ? hit.reads : this.freshReads(fs);
    if (again) reads.checkedAt = this.epoch;
    this.memo.session =
      s?.fs !== fs ? undefined : { epoch: this.epoch, ...(again ? { sinceLast: (p: string) => !changes.changed.has(p) } : {}) };
    this.renders++;
    let result: RenderResult;
    try {
      result = renderKustomization(recording(fs, reads), dir, this.memo);
    } catch (e) {
      // the renderer reports problems as findings; this is the last guard so bad input never crashes a caller
      result = {
        objects: [],
        findings: [
          {
            code: KUSTOMIZE_ERROR,
            severity: 'error',
            message: `rendering failed: ${e instanceof Error ? e.message : String(e)}`,
            ref: { uri: dir, start: 0, end: 0 },
          },
        ],
      };
    }
    this.memo.session = undefined;
    this.entries.set(dir, { result, reads });
    return result;
  }

  /** The files (paths) a cached render read, including kustomization files. */
  filesRead(dir: string): string[] {
    const e = this.entries.get(dir);
    return e ? filesOf(e.reads) : [];
  }

  /**
   * The files (paths) a render of `dir` reads, kustomization files included, without rendering: from the
   * kustomization files' fields (kustomize/reads.ts). The same list as `filesRead` after a render.
   */
  filesToRead(fs: KustomizeFs, dir: string): string[] {
    let reads = this.entries.get(dir)?.reads;
    if (!reads || !this.valid(fs, reads)) {
      reads = this.scans.get(dir);
      if (!reads || !this.valid(fs, reads)) {
        reads = this.freshReads(fs);
        this.scanned++;
        scanKustomizationReads(recording(fs, reads, true), dir, this.kustomizations);
        this.scans.set(dir, reads);
      }
    }
    return filesOf(reads);
  }

  /** Drops renders and scans of folders not in `keep` (kustomizations that were deleted). */
  retain(keep: ReadonlySet<string>): void {
    for (const dir of [...this.entries.keys()]) if (!keep.has(dir)) this.entries.delete(dir);
    for (const dir of [...this.scans.keys()]) if (!keep.has(dir)) this.scans.delete(dir);
    for (const path of [...this.kustomizations.keys()])
      if (!keep.has(path.slice(0, path.lastIndexOf('/')) || '/')) this.kustomizations.delete(path);
  }
}
