// netlens scopes PATH... (the scopes as JSON) and netlens render [--scope ID] PATH... (a scope's objects as
// multi-document YAML, as `kubectl kustomize` prints them).
import path from 'node:path';
import { parseArgs } from '../args';
import type { CommandContext } from '../context';
import { loadScopes, pickScope, viewOf } from '../scopes';

export const scopesHelp = `usage: netlens [global options] scopes PATH...

Prints the analysis scopes under the paths as JSON: [{"id", "kind", "root", "files"}], kind one of
kustomize (an overlay no other kustomization includes), helm (a chart with one values file) or loose
(files no kustomization or chart includes). Give an id to the global --scope option.`;

export const renderHelp = `usage: netlens [global options] render PATH...

Prints the objects of the scope (global --scope ID; default: the only one) as multi-document YAML, as
\`kubectl kustomize\` prints them. The loose scope prints its files one after another.`;

const rel = (p: string) => path.relative(process.cwd(), p) || '.';

export async function runScopes(argv: string[], cx: CommandContext): Promise<number> {
  const a = parseArgs(argv, {});
  const cs = await loadScopes(a.positionals, cx.maxFileBytes, undefined, cx);
  for (const f of cs.configFindings) cx.err(`${rel(f.ref.uri)}: ${f.severity}: ${f.message} [${f.code}]\n`);
  const list = cs.scopes.map((s) => ({
    id: s.id,
    kind: s.kind,
    root: rel(s.root),
    files: s.files.map(rel),
    ...(s.name ? { name: s.name } : {}),
  }));
  cx.out(`${JSON.stringify(list, null, 1)}\n`);
  return 0;
}

export async function runRender(argv: string[], cx: CommandContext): Promise<number> {
  const a = parseArgs(argv, {});
  const cs = await loadScopes(a.positionals, cx.maxFileBytes, undefined, cx);
  const scope = pickScope(cs, cx.scope);
  const view = await viewOf(cs, scope);
  for (const f of view.findings) cx.err(`${rel(f.ref.uri.replace(/#.*$/, ''))}: ${f.severity}: ${f.message} [${f.code}]\n`);
  if (view.rendered !== undefined) cx.out(view.rendered);
  else cx.out(view.sources.map((s) => (s.text.endsWith('\n') ? s.text : `${s.text}\n`)).join('---\n'));
  return view.findings.some((f) => f.severity === 'error') ? 1 : 0;
}
