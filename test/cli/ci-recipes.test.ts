// The CI recipes of docs/ci.md stay true: each YAML block parses, and every `netlens` command line
// it runs names a command of the CLI with options that command's help lists.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot, runCli } from '../support/paths';

const doc = readFileSync(path.join(repoRoot(), 'docs', 'ci.md'), 'utf8');
const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);

/** Every string in a parsed YAML value (run: steps, script: lines). */
function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

test('docs/ci.md has a GitHub Actions and a GitLab CI recipe, both valid YAML', () => {
  assert.equal(blocks.length, 2);
  const [gha, gitlab] = blocks.map((b) => parse(b, { strict: true }) as Record<string, unknown>);
  assert.ok((gha.jobs as Record<string, unknown>).connectivity, 'a GitHub Actions job');
  assert.ok((gitlab.netlens as Record<string, unknown>).script, 'a GitLab job with a script');
});

test('every netlens command the recipes run exists, with the options it passes', () => {
  const calls = blocks
    .flatMap((b) => strings(parse(b)))
    .flatMap((s) => s.split('\n'))
    .flatMap((line) => [...line.matchAll(/(?:^|\s)netlens ([a-z]+)((?: --?[a-z-]+(?: (?:"[^"]*"|[^\s-][^\s]*))?)*)/g)]);
  assert.ok(calls.length >= 6, `found ${calls.length} netlens calls`);
  for (const [, command, opts] of calls) {
    const help = runCli([command, '--help']);
    assert.equal(help.status, 0, `netlens ${command} is not a command: ${help.stderr}`);
    for (const o of opts.match(/--[a-z-]+/g) ?? []) assert.ok(help.stdout.includes(o), `netlens ${command} has no option ${o}`);
    for (const f of opts.match(/--format (\w+)/g) ?? []) assert.ok(help.stdout.includes(f.split(' ')[1]), `netlens ${command}: ${f}`);
  }
});
