// The one walk that decides which files the server and the CLI read: links that leave the walked
// folders are not followed, only regular files are read, excludes and skipped folders hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { admitFile, walk } from '../../server/src/workspace/walk';
import { runCli } from '../support/paths';

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x}]}\n';
const OPTS = { maxFileBytes: 1024 * 1024, limitName: 'the test limit' };

function workspace(): { dir: string; outside: string } {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'netlens-walk-')));
  const dir = path.join(base, 'ws');
  const outside = path.join(base, 'outside');
  mkdirSync(path.join(dir, 'sub'), { recursive: true });
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  mkdirSync(path.join(dir, 'charts', 'x'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(dir, 'a.yaml'), POD);
  writeFileSync(path.join(dir, 'sub', 'b.yml'), POD);
  writeFileSync(path.join(dir, 'node_modules', 'c.yaml'), POD);
  writeFileSync(path.join(dir, 'charts', 'x', 'd.yaml'), POD);
  writeFileSync(path.join(dir, 'notes.txt'), 'not a manifest');
  writeFileSync(path.join(outside, 'secret.yaml'), POD);
  symlinkSync('/', path.join(dir, 'root-link'));
  symlinkSync(outside, path.join(dir, 'outside-link'));
  symlinkSync(path.join(outside, 'secret.yaml'), path.join(dir, 'secret-link.yaml'));
  symlinkSync(path.join(dir, 'sub'), path.join(dir, 'inside-link'));
  execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);
  return { dir, outside };
}

test('links out of the walked folders are skipped with a reason; links inside are read once; FIFOs are never opened', async () => {
  const { dir } = workspace();
  const w = await walk([dir], { ...OPTS, exclude: ['**/charts/**'] });
  const files = w.entries.flatMap((e) => ('file' in e ? [path.relative(dir, e.file.uri)] : []));
  const skips = new Map(w.entries.flatMap((e) => ('skip' in e ? [[path.relative(dir, e.skip.uri), e.skip.reason] as const] : [])));
  // sub/b.yml is reached twice (through inside-link first, in name order, then directly), read once
  assert.deepEqual(files.sort(), ['a.yaml', 'inside-link/b.yml']);
  assert.match(skips.get('root-link')!, /symbolic link to \/, outside the folders being read: not followed/);
  assert.match(skips.get('outside-link')!, /outside the folders being read/);
  assert.match(skips.get('secret-link.yaml')!, /outside the folders being read/);
  assert.match(skips.get('pipe.yaml')!, /not a regular file/);
  assert.equal(skips.has('node_modules/c.yaml'), false);
  assert.equal(
    w.entries.some((e) => 'file' in e && e.file.uri.includes('charts')),
    false,
  );
});

test('a file changed on disk is admitted by the same rules (the watcher)', async () => {
  const { dir } = workspace();
  const opts = { ...OPTS, exclude: ['**/charts/**'] };
  assert.deepEqual(await admitFile(path.join(dir, 'a.yaml'), [dir], opts), { bytes: POD.length });
  const pipe = await admitFile(path.join(dir, 'pipe.yaml'), [dir], opts);
  assert.ok('skip' in pipe && /not a regular file/.test(pipe.skip));
  const link = await admitFile(path.join(dir, 'secret-link.yaml'), [dir], opts);
  assert.ok('skip' in link && /outside the folders being read/.test(link.skip));
  const excluded = await admitFile(path.join(dir, 'charts', 'x', 'd.yaml'), [dir], opts);
  assert.ok('skip' in excluded && /excluded/.test(excluded.skip));
  const modules = await admitFile(path.join(dir, 'node_modules', 'c.yaml'), [dir], opts);
  assert.ok('skip' in modules && /never reads/.test(modules.skip));
  const elsewhere = await admitFile('/etc/hosts.yaml', [dir], opts);
  assert.ok('skip' in elsewhere);
});

test('the CLI does not hang on a FIFO or a device given by path, and does not walk a link to /', () => {
  const { dir } = workspace();
  const started = Date.now();
  const r = runCli(['--verbose', 'lint', path.join(dir, 'pipe.yaml'), '/dev/zero', dir]);
  assert.ok(Date.now() - started < 20_000, `took ${Date.now() - started} ms`);
  assert.notEqual(r.status, null, r.stderr);
  const out = r.stdout + r.stderr;
  assert.match(out, /pipe\.yaml.*not a regular file/);
  assert.match(out, /\/dev\/zero.*not a regular file/);
  assert.match(out, /root-link.*not followed/);
});
