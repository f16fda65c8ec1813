// A short seeded fuzz run against dist/server.js (see fuzz.ts). The long runs: node out/tools/fuzz/long.js.
// A fixed number of edits, not a duration: the work is the same on a busy machine (a run counted in seconds
// once failed with "only 447 edits" at load 14). Speed is npm run bench's business; here a slow answer only
// counts past LATENCY_MS (a server that stalls), and an unanswered one after 15 s is a hang.
// NETLENS_FUZZ_SEED / NETLENS_FUZZ_EDITS override the fixed seed and the 500 edits (CI also runs the
// 5-minute one: npm run fuzz).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latencyTable, mib, runFuzz, summaryLine } from './fuzz';

const seed = Number(process.env.NETLENS_FUZZ_SEED ?? 20240611);
const edits = Number(process.env.NETLENS_FUZZ_EDITS ?? 500);
const LATENCY_MS = 5000;

test(`fuzz: ${edits} random edits and the requests between them (seed ${seed})`, async () => {
  const r = await runFuzz({ seed, edits, latencyLimitMs: LATENCY_MS, documents: 6, log: (l) => console.log(l) });
  console.log(summaryLine(r));
  console.log(latencyTable(r));
  assert.ok(r.alive, 'the server crashed');
  assert.ok(r.edits >= edits, `the run ended after ${r.edits} of ${edits} edits`);
  const problems = r.issues.map(
    (i) =>
      `${i.kind} at step ${i.step}${i.method ? ` (${i.method})` : ''}: ${i.message.split('\n')[0].slice(0, 300)}${i.reproducer ? ` [${i.reproducer}]` : ''}`,
  );
  assert.deepEqual(problems, [], `seed ${seed}: replay with node out/tools/fuzz/long.js --replay <reproducer>`);
  assert.ok(
    r.memory.endKiB <= r.memory.limitKiB,
    `RSS ${mib(r.memory.endKiB)} after closing everything; baseline ${mib(r.memory.baselineKiB)}, limit ${mib(r.memory.limitKiB)}`,
  );
});
