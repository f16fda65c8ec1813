// The one way NetLens reads a file's bytes (CLI, language server, parse workers): regular files only,
// never more than a size cap. The walk has already checked both, but a path can change between that
// check and the read (a file replaced by a FIFO would block the read for good; /dev/zero would be read
// until memory runs out), so the check is repeated on the open descriptor and the read is bounded.
import { closeSync, constants, fstatSync, openSync, readSync, promises as fs } from 'node:fs';

/** A file NetLens refuses to read: not a regular file, or larger than the cap. */
export class ReadRefused extends Error {
  constructor(
    message: string,
    readonly code: 'ENOTREG' | 'EFBIG',
  ) {
    super(message);
  }
}

/** The largest file NetLens ever reads (the CLI's default, the cap of netlens.files.maxSizeKB). */
export const MAX_FILE_BYTES = 50 * 1024 * 1024;

// O_NONBLOCK: opening a FIFO without a writer returns at once instead of waiting for one.
export const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);
const CHUNK = 64 * 1024;

const notRegular = () => new ReadRefused('not a regular file (a FIFO, socket or device is never read)', 'ENOTREG');
const tooLarge = (maxBytes: number) => new ReadRefused(`file is larger than the ${Math.floor(maxBytes / 1024)} KB limit`, 'EFBIG');

/**
 * The buffer a read fills: the size fstat gave plus one byte, so that a file that grew since is seen (and
 * read on, up to the cap). Sized to the file, not to a fixed chunk: the workspace's thousands of small
 * files would otherwise allocate 64 KB each (twice: the end-of-file read too) and keep the GC busy.
 */
function firstBuffer(size: number, maxBytes: number): Buffer {
  return Buffer.allocUnsafe(Math.min(size, maxBytes) + 1);
}

/** `buf` with room for more: the file is longer than fstat said. */
function grow(buf: Buffer, maxBytes: number): Buffer {
  const next = Buffer.allocUnsafe(Math.min(Math.max(buf.length * 2, CHUNK), maxBytes + 1));
  buf.copy(next);
  return next;
}

/** The bytes of the regular file at `file`, at most `maxBytes` of them (a larger file throws ReadRefused). */
export function readRegularSync(file: string, maxBytes: number): Buffer {
  const fd = openSync(file, READ_FLAGS);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notRegular();
    if (st.size > maxBytes) throw tooLarge(maxBytes);
    // read until end of file, one byte past the cap at most: a file that grew since fstat is refused too
    let buf = firstBuffer(st.size, maxBytes);
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (total > maxBytes) throw tooLarge(maxBytes);
        buf = grow(buf, maxBytes);
      }
      const n = readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
    }
    if (total > maxBytes) throw tooLarge(maxBytes);
    return buf.subarray(0, total);
  } finally {
    closeSync(fd);
  }
}

/** readRegularSync without blocking the thread. */
export async function readRegular(file: string, maxBytes: number): Promise<Buffer> {
  const fh = await fs.open(file, READ_FLAGS);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw notRegular();
    if (st.size > maxBytes) throw tooLarge(maxBytes);
    let buf = firstBuffer(st.size, maxBytes);
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (total > maxBytes) throw tooLarge(maxBytes);
        buf = grow(buf, maxBytes);
      }
      const { bytesRead } = await fh.read(buf, total, buf.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > maxBytes) throw tooLarge(maxBytes);
    return buf.subarray(0, total);
  } finally {
    await fh.close();
  }
}
