// Node's compile cache for the language server: V8 keeps the compiled code of dist/server.js (and
// dist/parseWorker.js) on disk, so later starts skip most of compiling the bundle (measured with
// `npm run bench -- --only activation`: the server's start to its initialize answer about a third
// shorter on Node 24). Node >= 22.1 reads NODE_COMPILE_CACHE; older Nodes ignore it. Node checks each
// entry against the source's hash and its own version, so an updated extension or editor never runs
// stale code. The folder is in the extension's global storage (never the user's workspace).
import * as nodeModule from 'node:module';
import * as path from 'node:path';

/**
 * The environment to add to the server's process: NODE_COMPILE_CACHE under `storageDir`, or nothing
 * where the Node that forks the server (the one running this code) has no compile cache, the user set
 * NODE_COMPILE_CACHE themselves, or disabled it (NODE_DISABLE_COMPILE_CACHE).
 */
export function compileCacheEnv(
  storageDir: string | undefined,
  mod: object = nodeModule,
  env: NodeJS.ProcessEnv = process.env,
): { NODE_COMPILE_CACHE: string } | undefined {
  if (typeof (mod as { enableCompileCache?: unknown }).enableCompileCache !== 'function') return undefined;
  if (env.NODE_COMPILE_CACHE !== undefined || env.NODE_DISABLE_COMPILE_CACHE !== undefined) return undefined;
  if (!storageDir) return undefined;
  return { NODE_COMPILE_CACHE: path.join(storageDir, 'compile-cache') };
}
