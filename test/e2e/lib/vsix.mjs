// The packaged extension (netlens.vsix) the UI tests and `npm start` install: reused while it is newer than
// every input of the package, rebuilt otherwise (node esbuild.mjs --production && vsce package, which is
// what `npm run package` runs).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './tools.mjs';

export const defaultVsix = path.join(repoRoot, 'netlens.vsix');
const INPUTS = [
  'client/src',
  'server/src',
  'syntaxes',
  'media',
  'dist',
  'package.json',
  'esbuild.mjs',
  '.vscodeignore',
  'README.md',
  'LICENSE',
  'CHANGELOG.md',
  'docs',
  'examples/shop',
];

function newestMtime(p) {
  if (!existsSync(p)) return 0;
  const st = statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const name of readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, name)));
  return m;
}

/** True when `vsix` exists, is newer than its inputs, and dist/ was built. */
export function vsixIsFresh(vsix = defaultVsix) {
  const newest = Math.max(...INPUTS.map((p) => newestMtime(path.join(repoRoot, p))));
  return existsSync(vsix) && statSync(vsix).mtimeMs >= newest && existsSync(path.join(repoRoot, 'dist/client.js'));
}

function run(cmd, args, what, { timeoutMs = 180_000, inherit = false } = {}) {
  const r = spawnSync(cmd, args, {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: timeoutMs,
    killSignal: 'SIGKILL',
    stdio: inherit ? 'inherit' : 'pipe',
  });
  if (r.error || r.status !== 0) {
    throw new Error(
      `${what} failed (${r.error?.message ?? `exit ${r.status}`})${inherit ? '' : `:\n${(r.stdout ?? '') + (r.stderr ?? '')}`}`.trimEnd(),
    );
  }
}

/**
 * Returns the path of an up-to-date netlens.vsix, packaging it when it is missing or older than its inputs
 * (or always with `repackage`). `inherit`: show the build's output instead of capturing it.
 */
export function ensureVsix({ repackage = false, log = () => {}, inherit = false } = {}) {
  const vsix = defaultVsix;
  if (!repackage && vsixIsFresh(vsix)) {
    log(`reusing ${path.relative(repoRoot, vsix)} (newer than its inputs)`);
    return vsix;
  }
  log('packaging: node esbuild.mjs --production && vsce package --no-dependencies --no-rewrite-relative-links -o netlens.vsix');
  const vsce = path.join(repoRoot, 'node_modules/.bin/vsce');
  if (!existsSync(vsce)) throw new Error(`${vsce} missing: run npm ci`);
  const pack = () => {
    run(process.execPath, ['esbuild.mjs', '--production'], 'esbuild --production', { inherit });
    run(vsce, ['package', '--no-dependencies', '--no-rewrite-relative-links', '-o', vsix], 'vsce package', { inherit });
  };
  try {
    pack();
  } catch (e) {
    // vsce fails if a file changes while it zips it (another build writing dist/ at the same moment).
    log(`packaging failed, retrying once: ${String(e.message).split('\n')[0]}`);
    pack();
  }
  return vsix;
}
