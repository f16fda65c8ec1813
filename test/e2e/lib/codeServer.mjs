// Starts code-server isolated in a scratch folder (own config, user data, extensions, XDG dirs, free port on
// 127.0.0.1), detached in its own process group so that stop() ends it and everything it started (extension
// host, language server). Every started server is also stopped when this process exits, however it exits.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** User settings that keep the workbench quiet and deterministic. */
export const DEFAULT_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'git.enabled': false,
  'files.watcherExclude': { '**/node_modules/**': true },
  'editor.minimap.enabled': false,
  'window.restoreWindows': 'none',
};

const live = new Set();

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false; // ESRCH: the group is gone
  }
}

// Last resort: whatever way this process ends, no server outlives it.
process.on('exit', () => {
  for (const s of live) killGroup(s.pid, 'SIGKILL');
});

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function tail(file, lines = 40) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** Environment for code-server: XDG dirs in the scratch folder, nothing inherited that could redirect it. */
function isolatedEnv(dir) {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(VSCODE_|ELECTRON_|CODE_SERVER_|npm_)/i.test(k)) delete env[k];
  }
  for (const k of ['NODE_OPTIONS', 'NODE_PATH', 'PASSWORD', 'HASHED_PASSWORD', 'PORT', 'GITHUB_TOKEN']) delete env[k];
  return {
    ...env,
    XDG_CONFIG_HOME: path.join(dir, 'xdg-config'),
    XDG_DATA_HOME: path.join(dir, 'xdg-data'),
    XDG_STATE_HOME: path.join(dir, 'xdg-state'),
    XDG_CACHE_HOME: path.join(dir, 'xdg-cache'),
    TMPDIR: path.join(dir, 'tmp'),
    // No extension gallery: nothing to query offline, and no test depends on one.
    EXTENSIONS_GALLERY: '{}',
  };
}

/**
 * @param {{name: string, dir: string, node: string, entry: string, logDir: string, vsix?: string,
 *          smokeTestDriver?: boolean, settings?: object, startTimeoutMs?: number, log?: (s: string) => void,
 *          host?: string, port?: number, env?: Record<string, string>}} o
 *   host: address to bind (default 127.0.0.1); port: fixed port (default: a free one); env: added to the
 *   isolated environment (code-server passes it on to the extension host, so to the extension)
 */
export async function startCodeServer(o) {
  const log = o.log ?? (() => {});
  const dir = o.dir;
  const userData = path.join(dir, 'user-data');
  const extensions = path.join(dir, 'extensions');
  for (const d of [path.join(userData, 'User'), extensions, 'xdg-config', 'xdg-data', 'xdg-state', 'xdg-cache', 'tmp']) {
    mkdirSync(path.resolve(dir, d), { recursive: true });
  }
  writeFileSync(path.join(userData, 'User/settings.json'), JSON.stringify({ ...DEFAULT_SETTINGS, ...o.settings }, null, 2));
  const config = path.join(dir, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\ndisable-telemetry: true\ndisable-update-check: true\n');
  const env = { ...isolatedEnv(dir), ...o.env };
  const common = ['--config', config, '--user-data-dir', userData, '--extensions-dir', extensions];
  const logFile = path.join(dir, 'code-server.log');
  const saveLog = () => {
    mkdirSync(o.logDir, { recursive: true });
    const dest = path.join(o.logDir, `${o.name}-code-server.log`);
    try {
      copyFileSync(logFile, dest);
    } catch {
      /* nothing logged yet */
    }
    return dest;
  };

  if (o.vsix) {
    log(`installing ${path.basename(o.vsix)} into ${extensions}`);
    const r = spawnSync(o.node, [o.entry, ...common, '--install-extension', o.vsix, '--force'], {
      env,
      encoding: 'utf8',
      timeout: 120_000,
      killSignal: 'SIGKILL',
    });
    writeFileSync(logFile, `$ code-server --install-extension ${o.vsix} --force\n${r.stdout ?? ''}${r.stderr ?? ''}\n`);
    const installed = readdirSync(extensions).filter((d) => !d.startsWith('.') && d !== 'extensions.json');
    if (r.error || r.status !== 0 || installed.length === 0) {
      const dest = saveLog();
      throw new Error(
        `code-server --install-extension failed (${r.error ? r.error.message : `exit ${r.status}${r.signal ? `, ${r.signal}` : ''}`}); ` +
          `extensions dir holds [${installed.join(', ')}]; log: ${dest}\n${tail(logFile)}`,
      );
    }
    log(`installed: ${installed.join(', ')}`);
  }

  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? (await freePort());
  const args = [
    o.entry,
    ...common,
    '--bind-addr',
    `${host.includes(':') ? `[${host}]` : host}:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...(o.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const fd = openSync(logFile, 'a');
  const child = spawn(o.node, args, { env, cwd: dir, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  // The address to reach it at: a wildcard bind answers on the loopback address.
  const reachable = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  const server = { name: o.name, pid: child.pid, host, port, url: `http://${reachable}:${port}`, logFile, dir, exited: false, saveLog };
  live.add(server);
  const exited = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      server.exited = true;
      resolve({ code, signal });
    }),
  );
  /** resolves with {code, signal} when code-server's main process ends */
  server.whenExited = exited;
  child.on('error', () => {});

  server.stop = async () => {
    if (!live.has(server)) return;
    live.delete(server);
    killGroup(child.pid, 'SIGTERM');
    const t = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5_000);
    await Promise.race([exited, new Promise((r) => setTimeout(r, 6_000))]);
    clearTimeout(t);
    // The leader may be gone while children of the group (extension host, language server) linger.
    killGroup(child.pid, 'SIGKILL');
  };

  // Wait for /healthz, or fail early if the process dies.
  const timeoutMs = o.startTimeoutMs ?? 90_000;
  const deadline = Date.now() + timeoutMs;
  const t0 = Date.now();
  let lastErr = '';
  for (;;) {
    if (server.exited) {
      const { code, signal } = await exited;
      live.delete(server);
      const dest = saveLog();
      throw new Error(`code-server exited during startup (code ${code}, signal ${signal}); log: ${dest}\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (res.ok) break;
      lastErr = `HTTP ${res.status}`;
    } catch (e) {
      lastErr = String(e?.cause?.code ?? e?.message ?? e);
    }
    if (Date.now() > deadline) {
      await server.stop();
      const dest = saveLog();
      throw new Error(
        `code-server did not answer ${server.url}/healthz within ${timeoutMs} ms (last: ${lastErr}); log: ${dest}\n${tail(logFile)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  log(`code-server up on ${server.url} in ${Date.now() - t0} ms (pid ${child.pid})`);
  return server;
}

export async function stopAll() {
  await Promise.all([...live].map((s) => s.stop()));
}

/**
 * The NetLens output channel as each extension host of `server` wrote it to disk (one log per window
 * load: `logs/<session>/exthostN/netlens.netlens/NetLens.log`), keyed by path. Reading the file is
 * steadier than reading the Output panel, whose editor may show another channel or not be drawn yet.
 */
export function netlensLogs(server) {
  const logs = new Map();
  const root = path.join(server.dir, 'user-data', 'logs');
  let sessions = [];
  try {
    sessions = readdirSync(root);
  } catch {
    return logs; // nothing logged yet
  }
  for (const session of sessions) {
    let hosts = [];
    try {
      hosts = readdirSync(path.join(root, session)).filter((d) => d.startsWith('exthost'));
    } catch {
      continue;
    }
    for (const host of hosts) {
      const file = path.join(root, session, host, 'netlens.netlens', 'NetLens.log');
      try {
        logs.set(file, readFileSync(file, 'utf8'));
      } catch {
        // this host has not activated NetLens (yet)
      }
    }
  }
  return logs;
}
