// The bundles carry yaml's browser build (esbuild.mjs): its Node build reads process.env for every
// token the parser takes, which made parsing a large workspace about twice as slow.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/paths';

for (const bundle of ['serverMain.js', 'parseWorkerMain.js', 'cli.js']) {
  test(`dist/${bundle} bundles yaml without its per-token environment reads`, () => {
    const code = readFileSync(path.join(repoRoot(), 'dist', bundle), 'utf8');
    assert.match(code, /Not a YAML token/, "yaml's parser is bundled");
    assert.doesNotMatch(code, /LOG_TOKENS|LOG_STREAM/);
  });
}
