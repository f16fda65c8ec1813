// The server process the extension's entry forks ahead of loading the client (client/src/serverProcess.ts):
// forked as vscode-languageclient forks a node module over IPC (arguments, environment, working directory),
// handed to the LanguageClient once, and killed when it is never taken.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { forkServer, PrestartedServer, serverLaunch, serverWorkingDir, startedInDebugMode } from '../../client/src/serverProcess';
import { compileCacheEnv } from '../../client/src/compileCache';
import { repoRoot } from '../support/paths';

function tmp(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'netlens-server-process-'));
}

test('debug mode is what vscode-languageclient takes for it (the extension host under --inspect or --debug)', () => {
  assert.equal(startedInDebugMode([]), false);
  assert.equal(startedInDebugMode(['--max-old-space-size=4096', '--no-warnings']), false);
  for (const a of ['--inspect', '--inspect=9229', '--inspect-brk', '--inspect-brk=0', '--debug', '--debug=5858', '--debug-brk'])
    assert.equal(startedInDebugMode([a]), true, a);
  assert.equal(startedInDebugMode(['--inspect-port=9229']), false);
});

test('the working directory is the first workspace folder when it is a directory', () => {
  const d = tmp();
  try {
    writeFileSync(path.join(d, 'f.yaml'), '');
    assert.equal(serverWorkingDir(d), d);
    assert.equal(serverWorkingDir(path.join(d, 'f.yaml')), undefined);
    assert.equal(serverWorkingDir(path.join(d, 'missing')), undefined);
    assert.equal(serverWorkingDir(undefined), undefined);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test("the launch is dist/server.js with the caches in the extension's global storage", () => {
  const abs = (p: string) => path.join('/ext', p);
  assert.deepEqual(serverLaunch(abs, '/g'), { module: path.join('/ext', 'dist/server.js'), env: { ...compileCacheEnv('/g') } });
  assert.deepEqual(serverLaunch(abs, undefined), { module: path.join('/ext', 'dist/server.js') });
});

test('forked as vscode-languageclient forks a node module over IPC: arguments, environment, cwd, piped stdio', async () => {
  const d = tmp();
  try {
    const probe = path.join(d, 'probe.js');
    writeFileSync(
      probe,
      'process.send({ argv: process.argv.slice(2), env: process.env, cwd: process.cwd(), execArgv: process.execArgv }, () => process.exit(0));',
    );
    const sp = forkServer({ module: probe, env: { NETLENS_CODE_CACHE: '/cache' } }, d);
    const [seen] = (await once(sp, 'message')) as [{ argv: string[]; env: Record<string, string>; cwd: string; execArgv: string[] }];
    assert.deepEqual(seen.argv, ['--node-ipc', `--clientProcessId=${process.pid}`]);
    assert.equal(seen.env.ELECTRON_RUN_AS_NODE, '1');
    assert.equal(seen.env.ELECTRON_NO_ASAR, '1');
    assert.equal(seen.env.NETLENS_CODE_CACHE, '/cache');
    assert.equal(seen.env.PATH, process.env.PATH);
    assert.equal(seen.cwd, d);
    assert.deepEqual(seen.execArgv, []);
    assert.ok(sp.stdout && sp.stderr, 'stdout and stderr are piped (silent), for the output channel');
    await once(sp, 'exit');
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

test('the prestarted real server answers initialize over IPC, and is handed out once', async () => {
  const d = tmp();
  const sp = forkServer({ module: path.join(repoRoot(), 'dist', 'server.js') }, d);
  try {
    const pre = new PrestartedServer(sp);
    const taken = pre.take();
    assert.equal(taken, sp);
    assert.equal(pre.take(), undefined, 'only once');
    pre.dispose(); // taken: not killed
    const uri = `file://${d}`;
    sp.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: uri, capabilities: {} } });
    const [answer] = (await once(sp, 'message')) as [{ id: number; result: { capabilities: { hoverProvider?: boolean } } }];
    assert.equal(answer.id, 1);
    assert.equal(answer.result.capabilities.hoverProvider, true);
    sp.send({ jsonrpc: '2.0', id: 2, method: 'shutdown' });
    sp.send({ jsonrpc: '2.0', method: 'exit' });
    await once(sp, 'exit');
  } finally {
    sp.kill();
    rmSync(d, { recursive: true, force: true });
  }
});

test('one never taken is killed on dispose; one that already exited is not handed out', async () => {
  const d = tmp();
  try {
    const idle = path.join(d, 'idle.js');
    writeFileSync(idle, 'setInterval(() => undefined, 1000); process.on("disconnect", () => undefined);');
    const a = forkServer({ module: idle }, undefined);
    const pre = new PrestartedServer(a);
    const exited = once(a, 'exit');
    pre.dispose();
    await exited;
    assert.equal(pre.take(), undefined);

    const quick = path.join(d, 'quick.js');
    writeFileSync(quick, 'process.exit(3)');
    const b = forkServer({ module: quick }, undefined);
    const pre2 = new PrestartedServer(b);
    await once(b, 'exit');
    assert.equal(pre2.take(), undefined, 'a dead process is not handed to the client (it forks its own)');
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});

// client.ts adopts the prestarted process by setting two private fields of vscode-languageclient's LanguageClient
// (what its stop() reads to check the process died). An update that renames them would leave an adopted server
// running after a stop: this fails first.
test('vscode-languageclient still keeps the forked process in the private fields client.ts sets', () => {
  const main = readFileSync(path.join(repoRoot(), 'node_modules/vscode-languageclient/lib/node/main.js'), 'utf8');
  for (const field of ['_serverProcess', '_isDetached']) {
    assert.match(main, new RegExp(`this\\.${field}\\b`), `LanguageClient no longer has ${field}: re-check client.ts's adoption`);
  }
  assert.match(main, /_serverProcess\s*=\s*undefined/, 'LanguageClient no longer clears _serverProcess on stop: re-check client.ts');
});
