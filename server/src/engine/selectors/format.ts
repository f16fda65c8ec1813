// Human-readable selector text, kubectl style: "app=web,tier in (a,b),!legacy".
import type { LabelRequirement } from '../model/types';

export function selectorText(reqs: readonly LabelRequirement[]): string {
  if (reqs.length === 0) return '{}';
  return reqs
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
      }
    })
    .join(',');
}
