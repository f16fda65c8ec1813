// Runs the compiled tests (out/test): most files two at a time (many wait on child processes: the
// server, the CLI, kubectl, Neovim), then the load-sensitive ones alone, so that their latency and
// throughput bounds measure NetLens, not the test next to them. Extra arguments go to `node --test`.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

// files whose assertions bound latency or throughput: run after the others, one at a time
const ALONE = [/^fuzz\//];

function testFiles(dir, rel = '') {
  return readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) return testFiles(dir, r);
    return e.name.endsWith('.test.js') ? [r] : [];
  });
}

const root = 'out/test';
const files = testFiles(root).sort();
const alone = files.filter((f) => ALONE.some((re) => re.test(f)));
const together = files.filter((f) => !alone.includes(f));
const extra = process.argv.slice(2);
let failed = false;
for (const [group, concurrency] of [
  [together, 2],
  [alone, 1],
]) {
  if (group.length === 0) continue;
  const args = ['--test', `--test-concurrency=${concurrency}`, '--test-reporter=spec', ...extra, ...group.map((f) => path.join(root, f))];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
