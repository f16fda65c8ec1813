// The hover's line that says which analysis scope(s) hold the object under the cursor.

/** Markdown: the active scope, and the other scopes whose files include this file. */
export function scopeNote(active: string, others: readonly string[], code: (s: string) => string): string {
  const also = others.filter((o) => o !== active);
  return `Scope: ${code(active)}${also.length ? ` (this file is also in ${also.map(code).join(', ')})` : ''}`;
}
