#!/usr/bin/env node
// `npm start`: try NetLens in a real editor. Packages the extension (or reuses a netlens.vsix newer than its
// inputs), makes sure the e2e tools are installed (scripts/e2e-setup.sh: code-server + Node 24, chromium),
// starts code-server isolated in a scratch folder (own settings, extensions, user data; auth none) with
// netlens.vsix installed and examples/shop opened, prints the URL, and runs until Ctrl-C, which stops
// code-server and everything it started (its process group). Debian packages the tools need are installed
// only when the user says yes at a prompt; without a terminal to ask on, the command is printed instead.
//
// usage: node scripts/start.mjs [--port N] [--host ADDR] [--folder DIR] [--repackage]
//   --port N       port to listen on (default: a free one)
//   --host ADDR    address to bind (default 127.0.0.1; there is no password, so think twice before 0.0.0.0)
//   --folder DIR   folder to open (default examples/shop; edits are made to it in place)
//   --repackage    rebuild netlens.vsix even if it is up to date
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { startCodeServer } from '../test/e2e/lib/codeServer.mjs';
import { findTools, repoRoot } from '../test/e2e/lib/tools.mjs';
import { ensureVsix } from '../test/e2e/lib/vsix.mjs';
import { workbenchUrl } from '../test/e2e/lib/workbench.mjs';

const usage = 'usage: node scripts/start.mjs [--port N] [--host ADDR] [--folder DIR] [--repackage]';
let opts;
try {
  ({ values: opts } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      folder: { type: 'string', default: path.join(repoRoot, 'examples/shop') },
      repackage: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }));
} catch (e) {
  console.error(`${e.message}\n${usage}`);
  process.exit(2);
}
if (opts.help) {
  console.log(usage);
  process.exit(0);
}
const port = opts.port === undefined ? undefined : Number(opts.port);
if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
  console.error(`--port must be a number from 1 to 65535, not ${opts.port}\n${usage}`);
  process.exit(2);
}
const folder = path.resolve(opts.folder);
if (!existsSync(folder) || !statSync(folder).isDirectory()) {
  console.error(`--folder ${folder} is not a folder`);
  process.exit(2);
}

const log = (s) => console.log(`[netlens start] ${s}`);

// 0. Debian packages (chromium, libkrb5-dev): apt-get runs as root, so never without asking.
const setup = path.join(repoRoot, 'scripts/e2e-setup.sh');
const missing = spawnSync('bash', [setup, '--missing-apt'], { encoding: 'utf8' }).stdout?.trim().split(/\s+/).filter(Boolean) ?? [];
if (missing.length) {
  const command = `sudo apt-get install --no-install-recommends ${missing.join(' ')}`;
  if (!process.stdin.isTTY) {
    console.error(`[netlens start] missing Debian packages: ${missing.join(' ')}. Install them, then run npm start again:\n  ${command}`);
    process.exit(1);
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(`[netlens start] missing Debian packages: ${missing.join(' ')}. Run "${command}" now? [y/N] `);
  rl.close();
  if (!/^y(es)?$/i.test(answer.trim())) {
    console.error(`[netlens start] not installed. Install them yourself, then run npm start again:\n  ${command}`);
    process.exit(1);
  }
  const [cmd, ...args] = process.getuid?.() === 0 ? command.split(' ').slice(1) : command.split(' ');
  if (spawnSync(cmd, args, { stdio: 'inherit' }).status !== 0) {
    console.error(`[netlens start] ${command} failed`);
    process.exit(1);
  }
}

// 1. The package.
let vsix;
try {
  vsix = ensureVsix({ repackage: opts.repackage, log, inherit: true });
} catch (e) {
  console.error(`[netlens start] ${e.message}`);
  process.exit(1);
}

// 2. The tools (code-server + Node 24), installed on first use.
let tools;
try {
  tools = findTools();
} catch {
  log('e2e tools missing: running scripts/e2e-setup.sh (first time only; takes a few minutes)');
  // --no-apt: the packages were dealt with above, with the user's consent
  const status = await runWithHeartbeat('bash', [setup, '--no-apt']);
  if (status !== 0) {
    console.error('[netlens start] scripts/e2e-setup.sh failed');
    process.exit(1);
  }
  tools = findTools();
}

// 3. code-server, isolated in a scratch folder.
const scratch = mkdtempSync(path.join(os.tmpdir(), 'netlens-start-'));
let server;
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  if (server) {
    log('stopping code-server');
    await server.stop();
  }
  rmSync(scratch, { recursive: true, force: true });
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void stop(0));

try {
  server = await startCodeServer({
    name: 'start',
    dir: path.join(scratch, 'code-server'),
    node: tools.node,
    entry: tools.codeServer,
    logDir: scratch,
    vsix,
    host: opts.host,
    ...(port ? { port } : {}),
    log,
  });
} catch (e) {
  console.error(`[netlens start] ${e.message}`);
  await stop(1);
}

// workbenchUrl's ?folder=, with the slashes left readable
const url = workbenchUrl(server, folder).replace(/%2F/g, '/');
const loopback = /^(127\.|localhost$|::1$)/.test(opts.host);
console.log(`
  NetLens ${path.basename(vsix)} is running in code-server (stop with Ctrl-C).

    ${url}
${
  loopback
    ? ''
    : `
  Listening on ${opts.host}:${server.port} WITHOUT a password: anyone who can reach it gets a shell on this machine.
`
}
  Folder: ${folder}
  Logs:   ${server.logFile}
`);

const { code, signal } = await server.whenExited;
if (!stopping) {
  let tail = '';
  try {
    tail = readFileSync(server.logFile, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
  } catch {
    /* no log */
  }
  console.error(`[netlens start] code-server exited by itself (code ${code}, signal ${signal}); the end of its log:\n${tail}`);
  await stop(1);
}

/**
 * Runs a long set-up step with its stderr (its step-by-step log) shown and, between its lines, a line
 * every HEARTBEAT_MS saying it is still at work: the first start installs editor tools for minutes, and
 * silence would look like a hang.
 */
function runWithHeartbeat(cmd, args) {
  const HEARTBEAT_MS = 15_000;
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] });
    const timer = setInterval(
      () => log(`still installing the editor tools… (${Math.round((Date.now() - started) / 1000)} s)`),
      HEARTBEAT_MS,
    );
    child.on('error', (e) => {
      clearInterval(timer);
      console.error(`[netlens start] ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code) => {
      clearInterval(timer);
      if (code === 0) log(`editor tools installed in ${Math.round((Date.now() - started) / 1000)} s`);
      resolve(code ?? 1);
    });
  });
}
