// The lint rules (docs/rules.md has one section per code). Each rule is a pure function of the model.
import type { Finding, Model } from '../model/types';
import type { LintContext } from './context';
import { selectorMatchesNothing } from './rules/selectorMatchesNothing';
import { namespaceLabelUnknown } from './rules/namespaceLabelUnknown';
import { namedPortUnknown } from './rules/namedPortUnknown';
import { servicePortInPolicy } from './rules/servicePortInPolicy';
import { peersMaybeAnd } from './rules/peersMaybeAnd';
import { rulesIgnored } from './rules/rulesIgnored';
import { policyNamespaceEmpty } from './rules/policyNamespaceEmpty';
import { serviceEndpointsRule } from './rules/serviceEndpoints';
import { cniNotEnforcing } from './rules/cniNotEnforcing';
import { dnsEgressBlocked } from './rules/dnsEgressBlocked';
import { hostReferences } from './rules/hostReferences';
import { labelValueUnknown } from './rules/labelValueUnknown';
import { adminPolicyNotEnforced } from './rules/adminPolicyNotEnforced';
import { adminPassToDefault } from './rules/adminPassToDefault';
import { adminRuleShadowed } from './rules/adminRuleShadowed';
import { ciliumPolicyNotEnforced } from './rules/ciliumPolicyNotEnforced';
import { calicoPolicies } from './rules/calicoPolicies';

/** Lint only what these files define (their findings are the same as a whole-workspace lint's for them). */
export interface LintScope {
  uris: ReadonlySet<string>;
}

export interface LintRule {
  /** the codes this rule emits */
  codes: string[];
  /** Findings for the objects in scope (every object when there is no scope); may return others, which the caller drops. */
  check(model: Model, cx: LintContext, scope?: LintScope): Finding[];
}

export const LINT_RULES: LintRule[] = [
  selectorMatchesNothing,
  namespaceLabelUnknown,
  namedPortUnknown,
  servicePortInPolicy,
  peersMaybeAnd,
  rulesIgnored,
  policyNamespaceEmpty,
  serviceEndpointsRule,
  cniNotEnforcing,
  dnsEgressBlocked,
  hostReferences,
  labelValueUnknown,
  adminPolicyNotEnforced,
  adminPassToDefault,
  adminRuleShadowed,
  ciliumPolicyNotEnforced,
  calicoPolicies,
];
