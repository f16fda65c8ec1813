// The server answers `initialize` before it loads the engine and the handlers (server/src/main.ts loads
// serve.ts right after the answer): whatever the client sends right behind `initialize`, in the same write,
// must still find every handler registered (no MethodNotFound, nothing dropped), over stdio and over IPC
// (how the extension starts it, client/src/serverProcess.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../support/paths';

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-all
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Ingress]
`;

interface Message {
  id?: number | string;
  method?: string;
  result?: unknown;
  error?: { code: number; message: string };
  params?: unknown;
}

/** initialize, initialized, an open document and three requests, all sent at once. */
function burst(root: string, storage: string, file: string): Message[] {
  const uri = pathToFileURL(root).href;
  const doc = pathToFileURL(file).href;
  return [
    {
      id: 1,
      method: 'initialize',
      params: {
        processId: process.pid,
        rootUri: uri,
        workspaceFolders: [{ uri, name: 'ws' }],
        capabilities: { textDocument: { diagnostic: {} } },
        initializationOptions: { storagePath: storage },
      },
    },
    { method: 'initialized', params: {} },
    { method: 'textDocument/didOpen', params: { textDocument: { uri: doc, languageId: 'yaml', version: 1, text: POLICY } } },
    { id: 2, method: 'netlens/status' },
    { id: 3, method: 'textDocument/hover', params: { textDocument: { uri: doc }, position: { line: 6, character: 4 } } },
    { id: 4, method: 'textDocument/diagnostic', params: { textDocument: { uri: doc } } },
  ];
}

async function run(transport: 'stdio' | 'ipc'): Promise<Map<number, Message>> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'netlens-lazy-serve-'));
  const storage = path.join(root, '.storage');
  mkdirSync(storage);
  const file = path.join(root, 'policy.yaml');
  writeFileSync(file, POLICY);
  const server = path.join(repoRoot(), 'dist', 'server.js');
  const answers = new Map<number, Message>();
  let p: ChildProcess | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answers in 60 s: ${JSON.stringify([...answers.keys()])}`)), 60_000);
      const onMessage = (m: Message) => {
        if (typeof m.id === 'number' && !m.method) answers.set(m.id, m);
        else if (m.id !== undefined && m.method) reply(m.id); // a request of the server's (progress, refresh): answered
        if ([1, 2, 3, 4].every((id) => answers.has(id))) {
          clearTimeout(timer);
          resolve();
        }
      };
      let reply: (id: number | string) => void;
      const messages = burst(root, storage, file).map((m) => ({ jsonrpc: '2.0', ...m }));
      if (transport === 'ipc') {
        const sp = fork(server, ['--node-ipc', `--clientProcessId=${process.pid}`], { silent: true, execArgv: [] });
        p = sp;
        sp.stdout?.resume();
        sp.stderr?.resume();
        sp.on('message', (m: Message) => onMessage(m));
        reply = (id) => sp.send({ jsonrpc: '2.0', id, result: null });
        for (const m of messages) sp.send(m);
      } else {
        const sp = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
        p = sp;
        sp.stderr.resume();
        const frame = (m: unknown) => {
          const body = Buffer.from(JSON.stringify(m));
          return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
        };
        reply = (id) => sp.stdin.write(frame({ jsonrpc: '2.0', id, result: null }));
        let buf = Buffer.alloc(0);
        sp.stdout.on('data', (d: Buffer) => {
          buf = Buffer.concat([buf, d]);
          for (;;) {
            const sep = buf.indexOf('\r\n\r\n');
            if (sep < 0) return;
            const len = Number(/Content-Length: (\d+)/i.exec(buf.subarray(0, sep).toString())?.[1] ?? 0);
            if (buf.length < sep + 4 + len) return;
            const m = JSON.parse(buf.subarray(sep + 4, sep + 4 + len).toString()) as Message;
            buf = buf.subarray(sep + 4 + len);
            onMessage(m);
          }
        });
        // one write: every message is in the server's queue when it answers initialize
        sp.stdin.write(Buffer.concat(messages.map(frame)));
      }
      p.on('error', reject);
    });
    return answers;
  } finally {
    p?.kill();
    rmSync(root, { recursive: true, force: true });
  }
}

for (const transport of ['stdio', 'ipc'] as const) {
  test(`requests sent right behind initialize are all handled (${transport})`, async () => {
    const answers = await run(transport);
    const init = answers.get(1)!;
    assert.equal(init.error, undefined);
    const caps = (init.result as { capabilities: Record<string, unknown> }).capabilities;
    assert.ok(caps.hoverProvider && caps.diagnosticProvider && caps.codeLensProvider, JSON.stringify(caps));
    for (const id of [2, 3, 4]) assert.equal(answers.get(id)!.error, undefined, `request ${id}: ${JSON.stringify(answers.get(id))}`);
    assert.equal(typeof (answers.get(2)!.result as { files?: unknown }).files, 'number', JSON.stringify(answers.get(2)!.result));
    // the document opened in the same write is known: its diagnostics report, the hover on its podSelector
    assert.equal((answers.get(4)!.result as { kind: string }).kind, 'full');
    assert.ok(answers.get(3)!.result, 'a hover on the open policy');
  });
}
