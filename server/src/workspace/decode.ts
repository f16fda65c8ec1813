// The text of a file read from disk, shared by the CLI, the server and their parse workers.
/**
 * UTF-8 with its BOM dropped. With `utf16` (the CLI), UTF-16 LE or BE with a BOM is decoded too;
 * the server reads every file as UTF-8 (a UTF-16 file then has NUL bytes and is skipped as binary).
 */
export function decodeText(buf: Buffer, utf16: boolean): string {
  if (utf16 && buf[0] === 0xff && buf[1] === 0xfe) return buf.subarray(2).toString('utf16le');
  if (utf16 && buf[0] === 0xfe && buf[1] === 0xff) return new TextDecoder('utf-16be').decode(buf.subarray(2));
  const text = buf.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
