// `npm start` (scripts/start.mjs) never runs apt-get as root without asking: with packages missing and no
// terminal to ask on, it prints the command and stops before doing anything else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../support/paths';

test('npm start with a Debian package missing and no terminal prints the apt-get command and stops', (t) => {
  const dpkg = spawnSync('dpkg-query', ['--version']);
  if (dpkg.status !== 0) return t.skip('dpkg-query is not installed (not a Debian system)');
  const r = spawnSync(process.execPath, [path.join(repoRoot(), 'scripts', 'start.mjs')], {
    encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'],
    input: 'y\n', // not a terminal: never taken as consent
    env: { ...process.env, NETLENS_APT_PACKAGES: 'netlens-test-absent-package' },
    timeout: 30_000,
  });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /missing Debian packages: netlens-test-absent-package/);
  assert.match(r.stderr, /sudo apt-get install --no-install-recommends netlens-test-absent-package/);
  assert.doesNotMatch(r.stdout + r.stderr, /packaging|e2e-setup|code-server/, 'stopped before packaging or installing anything');
});
