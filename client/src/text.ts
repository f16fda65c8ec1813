// Words the client shows a person, shared by the views and the status bar.

/** "1 workload", "2 workloads" (or the given plural form). */
export function plural(n: number, word: string, words = `${word}s`): string {
  return `${n} ${n === 1 ? word : words}`;
}
