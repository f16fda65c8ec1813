// The language server gets NETLENS_CODE_CACHE (its own V8 code cache, any Node) in the extension's storage,
// and NODE_COMPILE_CACHE where the Node forking it has a compile cache (client/src/compileCache.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeModule from 'node:module';
import path from 'node:path';
import { compileCacheEnv } from '../../client/src/compileCache';

const withCache = { enableCompileCache: () => undefined };
const storage = '/home/u/.config/Code/User/globalStorage/netlens.netlens';

test('a Node with a compile cache: both caches in the storage folder', () => {
  assert.deepEqual(compileCacheEnv(storage, withCache, {}), {
    NETLENS_CODE_CACHE: path.join(storage, 'code-cache'),
    NODE_COMPILE_CACHE: path.join(storage, 'compile-cache'),
  });
});

test('a Node without one (Node 20): the code cache only', () => {
  assert.deepEqual(compileCacheEnv(storage, {}, {}), { NETLENS_CODE_CACHE: path.join(storage, 'code-cache') });
});

test('a NODE_COMPILE_CACHE the user set is kept; no storage folder or caches disabled: nothing added', () => {
  assert.deepEqual(compileCacheEnv('/s', withCache, { NODE_COMPILE_CACHE: '/elsewhere' }), {
    NETLENS_CODE_CACHE: path.join('/s', 'code-cache'),
  });
  assert.equal(compileCacheEnv(undefined, withCache, {}), undefined);
  assert.equal(compileCacheEnv('/s', withCache, { NODE_DISABLE_COMPILE_CACHE: '1' }), undefined);
});

test('the Node running the tests decides NODE_COMPILE_CACHE by its own module API', () => {
  const has = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
  assert.equal(compileCacheEnv('/s', undefined, {})?.NODE_COMPILE_CACHE !== undefined, has);
});
