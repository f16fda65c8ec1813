// V8's code cache for the language server's bundle, on every Node the extension runs on (Node 20 has no
// `module.enableCompileCache`; VS Code desktop's extension host is Node 20 or 22). dist/server.js is a
// small loader (bootstrap.ts) that compiles dist/serverMain.js with `vm.Script` and the cached data of an
// earlier start, so a later start skips compiling the bundle and the functions the first start compiled
// lazily (yaml's parser, the engine, the handlers): the data is made after indexing, not at load.
//
// Never a stale cache: the cache file's name carries a SHA-256 of the bundle's source, Node's version, the
// architecture and V8's version, so a changed bundle (an update, a rebuild, even one of the same length) or
// another Node looks for another file; V8 also checks its own version and flags and rejects what does not
// fit (cachedDataRejected), and then the bundle compiles from source and the cache is written again. Only
// one cache file per bundle name is kept. Failures (no directory, a read-only disk, a corrupt file) only
// cost the cache, never the start. The directory comes from NETLENS_CODE_CACHE (the extension sets it in its
// global storage, client/src/compileCache.ts); without it the bundle is required as usual.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { threadId } from 'node:worker_threads';

export type CodeCacheStatus = 'off' | 'none' | 'accepted' | 'rejected';

export interface CodeCacheHandle {
  /** off: no cache directory; none: no cache file yet; accepted/rejected: V8's verdict on the file found */
  readonly status: CodeCacheStatus;
  /** the cache file for this bundle, this Node and this V8 (absent when off) */
  readonly file?: string;
  /** Writes the cache (once, and only when no valid one was loaded); true if it wrote one. Never throws. */
  save(): boolean;
}

const HANDLE = Symbol.for('netlens.codeCache');

/** The handle of the loader that started this process, if it was started through one. */
export function codeCacheHandle(): CodeCacheHandle | undefined {
  return (globalThis as Record<symbol, CodeCacheHandle | undefined>)[HANDLE];
}

/** The cache file's key: the source's hash and the runtime that compiled it. */
export function codeCacheKey(source: string): string {
  return createHash('sha256')
    .update(source)
    .update(`\0${process.version}\0${process.arch}\0${process.versions.v8}`)
    .digest('hex')
    .slice(0, 40);
}

/**
 * Runs the CommonJS file `target` as a module (like `require`), compiled with the code cache kept in `dir`.
 * Returns the module's exports and the cache handle (also published for codeCacheHandle()).
 */
export function loadWithCodeCache(target: string, dir: string | undefined): { exports: unknown; handle: CodeCacheHandle } {
  if (!dir) {
    const handle: CodeCacheHandle = { status: 'off', save: () => false };
    publish(handle);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the loader runs a file named at run time
    return { exports: require(target) as unknown, handle };
  }
  const source = readFileSync(target, 'utf8');
  const base = path.basename(target, '.js');
  const file = path.join(dir, `${base}-${codeCacheKey(source)}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(file);
  } catch {
    cachedData = undefined;
  }
  const script = new vm.Script(Module.wrap(source), { filename: target, ...(cachedData ? { cachedData } : {}) });
  const status: CodeCacheStatus = !cachedData ? 'none' : script.cachedDataRejected ? 'rejected' : 'accepted';
  let saved = status === 'accepted';
  const handle: CodeCacheHandle = {
    status,
    file,
    save() {
      if (saved) return false;
      saved = true;
      try {
        const data = script.createCachedData();
        mkdirSync(dir, { recursive: true });
        const tmp = `${file}.${process.pid}.${threadId}.tmp`; // parse workers are threads of one process
        writeFileSync(tmp, data);
        renameSync(tmp, file); // whole or nothing: a reader never sees half a file
        for (const n of readdirSync(dir))
          if (n.startsWith(`${base}-`) && n.endsWith('.bin') && path.join(dir, n) !== file) rmSync(path.join(dir, n), { force: true });
        return true;
      } catch {
        return false;
      }
    },
  };
  publish(handle);
  // a process that ends before the server asked for the save still leaves its cache
  if (!saved) process.once('exit', () => handle.save());
  const mod = new Module(target, require.main);
  mod.filename = target;
  mod.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(path.dirname(target));
  const wrapper = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: Module, f: string, d: string) => void;
  wrapper.call(mod.exports, mod.exports, createRequire(target), mod, target, path.dirname(target));
  mod.loaded = true;
  return { exports: mod.exports, handle };
}

function publish(handle: CodeCacheHandle): void {
  (globalThis as Record<symbol, CodeCacheHandle | undefined>)[HANDLE] = handle;
}
