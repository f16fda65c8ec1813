// Turning a query result (netlens/query) into short human text: a one-line reason for notifications,
// Markdown for tooltips, titles for report documents.
import * as vscode from 'vscode';
import type * as P from '../../protocol/messages';
import { mdCode, mdLink, mdText } from '../../protocol/markdown';

/**
 * A MarkdownString for text that holds workspace strings: no HTML, not trusted (no command links), theme
 * icons only where asked; every workspace string in it must go through mdText/mdCode/mdLink.
 */
export function safeMarkdown(value = '', themeIcons = false): vscode.MarkdownString {
  const md = new vscode.MarkdownString(value, themeIcons);
  md.isTrusted = false;
  md.supportHtml = false;
  return md;
}

export function target(dto: Pick<P.QueryResultDto, 'to' | 'port' | 'protocol'>): string {
  return dto.port !== null ? `${dto.to}:${dto.port}/${dto.protocol}` : `${dto.to} (any ${dto.protocol} port)`;
}

export function queryTitle(p: { from: string; to: string; port?: number | null; protocol?: string }): string {
  return `Can ${p.from} reach ${p.to}${p.port ? `:${p.port}` : ''}${p.protocol && p.protocol !== 'TCP' ? `/${p.protocol}` : ''}`;
}

export function outcomeLabel(outcome: P.QueryResultDto['outcome']): string {
  switch (outcome) {
    case 'allowed':
      return 'allowed';
    case 'blocked':
      return 'blocked';
    case 'nxdomain':
      return 'does not resolve (NXDOMAIN)';
    case 'no-endpoints':
      return 'has no endpoints';
    case 'dns-blocked':
      return 'does not resolve: DNS traffic blocked';
  }
}

/** The step that best explains the outcome, in one line. */
export function shortReason(dto: P.QueryResultDto): string {
  const steps = dto.steps;
  const last = <T>(xs: T[]): T | undefined => xs[xs.length - 1];
  let step: P.QueryStepDto | undefined;
  if (dto.outcome === 'blocked') {
    step =
      steps.find((s) => (s.kind === 'egress' || s.kind === 'ingress') && /\bdenied\b/.test(s.text)) ??
      steps.find((s) => s.kind === 'service' && /refused|not an endpoint/.test(s.text)) ??
      last(steps.filter((s) => s.kind === 'verdict'));
  } else if (dto.outcome === 'allowed') {
    step = last(steps.filter((s) => s.kind === 'verdict')) ?? last(steps.filter((s) => s.kind === 'egress' || s.kind === 'ingress'));
  } else if (dto.outcome === 'dns-blocked') {
    step = steps.find((s) => s.kind === 'dns' && /\bblocked\b/.test(s.text)) ?? last(steps.filter((s) => s.kind === 'verdict'));
  } else if (dto.outcome === 'nxdomain') {
    step = last(steps.filter((s) => s.kind === 'verdict' || s.kind === 'dns'));
  } else {
    step = last(steps.filter((s) => s.kind === 'service' || s.kind === 'note'));
  }
  return (step ?? last(steps))?.text ?? '';
}

function outcomeIcon(outcome: P.QueryResultDto['outcome']): string {
  return outcome === 'allowed' ? '$(pass-filled)' : '$(error)';
}

const HEADINGS: Record<string, string> = {
  dns: 'DNS',
  service: 'Service',
  egress: 'Egress',
  ingress: 'Ingress',
  verdict: 'Verdict',
  note: 'Note',
};

/** Markdown for a tooltip or hover: outcome, then each step with a link to its source. */
export function explanationMarkdown(dto: P.QueryResultDto): vscode.MarkdownString {
  const md = safeMarkdown('', true);
  md.appendMarkdown(`${outcomeIcon(dto.outcome)} **${escape(dto.from)}** → **${escape(target(dto))}**: ${outcomeLabel(dto.outcome)}\n\n`);
  for (const s of dto.steps) {
    md.appendMarkdown(`- *${HEADINGS[s.kind] ?? s.kind}*: ${escape(s.text)}`);
    if (s.location) {
      const at = `L${s.location.range.start.line + 1},${s.location.range.start.character + 1}`;
      md.appendMarkdown(` (${mdLink('source', s.location.uri, at)})`);
    }
    md.appendMarkdown('\n');
  }
  return md;
}

/** Workspace text as literal Markdown (see protocol/markdown.ts). */
export const escape = mdText;
export { mdCode };
