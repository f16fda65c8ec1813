// The language server's compiled code kept between starts, in the extension's global storage (never the
// user's workspace):
// - NETLENS_CODE_CACHE, on every Node: dist/server.js compiles the server's bundle with V8's code cache
//   kept there (server/src/codeCache.ts; Node 20, VS Code desktop's, has no compile cache of its own). The
//   cache file is named by the bundle's hash and the Node that made it, so an updated extension or editor
//   never runs stale code.
// - NODE_COMPILE_CACHE, where the Node that forks the server (the one running this code) has
//   `module.enableCompileCache` (Node >= 22.1): Node's own cache, for the small loader and the parse
//   workers (dist/parseWorker.js). Node checks each entry against the source's hash and its own version.
// Measured with `npm run bench -- --only activation` (docs/performance.md, Extension activation).
import * as nodeModule from 'node:module';
import * as path from 'node:path';

export interface CompileCacheEnv {
  NETLENS_CODE_CACHE: string;
  NODE_COMPILE_CACHE?: string;
}

/**
 * The environment to add to the server's process: the caches under `storageDir`, or nothing without a
 * storage folder or where the user disabled Node's compile cache (NODE_DISABLE_COMPILE_CACHE). A
 * NODE_COMPILE_CACHE the user set is left as it is.
 */
export function compileCacheEnv(
  storageDir: string | undefined,
  mod: object = nodeModule,
  env: NodeJS.ProcessEnv = process.env,
): CompileCacheEnv | undefined {
  if (!storageDir || env.NODE_DISABLE_COMPILE_CACHE !== undefined) return undefined;
  const out: CompileCacheEnv = { NETLENS_CODE_CACHE: path.join(storageDir, 'code-cache') };
  if (typeof (mod as { enableCompileCache?: unknown }).enableCompileCache === 'function' && env.NODE_COMPILE_CACHE === undefined)
    out.NODE_COMPILE_CACHE = path.join(storageDir, 'compile-cache');
  return out;
}
