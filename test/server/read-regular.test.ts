// readRegular, the one way NetLens reads a file's bytes: a path that turned into a FIFO or device after
// the walk looked at it is refused at once (no read that blocks or never ends), and no read goes past
// the size cap, also for a file that is larger than the cap or grows past it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readRegular, readRegularSync, ReadRefused } from '../../server/src/workspace/readRegular';
import { ParsePool } from '../../server/src/workspace/parsePool';
import { repoRoot } from '../support/paths';

const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'netlens-read-')));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const fifo = path.join(dir, 'pipe.yaml');
execFileSync('mkfifo', [fifo]);
const small = path.join(dir, 'small.yaml');
writeFileSync(small, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n');
const big = path.join(dir, 'big.yaml');
writeFileSync(big, 'x'.repeat(5000));

const refused = (code: string) => (e: unknown) => e instanceof ReadRefused && e.code === code;

test('a FIFO without a writer and /dev/zero are refused, not read', async () => {
  assert.throws(() => readRegularSync(fifo, 1 << 20), refused('ENOTREG'));
  await assert.rejects(readRegular(fifo, 1 << 20), refused('ENOTREG'));
  assert.throws(() => readRegularSync('/dev/zero', 1 << 20), refused('ENOTREG'));
  await assert.rejects(readRegular('/dev/zero', 1 << 20), refused('ENOTREG'));
});

test('a regular file is read whole within the cap and refused over it', async () => {
  assert.equal(readRegularSync(small, 1024).toString(), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n');
  assert.equal((await readRegular(small, 1024)).toString().length, 45);
  assert.equal(readRegularSync(big, 5000).length, 5000);
  assert.equal((await readRegular(big, 5000)).length, 5000);
  assert.throws(() => readRegularSync(big, 4999), refused('EFBIG'));
  await assert.rejects(readRegular(big, 4999), refused('EFBIG'));
  writeFileSync(path.join(dir, 'empty.yaml'), '');
  assert.equal(readRegularSync(path.join(dir, 'empty.yaml'), 10).length, 0);
});

test('a small file costs a buffer of its size, not a 64 KB chunk (thousands of files kept the GC busy)', async () => {
  // every buffer the reads allocate, by size
  const sizes: number[] = [];
  const allocUnsafe = Buffer.allocUnsafe;
  Buffer.allocUnsafe = (n: number) => (sizes.push(n), allocUnsafe(n));
  try {
    readRegularSync(small, 1 << 20);
    await readRegular(small, 1 << 20);
  } finally {
    Buffer.allocUnsafe = allocUnsafe;
  }
  assert.ok(sizes.length > 0 && Math.max(...sizes) <= 64, `allocated ${sizes.join(', ')} bytes for a 45-byte file`);
  const large = path.join(dir, 'large.yaml');
  const text = 'y'.repeat(200_000);
  writeFileSync(large, text);
  assert.equal(readRegularSync(large, 1 << 20).toString(), text);
  assert.equal((await readRegular(large, 1 << 20)).toString(), text);
});

test('parse workers read with the cap they are given', async () => {
  const pool = ParsePool.create(path.join(repoRoot(), 'dist', 'parseWorker.js'), 1);
  assert.ok(pool, 'dist/parseWorker.js: run npm run build');
  try {
    const [over, fine, pipe] = await pool.parse(
      [
        { path: big, uri: 'file:///big.yaml' },
        { path: small, uri: 'file:///small.yaml' },
        { path: fifo, uri: 'file:///pipe.yaml' },
      ],
      'default',
      false,
      1024,
    );
    assert.ok('error' in over && over.stage === 'read' && over.code === 'EFBIG', JSON.stringify(over));
    assert.ok('text' in fine && fine.text.includes('kind: Pod'));
    assert.ok('error' in pipe && pipe.code === 'ENOTREG', JSON.stringify(pipe));
  } finally {
    await pool.dispose();
  }
});
