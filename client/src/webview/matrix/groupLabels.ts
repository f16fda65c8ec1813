// Namespace names that do not fit along their band (a namespace of one workload is one cell long, which
// gave "m…" and "pa…") are written into their workloads' labels instead ("monitoring/prometheus"), so
// every namespace reads in full at every zoom. No DOM here: the text width comes from the caller.

/** room left at the ends of a band */
export const BAND_MARGIN = 8;

export interface Span {
  namespace: string;
  start: number;
  end: number;
}

/** The namespaces whose name is wider than one of their bands at `cell` pixels per workload. */
export function namespacesOutgrowingBands(groups: Iterable<Span>, cell: number, width: (text: string) => number): Set<string> {
  const out = new Set<string>();
  for (const g of groups) if (width(g.namespace) > (g.end - g.start) * cell - BAND_MARGIN) out.add(g.namespace);
  return out;
}

/** A workload's label: its name, after its namespace when the band cannot show the namespace. */
export function workloadLabel(w: { namespace: string; name: string }, inLabel: ReadonlySet<string>): string {
  return inLabel.has(w.namespace) ? `${w.namespace}/${w.name}` : w.name;
}
