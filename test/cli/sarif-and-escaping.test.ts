// SARIF 2.1.0 from `lint` and `diff`, validated against the official SARIF 2.1.0 JSON schema (the one
// @microsoft/jest-sarif ships; its `language` pattern is not a Unicode regexp, and formats are not checked)
// with a real validator (Ajv, draft-04); and hostile workspace text
// (newlines, escape sequences, bidi overrides, `::` workflow commands, Markdown/HTML, formula
// prefixes) made harmless in every diff format.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv-draft-04';
import { fixturePath, repoRoot, runCli } from '../support/paths';
import { csvCell, guardOutput, mdCell, textField } from '../../server/src/engine/report/escape';

const schema = JSON.parse(
  readFileSync(path.join(repoRoot(), 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'),
);
const validate = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: false, logger: false }).compile(schema);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a parsed log, checked by the schema
const assertSarif = (text: string): any => {
  const log: unknown = JSON.parse(text);
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 1));
  return log;
};

const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-sarif-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('the validator rejects a log that is not SARIF', () => {
  assert.equal(validate({ version: '2.1.0', runs: [{ results: [] }] }), false, 'a run needs a tool');
  assert.equal(validate({ version: '2.0.0', runs: [] }), false);
});

test('lint --format sarif: schema-valid, rule metadata from docs/rules.md, quick fixes as SARIF fixes', () => {
  const res = runCli([
    'lint',
    '--format',
    'sarif',
    fixturePath('rules', 'service-port-in-policy', 'triggers.yaml'),
    fixturePath('rules', 'selector-matches-nothing', 'triggers.yaml'),
  ]);
  const log = assertSarif(res.stdout);
  const rules = log.runs[0].tool.driver.rules as { id: string; shortDescription?: { text: string } }[];
  const spp = rules.find((r) => r.id === 'service-port-in-policy');
  assert.ok(spp?.shortDescription?.text.includes('targetPort'), JSON.stringify(rules));
  const results = log.runs[0].results as { ruleId: string; fixes?: unknown[]; locations: unknown[] }[];
  assert.ok(
    results.some((r) => r.ruleId === 'service-port-in-policy' && r.fixes?.length),
    'the quick fix is a SARIF fix',
  );
  assert.ok(results.every((r) => r.locations.length === 1));
});

const HOSTILE = 'evil\n::error::pwned\u001b[2J\u202e<img src=x onerror=alert(1)>|=cmd()';

test('escape.ts: each format makes hostile text harmless', () => {
  const t = textField(HOSTILE);
  // eslint-disable-next-line no-control-regex -- looking for control characters is the point
  assert.ok(!/[\n\u001b\u202e]/.test(t), t);
  assert.ok(t.includes('\\n') && t.includes('\\u001b') && t.includes('\\u202e'));
  const m = mdCell(HOSTILE);
  assert.ok(!/(^|[^\\])[<|]/.test(m), m);
  assert.ok(!m.includes('\n'));
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell('@SUM(1)'), "'@SUM(1)");
  assert.equal(csvCell('-2+3'), "'-2+3");
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(guardOutput('ok\n::set-output name=x::y\n  ::warning::z\n'), 'ok\n\\u003a:set-output name=x::y\n  \\u003a:warning::z\n');
  assert.equal(guardOutput('{"a": "\u202e"}'), '{"a": "\\u202e"}', 'JSON stays JSON');
});

test(
  'diff with hostile names: no raw control characters, no workflow-command lines, no HTML, no formulas; SARIF valid',
  { skip: spawnSync('git', ['--version']).status === 0 ? false : 'git is not installed' },
  () => {
    const dir = path.join(tmp, 'hostile');
    const g = (...a: string[]) => assert.equal(spawnSync('git', a, { cwd: dir }).status, 0, `git ${a.join(' ')}`);
    spawnSync('mkdir', [dir]);
    g('init', '-q');
    g('config', 'user.email', 't@example.com');
    g('config', 'user.name', 't');
    g('commit', '-q', '--allow-empty', '-m', 'empty');
    const name = JSON.stringify(`=x\n::error::pwned\u001b[2J\u202e<b>|`);
    writeFileSync(
      path.join(dir, 'a.yaml'),
      `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: "@ns"}\nspec: {containers: [{name: c, image: c}]}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: b, namespace: "@ns"}\nspec: {containers: [{name: c, image: c}]}\n`,
    );
    for (const format of ['text', 'md', 'csv', 'json', 'sarif']) {
      const res = runCli(['diff', '--format', format], dir);
      assert.equal(res.status, 0, res.stderr);
      assert.ok(res.stdout.includes('pwned'), `${format}: the entry is there:\n${res.stdout}`);
      assert.ok(
        // eslint-disable-next-line no-control-regex -- looking for control characters is the point
        !/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(res.stdout),
        `${format}: raw control or bidi character`,
      );
      assert.ok(!/^\s*::/m.test(res.stdout), `${format}: a line starts a workflow command`);
      if (format === 'md') assert.ok(!/(^|[^\\])<b>/.test(res.stdout) && !/[^\\]\|=/.test(res.stdout), res.stdout);
      if (format === 'csv')
        for (const line of res.stdout.split('\n').slice(1))
          for (const cell of line.split(',')) assert.ok(!/^"?[=+@]/.test(cell), `csv cell ${cell}`);
      if (format === 'json') JSON.parse(res.stdout);
      if (format === 'sarif') assertSarif(res.stdout);
      // the two new pods, isolated by no policy, are newly exposed: that finding is escaped and valid too
      if (format === 'sarif')
        assert.ok(
          (JSON.parse(res.stdout) as { runs: { results: { ruleId: string; message: { text: string } }[] }[] }).runs[0].results.some(
            (r) => r.ruleId === 'newly-exposed' && r.message.text.includes('pwned'),
          ),
        );
      if (format !== 'csv') assert.match(res.stdout, /newly|newlyExposed/i, `${format}: the newly exposed pods are listed`);
    }
  },
);
