// Evaluates a Calico selector against a label map, and lists the label keys a selector reads.
import type { CalicoSelector } from './ast';

/**
 * Where the selector is evaluated; decides what all() and global() mean.
 * - 'selector' (default): an endpoint selector (policy `selector`, rule `selector`/`notSelector`, ...).
 *   Both all() and global() are true, as Calico's own evaluator has them.
 * - 'namespaceSelector': a rule's `namespaceSelector`, tested for a namespaced endpoint, with the labels of
 *   the endpoint's namespace. all() is true, global() false.
 * - 'namespaceSelector:global': the same `namespaceSelector`, tested for a non-namespaced resource
 *   (HostEndpoint, GlobalNetworkSet); pass its (empty) namespace labels, `{}`. all() is false, global() true.
 * The last two follow Calico's translation of a namespaceSelector (all() becomes "is in a namespace",
 * global() "is in no namespace"); the other terms read the labels, so `!has(k)` or `k != "v"`
 * also select non-namespaced resources, as in Calico.
 */
export type CalicoSelectorContext = 'selector' | 'namespaceSelector' | 'namespaceSelector:global';

export function evaluateCalicoSelector(
  ast: CalicoSelector,
  labels: Readonly<Record<string, string>>,
  context: CalicoSelectorContext = 'selector',
): boolean {
  const value = (key: string): string | undefined => (Object.prototype.hasOwnProperty.call(labels, key) ? labels[key] : undefined);
  const run = (n: CalicoSelector): boolean => {
    switch (n.kind) {
      case 'all':
        return context !== 'namespaceSelector:global';
      case 'global':
        return context !== 'namespaceSelector';
      case 'has':
        return value(n.key) !== undefined;
      case 'compare': {
        const v = value(n.key);
        switch (n.op) {
          case '==':
            return v === n.value;
          case '!=':
            return v !== n.value; // true when the label is absent
          case 'contains':
            return v !== undefined && v.includes(n.value);
          case 'starts with':
            return v !== undefined && v.startsWith(n.value);
          case 'ends with':
            return v !== undefined && v.endsWith(n.value);
        }
        break;
      }
      case 'set': {
        const v = value(n.key);
        const inSet = v !== undefined && n.values.includes(v);
        return n.op === 'in' ? inSet : !inSet; // not in: true when the label is absent
      }
      case 'not':
        return !run(n.operand);
      case 'and':
        return n.operands.every(run);
      case 'or':
        return n.operands.some(run);
    }
    return false;
  };
  return run(ast);
}

/** The label keys the selector reads, sorted and without duplicates. */
export function calicoSelectorKeys(ast: CalicoSelector): string[] {
  const keys = new Set<string>();
  const walk = (n: CalicoSelector): void => {
    switch (n.kind) {
      case 'has':
      case 'compare':
      case 'set':
        keys.add(n.key);
        break;
      case 'not':
        walk(n.operand);
        break;
      case 'and':
      case 'or':
        n.operands.forEach(walk);
        break;
    }
  };
  walk(ast);
  return [...keys].sort();
}

/** Whether the selector mentions global() (the caller then also considers non-namespaced resources). */
export function calicoSelectorUsesGlobal(ast: CalicoSelector): boolean {
  switch (ast.kind) {
    case 'global':
      return true;
    case 'not':
      return calicoSelectorUsesGlobal(ast.operand);
    case 'and':
    case 'or':
      return ast.operands.some(calicoSelectorUsesGlobal);
    default:
      return false;
  }
}
