// Bundles the extension-host test suite for the real-editor tests:
//   suite/index.ts   -> out/e2e/suite/index.js   (exports run(); mocha is bundled in, since the extension host
//                                                 requires this file and need not resolve the repo's node_modules)
//   suite/*.test.ts  -> out/e2e/suite/*.test.js  (one bundle each; index.js finds them at run time)
// 'vscode' stays external: the extension host provides it. Output is CommonJS (the host loads it with require).
// usage: node test/e2e/build.mjs   (from anywhere; paths are relative to the repo)
import * as esbuild from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const suiteDir = path.join(here, 'suite');
export const outDir = path.join(repo, 'out/e2e/suite');

export async function buildSuite() {
  const tests = readdirSync(suiteDir)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => path.join(suiteDir, f));
  if (tests.length === 0) throw new Error(`no *.test.ts in ${suiteDir}`);
  rmSync(outDir, { recursive: true, force: true });
  const common = {
    absWorkingDir: repo,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode'],
    logLevel: 'warning',
    // mocha reaches for optional/browser-only modules it never uses under Node.
    logOverride: { 'require-resolve-not-external': 'silent' },
  };
  await Promise.all([
    esbuild.build({ ...common, entryPoints: [path.join(suiteDir, 'index.ts')], outfile: path.join(outDir, 'index.js') }),
    esbuild.build({ ...common, entryPoints: tests, outdir: outDir }),
  ]);
  return { outDir, tests: tests.map((t) => path.basename(t)) };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { tests } = await buildSuite();
  console.log(`e2e suite: ${tests.length} test file(s) -> ${path.relative(process.cwd(), outDir) || '.'}`);
}
