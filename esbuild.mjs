// Bundles the extension client, the language server and the CLI into dist/, and the node:test
// suites into out/test/ (Node 20 cannot run TypeScript directly).
// usage: node esbuild.mjs [--watch] [--tests] [--production]
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync } from 'node:fs';
import path from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: true,
  minify: production,
  logLevel: 'warning',
};

const entries = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js', external: ['vscode'] },
  { entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (name === 'e2e' || name === 'fixtures' || name === 'node_modules') continue;
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.ts') || (dir.includes('bench') && name.endsWith('.ts'))) out.push(p);
  }
  return out;
}

const builds = entries.map((e) => ({ ...common, ...e }));
if (args.has('--tests')) {
  rmSync('out/test', { recursive: true, force: true });
  builds.push({ ...common, entryPoints: testFiles('test'), outdir: 'out/test', outbase: 'test', external: ['vscode'] });
}

if (args.has('--watch')) {
  for (const b of builds) (await esbuild.context(b)).watch();
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
