// Which scope a run analyses: the one asked for (by id or configured name), else the only scope that has
// something to analyse; otherwise an error that lists them.
import type { Scope } from './types';

/** Whether a scope can yield objects here (a Helm scope needs a renderer; an empty loose scope has none). */
export function analysable(s: Scope, helm: boolean): boolean {
  if (s.kind === 'helm') return helm;
  if (s.kind === 'loose') return s.files.length > 0;
  return true;
}

export function chooseScope(scopes: readonly Scope[], requested: string | undefined, helm: boolean): Scope | { error: string } {
  const list = scopes.map((s) => s.id).join(', ');
  if (requested !== undefined) {
    const hit = scopes.find((s) => s.id === requested) ?? scopes.find((s) => s.name === requested);
    return hit ?? { error: `no scope "${requested}"; the scopes here: ${list || 'none'}` };
  }
  const candidates = scopes.filter((s) => analysable(s, helm));
  if (candidates.length === 1) return candidates[0];
  if (candidates.length === 0) return scopes.find((s) => s.kind === 'loose') ?? { error: 'no scope here' };
  return { error: `several scopes here, name one with --scope: ${candidates.map((s) => s.id).join(', ')}` };
}
