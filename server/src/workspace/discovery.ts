// Finds the files the language server reads under the workspace folders: the shared walk with the
// user's exclude globs and netlens.files.maxSizeKB; what it skips goes to the output channel. Each file
// found is sniffed (its first few KB): only Kubernetes content (manifests, Corefiles, CNI configs) and the
// scope configuration (`.netlens.yaml`) are read.
import { fstatSync, promises as fs } from 'node:fs';
import path from 'node:path';
import { looksLikeKubernetes, SNIFF_BYTES } from '../engine/parse/sniff';
import { SCOPE_CONFIG_FILE } from '../engine/scopes';
import { walk } from './walk';
import { READ_FLAGS } from './readRegular';

export interface DiscoveryOptions {
  exclude: string[];
  maxFileBytes: number;
  log(message: string): void;
}

export interface Discovered {
  path: string;
  size: number;
}

/** Whether the server indexes a file with this head: Kubernetes content, or the scope configuration. */
export function isIndexed(file: string, head: string): boolean {
  return path.basename(file) === SCOPE_CONFIG_FILE || looksLikeKubernetes(file, head);
}

// heads read at once
const SNIFF_CONCURRENCY = 32;

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
  const kept: boolean[] = new Array<boolean>(found.length);
  for (let i = 0; i < found.length; i += SNIFF_CONCURRENCY) {
    const slice = found.slice(i, i + SNIFF_CONCURRENCY);
    const heads = await Promise.all(slice.map((f) => readHead(f.path)));
    heads.forEach((head, k) => (kept[i + k] = head === undefined || isIndexed(slice[k].path, head)));
  }
  const files = found.filter((_, i) => kept[i]);
  const notKubernetes = found.length - files.length;
  if (notKubernetes) opts.log(`${notKubernetes} file(s) hold no Kubernetes content (no apiVersion and kind lines): not read`);
  return { files, notKubernetes };
}

/**
 * The first SNIFF_BYTES of a file as text (a leading BOM dropped); undefined when it cannot be read,
 * so that the read that follows reports why.
 */
export async function readHead(file: string): Promise<string | undefined> {
  let fh: fs.FileHandle | undefined;
  try {
    fh = await fs.open(file, READ_FLAGS);
    // replaced by a FIFO or device since the walk? (fstat on the open descriptor is one quick system call: done
    // here rather than as another trip through the thread pool, which cost the warm start about 0.3 s on L)
    if (!fstatSync(fh.fd).isFile()) return undefined;
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } catch {
    return undefined;
  } finally {
    await fh?.close().catch(() => undefined);
  }
}
