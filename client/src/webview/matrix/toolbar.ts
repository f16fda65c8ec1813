// The toolbar and panel buttons: the workload filter (debounced) and its mode, zoom, closing the explanation.
import { applyFilter, zoom } from './data';
import { closeDetails } from './details';
import { closeDetailsButton, filterEl, filterModeEl, scroller, zoomInButton, zoomOutButton } from './dom';
import type { FilterMode } from './messages';
import { state } from './state';

export function installToolbar(): void {
  filterEl.value = state.filter;
  filterModeEl.value = state.filterMode;
  let filterTimer: ReturnType<typeof setTimeout> | undefined;
  filterEl.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => {
      state.filter = filterEl.value;
      applyFilter(false);
    }, 120);
  });
  filterModeEl.addEventListener('change', () => {
    state.filterMode = filterModeEl.value as FilterMode;
    applyFilter(false);
  });
  zoomInButton.addEventListener('click', () => zoom(2));
  zoomOutButton.addEventListener('click', () => zoom(-2));
  closeDetailsButton.addEventListener('click', () => {
    closeDetails();
    scroller.focus();
  });
}
