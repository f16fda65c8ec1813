// Mouse handling over the matrix: hover highlight, tooltip, clicks on cells and labels, scrolling, ctrl+wheel zoom.
import { zoom } from './data';
import { scroller, tooltip, viewport } from './dom';
import { requestDraw } from './draw';
import type { Hit } from './geometry';
import { hit } from './geometry';
import { select } from './selection';
import type { State } from './state';
import { describeCell, state } from './state';
import { post } from './vscodeApi';

function showTooltip(h: Hit): void {
  let text: string;
  if (h.area === 'cell') {
    const d = describeCell(h.i, h.j);
    text = `${d.from.namespace}/${d.from.name} → ${d.to.namespace}/${d.to.name}\n${d.text}\nclick to explain`;
  } else if (h.area === 'rowBand' || h.area === 'colBand') {
    const row = h.area === 'rowBand';
    const pos = h.area === 'rowBand' ? h.i : h.j;
    const g = (row ? state.rowGroups : state.colGroups).find((x) => pos >= x.start && pos < x.end);
    text = g ? `namespace ${g.namespace}: ${g.end - g.start} workload${g.end - g.start === 1 ? '' : 's'}` : '';
  } else {
    const w = state.workloads[h.area === 'row' ? state.rows[h.i] : state.cols[h.j]];
    text = `${w.namespace}/${w.name} (${w.kind})\nclick to open its manifest`;
  }
  tooltip.textContent = text;
  tooltip.hidden = false;
  const vw = viewport.clientWidth;
  const vh = viewport.clientHeight;
  const tw = tooltip.offsetWidth;
  const th = tooltip.offsetHeight;
  let x = h.mx + 14;
  let y = h.my + 16;
  if (x + tw > vw - 4) x = Math.max(4, h.mx - tw - 10);
  if (y + th > vh - 4) y = Math.max(4, h.my - th - 10);
  tooltip.style.left = `${x}px`;
  tooltip.style.top = `${y}px`;
}

/** Highlights the row and/or column under the pointer (cells and labels; not the namespace bands). */
function setHover(h: Hit | null): void {
  const prev = state.hover;
  let next: State['hover'] = null;
  if (h?.area === 'cell') next = { i: h.i, j: h.j };
  else if (h?.area === 'row') next = { i: h.i, j: undefined };
  else if (h?.area === 'col') next = { i: undefined, j: h.j };
  if (JSON.stringify(prev) !== JSON.stringify(next)) {
    state.hover = next;
    requestDraw();
  }
}

export function installPointer(): void {
  scroller.addEventListener('mousemove', (e) => {
    const h = hit(e);
    setHover(h);
    if (h) showTooltip(h);
    else tooltip.hidden = true;
    scroller.style.cursor = h ? 'pointer' : 'default';
  });
  scroller.addEventListener('mouseleave', () => {
    setHover(null);
    tooltip.hidden = true;
  });
  scroller.addEventListener('click', (e) => {
    const h = hit(e);
    if (!h) return;
    if (h.area === 'cell') select(h.i, h.j, true);
    else if (h.area === 'row' || h.area === 'col') {
      const w = state.workloads[h.area === 'row' ? state.rows[h.i] : state.cols[h.j]];
      post({ type: 'open', location: w.location });
    }
  });
  scroller.addEventListener('scroll', () => {
    tooltip.hidden = true;
    requestDraw();
  });
  scroller.addEventListener(
    'wheel',
    (e) => {
      if (!e.ctrlKey && !e.metaKey) return;
      e.preventDefault();
      zoom(e.deltaY < 0 ? 2 : -2);
    },
    { passive: false },
  );
}
