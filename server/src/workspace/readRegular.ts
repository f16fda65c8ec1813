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
 * The bytes read so far and where the next read goes, for the sync and async reads alike. The buffer is
 * the size fstat gave plus one byte, so a file that grew since is seen (and read on, up to the cap);
 * sized to the file, not to a fixed chunk: the workspace's thousands of small files would otherwise
 * allocate 64 KB each (twice: the end-of-file read too) and keep the GC busy.
 */
class BoundedBuffer {
  private buf: Buffer;
  private total = 0;
  constructor(
    size: number,
    private readonly maxBytes: number,
  ) {
    if (size > maxBytes) throw tooLarge(maxBytes);
    this.buf = Buffer.allocUnsafe(size + 1);
  }
  /** where the next read goes: [buffer, offset, length] (more room when the file is longer than fstat said) */
  room(): [Buffer, number, number] {
    if (this.total === this.buf.length) {
      if (this.total > this.maxBytes) throw tooLarge(this.maxBytes);
      const next = Buffer.allocUnsafe(Math.min(Math.max(this.buf.length * 2, CHUNK), this.maxBytes + 1));
      this.buf.copy(next);
      this.buf = next;
    }
    return [this.buf, this.total, this.buf.length - this.total];
  }
  /** `n` bytes were read; false at the end of the file */
  add(n: number): boolean {
    this.total += n;
    return n > 0;
  }
  bytes(): Buffer {
    if (this.total > this.maxBytes) throw tooLarge(this.maxBytes);
    return this.buf.subarray(0, this.total);
  }
}

/** The bytes of the regular file at `file`, at most `maxBytes` of them (a larger file throws ReadRefused). */
export function readRegularSync(file: string, maxBytes: number): Buffer {
  const fd = openSync(file, READ_FLAGS);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notRegular();
    const b = new BoundedBuffer(st.size, maxBytes);
    while (b.add(readSync(fd, ...b.room(), null)));
    return b.bytes();
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
    const b = new BoundedBuffer(st.size, maxBytes);
    while (b.add((await fh.read(...b.room(), null)).bytesRead));
    return b.bytes();
  } finally {
    await fh.close();
  }
}
