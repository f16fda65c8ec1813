// Extension-host test entry, in the @vscode/test-electron model: VS Code (or code-server, see ../run.mjs)
// `require`s this module inside the extension host and awaits run(); a rejection means failure.
// build.mjs bundles it (with mocha inside) to out/e2e/suite/index.js and each *.test.ts beside it, so a new test
// file in this folder is picked up without touching this file. Test files use mocha's TDD globals
// (suite/test/suiteSetup...), set up by mocha before each file is loaded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

interface TestRecord {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs: number;
  error?: string;
}

export async function run(): Promise<void> {
  const resultsFile = process.env.NETLENS_E2E_RESULTS;
  const grep = process.env.NETLENS_E2E_GREP;
  const mocha = new Mocha({
    ui: 'tdd',
    color: false,
    reporter: 'spec',
    timeout: Number(process.env.NETLENS_E2E_TEST_TIMEOUT_MS || 90_000),
    ...(grep ? { grep } : {}),
  });
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  if (files.length === 0) throw new Error(`no *.test.js files next to ${__filename}`);
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  const records: TestRecord[] = [];
  const write = (done: boolean, failures: number) => {
    if (!resultsFile) return;
    fs.mkdirSync(path.dirname(resultsFile), { recursive: true });
    fs.writeFileSync(resultsFile, JSON.stringify({ done, failures, files, tests: records }, null, 2));
  };
  write(false, 0);

  const failures = await new Promise<number>((resolve, reject) => {
    try {
      const runner = mocha.run((n) => resolve(n));
      runner.on('pass', (t) => {
        records.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration ?? 0 });
        write(false, 0);
      });
      runner.on('pending', (t) => {
        records.push({ title: t.fullTitle(), state: 'pending', durationMs: 0 });
      });
      runner.on('fail', (t, err: Error) => {
        records.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration ?? 0, error: String(err?.stack ?? err) });
        write(false, 0);
      });
    } catch (e) {
      reject(e);
    }
  });
  write(true, failures);
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}
