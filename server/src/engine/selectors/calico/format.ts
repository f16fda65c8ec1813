// Canonical text of a Calico selector, as Calico prints it: && and || groups in parentheses,
// one space around operators, sets sorted, values in double quotes unless they hold one.
import type { CalicoSelector } from './ast';
import { normalizeSet } from './parser';

/** parseCalicoSelector(formatCalicoSelector(ast)) gives back `ast` for every parsed AST. */
export function formatCalicoSelector(ast: CalicoSelector): string {
  switch (ast.kind) {
    case 'all':
      return 'all()';
    case 'global':
      return 'global()';
    case 'has':
      return `has(${ast.key})`;
    case 'compare':
      return `${ast.key} ${ast.op} ${quote(ast.value)}`;
    case 'set':
      return `${ast.key} ${ast.op} {${normalizeSet(ast.values).map(quote).join(', ')}}`;
    case 'not':
      return `!${formatCalicoSelector(ast.operand)}`;
    case 'and':
      return `(${ast.operands.map(formatCalicoSelector).join(' && ')})`;
    case 'or':
      return `(${ast.operands.map(formatCalicoSelector).join(' || ')})`;
  }
}

/** Calico strings have no escapes: a value holding " is written in single quotes. */
export function quote(value: string): string {
  return value.includes('"') ? `'${value}'` : `"${value}"`;
}
