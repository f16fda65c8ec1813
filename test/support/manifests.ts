// Small manifests the diagnostics tests edit: one finding that comes and goes with one word.

/**
 * A NetworkPolicy in namespace shop whose podSelector uses operator `op`: `In` is valid, anything else
 * (e.g. `Equals`) gets the invalid-selector finding that names it.
 */
export function policyWithOperator(op: string, name = 'web'): string {
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    `metadata: {name: ${name}, namespace: shop}`,
    'spec:',
    '  podSelector:',
    '    matchExpressions:',
    `    - {key: app, operator: ${op}, values: [a]}`,
    '',
  ].join('\n');
}
