// Sizes the scroll area to the whole matrix and the canvas to the view (in device pixels), then redraws.
import { canvas, spacer, viewport } from './dom';
import { requestDraw } from './draw';
import { headerH, headerW } from './geometry';
import { state } from './state';

export function layout(): void {
  const cs = state.cell;
  spacer.style.width = `${headerW() + state.cols.length * cs}px`;
  spacer.style.height = `${headerH() + state.rows.length * cs}px`;
  resizeCanvas();
}

export function resizeCanvas(): void {
  const dpr = window.devicePixelRatio || 1;
  const w = viewport.clientWidth;
  const h = viewport.clientHeight;
  canvas.width = Math.max(1, Math.floor(w * dpr));
  canvas.height = Math.max(1, Math.floor(h * dpr));
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  requestDraw();
}
