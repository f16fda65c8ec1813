// dist/server.js: starts the language server (dist/serverMain.js, built from main.ts) through V8's code
// cache (codeCache.ts) when NETLENS_CODE_CACHE names a directory, else requires it as usual. Kept small:
// this file is compiled from source at every start.
import path from 'node:path';
import { loadWithCodeCache } from './codeCache';

loadWithCodeCache(path.join(__dirname, 'serverMain.js'), process.env.NETLENS_CODE_CACHE || undefined);
