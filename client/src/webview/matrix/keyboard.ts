// Keyboard on the matrix: arrows move the selected cell (the summary describes it), Enter or Space explains it.
import { scroller, summaryEl } from './dom';
import { select } from './selection';
import { describeCell, state } from './state';

export function installKeyboard(): void {
  scroller.addEventListener('keydown', (e) => {
    if (!state.rows.length || !state.cols.length) return;
    const sel = state.selected || { i: 0, j: 0 };
    let { i, j } = sel;
    switch (e.key) {
      case 'ArrowUp':
        i = Math.max(0, i - 1);
        break;
      case 'ArrowDown':
        i = Math.min(state.rows.length - 1, i + 1);
        break;
      case 'ArrowLeft':
        j = Math.max(0, j - 1);
        break;
      case 'ArrowRight':
        j = Math.min(state.cols.length - 1, j + 1);
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        select(i, j, true);
        return;
      default:
        return;
    }
    e.preventDefault();
    select(i, j, false);
    const d = describeCell(i, j);
    summaryEl.textContent = `${d.from.name} → ${d.to.name}: ${d.text.replace(/\n/g, '; ')}`;
  });
}
