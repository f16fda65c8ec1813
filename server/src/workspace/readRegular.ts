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

/** The bytes of the regular file at `file`, at most `maxBytes` of them (a larger file throws ReadRefused). */
export function readRegularSync(file: string, maxBytes: number): Buffer {
  const fd = openSync(file, READ_FLAGS);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw notRegular();
    if (st.size > maxBytes) throw tooLarge(maxBytes);
    // read until end of file, one byte past the cap at most: a file that grew since fstat is refused too
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(Math.max(st.size - total, CHUNK), maxBytes - total + 1));
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > maxBytes) throw tooLarge(maxBytes);
    }
    return Buffer.concat(chunks, total);
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
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(Math.max(st.size - total, CHUNK), maxBytes - total + 1));
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) break;
      chunks.push(buf.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooLarge(maxBytes);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await fh.close();
  }
}
