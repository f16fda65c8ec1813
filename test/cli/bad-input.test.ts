// The CLI on bad input: the corpus (test/fixtures/bad/), file-system trouble generated in a temp dir
// (a 50 MB file, symlink loops, unreadable files, dangling symlinks), deep nesting, control characters.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  chmodSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { repoRoot, runCli } from '../support/paths';
import { EXPECTED, corpusFiles } from '../fixtures/bad/corpus';

interface MatrixJson {
  workloads: { id: string; source: { file: string } }[];
  skipped: { file: string; line?: number; reason: string }[];
}

const CORPUS = path.join('test', 'fixtures', 'bad');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-cli-bad-'));
after(() => {
  chmodAll(tmp);
  rmSync(tmp, { recursive: true, force: true });
});

function chmodAll(dir: string): void {
  for (const p of [path.join(dir, 'fs', 'locked'), path.join(dir, 'fs', 'unreadable.yaml')]) {
    try {
      chmodSync(p, 0o755);
    } catch {
      /* not there */
    }
  }
}

const POD = (name: string, ns = 'default') =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n  labels: {app: ${name}}\nspec:\n  containers:\n  - name: c\n    ports: [{containerPort: 8080}]\n`;
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

// The corpus's kustomize/ folder is a scope of its own (kustomize:kustomize): the whole corpus is read as
// the loose scope, which leaves it out.
const LOOSE = ['--scope', 'loose'];

test('matrix on the whole bad corpus: exit 0, JSON on stdout, the skipped files listed with reasons', () => {
  const r = runCli([...LOOSE, 'matrix', CORPUS]);
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout) as MatrixJson;
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, 'one summary line on stderr');
  assert.match(r.stderr, /^netlens: skipped \d+ file\(s\)\/document\(s\) .*--verbose/);
  for (const rel of corpusFiles(repoRoot()).filter((f) => !f.startsWith('kustomize/'))) {
    const file = path.join(CORPUS, rel);
    const skips = m.skipped.filter((s) => s.file === file);
    for (const s of skips) assert.ok(s.reason.length > 10, `${file}: a reason`);
    if (rel === 'encoding/utf16le.yaml') continue; // the CLI decodes UTF-16 (the engine test reads it as UTF-8)
    for (const re of EXPECTED[rel].skips ?? [])
      assert.ok(
        skips.some((s) => re.test(s.reason)),
        `${file}: skipped for ${re}: ${JSON.stringify(skips)}`,
      );
    if (EXPECTED[rel].quiet) assert.deepEqual(skips, [], file);
  }
  const ids = m.workloads.map((w) => w.id);
  for (const id of [
    'default/utf16-pod[Pod]',
    'default/bom-pod[Pod]',
    'default/crlf-pod[Pod]',
    'default/cr-pod[Pod]',
    'default/latin1-pod[Pod]',
  ])
    assert.ok(ids.includes(id), id);

  const verbose = runCli([...LOOSE, '--verbose', 'matrix', CORPUS]);
  assert.equal(verbose.status, 0);
  const lines = verbose.stderr.trimEnd().split('\n');
  assert.equal(lines.length, m.skipped.length, 'one stderr line per skipped file or document');
  for (const l of lines) assert.match(l, /^test\/fixtures\/bad\/\S+(:\d+:\d+)?: skipped: \S/);
});

test('lint on the whole bad corpus: exit 1, one line per finding or skip, file:line:col first', () => {
  const r = runCli([...LOOSE, 'lint', CORPUS]);
  assert.equal(r.status, 1, r.stderr);
  const lines = r.stdout.trimEnd().split('\n');
  assert.ok(lines.length > 50);
  for (const l of lines) assert.match(l, /^test\/fixtures\/bad\/\S+:\d+:\d+: (error|warning|info|hint): .+ \[[a-z-]+\]$/);
  assert.ok(
    lines.some((l) => /latin1\.yaml:1:6: warning: the file is not valid UTF-8/.test(l)),
    'the Latin-1 byte is located',
  );
  assert.ok(
    lines.includes(
      'test/fixtures/bad/structure/deep-flow.yaml:1:1: info: skipped: YAML nested more than 256 levels deep; NetLens does not read it [skipped]',
    ),
  );
  assert.ok(
    lines.includes('test/fixtures/bad/encoding/binary.yaml:1:1: info: skipped: binary file (contains NUL bytes) [skipped]'),
    'file-level skips keep the format',
  );
  const json = runCli([...LOOSE, 'lint', '--format', 'json', CORPUS]);
  assert.equal(json.status, 1);
  assert.ok((JSON.parse(json.stdout) as unknown[]).length > 50);
});

test('file-system trouble: a 50 MB file, symlink loops, unreadable and dangling entries; the good file is read once', () => {
  const root = path.join(tmp, 'fs');
  mkdirSync(path.join(root, 'sub'), { recursive: true });
  writeFileSync(path.join(root, 'good.yaml'), POD('good', 'fs'));
  // a 50 MB manifest of many objects (under the CLI's 50 MiB read limit, over the engine's 20 M characters)
  const big = openSync(path.join(root, 'big.yaml'), 'w');
  const chunk = Array.from(
    { length: 1000 },
    (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}}\ndata: {k: v}\n`,
  ).join('');
  for (let size = 0; size < 50_000_000; size += chunk.length) writeSync(big, chunk);
  closeSync(big);
  // a sparse 60 MB file: over the read limit, refused without reading
  writeFileSync(path.join(root, 'huge.yaml'), '');
  truncateSync(path.join(root, 'huge.yaml'), 60 * 1024 * 1024);
  symlinkSync('..', path.join(root, 'sub', 'parent-loop')); // dir -> its parent
  symlinkSync(root, path.join(root, 'sub', 'root-loop'));
  symlinkSync('self-loop.yaml', path.join(root, 'self-loop.yaml')); // a link to itself
  symlinkSync('missing-target.yaml', path.join(root, 'dangling.yaml'));
  symlinkSync('good.yaml', path.join(root, 'sub', 'alias.yaml')); // the good file again, by another name
  writeFileSync(path.join(root, 'unreadable.yaml'), POD('unreadable', 'fs'));
  chmodSync(path.join(root, 'unreadable.yaml'), 0o000);
  mkdirSync(path.join(root, 'locked'));
  writeFileSync(path.join(root, 'locked', 'inside.yaml'), POD('inside', 'fs'));
  chmodSync(path.join(root, 'locked'), 0o000);
  // As root (as in CI containers) permissions do not stop reading: detect it and expect the files read.
  let privileged = false;
  try {
    readFileSync(path.join(root, 'unreadable.yaml'));
    privileged = true;
  } catch {
    /* an ordinary user: EACCES */
  }

  const t0 = Date.now();
  const r = runCli(['matrix', root]);
  const ms = Date.now() - t0;
  assert.equal(r.status, 0, r.stderr);
  assert.ok(ms < 30_000, `took ${ms} ms`);
  const m = JSON.parse(r.stdout) as MatrixJson;
  const reasons = new Map(m.skipped.map((s) => [path.relative(root, s.file), s.reason]));
  const ids = m.workloads.map((w) => w.id).sort();
  assert.deepEqual(
    ids,
    privileged ? ['fs/good[Pod]', 'fs/inside[Pod]', 'fs/unreadable[Pod]'] : ['fs/good[Pod]'],
    'each file once, loops not followed',
  );
  assert.match(reasons.get('big.yaml')!, /larger than 20 M characters/);
  assert.match(reasons.get('huge.yaml')!, /60 MB, over the 50 MB limit/);
  assert.match(reasons.get('dangling.yaml')!, /broken symlink/);
  assert.match(reasons.get('self-loop.yaml')!, /broken symlink|loop/);
  if (!privileged) {
    assert.match(reasons.get('unreadable.yaml')!, /cannot read: EACCES/);
    assert.match(reasons.get('locked')!, /cannot list directory: EACCES/);
  }
  // the same paths given one by one
  const direct = runCli(['matrix', path.join(root, 'big.yaml'), path.join(root, 'unreadable.yaml'), path.join(root, 'good.yaml')]);
  assert.equal(direct.status, 0, direct.stderr);
  const dj = JSON.parse(direct.stdout) as MatrixJson;
  assert.ok(dj.workloads.some((w) => w.id === 'fs/good[Pod]'));
  if (!privileged) assert.ok(dj.skipped.some((s) => s.file.endsWith('unreadable.yaml') && /EACCES/.test(s.reason)));
  // a dangling symlink named on the command line is a missing path
  const dangling = runCli(['matrix', path.join(root, 'dangling.yaml')]);
  assert.equal(dangling.status, 2);
  assert.match(dangling.stderr, /^netlens: no such file or directory: .*dangling\.yaml\n$/);
});

test('deeply nested files analysed one after another do not abort the process', () => {
  // Composing ~1,000 nested levels repeatedly used to kill Node with a fatal V8 error (exit by SIGABRT).
  const root = path.join(tmp, 'deep');
  mkdirSync(root);
  for (let i = 0; i < 4; i++) writeFileSync(path.join(root, `deep-${i}.yaml`), `${'['.repeat(1000)}${']'.repeat(1000)}\n`);
  writeFileSync(path.join(root, 'deep-block.yaml'), `${'- '.repeat(1000)}x\n`);
  writeFileSync(path.join(root, 'good.yaml'), POD('good', 'deep'));
  const r = runCli(['matrix', root]);
  assert.equal(r.status, 0, `status ${r.status}: ${r.stderr.slice(0, 300)}`);
  const m = JSON.parse(r.stdout) as MatrixJson;
  assert.deepEqual(
    m.workloads.map((w) => w.id),
    ['deep/good[Pod]'],
  );
  assert.equal(m.skipped.filter((s) => /nested more than \d+ levels/.test(s.reason)).length, 5);
});

test('control characters from manifests never reach the terminal', () => {
  const file = path.join(CORPUS, 'encoding', 'control-chars.yaml');
  for (const args of [
    ['matrix', '--format', 'text', file],
    ['lint', file],
    ['--verbose', 'matrix', '--format', 'csv', file],
    ['query', '--from', 'nobody', '--to', 'x', file],
  ]) {
    const r = runCli(args);
    assert.ok(!CONTROL.test(r.stdout) && !CONTROL.test(r.stderr), `${args.join(' ')}: ${JSON.stringify(r.stdout + r.stderr)}`);
  }
  const text = runCli(['matrix', '--format', 'text', file]);
  assert.match(text.stdout, /default\/ctrl\\u001b\[2J\\u001b\]0;pwned\\u0007pod\[Pod\]/, 'shown escaped');
  const json = runCli(['matrix', file]);
  const m = JSON.parse(json.stdout) as MatrixJson;
  assert.deepEqual(
    m.workloads.map((w) => w.id),
    ['default/ctrl\u001b[2J\u001b]0;pwned\u0007pod[Pod]'],
    'JSON keeps the value exactly',
  );
});

test('encodings: UTF-16 and BOMs decoded, Latin-1 flagged where it breaks UTF-8', () => {
  const r = runCli(['lint', path.join(CORPUS, 'encoding')]);
  assert.match(r.stdout, /latin1\.yaml:1:6: warning: the file is not valid UTF-8 .*\[encoding\]/);
  const m = JSON.parse(runCli(['matrix', path.join(CORPUS, 'encoding')]).stdout) as MatrixJson;
  const utf16 = m.workloads.find((w) => w.id === 'default/utf16-pod[Pod]');
  assert.ok(utf16, 'the UTF-16 file is decoded');
  assert.ok(m.workloads.some((w) => w.id === 'default/bom-pod[Pod]'));
});

test('a reader that closes the pipe early (netlens lint | head) ends the CLI quietly with its status', async () => {
  // more output than a pipe holds (64 KB), so the CLI is still writing when the reader hangs up
  const file = path.join(tmp, 'many-errors.yaml');
  writeFileSync(
    file,
    Array.from(
      { length: 3000 },
      (_, i) => `---\napiVersion: v1\nkind: Pod\nmetadata: {name: p${i}}\nspec: {containers: [{name: c, ports: [{containerPort: "x"}]}]}\n`,
    ).join(''),
  );
  const child = spawn(process.execPath, [path.join(repoRoot(), 'dist', 'cli.js'), 'lint', file], {
    cwd: repoRoot(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  child.stdout.once('data', () => child.stdout.destroy()); // read one chunk, then hang up
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  assert.equal(status, 1, 'the lint status (errors found), not a crash');
  assert.doesNotMatch(stderr, /EPIPE|Unhandled|at /, stderr);
});
