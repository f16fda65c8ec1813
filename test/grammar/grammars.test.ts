// Runs the TextMate grammar tests (test/grammar/*.test.*) with vscode-tmgrammar-test, once for each
// configuration test/grammar/grammars.*.json. Each configuration lists the NetLens grammars plus one
// YAML base grammar taken from node_modules (the injection into YAML cannot be tested without one).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../support/paths';

const root = repoRoot();
const grammarDir = path.join(root, 'test', 'grammar');
const cli = path.join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
const configs = readdirSync(grammarDir).filter((f) => /^grammars\..+\.json$/.test(f)).sort();
const cases = readdirSync(grammarDir).filter((f) => /\.test\./.test(f) && !f.endsWith('.ts')).sort();

test('grammar test files and configurations are present', () => {
  assert.ok(configs.length > 0, 'no test/grammar/grammars.*.json');
  assert.ok(cases.length > 0, 'no test/grammar/*.test.* files');
  assert.ok(existsSync(cli), 'devDependency vscode-tmgrammar-test is not installed');
});

for (const config of configs) {
  const configPath = path.join(grammarDir, config);
  const grammars: { path: string }[] = JSON.parse(readFileSync(configPath, 'utf8')).contributes.grammars;
  for (const g of grammars) {
    const file = path.resolve(grammarDir, g.path);
    test(`${config}: grammar file ${path.relative(root, file)} exists`, () => {
      assert.ok(existsSync(file), `missing ${file} (is its devDependency installed?)`);
    });
  }
  for (const name of cases) {
    test(`${config}: ${name}`, () => {
      const r = spawnSync(process.execPath, [cli, '--compact', '--config', path.relative(root, configPath), path.join('test', 'grammar', name)], {
        cwd: root,
        encoding: 'utf8',
      });
      assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
    });
  }
}
