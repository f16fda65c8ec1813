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

/** "2 changes involve peers outside the matrix (1 IP range, 1 DNS name; see the Changes view)"; empty when none. */
export function outsideNote(o: ChangeCells['outside']): string {
  if (o.total === 0) return '';
  const why: string[] = [];
  if (o.external) why.push(`${o.external} IP range${o.external === 1 ? '' : 's'}`);
  if (o.names) why.push(`${o.names} DNS name${o.names === 1 ? '' : 's'}`);
  if (o.workloads) why.push(`${o.workloads} removed workload${o.workloads === 1 ? '' : 's'}`);
  const verb = o.total === 1 ? 'change involves a peer' : 'changes involve peers';
  return `${o.total} ${verb} outside the matrix (${why.join(', ')}; see the Changes view)`;
}

/** The cell's change in words: "~ changed against HEAD: TCP 80 -> TCP 80,443". */
export function changeText(c: CellChange): string {
  return `${CHANGE_SYMBOL[c.category]} ${CHANGE_WORD[c.category]}: ${c.before} -> ${c.after}`;
}

/** Where the diff against HEAD stands, as the panel tells the webview. */
export type ChangesStatus = 'computing' | 'unavailable' | 'failed' | 'ready';

export interface ToggleState {
  /** the "Show changes" button can be pressed */
  enabled: boolean;
  /** shown beside the button (and in its tooltip) when it cannot be pressed; empty otherwise */
  note: string;
  /** the button's tooltip */
  title: string;
}

/** The "Show changes" button for the diff's status: disabled, with the reason in words, unless there is something to show. */
export function toggleState(status: ChangesStatus, reason: string | undefined, head: string | undefined, entries: number): ToggleState {
  const against = head ? `git HEAD (${head})` : 'git HEAD';
  switch (status) {
    case 'computing': {
      const note = reason ? `Changes: ${reason}…` : 'Changes: comparing with git HEAD…';
      return { enabled: false, note, title: note };
    }
    case 'unavailable': {
      // the server's reason says it ("no git HEAD to compare with (...)", "... only in a trusted workspace")
      const note = `Changes: ${reason || 'nothing to compare with'}`;
      return { enabled: false, note, title: note };
    }
    case 'failed': {
      const note = `Changes: the diff against git HEAD failed${reason ? ` (${reason})` : ''}`;
      return { enabled: false, note, title: note };
    }
    case 'ready':
      if (entries === 0) {
        const note = `Changes: no connectivity changes against ${against}`;
        return { enabled: false, note, title: note };
      }
      return {
        enabled: true,
        note: '',
        title: `Mark the ${entries} connection${entries === 1 ? '' : 's'} this change adds, removes or alters against ${against}`,
      };
  }
}
