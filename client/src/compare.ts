// Natural order for names shown to people: "svc-2" before "svc-10".
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

export const compareNames = (a: string, b: string): number => collator.compare(a, b);
