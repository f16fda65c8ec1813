// Draws the visible part of the matrix on the canvas: cells, hover, namespace bands, labels and the corner.
import { ctx, scroller, viewport } from './dom';
import { bandFont, fontPx, headerH, headerW, visibleRange } from './geometry';
import { BAND_MARGIN, workloadLabel } from './groupLabels';
import { CHANGE_SYMBOL } from './changeCells';
import { BAND, cellAt, cellText, changeAt, overlayOn, state } from './state';

let drawPending = false;

/** Draws at the next animation frame (once, however often it is asked). */
export function requestDraw(): void {
  if (drawPending) return;
  drawPending = true;
  requestAnimationFrame(() => {
    drawPending = false;
    draw();
  });
}

function draw(): void {
  const c = state.colors;
  const dpr = window.devicePixelRatio || 1;
  const W = scroller.clientWidth;
  const H = scroller.clientHeight;
  const cs = state.cell;
  const hw = headerW();
  const hh = headerH();
  const sx = scroller.scrollLeft;
  const sy = scroller.scrollTop;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = c.bg;
  ctx.fillRect(0, 0, viewport.clientWidth, viewport.clientHeight);
  if (!state.loaded || state.rows.length === 0 || state.cols.length === 0) return;

  const [r0, r1] = visibleRange(sy, H, hh, state.rows.length);
  const [c0, c1] = visibleRange(sx, W, hw, state.cols.length);
  const fs = fontPx();
  const labels = cs >= 9;

  // cells
  ctx.save();
  ctx.beginPath();
  ctx.rect(hw, hh, W - hw, H - hh);
  ctx.clip();
  const gap = cs >= 8 ? 1 : 0;
  // symbols as well as colours: ✓ all ports, the ports (or ◐) for some, nothing for blocked, a hatch on the diagonal
  const symbols = cs >= 12;
  ctx.font = `${Math.max(9, Math.min(fs, cs - 4))}px ${c.font}`;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  // the changes overlay: a changed cell takes its category's colour and symbol (+ added, − removed,
  // ~ changed); the others fade, so that the changes stand out
  const overlay = overlayOn();
  const fade = overlay ? 0.35 : 1;
  for (let i = r0; i < r1; i++) {
    const y = hh + i * cs - sy;
    for (let j = c0; j < c1; j++) {
      const x = hw + j * cs - sx;
      let mark = '';
      const change = overlay ? changeAt(i, j) : undefined;
      if (change) {
        ctx.globalAlpha = 1;
        ctx.fillStyle = c[change.category];
        mark = CHANGE_SYMBOL[change.category];
      } else if (state.rows[i] === state.cols[j]) {
        ctx.globalAlpha = 0.35 * fade;
        ctx.fillStyle = c.self;
        mark = '⁄';
      } else {
        const cell = cellAt(i, j);
        if (cell) {
          ctx.globalAlpha = 0.9 * fade;
          ctx.fillStyle = cell.all ? c.all : c.some;
          if (cell.all) mark = '✓';
          else {
            const t = cellText(cell.ports);
            mark = ctx.measureText(t).width <= cs - 4 ? t : '◐';
          }
        } else {
          ctx.globalAlpha = 0.12;
          ctx.fillStyle = c.none;
        }
      }
      ctx.fillRect(x, y, cs - gap, cs - gap);
      if (symbols && mark) {
        ctx.globalAlpha = change ? 1 : fade;
        ctx.fillStyle = c.bg;
        if (change) {
          ctx.save();
          ctx.font = `bold ${Math.max(10, Math.min(fs + 2, cs - 2))}px ${c.font}`;
          ctx.fillText(mark, x + (cs - gap) / 2, y + (cs - gap) / 2 + 1);
          ctx.restore();
        } else ctx.fillText(mark, x + (cs - gap) / 2, y + (cs - gap) / 2 + 1);
      } else if (change && cs >= 6) {
        // too small for a symbol: a frame in the background colour still sets the cell apart from its neighbours
        ctx.globalAlpha = 1;
        ctx.strokeStyle = c.bg;
        ctx.lineWidth = 1;
        ctx.strokeRect(x + 1.5, y + 1.5, cs - gap - 3, cs - gap - 3);
      }
    }
  }
  ctx.textAlign = 'start';
  ctx.globalAlpha = 1;
  // hovered row and column
  const hov = state.hover;
  if (hov) {
    ctx.fillStyle = c.hover;
    if (hov.i !== undefined) ctx.fillRect(hw, hh + hov.i * cs - sy, W - hw, cs);
    if (hov.j !== undefined) ctx.fillRect(hw + hov.j * cs - sx, hh, cs, H - hh);
  }
  // namespace boundaries
  ctx.strokeStyle = c.group;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const g of state.rowGroups) {
    const y = Math.round(hh + g.start * cs - sy) - 0.5;
    if (y > hh && y < H) {
      ctx.moveTo(hw, y);
      ctx.lineTo(W, y);
    }
  }
  for (const g of state.colGroups) {
    const x = Math.round(hw + g.start * cs - sx) - 0.5;
    if (x > hw && x < W) {
      ctx.moveTo(x, hh);
      ctx.lineTo(x, H);
    }
  }
  ctx.stroke();
  // selection
  const sel = state.selected;
  if (sel) {
    ctx.strokeStyle = c.focus;
    ctx.lineWidth = 2;
    ctx.strokeRect(hw + sel.j * cs - sx + 1, hh + sel.i * cs - sy + 1, cs - 2, cs - 2);
  }
  ctx.restore();

  // row header (sources)
  ctx.save();
  ctx.beginPath();
  ctx.rect(0, hh, hw, H - hh);
  ctx.clip();
  ctx.fillStyle = c.header;
  ctx.fillRect(0, hh, hw, H - hh);
  ctx.font = `${fs}px ${c.font}`;
  ctx.textBaseline = 'middle';
  if (labels) {
    for (let i = r0; i < r1; i++) {
      const w = state.workloads[state.rows[i]];
      const y = hh + i * cs - sy + cs / 2;
      ctx.fillStyle = hov && hov.i === i ? c.focus : c.fg;
      ctx.fillText(fit(workloadLabel(w, state.nsInLabels), state.labelW - 8), BAND + 4, y);
    }
  }
  drawRowBands(hh, sy, H, cs);
  ctx.restore();

  // column header (destinations)
  ctx.save();
  ctx.beginPath();
  ctx.rect(hw, 0, W - hw, hh);
  ctx.clip();
  ctx.fillStyle = c.header;
  ctx.fillRect(hw, 0, W - hw, hh);
  ctx.font = `${fs}px ${c.font}`;
  ctx.textBaseline = 'middle';
  if (labels) {
    for (let j = c0; j < c1; j++) {
      const w = state.workloads[state.cols[j]];
      const x = hw + j * cs - sx + cs / 2;
      ctx.save();
      ctx.translate(x, hh - 4);
      ctx.rotate(-Math.PI / 2);
      ctx.fillStyle = hov && hov.j === j ? c.focus : c.fg;
      ctx.fillText(fit(workloadLabel(w, state.nsInLabels), state.labelH - 8), 0, 0);
      ctx.restore();
    }
  }
  drawColBands(hw, sx, W, cs);
  ctx.restore();

  // corner
  ctx.fillStyle = c.header;
  ctx.fillRect(0, 0, hw, hh);
  ctx.fillStyle = c.muted;
  ctx.font = `${Math.min(fs, 12)}px ${c.font}`;
  ctx.textBaseline = 'alphabetic';
  ctx.fillText('from ↓   to →', 6, hh - 6);
  ctx.strokeStyle = c.grid;
  ctx.beginPath();
  ctx.moveTo(0, hh - 0.5);
  ctx.lineTo(W, hh - 0.5);
  ctx.moveTo(hw - 0.5, 0);
  ctx.lineTo(hw - 0.5, H);
  ctx.stroke();
}

function drawRowBands(hh: number, sy: number, H: number, cs: number): void {
  const c = state.colors;
  ctx.font = bandFont();
  for (const g of state.rowGroups) {
    const top = hh + g.start * cs - sy;
    const bottom = hh + g.end * cs - sy;
    if (bottom < hh || top > H) continue;
    ctx.strokeStyle = c.group;
    ctx.beginPath();
    ctx.moveTo(0, Math.round(top) + 0.5);
    ctx.lineTo(headerW(), Math.round(top) + 0.5);
    ctx.stroke();
    // the label stays in view while any of its group is
    const from = Math.max(top, hh);
    const to = Math.min(bottom, H);
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, from, BAND, to - from);
    ctx.clip();
    ctx.translate(BAND / 2 + 1, from + 4);
    ctx.rotate(Math.PI / 2);
    ctx.fillStyle = c.muted;
    ctx.textBaseline = 'middle';
    if (!state.nsInLabels.has(g.namespace)) ctx.fillText(fit(g.namespace, to - from - BAND_MARGIN), 0, 0);
    ctx.restore();
  }
}

function drawColBands(hw: number, sx: number, W: number, cs: number): void {
  const c = state.colors;
  ctx.font = bandFont();
  for (const g of state.colGroups) {
    const left = hw + g.start * cs - sx;
    const right = hw + g.end * cs - sx;
    if (right < hw || left > W) continue;
    ctx.strokeStyle = c.group;
    ctx.beginPath();
    ctx.moveTo(Math.round(left) + 0.5, 0);
    ctx.lineTo(Math.round(left) + 0.5, headerH());
    ctx.stroke();
    const from = Math.max(left, hw);
    const to = Math.min(right, W);
    ctx.save();
    ctx.beginPath();
    ctx.rect(from, 0, to - from, BAND);
    ctx.clip();
    ctx.fillStyle = c.muted;
    ctx.textBaseline = 'middle';
    if (!state.nsInLabels.has(g.namespace)) ctx.fillText(fit(g.namespace, to - from - BAND_MARGIN), from + 4, BAND / 2 + 1);
    ctx.restore();
  }
}

/** The text, shortened with an ellipsis to fit the width in the current font. */
function fit(text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (ctx.measureText(`${text.slice(0, mid)}…`).width <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo)}…`;
}
