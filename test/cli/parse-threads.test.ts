// The CLI parses large inputs on worker threads (dist/parseWorker.js): the output is the same as on
// one thread (--threads 1), byte for byte, with the same exit status, whatever the input holds
// (UTF-16 and BOM files, skipped and unreadable files, broken symlinks, loops) and when the workers
// cannot start or die. NETLENS_CLI_WORKERS_MIN_BYTES=0 (see server/src/cli/load.ts) lets workers run
// on this small workspace; --verbose says whether they ran.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { repoRoot } from '../support/paths';
import { generate } from '../bench/generate';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-cli-threads-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// S (265 files) plus the bad-input corpus and file-system trouble decided during the walk
const ws = path.join(tmp, 'ws');
const gen = generate('S', 7, ws);
cpSync(path.join(repoRoot(), 'test', 'fixtures', 'bad'), path.join(ws, 'zz-bad'), { recursive: true });
mkdirSync(path.join(ws, 'zz-fs'));
symlinkSync(path.join(ws, 'zz-fs', 'no-such-target.yaml'), path.join(ws, 'zz-fs', 'dangling.yaml'));
symlinkSync('..', path.join(ws, 'zz-fs', 'loop'));
const big = path.join(ws, 'zz-fs', 'big.yaml');
writeFileSync(big, '');
truncateSync(big, 51 * 1024 * 1024); // sparse: over the 50 MB limit without writing it
writeFileSync(
  path.join(ws, 'zz-fs', 'utf16be.yaml'),
  Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('apiVersion: v1\nkind: Pod\nmetadata: {name: utf16be-pod}\n', 'utf16le').swap16()]),
);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], cliFile = path.join(repoRoot(), 'dist', 'cli.js')): Run {
  // the workspace holds the bad corpus's kustomize/ folder, a scope of its own: read the loose files
  const r = spawnSync(process.execPath, [cliFile, '--scope', 'loose', ...args], {
    cwd: tmp,
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 256 << 20,
    env: { ...process.env, NETLENS_CLI_WORKERS_MIN_BYTES: '0' },
  });
  assert.equal(r.error, undefined, `${args.join(' ')}: ${r.error}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const WORKERS = /^netlens: parsed (\d+) of (\d+) file\(s\) on 2 worker threads$/m;
/** stderr without the line that says how the files were parsed */
const skips = (stderr: string) =>
  stderr
    .split('\n')
    .filter((l) => !/^netlens: (parsed|parse workers|cannot start parse workers)/.test(l))
    .join('\n');

/** The same command on one thread and on two workers: the same stdout, status and skips; workers ran. */
function same(args: string[]): Run {
  const one = cli(['--verbose', '--threads', '1', ...args]);
  const two = cli(['--verbose', '--threads', '2', ...args]);
  assert.doesNotMatch(one.stderr, /worker/, 'no workers with --threads 1');
  const m = WORKERS.exec(two.stderr);
  assert.ok(m, `workers ran: ${two.stderr.slice(0, 2000)}`);
  assert.equal(m[1], m[2], 'every file parsed on the workers');
  assert.ok(Number(m[2]) > gen.files.length, 'the whole workspace');
  assert.equal(two.status, one.status, `${args.join(' ')}: exit status`);
  assert.ok(one.stdout.length > 100, one.stderr);
  assert.ok(one.stdout === two.stdout, `${args.join(' ')}: stdout differs`);
  assert.equal(skips(two.stderr), skips(one.stderr), 'the same skips, in the same order');
  return one;
}

test('matrix --format json: the same output on two worker threads as on one thread; UTF-16 and BOM files decoded there', () => {
  const r = same(['matrix', '--format', 'json', 'ws']);
  assert.equal(r.status, 0);
  const m = JSON.parse(r.stdout) as { workloads: { id: string }[]; skipped: { file: string; reason: string }[] };
  assert.ok(m.workloads.length >= gen.workloads, 'the generated workloads');
  const ids = m.workloads.map((w) => w.id);
  for (const id of ['default/utf16-pod[Pod]', 'default/utf16be-pod[Pod]', 'default/bom-pod[Pod]', 'default/latin1-pod[Pod]'])
    assert.ok(ids.includes(id), id);
  // the walk's skips are all there (too large, broken symlink); the loop is walked once
  assert.ok(
    m.skipped.some((s) => s.file === path.join('ws', 'zz-fs', 'big.yaml') && /over the 50 MB limit/.test(s.reason)),
    'too large',
  );
  assert.ok(
    m.skipped.some((s) => s.file === path.join('ws', 'zz-fs', 'dangling.yaml') && /broken symlink/.test(s.reason)),
    'dangling',
  );
  assert.ok(!ids.some((id) => id.includes('loop')));
});

test('lint --format json and text: the same diagnostics on workers', () => {
  const json = same(['lint', '--format', 'json', 'ws']);
  assert.ok((JSON.parse(json.stdout) as unknown[]).length > 0, 'diagnostics');
  // text: file:line:col from the Locator, which has each file's text from the workers (BOM dropped)
  const text = same(['lint', 'ws']);
  assert.match(text.stdout, /zz-bad\/encoding\/latin1\.yaml:1:6: warning: .*\[encoding\]/);
});

test('query and resolve --format json: the same answer on workers', () => {
  const q = same(['query', '--from', gen.query.from, '--to', gen.query.to, '--port', String(gen.query.port), '--format', 'json', 'ws']);
  assert.match(q.stdout, /"outcome": "(allowed|blocked|nxdomain|no-endpoints)"/);
  same(['resolve', '--from', gen.query.from, '--format', 'json', gen.query.to, 'ws']);
});

test('--threads takes a number from 0 to 16 (usage error, exit 2)', () => {
  for (const bad of ['-1', 'x', '1.5', '17', '']) {
    const r = cli(['--threads', bad, 'matrix', 'ws']);
    assert.equal(r.status, 2, bad);
    assert.equal(r.stdout, '', bad);
    assert.match(r.stderr, /^netlens: --threads must be a number from 0 .* to 16, not "[^"]*"\n$/, bad);
  }
  assert.match(cli(['--threads']).stderr, /--threads needs a value/);
  assert.match(cli(['--help']).stdout, /--threads N/);
  assert.equal(cli(['--threads', '0', 'matrix', '--format', 'stats', 'ws']).status, 0);
});

test('workers that cannot start or that die: parsed on the main thread, the same output', () => {
  const one = cli(['--threads', '1', 'matrix', '--format', 'json', 'ws']);
  // dist/cli.js copied alone: no parseWorker.js beside it; then one that dies at start; then one that ends at once
  const cases: [string, string | undefined, RegExp][] = [
    ['missing', undefined, /^netlens: cannot start parse workers \(.*parseWorker\.js\); parsing on the main thread$/m],
    [
      'throws',
      "throw new Error('this worker dies at start');\n",
      /^netlens: parse workers failed \(this worker dies at start\); parsed \d+ of \d+ file\(s\) on the main thread$/m,
    ],
    [
      'ends',
      '// no message handler: the worker ends at once\n',
      /^netlens: parse workers failed \(parse worker exited\); parsed \d+ of \d+ file\(s\) on the main thread$/m,
    ],
  ];
  for (const [name, worker, message] of cases) {
    const dir = path.join(tmp, `cli-${name}`);
    mkdirSync(dir);
    copyFileSync(path.join(repoRoot(), 'dist', 'cli.js'), path.join(dir, 'cli.js'));
    if (worker !== undefined) writeFileSync(path.join(dir, 'parseWorker.js'), worker);
    const verbose = cli(['--verbose', '--threads', '2', 'matrix', '--format', 'json', 'ws'], path.join(dir, 'cli.js'));
    assert.equal(verbose.status, one.status, name);
    assert.match(verbose.stderr, message, name);
    assert.ok(verbose.stdout === one.stdout, `${name}: stdout differs`);
    if (name === 'throws') {
      const quiet = cli(['--threads', '2', 'matrix', '--format', 'json', 'ws'], path.join(dir, 'cli.js'));
      assert.equal(quiet.stderr, one.stderr, 'silent without --verbose');
      assert.ok(quiet.stdout === one.stdout, `${name}: stdout differs (quiet)`);
    }
  }
});
