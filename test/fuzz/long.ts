// Long fuzz runs from the command line (not part of npm test).
//   node out/tools/fuzz/long.js [--seed N] [--minutes M | --seconds S | --edits N | --until-step N] [--documents D]
//                              [--runs K] [--repro-dir DIR] [--latency-limit MS] [--json]
//   node out/tools/fuzz/long.js --replay test-results/fuzz/repro-....json
// Without --seed the seed comes from the clock (and is printed). --runs K runs seeds N, N+1, ...
// Exits 1 when any run found a crash, an error response, a slow answer or memory not coming back.
import path from 'node:path';
import { latencyTable, replay, runFuzz, summaryLine, type FuzzResult } from './fuzz';

function arg(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

function num(argv: string[], name: string): number | undefined {
  const v = arg(argv, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new Error(`${name} needs a number, got ${v}`);
  return n;
}

export function failures(r: FuzzResult): string[] {
  const out = r.issues.map(
    (i) =>
      `${i.kind} at step ${i.step}${i.method ? ` (${i.method})` : ''}: ${i.message.split('\n')[0].slice(0, 300)}${i.reproducer ? ` [${i.reproducer}]` : ''}`,
  );
  if (!r.alive && !r.issues.some((i) => i.kind === 'crash')) out.push('the server is not running at the end');
  return out;
}

async function main(argv: string[]): Promise<number> {
  const replayFile = arg(argv, '--replay');
  if (replayFile) return (await replay(path.resolve(replayFile))).ok ? 0 : 1;
  const seed = num(argv, '--seed') ?? Date.now() % 1_000_000;
  const minutes = num(argv, '--minutes');
  const seconds = num(argv, '--seconds');
  const edits = num(argv, '--edits');
  const untilStep = num(argv, '--until-step');
  const durationMs =
    minutes !== undefined
      ? minutes * 60_000
      : seconds !== undefined
        ? seconds * 1000
        : edits === undefined && untilStep === undefined
          ? 600_000
          : undefined;
  const runs = num(argv, '--runs') ?? 1;
  const reproDir = arg(argv, '--repro-dir');
  let failed = 0;
  for (let k = 0; k < runs; k++) {
    const r = await runFuzz({
      seed: seed + k,
      ...(durationMs !== undefined ? { durationMs } : {}),
      ...(edits !== undefined ? { edits } : {}),
      ...(untilStep !== undefined ? { untilStep } : {}),
      documents: num(argv, '--documents') ?? 6,
      ...(num(argv, '--latency-limit') !== undefined ? { latencyLimitMs: num(argv, '--latency-limit') } : {}),
      ...(reproDir ? { reproDir: path.resolve(reproDir) } : {}),
      progressEveryMs: 30_000,
      log: (l) => console.log(l),
    });
    console.log(summaryLine(r));
    console.log(latencyTable(r));
    if (argv.includes('--json')) console.log(JSON.stringify(r));
    const f = failures(r);
    if (f.length) {
      failed++;
      console.log(`FAILED (seed ${r.seed}):\n${f.map((x) => `  ${x}`).join('\n')}`);
    }
  }
  return failed ? 1 : 0;
}

// Not when `node --test out/test/` picks this file up.
if (require.main === module && !process.env.NODE_TEST_CONTEXT) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(2);
    },
  );
}
