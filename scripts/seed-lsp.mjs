#!/usr/bin/env node
// LSP checks on the shared seed scenarios (run by .ci/run when ../shared is present; npm test does
// not depend on ../shared): hovers on the lab policies' podSelectors list exactly the matched pods.
// usage: node scripts/seed-lsp.mjs [path/to/shared/fixtures/seed]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const seed = path.resolve(process.argv[2] ?? path.join(root, '..', 'shared', 'fixtures', 'seed'));

const checks = [
  // lesson9lab.yaml: mynp selects `target: "yes"`, which only Pod nginx carries
  {
    dir: '05a-lab-restricted-published-solution',
    file: 'lesson9lab.yaml',
    needle: 'podSelector:',
    nth: 0,
    expect: ['restricted/nginx[Pod]'],
    count: 1,
  },
  // the ingress peer: namespace default AND access=yes: sleepybox1 only
  {
    dir: '05a-lab-restricted-published-solution',
    file: 'lesson9lab.yaml',
    needle: 'podSelector:',
    nth: 1,
    expect: ['default/sleepybox1[Pod]'],
    count: 1,
  },
  // nwp-lab9-2.yaml: `matchLabels:` with a null value selects every pod of namespace default
  {
    dir: '04b-nwp-lab9-2',
    file: 'nwp-lab9-2.yaml',
    needle: 'podSelector:',
    nth: 0,
    expect: ['default/nwp-nginx[Pod]', 'default/busybox[Deployment]'],
    count: 2,
  },
];

function position(text, needle, nth) {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  const before = text.slice(0, at).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

async function session(folder) {
  const proc = spawn(process.execPath, [path.join(root, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.onRequest('workspace/diagnostic/refresh', () => null);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(folder).toString(),
    workspaceFolders: [{ uri: pathToFileURL(folder).toString(), name: 'seed' }],
    capabilities: { workspace: { configuration: true }, window: { workDoneProgress: true } },
  });
  await conn.sendNotification('initialized', {});
  for (let i = 0; i < 200; i++) {
    const st = await conn.sendRequest('netlens/status', {});
    if (!st.indexing && st.lastIndex) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    conn,
    stop: async () => {
      await conn.sendRequest('shutdown');
      await conn.sendNotification('exit');
      conn.dispose();
      proc.kill();
    },
  };
}

let passed = 0;
let failed = 0;
for (const c of checks) {
  const folder = path.join(seed, c.dir);
  const file = path.join(folder, c.file);
  const text = readFileSync(file, 'utf8');
  const s = await session(folder);
  const uri = pathToFileURL(file).toString();
  await s.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  const h = await s.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: position(text, c.needle, c.nth) });
  await s.stop();
  const md = h?.contents?.value ?? '';
  const listed = [...md.matchAll(/\[([^\]]+\[[A-Za-z]+\])\]\(/g)].map((m) => m[1]);
  const ok = listed.length === c.count && c.expect.every((id) => listed.includes(id));
  if (ok) passed++;
  else {
    failed++;
    console.log(
      `FAIL ${c.dir}/${c.file} hover #${c.nth} on ${c.needle}: expected ${c.expect.join(', ')}, got ${listed.join(', ') || '(none)'}\n${md}`,
    );
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
