// Parsing on worker threads (dist/parseWorker.js) gives the file models the main thread gives,
// and indexing with workers builds the same workspace as indexing without.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ParsePool } from '../../server/src/workspace/parsePool';
import { indexFolders } from '../../server/src/workspace/loader';
import { WorkspaceIndex } from '../../server/src/workspace/index';
import type { ServerState } from '../../server/src/state';
import { DEFAULT_SETTINGS } from '../../server/src/settings';
import { parseSourceFile } from '../../server/src/engine';
// the workers find chart templates from the file's path, the workspace index from its URI: both must agree
import { parseOptionsForUri } from '../../server/src/workspace/charts';
import { readFileModel } from '../../server/src/engine/model/build';
import { lintModel } from '../../server/src/engine/lint';
import { fixturePath, repoRoot } from '../support/paths';
import { contentHash, PersistedIndex } from '../../server/src/workspace/persist';
import { generate } from '../bench/generate';

const workerFile = path.join(repoRoot(), 'dist', 'parseWorker.js');

function files(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((n) => {
      const p = path.join(dir, n);
      return statSync(p).isDirectory() ? files(p) : [p];
    });
}

test('the worker script is built', () => assert.ok(existsSync(workerFile), `${workerFile} (npm test builds it)`));

test('file models from the workers equal the main thread ones (every fixture, bad input included)', async () => {
  const pool = ParsePool.create(workerFile, 2);
  assert.ok(pool);
  try {
    const jobs = files(fixturePath()).map((p) => ({ path: p, uri: `file://${p}`, text: readFileSync(p, 'utf8') }));
    const batches: Promise<unknown[]>[] = [];
    for (let i = 0; i < jobs.length; i += 20) batches.push(pool.parse(jobs.slice(i, i + 20), 'default'));
    const got = (await Promise.all(batches)).flat();
    assert.equal(got.length, jobs.length);
    jobs.forEach((j, i) =>
      assert.deepEqual(
        got[i],
        {
          text: j.text.replace(/^\uFEFF/, ''),
          file: readFileModel(parseSourceFile(j.uri, j.text.replace(/^\uFEFF/, ''), parseOptionsForUri(j.uri)), 'default'),
        },
        j.uri,
      ),
    );
    // a file whose content still has the persisted hash is read, not parsed; a changed one is parsed
    const [same, changed] = await pool.parse(
      [
        { path: jobs[0].path, uri: jobs[0].uri, knownHash: contentHash(jobs[0].text) },
        { path: jobs[0].path, uri: jobs[0].uri, knownHash: 'stale' },
      ],
      'default',
    );
    assert.deepEqual(same, { text: jobs[0].text, hash: contentHash(jobs[0].text) });
    assert.ok('file' in changed && changed.file);
    const [missing] = await pool.parse([{ path: path.join(os.tmpdir(), 'netlens-no-such-file.yaml'), uri: 'file:///x' }], 'default');
    assert.ok('error' in missing);
    assert.equal(missing.stage, 'read');
    assert.equal(missing.code, 'ENOENT');
    // the server reads UTF-16 as UTF-8 (then skipped as binary); the CLI asks for UTF-16 to be decoded
    const utf16 = fixturePath('bad', 'encoding', 'utf16le.yaml');
    const [asUtf8] = await pool.parse([{ path: utf16, uri: 'file:///u' }], 'default');
    assert.ok('text' in asUtf8 && asUtf8.text.includes('\u0000'));
    const [decoded] = await pool.parse([{ path: utf16, uri: 'file:///u' }], 'default', true);
    assert.ok('text' in decoded && decoded.text.includes('utf16-pod') && !decoded.text.includes('\u0000'));
  } finally {
    await pool.dispose();
  }
});

test('a missing worker script means no pool (the caller parses on its own thread)', () => {
  assert.equal(ParsePool.create(path.join(os.tmpdir(), 'no-such-worker.js'), 2), undefined);
});

test('a worker that ends on its own fails its jobs (they never hang)', async () => {
  const file = path.join(os.tmpdir(), `netlens-ending-worker-${process.pid}.js`);
  writeFileSync(file, '// no message handler: the worker ends at once\n');
  try {
    const pool = ParsePool.create(file, 1);
    assert.ok(pool);
    await assert.rejects(pool.parse([{ path: file, uri: 'file:///w' }], 'default'), /parse worker exited/);
    await assert.rejects(pool.parse([{ path: file, uri: 'file:///w' }], 'default'), /parse worker exited/, 'and the pool stays broken');
    await pool.dispose();
  } finally {
    rmSync(file, { force: true });
  }
});

test('indexing with parse workers builds the same workspace as without', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-pool-'));
  try {
    generate('S', 3, dir);
    // files that are not Kubernetes content (not indexed, sniffed on the text read, here or on a worker), and
    // the scope configuration (indexed whatever it holds)
    writeFileSync(path.join(dir, 'ci.yml'), 'name: ci\non: [push]\njobs: {test: {runs-on: ubuntu-latest}}\n');
    writeFileSync(path.join(dir, 'package.json'), '{"name": "app", "kind": "x"}\n');
    writeFileSync(path.join(dir, 'late.yaml'), `${'# padding\n'.repeat(1000)}apiVersion: v1\nkind: Namespace\nmetadata: {name: late}\n`);
    writeFileSync(path.join(dir, '.netlens.yaml'), '# no scopes\n');
    const broken = path.join(dir, '..', `${path.basename(dir)}-broken-worker.js`);
    writeFileSync(broken, "throw new Error('this worker dies at start');\n");
    const run = async (parseThreads: number, worker = workerFile, persisted?: PersistedIndex) => {
      const state: ServerState = {
        index: new WorkspaceIndex({}),
        folders: [dir],
        indexing: true,
        settings: { ...DEFAULT_SETTINGS, parseThreads },
        log: () => undefined,
      };
      const r = await indexFolders(state, [dir], [], undefined, persisted, { file: worker, minFiles: 0 });
      return { r, model: state.index.snapshot.model, state };
    };
    const serial = await run(1);
    const pooled = await run(2);
    assert.equal(serial.r.workers, 0);
    assert.equal(pooled.r.workers, 2, 'workers ran');
    assert.equal(pooled.r.files, serial.r.files);
    assert.equal(serial.r.notKubernetes, 3);
    assert.equal(pooled.r.notKubernetes, 3);
    const uris = (st: ServerState) =>
      st.index
        .diskFileModels()
        .map((e) => e.uri)
        .sort();
    assert.deepEqual(uris(pooled.state), uris(serial.state));
    assert.ok(uris(serial.state).some((u) => u.endsWith('/.netlens.yaml')));
    assert.ok(!uris(serial.state).some((u) => /\/(ci\.yml|package\.json|late\.yaml)$/.test(u)));
    assert.deepEqual(
      pooled.model.workloads.map((w) => w.id),
      serial.model.workloads.map((w) => w.id),
    );
    assert.deepEqual(
      pooled.model.policies.map((p) => p.id),
      serial.model.policies.map((p) => p.id),
    );
    const findings = (m: typeof serial.model) => lintModel(m).map((f) => `${f.code} ${f.ref.uri}:${f.ref.start} ${f.message}`);
    assert.deepEqual(findings(pooled.model), findings(serial.model));
    // a warm start on workers: every file's model comes from the persisted index
    const store = mkdtempSync(path.join(os.tmpdir(), 'netlens-pool-store-'));
    try {
      const first = PersistedIndex.in(store, 'test');
      await first.save(pooled.state.index.diskFileModels(), 'default');
      const again = PersistedIndex.in(store, 'test');
      assert.equal(await again.load('default'), serial.r.files);
      const warm = await run(2, workerFile, again);
      assert.equal(warm.r.reused, serial.r.files);
      assert.deepEqual(findings(warm.model), findings(serial.model));
      // the warm index is the cold one: the same files, each with the same file model
      const models = (st: ServerState) => new Map(st.index.diskFileModels().map((e) => [e.uri, e.file]));
      assert.deepEqual(models(warm.state), models(serial.state));
      // and so is a warm start on this thread (no workers)
      const warmSerial = await run(1, workerFile, again);
      assert.equal(warmSerial.r.reused, serial.r.files);
      assert.deepEqual(models(warmSerial.state), models(serial.state));
    } finally {
      rmSync(store, { recursive: true, force: true });
    }
    // workers that die: their files are parsed on the main thread, nothing is lost
    const fallback = await run(2, broken);
    assert.deepEqual(findings(fallback.model), findings(serial.model));
    rmSync(broken, { force: true });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// The workers run through V8's code cache where the language server does (NETLENS_CODE_CACHE, inherited):
// the first pool's first worker writes it when the pool is disposed, the next pool's workers start from it.
test('parse workers write their code cache once, and the next pool starts from it', async () => {
  const cache = mkdtempSync(path.join(os.tmpdir(), 'netlens-worker-cache-'));
  const before = process.env.NETLENS_CODE_CACHE;
  process.env.NETLENS_CODE_CACHE = cache; // workers take the environment as it is when they start
  try {
    const job = [{ path: fixturePath('policy', 'allow-all-ingress', 'manifests.yaml'), uri: 'file:///d.yaml' }];
    const run = async () => {
      const pool = ParsePool.create(workerFile, 2);
      assert.ok(pool);
      const [r] = await pool.parse(job, 'default');
      assert.ok('file' in r && r.file, JSON.stringify(r));
      await pool.dispose();
      return pool.codeCache;
    };
    assert.deepEqual(await run(), { status: 'none', saved: true });
    const written = readdirSync(cache).filter((n) => n.startsWith('parseWorkerMain-') && n.endsWith('.bin'));
    assert.equal(written.length, 1, readdirSync(cache).join(', '));
    assert.deepEqual(await run(), { status: 'accepted', saved: false });
    assert.deepEqual(
      readdirSync(cache).filter((n) => n.endsWith('.tmp')),
      [],
      'no temp file left',
    );
  } finally {
    if (before === undefined) delete process.env.NETLENS_CODE_CACHE;
    else process.env.NETLENS_CODE_CACHE = before;
    rmSync(cache, { recursive: true, force: true });
  }
});

test('without NETLENS_CODE_CACHE (the CLI) the workers write no cache', async () => {
  const before = process.env.NETLENS_CODE_CACHE;
  delete process.env.NETLENS_CODE_CACHE;
  try {
    const pool = ParsePool.create(workerFile, 1);
    assert.ok(pool);
    await pool.parse([{ path: fixturePath('policy', 'allow-all-ingress', 'manifests.yaml'), uri: 'file:///d.yaml' }], 'default');
    await pool.dispose();
    assert.equal(pool.codeCache, undefined);
  } finally {
    if (before !== undefined) process.env.NETLENS_CODE_CACHE = before;
  }
});
