// The lint rules (docs/rules.md has one section per code).
import type { Finding, Model } from '../model/types';

export interface LintRule {
  code: string;
  check(model: Model): Finding[];
}

export const LINT_RULES: LintRule[] = [];
