// Plain-English wording of a Calico selector for hovers: "app is \"web\" and label legacy is absent".
import type { CalicoSelector } from './ast';
import { normalizeSet } from './parser';
import { quote } from './format';

/**
 * The condition a selector states, in words. Negations are spelled out on the term they apply to,
 * and a term that also holds when its label is absent (!=, not in, negated terms) says so.
 */
export function describeCalicoSelector(ast: CalicoSelector): string {
  return describe(ast, false);
}

function describe(n: CalicoSelector, negated: boolean): string {
  switch (n.kind) {
    case 'all':
      return negated ? 'nothing (!all())' : 'everything (all())';
    case 'global':
      return negated ? 'resources in a namespace (!global())' : 'non-namespaced resources (global())';
    case 'has':
      return negated ? `label ${n.key} is absent` : `label ${n.key} is present`;
    case 'compare': {
      const v = quote(n.value);
      const absent = ' (or is absent)';
      switch (n.op) {
        case '==':
          return negated ? `${n.key} is not ${v}${absent}` : `${n.key} is ${v}`;
        case '!=':
          return negated ? `${n.key} is ${v}` : `${n.key} is not ${v}${absent}`;
        case 'contains':
          return negated ? `${n.key} does not contain ${v}${absent}` : `${n.key} contains ${v}`;
        case 'starts with':
          return negated ? `${n.key} does not start with ${v}${absent}` : `${n.key} starts with ${v}`;
        case 'ends with':
          return negated ? `${n.key} does not end with ${v}${absent}` : `${n.key} ends with ${v}`;
      }
      break;
    }
    case 'set': {
      const values = normalizeSet(n.values).map(quote);
      const positive = (n.op === 'in') !== negated;
      if (values.length === 0) return positive ? `nothing (${n.key} in {} never holds)` : `everything (${n.key} not in {} always holds)`;
      if (positive) return values.length === 1 ? `${n.key} is ${values[0]}` : `${n.key} is one of ${values.join(', ')}`;
      return values.length === 1
        ? `${n.key} is not ${values[0]} (or is absent)`
        : `${n.key} is none of ${values.join(', ')} (or is absent)`;
    }
    case 'not':
      return describe(n.operand, !negated);
    case 'and':
    case 'or': {
      // De Morgan keeps the negation on the terms: not (a and b) = not a or not b.
      const joined = (n.kind === 'and') !== negated ? ' and ' : ' or ';
      return n.operands.map((o) => group(o, negated)).join(joined);
    }
  }
  return '';
}

/** An operand of and/or: nested groups get parentheses so "a and b or c" is never ambiguous. */
function group(n: CalicoSelector, negated: boolean): string {
  const text = describe(n, negated);
  const inner = n.kind === 'not' ? n.operand : n;
  return inner.kind === 'and' || inner.kind === 'or' ? `(${text})` : text;
}
