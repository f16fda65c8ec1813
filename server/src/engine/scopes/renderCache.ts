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
}

interface Entry {
  result: RenderResult;
  reads: Reads;
}

function newReads(): Reads {
  return { files: new Map(), exists: new Map(), lists: new Map(), dirs: new Map() };
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

function stillValid(fs: KustomizeFs, reads: Reads): boolean {
  for (const [p, was] of reads.files) if (fs.readFile(p) !== was) return false;
  for (const [p, was] of reads.exists) if ((fs.readFile(p) !== undefined) !== was) return false;
  for (const [p, was] of reads.dirs) if (fs.isDir(p) !== was) return false;
  for (const [p, was] of reads.lists) if (listing(fs, p) !== was) return false;
  return true;
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

  render(fs: KustomizeFs, dir: string): RenderResult {
    const hit = this.entries.get(dir);
    if (hit && stillValid(fs, hit.reads)) return hit.result;
    const reads = newReads();
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
    if (!reads || !stillValid(fs, reads)) {
      reads = this.scans.get(dir);
      if (!reads || !stillValid(fs, reads)) {
        reads = newReads();
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
