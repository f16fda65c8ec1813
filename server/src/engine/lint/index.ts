// All findings for a model, or for some of its files: what the model builder found plus every lint
// rule, sorted by place.
import type { Finding, Model } from '../model/types';
import { LINT_RULES, type LintScope } from './rules';
import { LintContext } from './context';

export function lintModel(model: Model, cx = new LintContext(model), scope?: LintScope): Finding[] {
  const out = scope ? model.findings.filter((f) => scope.uris.has(f.ref.uri)) : [...model.findings];
  for (const rule of LINT_RULES) out.push(...rule.check(model, cx, scope));
  const kept = scope ? out.filter((f) => scope.uris.has(f.ref.uri)) : out;
  return kept.sort((a, b) => (a.ref.uri < b.ref.uri ? -1 : a.ref.uri > b.ref.uri ? 1 : a.ref.start - b.ref.start));
}

export { LintContext, type LintScope };
