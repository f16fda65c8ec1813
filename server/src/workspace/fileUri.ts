// The place on disk of a document URI. Only file: URIs have one (untitled buffers, git: and other schemes
// do not), and a malformed URI from a client is no place rather than an exception.
import { URI } from 'vscode-uri';

/** The file system path of a file: URI; undefined for other schemes and for URIs that do not parse. */
export function fileSystemPath(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    return u.scheme === 'file' ? u.fsPath : undefined;
  } catch {
    return undefined;
  }
}
