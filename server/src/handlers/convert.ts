// Engine offsets and severities -> LSP ranges and diagnostics.
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { Finding, Severity, SourceRef } from '../engine/model/types';
import type { SeverityOverrides } from '../settings';
import type { Snapshot } from '../workspace/snapshot';

const RULES_DOC = 'https://github.com/netlens/netlens/blob/main/docs/rules.md';

export function toRange(snap: Snapshot, ref: SourceRef): Range {
  const li = snap.lines(ref.uri);
  return { start: li.position(ref.start), end: li.position(Math.max(ref.end, ref.start)) };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(snap: Snapshot, f: Finding, overrides: SeverityOverrides): Diagnostic | undefined {
  const sev = overrides[f.code] ?? f.severity;
  if (sev === 'off') return undefined;
  const d: Diagnostic = {
    range: toRange(snap, f.ref),
    severity: SEVERITY[sev] ?? DiagnosticSeverity.Warning,
    source: 'netlens',
    code: f.code,
    codeDescription: { href: `${RULES_DOC}#${f.code}` },
    message: f.message,
  };
  if (f.related?.length)
    d.relatedInformation = f.related.map((r) => ({ location: { uri: r.ref.uri, range: toRange(snap, r.ref) }, message: r.message }));
  if (f.data) d.data = f.data;
  return d;
}
