// The changes overlay: the "Show changes" toolbar button, the legend and the note under the toolbar, and the
// cells the diff against git HEAD marks (drawn by draw.ts). The panel sends the diff as the Changes view has it;
// the cells are recomputed here whenever the diff or the matrix changes, and the panel is told what is shown.
// Workspace strings (reasons, names) only ever go into textContent and title.
import { updateSummary } from './data';
import { changeCells, outsideNote, toggleState } from './changeCells';
import { changesBar, changesNote, changesOutside, showChangesButton } from './dom';
import { requestDraw } from './draw';
import type { ToWebview } from './messages';
import { overlayOn, persist, state } from './state';
import { post } from './vscodeApi';

export function installOverlay(): void {
  showChangesButton.addEventListener('click', () => setShowChanges(!state.showChanges));
}

/** A new diff from the panel. */
export function setChanges(msg: Extract<ToWebview, { type: 'changes' }>): void {
  const { type: _type, ...changes } = msg;
  state.changes = changes;
  updateOverlay();
}

/** Presses or releases the button (kept in the webview's state). */
export function setShowChanges(on: boolean, id?: number): void {
  state.showChanges = on;
  persist();
  updateOverlay(id);
}

/** Maps the diff onto the matrix, updates the button, legend and notes, redraws and reports to the panel. */
export function updateOverlay(id?: number): void {
  const c = state.changes;
  const entries = c.status === 'ready' ? c.entries : [];
  state.changeCells = changeCells(state.workloads, entries);
  const t = toggleState(c.status, c.reason, c.head, entries.length);
  const on = overlayOn();
  showChangesButton.disabled = !t.enabled;
  showChangesButton.setAttribute('aria-pressed', String(on));
  showChangesButton.title = t.title;
  changesNote.textContent = t.note;
  changesNote.title = t.note; // the note may be cut short
  changesNote.hidden = !t.note;
  const outside = outsideNote(state.changeCells.outside);
  changesOutside.textContent = outside;
  changesOutside.hidden = !outside;
  changesBar.hidden = !on;
  updateSummary();
  requestDraw();
  post({
    type: 'overlay',
    on,
    marked: on ? state.changeCells.cells.size : 0,
    outside: on ? state.changeCells.outside.total : 0,
    ...(id !== undefined ? { id } : {}),
  });
}
