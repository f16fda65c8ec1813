// What the NetLens status bar item says for a netlens/status answer (no vscode import: tested in
// test/client). The scope shows only when the workspace has several (overlays, charts, loose files), and
// then a click picks another; with one scope a click shows the NetLens views.
import type * as P from '../../protocol/messages';

export const SELECT_SCOPE_COMMAND = 'netlens.selectScope';
export const FOCUS_VIEW_COMMAND = 'netlens.reachability.focus';

export interface StatusBarView {
  text: string;
  tooltip: string;
  command: { title: string; command: string };
}

export function statusBarView(s: P.StatusResult): StatusBarView {
  // a scope named in .netlens.yaml or the netlens.scopes setting shows by its name
  const scope = s.scopeCount > 1 ? (s.scopeName ?? s.scope) : undefined;
  const counts = `$(error) ${s.findings.error} $(warning) ${s.findings.warning}`;
  const found = `${s.findings.error} errors, ${s.findings.warning} warnings, ${s.findings.info} info in ${s.files} files`;
  return {
    text: `$(shield) NetLens${scope ? `: ${scope}` : ''}  ${counts}${s.findingsUpToDate ? '' : ' $(sync~spin)'}`,
    tooltip: [
      `NetLens: ${found}${s.findingsUpToDate ? '' : ' (counting…)'}`,
      ...(scope
        ? [`Scope: ${scope}${s.scopeName !== undefined ? ` (${s.scope})` : ''} (${s.scopeCount} scopes; click to pick another)`]
        : []),
    ].join('\n'),
    command: scope ? { title: 'Select Scope', command: SELECT_SCOPE_COMMAND } : { title: 'Show NetLens', command: FOCUS_VIEW_COMMAND },
  };
}
