// Selecting a cell (by click or keyboard): scroll it into view, highlight it, and ask the panel to explain it.
import { showDetailsLoading } from './details';
import { requestDraw } from './draw';
import { ensureVisible } from './geometry';
import { state } from './state';
import { post } from './vscodeApi';

export function select(i: number, j: number, explain: boolean): void {
  state.selected = { i, j };
  ensureVisible(i, j);
  requestDraw();
  if (!explain) return;
  const from = state.workloads[state.rows[i]];
  const to = state.workloads[state.cols[j]];
  showDetailsLoading(from, to);
  post({ type: 'query', from: from.id, to: to.id });
}
