// .netlens.yaml at the folder given names, hides and adds scopes; a line it cannot use is a scope-config
// finding at that line, and the rest still applies.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, runCli } from '../support/paths';

const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-scope-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
cpSync(path.join(repoRoot(), 'examples', 'kustomize'), dir, { recursive: true });
writeFileSync(
  path.join(dir, '.netlens.yaml'),
  [
    'scopes:',
    '  - id: kustomize:overlays/prod',
    '    name: production',
    '  - id: kustomize:overlays/dev',
    '    hide: true',
    '  - kustomize: base',
    '    name: base alone',
    '  - id: kustomize:overlays/nope',
    '  - helm: charts/web',
    '    hide: maybe',
    '',
  ].join('\n'),
);

test('.netlens.yaml: named, hidden and added scopes; bad lines are scope-config findings there', () => {
  const r = runCli(['scopes', '.'], dir);
  assert.equal(r.status, 0, r.stderr);
  const list = JSON.parse(r.stdout) as { id: string; name?: string }[];
  assert.deepEqual(
    list.map((s) => [s.id, s.name]),
    [
      ['kustomize:overlays/prod', 'production'],
      ['kustomize:base', 'base alone'],
    ],
  );
  assert.match(r.stderr, /\.netlens\.yaml: warning: "hide" must be true or false \[scope-config\]/);
  assert.match(r.stderr, /no scope "kustomize:overlays\/nope"/);

  // a configured name selects the scope; the findings are at their lines in lint
  const lint = runCli(['--scope', 'production', 'lint', '.'], dir);
  assert.match(lint.stdout, /\.netlens\.yaml:8:5: warning: no scope "kustomize:overlays\/nope".*\[scope-config\]/);
  assert.match(lint.stdout, /\.netlens\.yaml:10:11: warning: "hide" must be true or false \[scope-config\]/);
  const base = runCli(['--scope', 'kustomize:base', 'matrix', '--format', 'json', '.'], dir);
  assert.equal(base.status, 0, base.stderr);
});
