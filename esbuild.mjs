// Bundles the extension client, the language server, the CLI and the matrix webview's script into dist/, and the node:test
// suites into out/test/ (Node 20 cannot run TypeScript directly).
// usage: node esbuild.mjs [--watch] [--tests] [--production]
import * as esbuild from 'esbuild';
import { readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');

// The engine's content hash: persisted indexes are reused only by the same engine code.
function engineHash(dir = 'server/src/engine') {
  const h = createHash('sha1');
  const walk = (d) => {
    for (const n of readdirSync(d).sort()) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else h.update(p).update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex').slice(0, 16);
}
const version = JSON.parse(readFileSync('package.json', 'utf8')).version;

// The Kubernetes schema the engine validates against (server/src/engine/schema/k8sSchema.generated.json)
// is generated from a pinned kubernetes-models and committed: `npm run schema` regenerates it, CI checks it.

// yaml's Node build reads process.env.LOG_TOKENS for every token its parser takes (a getenv call
// each): on 15.7 MB of manifests that is about half of the CST parser's time. Its browser build is
// the same code without those debug hooks (and with atob for !!binary, a YAML 1.1 tag we never
// load), so the bundles take that one. docs/performance.md has the measurement.
const yamlWithoutEnvReads = path.resolve('node_modules/yaml/browser/index.js');

const common = {
  alias: { yaml: yamlWithoutEnvReads },
  define: { NETLENS_BUILD: JSON.stringify(`${version}-${engineHash()}`), NETLENS_VERSION: JSON.stringify(version) },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // the package ships without source maps (5.5 of its 7 MB); development builds keep them
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
};

const entries = [
  // dist/client.js is the extension's small entry: it forks the server, then loads dist/clientMain.js (client/src/main.ts)
  { entryPoints: ['client/src/main.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/clientMain.js', external: ['vscode'] },
  // dist/server.js is a small loader that compiles dist/serverMain.js with V8's code cache (server/src/codeCache.ts)
  { entryPoints: ['server/src/bootstrap.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/main.ts'], outfile: 'dist/serverMain.js' },
  // dist/parseWorker.js is the parse workers' loader: the worker itself, dist/parseWorkerMain.js, runs through the same code cache
  { entryPoints: ['server/src/workspace/parseWorkerBoot.ts'], outfile: 'dist/parseWorker.js' },
  { entryPoints: ['server/src/workspace/parseWorker.ts'], outfile: 'dist/parseWorkerMain.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
  // the matrix webview's script runs in the webview's page (loaded by client/src/views/matrixPanel.ts)
  {
    entryPoints: ['client/src/webview/matrix/main.ts'],
    outfile: 'dist/webview/matrix.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
  // the graph webview's script, with its layout library (dagre) bundled in (client/src/views/graphPanel.ts)
  {
    entryPoints: ['client/src/webview/graph/main.ts'],
    outfile: 'dist/webview/graph.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

// Test files (*.test.ts) go to out/test, where `node --test out/test/` runs every .js file;
// scripts (the benchmark, the long fuzz run, the seed checks over LSP) go to out/tools, so the test runner never picks them up.
function testFiles(dir, wanted) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name === 'e2e' || name === 'fixtures' || name === 'node_modules') continue;
    if (statSync(p).isDirectory()) out.push(...testFiles(p, wanted));
    else if (wanted(p, name)) out.push(p);
  }
  return out;
}
const isTest = (_p, name) => name.endsWith('.test.ts');
const isScript = (p, name) =>
  !name.endsWith('.test.ts') &&
  name.endsWith('.ts') &&
  /^test[\\/](bench|fuzz|seed|kustomize)[\\/]/.test(p) &&
  !/[\\/]lib[\\/]/.test(p) &&
  /^(run|long|generate|conformance)\.ts$/.test(name);

// The bundles are minified in development builds too (whitespace, syntax and local names; function and
// class names kept, source maps beside them), so that what the benchmark and the real-editor tests start is
// what the package ships: the server's bundle is 40 % smaller and Node compiles it faster (activation waits
// for that compile; docs/performance.md, Extension activation). keepNames keeps stack traces and CPU
// profiles readable without the maps. Tests and scripts (out/) are not minified.
const builds = entries.map((e) => ({ ...common, minify: true, keepNames: true, ...e }));
if (args.has('--tests')) {
  rmSync('out/test', { recursive: true, force: true });
  builds.push({ ...common, entryPoints: testFiles('test', isTest), outdir: 'out/test', outbase: 'test', external: ['vscode'] });
  const scripts = testFiles('test', isScript);
  if (scripts.length) builds.push({ ...common, entryPoints: scripts, outdir: 'out/tools', outbase: 'test' });
}

if (args.has('--watch')) {
  for (const b of builds) (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
