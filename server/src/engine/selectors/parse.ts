// Reads a metav1.LabelSelector (matchLabels + matchExpressions) into requirements, validating it
// as the API server does. Invalid selectors are findings; the caller decides what that rejects.
import type { LabelRequirement, LabelSelector, Labels, SelectorOperator } from '../model/types';
import type { BuildContext } from '../model/context';
import { asMap, get, isNullish, items, keyOf, kindName, scalar, type YNode } from '../parse/yamlNodes';
import { isMap, isSeq } from 'yaml';
import { selectorText } from './format';

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/** A map of label key -> value (Pod labels, Service selector, matchLabels). */
export function readLabelMap(ctx: BuildContext, node: YNode, what: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (isNullish(node)) return out;
  const map = asMap(node);
  if (!map) {
    ctx.invalid(`${what} must be a map of label key to value, not ${kindName(node)}`, node);
    return out;
  }
  for (const pair of map.items) {
    const key = keyOf(pair);
    if (key === undefined) {
      ctx.invalid(`${what} has a key that is not a string`, pair.key as YNode);
      continue;
    }
    const v = scalar(pair.value as YNode);
    if (v === undefined) {
      ctx.invalid(`${what}: value of "${key}" must be a string, not ${kindName(pair.value as YNode)}`, pair.value as YNode);
      continue;
    }
    if (v === null) out[key] = '';
    else if (typeof v !== 'string') {
      ctx.report(
        'wrong-type',
        'error',
        `${what}: label "${key}" should be a quoted string; ${JSON.stringify(v)} is read as "${String(v)}"`,
        ctx.ref(pair.value as YNode),
      );
      out[key] = String(v);
    } else out[key] = v;
  }
  return out;
}

/**
 * Reads a LabelSelector. `null` or `{}` is the empty selector (matches everything).
 * Returns undefined when the selector is invalid (findings were reported).
 */
export function readSelector(ctx: BuildContext, node: YNode, what: string, refNode?: YNode): LabelSelector | undefined {
  const ref = ctx.ref(refNode ?? node);
  if (isNullish(node)) return { requirements: [], text: '{}', ref };
  if (!isMap(node)) {
    ctx.invalid(`${what} must be a map (matchLabels / matchExpressions), not ${kindName(node)}`, node, 'invalid-selector');
    return undefined;
  }
  const before = ctx.findings.length;
  const requirements: LabelRequirement[] = [];
  for (const pair of node.items) {
    const k = keyOf(pair);
    if (k !== 'matchLabels' && k !== 'matchExpressions') {
      ctx.report(
        'unknown-field',
        'error',
        `${what}: unknown field "${k}" (a selector has matchLabels and matchExpressions; labels go under matchLabels)`,
        ctx.ref(pair.key as YNode),
      );
    }
  }
  const labels = readLabelMap(ctx, get(node, 'matchLabels'), `${what}.matchLabels`);
  for (const [key, value] of Object.entries(labels)) requirements.push({ key, operator: 'In', values: [value] });
  const exprs = get(node, 'matchExpressions');
  if (!isNullish(exprs) && !items(exprs).length && kindName(exprs) !== 'a list') {
    ctx.invalid(`${what}.matchExpressions must be a list`, exprs);
  }
  items(exprs).forEach((e, i) => {
    const req = readExpression(ctx, e, `${what}.matchExpressions[${i}]`);
    if (req) requirements.push(req);
  });
  if (ctx.findings.slice(before).some((f) => f.severity === 'error')) return undefined;
  return { requirements, text: selectorText(requirements), ref };
}

function readExpression(ctx: BuildContext, node: YNode, what: string): LabelRequirement | undefined {
  if (!asMap(node)) {
    ctx.invalid(`${what} must be a map with key, operator and values`, node);
    return undefined;
  }
  const key = ctx.string(get(node, 'key'), `${what}.key`);
  const opNode = get(node, 'operator');
  const op = ctx.string(opNode, `${what}.operator`);
  if (!key) {
    ctx.invalid(`${what} needs a key`, node);
    return undefined;
  }
  if (!op || !OPERATORS.includes(op as SelectorOperator)) {
    ctx.invalid(
      `${what}: operator ${op === undefined ? 'is missing' : `"${op}" is not valid`}; use one of ${OPERATORS.join(', ')}`,
      opNode ?? node,
      'invalid-selector',
    );
    return undefined;
  }
  const operator = op as SelectorOperator;
  const valuesNode = get(node, 'values');
  if (!isNullish(valuesNode) && !isSeq(valuesNode)) {
    ctx.invalid(`${what}: values must be a list of strings, not ${kindName(valuesNode)}`, valuesNode, 'invalid-selector');
    return undefined;
  }
  const values: string[] = [];
  for (const v of items(valuesNode)) {
    const s = scalar(v);
    if (s === undefined || s === null) ctx.invalid(`${what}: values must be strings`, v);
    else values.push(String(s));
  }
  if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
    ctx.invalid(`${what}: operator ${operator} needs a non-empty values list`, valuesNode ?? node, 'invalid-selector');
    return undefined;
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
    ctx.invalid(`${what}: operator ${operator} must not have values`, valuesNode, 'invalid-selector');
    return undefined;
  }
  return { key, operator, values };
}

export type { Labels };
