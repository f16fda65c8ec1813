// The connectivity diff against git HEAD (netlens/changes, the Changes view's entries) laid over the matrix:
// each entry between two workloads of the matrix marks the cell (source row, destination column); an entry
// with an end that is not a matrix workload (an IP range, a DNS name, a workload the change removed) has no
// cell and is counted, so the view can say how many changes it cannot show. No DOM here: unit-tested.
import type { ChangeCategory, ChangeEntryDto } from '../../../../protocol/messages';

export interface CellChange {
  category: ChangeCategory;
  /** the ports allowed at HEAD ("No Connections", "TCP 80") */
  before: string;
  /** the ports allowed in the working state */
  after: string;
}

export interface ChangeCells {
  /** from * n + to (workload indexes of the matrix) -> the change of that pair */
  cells: Map<number, CellChange>;
  /** entries with an end outside the matrix, by why */
  outside: { total: number; external: number; names: number; workloads: number };
}

/** The symbol drawn in a changed cell (with a colour, never the colour alone). */
export const CHANGE_SYMBOL: Record<ChangeCategory, string> = { added: '+', removed: '−', changed: '~' };

/** A category in words, for people. */
export const CHANGE_WORD: Record<ChangeCategory, string> = {
  added: 'added against HEAD',
  removed: 'removed against HEAD',
  changed: 'changed against HEAD',
};

/** Maps the diff's entries onto the matrix's cells (workloads in the matrix's order). */
export function changeCells(workloads: readonly { id: string }[], entries: readonly ChangeEntryDto[]): ChangeCells {
  const index = new Map<string, number>();
  workloads.forEach((w, i) => index.set(w.id, i));
  const n = workloads.length;
  const cells = new Map<number, CellChange>();
  const outside = { total: 0, external: 0, names: 0, workloads: 0 };
  for (const e of entries) {
    const from = e.source.kind === 'workload' ? index.get(e.source.id) : undefined;
    const to = e.destination.kind === 'workload' ? index.get(e.destination.id) : undefined;
    if (from === undefined || to === undefined) {
      outside.total++;
      const ends = [e.source, e.destination];
      if (ends.some((x) => x.kind === 'name')) outside.names++;
      else if (ends.some((x) => x.kind === 'external')) outside.external++;
      else outside.workloads++;
      continue;
    }
    cells.set(from * n + to, { category: e.category, before: e.before, after: e.after });
  }
  return { cells, outside };
}

/** "2 changes outside the matrix (1 to or from an IP range, 1 to a DNS name)"; empty when there are none. */
export function outsideNote(o: ChangeCells['outside']): string {
  if (o.total === 0) return '';
  const why: string[] = [];
  if (o.external) why.push(`${o.external} to or from an IP range`);
  if (o.names) why.push(`${o.names} to a DNS name`);
  if (o.workloads) why.push(`${o.workloads} with a workload the change removed`);
  return `${o.total} change${o.total === 1 ? '' : 's'} outside the matrix (${why.join(', ')})`;
}

/** The cell's change in words: "changed against HEAD: TCP 80 -> TCP 80, 443". */
export function changeText(c: CellChange): string {
  return `${CHANGE_SYMBOL[c.category]} ${CHANGE_WORD[c.category]}: before ${c.before}, after ${c.after}`;
}
