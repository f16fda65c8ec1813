// All findings for a model, or for one file of it: what the model builder found plus every lint
// rule, sorted by place.
import type { Finding, Model } from '../model/types';
import { LINT_RULES, type LintScope } from './rules';
import { LintContext } from './context';

export function lintModel(model: Model, cx = new LintContext(model), scope?: LintScope): Finding[] {
  const out = [...model.findings];
  for (const rule of LINT_RULES) out.push(...rule.check(model, cx, scope));
  const kept = scope ? out.filter((f) => f.ref.uri === scope.uri) : out;
  return kept.sort((a, b) => (a.ref.uri < b.ref.uri ? -1 : a.ref.uri > b.ref.uri ? 1 : a.ref.start - b.ref.start));
}

export { LintContext, type LintScope };
