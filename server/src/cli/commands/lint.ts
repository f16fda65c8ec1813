import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, opt } from '../args';
import { lintSarif } from '../../engine/report/sarif';
import { parseRulesDoc } from '../../engine/report/rulesDoc';
import { textField } from '../../engine/report/escape';
import { fixesFor } from '../../engine/lint/fixes';
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
  const { model, locator, sources, scopeFindings, origins } = await loadModel(a.positionals, cx);
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
  else if (format === 'sarif') {
    const texts = new Map(sources.map((x) => [x.uri, x.text]));
    const fixes = (f: Finding) => fixesFor(f, { model, text: (uri) => texts.get(uri) });
    cx.out(`${JSON.stringify(lintSarif(findings, locator, parseRulesDoc(readRulesDoc()), fixes), null, 1)}\n`);
  } else {
    for (const f of findings) cx.out(`${textField(locator.format(f.ref))}: ${f.severity}: ${textField(f.message)} [${f.code}]\n`);
    // file-level skips (binary, too large, unreadable) have no range: point at the start of the file
    for (const s of model.skipped) cx.out(`${s.ref ? locator.format(s.ref) : `${s.uri}:1:1`}: info: skipped: ${s.reason} [skipped]\n`);
  }
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

function findingJson(f: Finding, locator: Locator) {
  const l = locator.locate(f.ref);
  return { file: l.file, line: l.line, col: l.col, severity: f.severity, code: f.code, message: f.message };
}

/** docs/rules.md next to the bundle (dist/../docs) or in the source tree; empty when not shipped. */
export function readRulesDoc(): string {
  for (const p of [path.join(__dirname, '..', 'docs', 'rules.md'), path.join(__dirname, '..', '..', 'docs', 'rules.md')]) {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      /* next */
    }
  }
  return '';
}
