// The language server gets NODE_COMPILE_CACHE in the extension's storage where the Node forking it has
// a compile cache, and nothing otherwise (client/src/compileCache.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as nodeModule from 'node:module';
import path from 'node:path';
import { compileCacheEnv } from '../../client/src/compileCache';

const withCache = { enableCompileCache: () => undefined };

test('a Node with a compile cache: NODE_COMPILE_CACHE in the storage folder', () => {
  assert.deepEqual(compileCacheEnv('/home/u/.config/Code/User/globalStorage/netlens.netlens', withCache, {}), {
    NODE_COMPILE_CACHE: path.join('/home/u/.config/Code/User/globalStorage/netlens.netlens', 'compile-cache'),
  });
});

test('a Node without one (Node 20), no storage folder, or the user chose: nothing added', () => {
  assert.equal(compileCacheEnv('/s', {}, {}), undefined);
  assert.equal(compileCacheEnv(undefined, withCache, {}), undefined);
  assert.equal(compileCacheEnv('/s', withCache, { NODE_COMPILE_CACHE: '/elsewhere' }), undefined);
  assert.equal(compileCacheEnv('/s', withCache, { NODE_DISABLE_COMPILE_CACHE: '1' }), undefined);
});

test('the Node running the tests decides by its own module API', () => {
  const has = typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
  assert.equal(compileCacheEnv('/s', undefined, {}) !== undefined, has);
});
