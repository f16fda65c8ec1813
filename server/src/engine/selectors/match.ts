// Label selector matching per the Kubernetes API: all requirements must hold (AND);
// the empty selector matches everything. NotIn and DoesNotExist match objects lacking the key.
import type { LabelRequirement, LabelSelector, Labels } from '../model/types';

export function requirementMatches(req: LabelRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.operator) {
    case 'In':
      return has && req.values.includes(labels[req.key]);
    case 'NotIn':
      return !has || !req.values.includes(labels[req.key]);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

export function selectorMatches(sel: LabelSelector, labels: Labels): boolean {
  for (const r of sel.requirements) if (!requirementMatches(r, labels)) return false;
  return true;
}

/** A Service selector (plain map): every pair must be present; an empty map selects nothing here. */
export function mapSelectorMatches(selector: Labels, labels: Labels): boolean {
  const keys = Object.keys(selector);
  if (keys.length === 0) return false;
  for (const k of keys) if (labels[k] !== selector[k]) return false;
  return true;
}
