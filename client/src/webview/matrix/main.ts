// NetLens policy matrix webview. Rows are sources, columns destinations, both grouped by namespace.
// Only the visible part is drawn on one canvas (a transparent scroller on top supplies the scrollbars),
// so the cost of a frame depends on the window size, not on the number of workloads.
// Bundled by esbuild.mjs to dist/webview/matrix.js; client/src/views/matrixPanel.ts hosts it.
import { setData } from './data';
import { showError, showExplanation } from './details';
import { messageEl, viewport } from './dom';
import { measureLabels } from './geometry';
import { installKeyboard } from './keyboard';
import { layout, resizeCanvas } from './layout';
import type { ToWebview } from './messages';
import { installOverlay, setChanges, setShowChanges, updateOverlay } from './overlay';
import { installPointer } from './pointer';
import { state } from './state';
import { readColors } from './theme';
import { installToolbar } from './toolbar';
import { post } from './vscodeApi';

installToolbar();
installPointer();
installKeyboard();
installOverlay();

window.addEventListener('message', (event: MessageEvent<ToWebview | null | undefined>) => {
  const msg = event.data;
  switch (msg?.type) {
    case 'loading':
      if (!state.loaded) {
        messageEl.textContent = 'Loading the matrix…';
        messageEl.hidden = false;
      }
      break;
    case 'data':
      messageEl.hidden = true;
      setData(msg.matrix);
      if (msg.matrix.workloads.length === 0) {
        messageEl.textContent = 'No workloads in the workspace.';
        messageEl.hidden = false;
      }
      updateOverlay(); // the diff's cells on the new rows and columns
      break;
    case 'changes':
      setChanges(msg);
      break;
    case 'showChanges':
      setShowChanges(msg.on === true, msg.id);
      break;
    case 'explanation':
      showExplanation(msg);
      break;
    case 'error':
      showError(msg);
      break;
  }
});

new ResizeObserver(() => resizeCanvas()).observe(viewport);
// a theme change sets the body's class: colours and font may change
new MutationObserver(() => {
  readColors();
  measureLabels();
  layout();
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

readColors();
layout();
updateOverlay();
post({ type: 'ready' });
