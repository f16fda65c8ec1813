// What an object means, without where it is written: two versions of a policy compare equal when
// only their positions in the file moved.
function isSourceRef(v: unknown): boolean {
  return typeof v === 'object' && v !== null && 'uri' in v && 'start' in v && 'end' in v;
}

export function fingerprint(value: unknown): string {
  return JSON.stringify(value, (key, v) => (isSourceRef(v) || key === 'line' || key === 'index' ? undefined : v)) ?? '';
}
