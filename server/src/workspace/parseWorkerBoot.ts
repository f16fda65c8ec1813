// dist/parseWorker.js: a parse worker's small loader. It runs the worker itself (dist/parseWorkerMain.js, built
// from parseWorker.ts) through V8's code cache (../codeCache.ts) when NETLENS_CODE_CACHE names a directory (the
// language server started by the extension; workers inherit its environment), else requires it as usual (the
// CLI). Each worker otherwise compiles its bundle and, lazily on its first files, yaml's parser and the engine's
// reading: the cache holds what the first pool's worker compiled (ParsePool.dispose asks it to write it).
import path from 'node:path';
import { loadWithCodeCache } from '../codeCache';

loadWithCodeCache(path.join(__dirname, 'parseWorkerMain.js'), process.env.NETLENS_CODE_CACHE || undefined);
