// A short seeded fuzz run against dist/server.js (see fuzz.ts). The long runs: node out/tools/fuzz/long.js.
// NETLENS_FUZZ_SEED / NETLENS_FUZZ_SECONDS override the fixed seed and the 20 s (CI also runs the 5-minute one: npm run fuzz).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { latencyTable, mib, runFuzz, summaryLine } from './fuzz';

const seed = Number(process.env.NETLENS_FUZZ_SEED ?? 20240611);
const seconds = Number(process.env.NETLENS_FUZZ_SECONDS ?? 20);

test(`fuzz: ${seconds} s of random edits and requests (seed ${seed})`, async () => {
  const r = await runFuzz({ seed, durationMs: seconds * 1000, documents: 6, log: (l) => console.log(l) });
  console.log(summaryLine(r));
  console.log(latencyTable(r));
  assert.ok(r.alive, 'the server crashed');
  assert.ok(r.edits > 500, `only ${r.edits} edits`);
  const problems = r.issues.map(
    (i) =>
      `${i.kind} at step ${i.step}${i.method ? ` (${i.method})` : ''}: ${i.message.split('\n')[0].slice(0, 300)}${i.reproducer ? ` [${i.reproducer}]` : ''}`,
  );
  assert.deepEqual(problems, [], `seed ${seed}: replay with node out/tools/fuzz/long.js --replay <reproducer>`);
  assert.ok(r.maxLatency.ms <= 2000, `max latency ${r.maxLatency.ms} ms (${r.maxLatency.method})`);
  assert.ok(
    r.memory.endKiB <= r.memory.limitKiB,
    `RSS ${mib(r.memory.endKiB)} after closing everything; baseline ${mib(r.memory.baselineKiB)}, limit ${mib(r.memory.limitKiB)}`,
  );
});
