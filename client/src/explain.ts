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

/** A workload id without its kind suffix ("shop/frontend[Deployment]" -> "shop/frontend"), for titles. */
export function readableId(id: string): string {
  return id.replace(/\[[^\]]*\](?=$|\/)/g, '');
}

/** The report's title: "Can shop/frontend reach cart:7070" (kinds left out: the report names them). */
export function queryTitle(p: { from: string; to: string; port?: number | null; protocol?: string }): string {
  return `Can ${readableId(p.from)} reach ${readableId(p.to)}${p.port ? `:${p.port}` : ''}${p.protocol && p.protocol !== 'TCP' ? `/${p.protocol}` : ''}`;
}

/** The notification's one sentence: the question and the server's verdict (engine/report/pairVerdict's wording). */
export function verdictSentence(dto: P.QueryResultDto): string {
  const verdict = dto.verdict.charAt(0).toUpperCase() + dto.verdict.slice(1);
  return `${queryTitle(dto)}? ${verdict}.`;
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
