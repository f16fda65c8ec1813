import { parseArgs, opt } from '../args';
import { loadModel } from '../load';
import { lintModel } from '../../engine/lint';
import type { CommandContext } from '../context';
import type { Finding } from '../../engine/model/types';
import type { Locator } from '../../engine/report/locate';

export const lintHelp = `usage: netlens [global options] lint [--format text|json|sarif] PATH...

Prints the diagnostics the editor shows, as file:line:col: severity: message [code].
Exit status 1 when any diagnostic has error severity, else 0.`;

export async function runLint(argv: string[], cx: CommandContext): Promise<number> {
  const a = parseArgs(argv, { '--format': { value: true, choices: ['text', 'json', 'sarif'] } });
  const { model, locator, scopeFindings, origins } = await loadModel(a.positionals, cx);
  // a rendered scope's findings are told at their sources (the locator maps their places)
  const findings = [...scopeFindings, ...lintModel(model).map((f) => (origins ? origins.mapFinding(f) : f))];
  const format = opt(a, '--format') ?? 'text';
  if (format === 'json')
    cx.out(
      `${JSON.stringify(
        findings.map((f) => findingJson(f, locator)),
        null,
        1,
      )}\n`,
    );
  else if (format === 'sarif') cx.out(`${JSON.stringify(sarif(findings, locator), null, 1)}\n`);
  else {
    for (const f of findings) cx.out(`${locator.format(f.ref)}: ${f.severity}: ${f.message} [${f.code}]\n`);
    // file-level skips (binary, too large, unreadable) have no range: point at the start of the file
    for (const s of model.skipped) cx.out(`${s.ref ? locator.format(s.ref) : `${s.uri}:1:1`}: info: skipped: ${s.reason} [skipped]\n`);
  }
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

function findingJson(f: Finding, locator: Locator) {
  const l = locator.locate(f.ref);
  return { file: l.file, line: l.line, col: l.col, severity: f.severity, code: f.code, message: f.message };
}

function sarif(findings: Finding[], locator: Locator) {
  const level = (s: Finding['severity']) => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');
  return {
    version: '2.1.0',
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    runs: [
      {
        tool: {
          driver: {
            name: 'netlens',
            informationUri: 'https://github.com/netlens/netlens',
            rules: [...new Set(findings.map((f) => f.code))].map((id) => ({ id })),
          },
        },
        results: findings.map((f) => {
          const l = locator.locate(f.ref);
          return {
            ruleId: f.code,
            level: level(f.severity),
            message: { text: f.message },
            locations: [{ physicalLocation: { artifactLocation: { uri: l.file }, region: { startLine: l.line, startColumn: l.col } } }],
          };
        }),
      },
    ],
  };
}
