// All findings for a model: what the model builder found plus every lint rule, sorted by place.
import type { Finding, Model } from '../model/types';
import { LINT_RULES } from './rules';
import { LintContext } from './context';

export function lintModel(model: Model, cx = new LintContext(model)): Finding[] {
  const out = [...model.findings];
  for (const rule of LINT_RULES) out.push(...rule.check(model, cx));
  return out.sort((a, b) => (a.ref.uri < b.ref.uri ? -1 : a.ref.uri > b.ref.uri ? 1 : a.ref.start - b.ref.start));
}

export { LintContext };
