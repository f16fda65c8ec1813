// V8's code cache for the server's bundle (server/src/codeCache.ts, loaded by dist/server.js): used only
// for the same source and runtime, never stale (a changed bundle, even of the same length, compiles from
// source), a corrupt file only costs the cache, and the real server writes it after its first indexing
// and starts from it the next time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { codeCacheKey, loadWithCodeCache } from '../../server/src/codeCache';
import { LspSession, withTimeout } from '../support/lsp';
import { repoRoot } from '../support/paths';

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'netlens-code-cache-'));
}

// a module with functions compiled lazily (called after load), its own require and __dirname
const moduleSource = (answer: number) => `'use strict';
function compute(n) { let s = 0; for (let i = 0; i < n; i++) s += i % 7; return s; }
module.exports = { answer: ${answer}, sum: compute(100), dir: __dirname, file: __filename, sep: require('node:path').sep, self: this === module.exports };
`;

test('without a cache directory the file is required as usual', () => {
  const d = tmp();
  try {
    const f = path.join(d, 'plain.js');
    writeFileSync(f, moduleSource(1));
    const { exports, handle } = loadWithCodeCache(f, undefined);
    assert.equal(handle.status, 'off');
    assert.equal(handle.save(), false);
    assert.equal((exports as { answer: number }).answer, 1);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('a module loaded through the cache sees its own require, __dirname and exports', () => {
  const d = tmp();
  try {
    const f = path.join(d, 'bundle.js');
    writeFileSync(f, moduleSource(1));
    const first = loadWithCodeCache(f, path.join(d, 'cache'));
    assert.equal(first.handle.status, 'none');
    assert.deepEqual(first.exports, { answer: 1, sum: 295, dir: d, file: f, sep: path.sep, self: true });
    assert.equal(path.basename(first.handle.file!), `bundle-${codeCacheKey(moduleSource(1))}.bin`);
    assert.equal(first.handle.save(), true);
    assert.equal(first.handle.save(), false, 'written once');
    assert.ok(existsSync(first.handle.file!));
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

// V8 keeps what a process compiled in memory (then it neither reads nor rejects the cached data), so
// what a later start sees is tested in fresh processes: the real loader (dist/server.js) beside a stand-in
// serverMain.js that prints the loader's verdict and its own answer, then saves the cache.
function boot(dir: string, cache: string): { status: string; answer: string } {
  const r = spawnSync(process.execPath, [path.join(dir, 'server.js')], {
    encoding: 'utf8',
    env: { ...process.env, NETLENS_CODE_CACHE: cache },
    timeout: 30_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const [status, answer] = r.stdout.trim().split(' ');
  return { status: status!, answer: answer! };
}
const standIn = (answer: number) =>
  moduleSource(answer) +
  `const h = globalThis[Symbol.for('netlens.codeCache')]; process.stdout.write(h.status + ' ' + module.exports.answer + ' ' + compute(10) + '\\n'); h.save();\n`;

function withBoot(run: (dir: string, cache: string) => void): void {
  const d = tmp();
  try {
    copyFileSync(path.join(repoRoot(), 'dist', 'server.js'), path.join(d, 'server.js'));
    run(d, path.join(d, 'cache'));
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
}

test('dist/server.js: the cache is written by the first start and accepted by the next', () =>
  withBoot((d, cache) => {
    writeFileSync(path.join(d, 'serverMain.js'), standIn(1));
    assert.deepEqual(boot(d, cache), { status: 'none', answer: '1' });
    assert.deepEqual(boot(d, cache), { status: 'accepted', answer: '1' });
    assert.deepEqual(boot(d, cache), { status: 'accepted', answer: '1' });
  }));

test('dist/server.js: a changed bundle of the same length never runs from the old cache; the old file is replaced', () =>
  withBoot((d, cache) => {
    writeFileSync(path.join(d, 'serverMain.js'), standIn(1));
    boot(d, cache);
    const before = readdirSync(cache);
    assert.equal(standIn(2).length, standIn(1).length);
    writeFileSync(path.join(d, 'serverMain.js'), standIn(2));
    assert.deepEqual(boot(d, cache), { status: 'none', answer: '2' });
    const after = readdirSync(cache);
    assert.equal(after.length, 1, 'one cache file per bundle');
    assert.notDeepEqual(after, before);
    assert.deepEqual(boot(d, cache), { status: 'accepted', answer: '2' });
  }));

test('dist/server.js: a corrupt cache file is rejected, the bundle compiles from source and the cache is written again', () =>
  withBoot((d, cache) => {
    writeFileSync(path.join(d, 'serverMain.js'), standIn(3));
    boot(d, cache);
    const [file] = readdirSync(cache);
    writeFileSync(path.join(cache, file!), Buffer.from('not V8 code cache data at all, just bytes'));
    assert.deepEqual(boot(d, cache), { status: 'rejected', answer: '3' });
    assert.deepEqual(boot(d, cache), { status: 'accepted', answer: '3' });
  }));

test('a cache directory that cannot be written costs the cache, not the load', () => {
  const d = tmp();
  try {
    const f = path.join(d, 'bundle.js');
    writeFileSync(f, moduleSource(4));
    const blocker = path.join(d, 'a-file');
    writeFileSync(blocker, 'x');
    const r = loadWithCodeCache(f, path.join(blocker, 'cache'));
    assert.equal((r.exports as { answer: number }).answer, 4);
    assert.equal(r.handle.save(), false);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('the server writes its code cache after the first indexing and the next start uses it', async () => {
  const d = tmp();
  const cache = path.join(d, 'cache');
  const ws = path.join(repoRoot(), 'test', 'fixtures', 'bad');
  const start = async () => {
    const s = LspSession.spawn({ env: { ...process.env, NETLENS_CODE_CACHE: cache } });
    const logs: string[] = [];
    s.onNotification<{ message: string }>('window/logMessage', (p) => logs.push(p.message));
    await s.initialize(ws);
    await s.indexed();
    return { s, logs };
  };
  try {
    const a = await start();
    assert.ok(a.logs.includes('code cache: none'), a.logs.join('\n'));
    for (let i = 0; i < 300 && !a.logs.some((m) => m.startsWith('wrote the code cache')); i++) await new Promise((r) => setTimeout(r, 100));
    assert.ok(
      a.logs.some((m) => m.startsWith('wrote the code cache')),
      'the first start wrote the cache',
    );
    await a.s.stop();
    assert.equal(readdirSync(cache).filter((n) => /^serverMain-[0-9a-f]{40}\.bin$/.test(n)).length, 1);
    const b = await start();
    try {
      assert.ok(b.logs.includes('code cache: accepted'), b.logs.join('\n'));
      const st = (await withTimeout(b.s.request('netlens/status', {}), 10_000, 'status')) as { files: number };
      assert.ok(st.files > 0);
    } finally {
      await b.s.stop();
    }
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
