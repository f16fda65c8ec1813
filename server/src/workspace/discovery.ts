// Finds the files the language server reads under the workspace folders: the shared walk with the
// user's exclude globs and netlens.files.maxSizeKB; what it skips goes to the output channel.
import { walk } from './walk';

export interface DiscoveryOptions {
  exclude: string[];
  maxFileBytes: number;
  log(message: string): void;
}

export interface Discovered {
  path: string;
  size: number;
}

export async function discoverFiles(roots: readonly string[], opts: DiscoveryOptions): Promise<Discovered[]> {
  const walked = await walk(roots, { exclude: opts.exclude, maxFileBytes: opts.maxFileBytes, limitName: 'netlens.files.maxSizeKB' });
  const out: Discovered[] = [];
  for (const e of walked.entries) {
    if ('skip' in e) opts.log(`skipped ${e.skip.uri}: ${e.skip.reason}`);
    else out.push({ path: e.file.uri, size: e.file.bytes });
  }
  for (const m of walked.missing) opts.log(`skipped ${m}: the folder does not exist`);
  return out;
}
