// Finds the files the language server reads under the workspace folders: the shared walk with the
// user's exclude globs and netlens.files.maxSizeKB; what it skips goes to the output channel. Each file
// found is sniffed (its first few KB): only Kubernetes content (manifests, Corefiles, CNI configs) and the
// scope configuration (`.netlens.yaml`) are read.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import path from 'node:path';
import { looksLikeKubernetes, SNIFF_BYTES } from '../engine/parse/sniff';
import { SCOPE_CONFIG_FILE } from '../engine/scopes';
import { walk } from './walk';
import { READ_FLAGS } from './readRegular';

export interface DiscoveryOptions {
  exclude: string[];
  maxFileBytes: number;
  log(message: string): void;
  /**
   * false: no sniff here (every file found is returned; the caller applies isIndexed to the text it reads,
   * which saves one more open and read per file: the language server's indexing)
   */
  sniff?: boolean;
}

export interface Discovered {
  path: string;
  size: number;
}

/** Whether the server indexes a file with this head: Kubernetes content, or the scope configuration. */
export function isIndexed(file: string, head: string): boolean {
  return path.basename(file) === SCOPE_CONFIG_FILE || looksLikeKubernetes(file, head);
}

// heads read between two yields to the event loop (the sniff reads synchronously: see readHead)
const SNIFF_SLICE = 256;

/** The files to index, and how many were found but hold no Kubernetes content (not read beyond the sniff). */
export async function discoverFiles(
  roots: readonly string[],
  opts: DiscoveryOptions,
): Promise<{ files: Discovered[]; notKubernetes: number }> {
  const walked = await walk(roots, { exclude: opts.exclude, maxFileBytes: opts.maxFileBytes, limitName: 'netlens.files.maxSizeKB' });
  const found: Discovered[] = [];
  for (const e of walked.entries) {
    if ('skip' in e) opts.log(`skipped ${e.skip.uri}: ${e.skip.reason}`);
    else found.push({ path: e.file.uri, size: e.file.bytes });
  }
  for (const m of walked.missing) opts.log(`skipped ${m}: the folder does not exist`);
  if (opts.sniff === false) return { files: found, notKubernetes: 0 };
  const kept: boolean[] = new Array<boolean>(found.length);
  for (let i = 0; i < found.length; i++) {
    if (i > 0 && i % SNIFF_SLICE === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    const head = readHead(found[i].path);
    kept[i] = head === undefined || isIndexed(found[i].path, head);
  }
  const files = found.filter((_, i) => kept[i]);
  const notKubernetes = found.length - files.length;
  if (notKubernetes) opts.log(`${notKubernetes} file(s) hold no Kubernetes content (no apiVersion and kind lines): not read`);
  return { files, notKubernetes };
}

/**
 * The first SNIFF_BYTES of a file as text (a leading BOM dropped); undefined when it cannot be read,
 * so that the read that follows reports why.
 *
 * Synchronous on purpose (the caller yields to the event loop between slices): open, fstat, read and
 * close of a small file are a few microseconds each, while the same through fs.promises cost four trips
 * through the thread pool per file; on L (11,205 files) the async sniff took 0.6 s of the main thread's
 * warm start (sampled), about as much as everything else the warm start does. O_NONBLOCK (READ_FLAGS)
 * keeps the open of a FIFO from waiting, and the fstat on the open descriptor refuses anything but a
 * regular file (replaced since the walk), so no call here can block on a reader or writer.
 */
export function readHead(file: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, READ_FLAGS);
    if (!fstatSync(fd).isFile()) return undefined;
    const buf = Buffer.allocUnsafe(SNIFF_BYTES);
    let n = 0;
    // a short read before the end of the file is possible in principle: read on until full or at the end
    while (n < SNIFF_BYTES) {
      const r = readSync(fd, buf, n, SNIFF_BYTES - n, n);
      if (r === 0) break;
      n += r;
    }
    return buf
      .subarray(0, n)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        /* nothing to do */
      }
    }
  }
}
