// NetLens policy matrix webview. Rows are sources, columns destinations, both grouped by namespace.
// Only the visible part is drawn on one canvas (a transparent scroller on top supplies the scrollbars),
// so the cost of a frame depends on the window size, not on the number of workloads.
// Messages: in  {type:'data'|'loading'|'explanation'|'error'}; out {type:'ready'|'query'|'open'|'showReport'|'refresh'}.
(function () {
  'use strict';

  const vscode = acquireVsCodeApi();
  const $ = (id) => document.getElementById(id);
  const viewport = $('viewport');
  const canvas = $('canvas');
  const scroller = $('scroller');
  const spacer = $('spacer');
  const tooltip = $('tooltip');
  const messageEl = $('message');
  const filterEl = $('filter');
  const filterModeEl = $('filterMode');
  const summaryEl = $('summary');
  const details = $('details');
  const detailsTitle = $('detailsTitle');
  const detailsBody = $('detailsBody');
  const ctx = canvas.getContext('2d');

  const MIN_CELL = 6;
  const MAX_CELL = 40;
  const BAND = 18; // the namespace band (rows: a vertical strip; columns: a horizontal strip)
  const MAX_LABEL = 220;

  const saved = vscode.getState() || {};
  const state = {
    workloads: [], // [{id, namespace, name, kind, location}]
    cells: new Map(), // from * n + to -> {ports, all}
    rows: [], // workload indexes shown as rows, in display order
    cols: [],
    rowGroups: [], // [{namespace, start, end}] over positions in rows
    colGroups: [],
    cell: saved.cell || 16,
    labelW: 120,
    labelH: 120,
    hover: null, // {area:'cell'|'row'|'col', i, j}
    selected: null, // {i, j} positions in rows/cols
    filter: saved.filter || '',
    filterMode: saved.filterMode || 'both',
    colors: {},
    loaded: false,
  };
  filterEl.value = state.filter;
  filterModeEl.value = state.filterMode;

  // ---- data ------------------------------------------------------------------------------------------------

  function setData(matrix) {
    const ws = matrix.workloads;
    state.workloads = ws;
    state.cells = new Map();
    const n = ws.length;
    for (const [from, to, ports, all] of matrix.cells) state.cells.set(from * n + to, { ports, all: all === 1 });
    const first = !state.loaded;
    state.loaded = true;
    if (first && !saved.cell) state.cell = fitCell(n);
    applyFilter(false);
  }

  /** A cell size that fills the view for small matrices (and stays readable for big ones). */
  function fitCell(n) {
    if (n === 0) return state.cell;
    const w = (viewport.clientWidth - 260) / n;
    const h = (viewport.clientHeight - 200) / n;
    return Math.max(14, Math.min(28, Math.floor(Math.min(w, h))));
  }

  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

  function order() {
    const ws = state.workloads;
    return ws
      .map((_, i) => i)
      .sort((a, b) => {
        const x = ws[a];
        const y = ws[b];
        return collator.compare(x.namespace, y.namespace) || collator.compare(x.name, y.name) || collator.compare(x.kind, y.kind);
      });
  }

  function matches(w, terms) {
    const text = `${w.namespace}/${w.name} ${w.kind}`.toLowerCase();
    return terms.every((t) => text.includes(t));
  }

  function groups(list) {
    const out = [];
    list.forEach((wi, pos) => {
      const ns = state.workloads[wi].namespace;
      const last = out[out.length - 1];
      if (last && last.namespace === ns) last.end = pos + 1;
      else out.push({ namespace: ns, start: pos, end: pos + 1 });
    });
    return out;
  }

  function applyFilter(keepSelection) {
    const terms = state.filter.toLowerCase().split(/\s+/).filter(Boolean);
    const all = order();
    const filtered = terms.length ? all.filter((i) => matches(state.workloads[i], terms)) : all;
    state.rows = state.filterMode === 'cols' ? all : filtered;
    state.cols = state.filterMode === 'rows' ? all : filtered;
    state.rowGroups = groups(state.rows);
    state.colGroups = groups(state.cols);
    if (!keepSelection) state.selected = null;
    measureLabels();
    layout();
    updateSummary();
    vscode.setState({ filter: state.filter, filterMode: state.filterMode, cell: state.cell });
  }

  function updateSummary() {
    if (!state.loaded) return;
    const n = state.workloads.length;
    let allowed = 0;
    if (state.rows.length * state.cols.length <= 4000000) {
      const colSet = new Set(state.cols);
      const rowSet = new Set(state.rows);
      for (const key of state.cells.keys()) {
        if (rowSet.has(Math.floor(key / n)) && colSet.has(key % n)) allowed++;
      }
    }
    const shown =
      state.rows.length === n && state.cols.length === n
        ? `${n} workloads`
        : `${state.rows.length} × ${state.cols.length} of ${n} workloads`;
    summaryEl.textContent = `${shown} · ${allowed} allowed pairs`;
  }

  // ---- layout and colours ----------------------------------------------------------------------------------

  function cssVar(name, fallback) {
    const v = getComputedStyle(document.body).getPropertyValue(name).trim();
    return v || fallback;
  }

  function readColors() {
    state.colors = {
      bg: cssVar('--vscode-editor-background', '#1e1e1e'),
      fg: cssVar('--vscode-editor-foreground', '#cccccc'),
      muted: cssVar('--vscode-descriptionForeground', '#999999'),
      header: cssVar('--vscode-sideBar-background', cssVar('--vscode-editor-background', '#252526')),
      grid: cssVar('--vscode-editorWidget-border', cssVar('--vscode-panel-border', '#444444')),
      group: cssVar('--vscode-editorRuler-foreground', cssVar('--vscode-foreground', '#888888')),
      all: cssVar('--vscode-charts-green', '#89d185'),
      some: cssVar('--vscode-charts-yellow', '#cca700'),
      none: cssVar('--vscode-charts-red', '#f14c4c'),
      self: cssVar('--vscode-disabledForeground', '#888888'),
      hover: cssVar('--vscode-list-hoverBackground', 'rgba(128,128,128,0.2)'),
      focus: cssVar('--vscode-focusBorder', '#007fd4'),
      font: cssVar('--vscode-font-family', 'sans-serif'),
      fontSize: parseFloat(cssVar('--vscode-font-size', '13')) || 13,
    };
  }

  function fontPx() {
    return Math.max(9, Math.min(state.colors.fontSize, state.cell - 3));
  }

  function measureLabels() {
    ctx.font = `${fontPx()}px ${state.colors.font}`;
    let max = 40;
    const seen = new Set([...state.rows, ...state.cols]);
    for (const i of seen) max = Math.max(max, ctx.measureText(state.workloads[i].name).width);
    state.labelW = Math.min(MAX_LABEL, Math.ceil(max) + 12);
    state.labelH = Math.min(160, Math.ceil(max) + 10);
  }

  function headerW() {
    return BAND + state.labelW;
  }
  function headerH() {
    return BAND + state.labelH;
  }

  function layout() {
    const cs = state.cell;
    spacer.style.width = `${headerW() + state.cols.length * cs}px`;
    spacer.style.height = `${headerH() + state.rows.length * cs}px`;
    resizeCanvas();
  }

  function resizeCanvas() {
    const dpr = window.devicePixelRatio || 1;
    const w = viewport.clientWidth;
    const h = viewport.clientHeight;
    canvas.width = Math.max(1, Math.floor(w * dpr));
    canvas.height = Math.max(1, Math.floor(h * dpr));
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    requestDraw();
  }

  // ---- drawing ---------------------------------------------------------------------------------------------

  let drawPending = false;
  function requestDraw() {
    if (drawPending) return;
    drawPending = true;
    requestAnimationFrame(() => {
      drawPending = false;
      draw();
    });
  }

  function visibleRange(scroll, size, header, count) {
    const cs = state.cell;
    const first = Math.max(0, Math.floor(scroll / cs));
    const last = Math.min(count, Math.ceil((scroll + size - header) / cs) + 1);
    return [first, last];
  }

  function cellAt(i, j) {
    const from = state.rows[i];
    const to = state.cols[j];
    return state.cells.get(from * state.workloads.length + to);
  }

  function draw() {
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
    for (let i = r0; i < r1; i++) {
      const y = hh + i * cs - sy;
      for (let j = c0; j < c1; j++) {
        const x = hw + j * cs - sx;
        if (state.rows[i] === state.cols[j]) {
          ctx.globalAlpha = 0.35;
          ctx.fillStyle = c.self;
        } else {
          const cell = cellAt(i, j);
          if (cell) {
            ctx.globalAlpha = 0.9;
            ctx.fillStyle = cell.all ? c.all : c.some;
          } else {
            ctx.globalAlpha = 0.16;
            ctx.fillStyle = c.none;
          }
        }
        ctx.fillRect(x, y, cs - gap, cs - gap);
      }
    }
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
        ctx.fillText(fit(w.name, state.labelW - 8), BAND + 4, y);
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
        ctx.fillText(fit(w.name, state.labelH - 8), 0, 0);
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

  function drawRowBands(hh, sy, H, cs) {
    const c = state.colors;
    ctx.font = `bold ${Math.min(12, c.fontSize)}px ${c.font}`;
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
      ctx.fillText(g.namespace, 0, 0);
      ctx.restore();
    }
  }

  function drawColBands(hw, sx, W, cs) {
    const c = state.colors;
    ctx.font = `bold ${Math.min(12, c.fontSize)}px ${c.font}`;
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
      ctx.fillText(g.namespace, from + 4, BAND / 2 + 1);
      ctx.restore();
    }
  }

  function fit(text, width) {
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

  // ---- hit testing, tooltip, clicks ------------------------------------------------------------------------

  function hit(e) {
    const rect = viewport.getBoundingClientRect();
    const mx = e.clientX - rect.left;
    const my = e.clientY - rect.top;
    if (mx > scroller.clientWidth || my > scroller.clientHeight) return null; // on a scrollbar
    const cs = state.cell;
    const hw = headerW();
    const hh = headerH();
    const j = Math.floor((mx - hw + scroller.scrollLeft) / cs);
    const i = Math.floor((my - hh + scroller.scrollTop) / cs);
    const inRow = i >= 0 && i < state.rows.length;
    const inCol = j >= 0 && j < state.cols.length;
    if (mx >= hw && my >= hh) return inRow && inCol ? { area: 'cell', i, j, mx, my } : null;
    if (mx < BAND && my >= hh) return inRow ? { area: 'rowBand', i, mx, my } : null;
    if (my < BAND && mx >= hw) return inCol ? { area: 'colBand', j, mx, my } : null;
    if (mx < hw && my >= hh) return inRow ? { area: 'row', i, mx, my } : null;
    if (my < hh && mx >= hw) return inCol ? { area: 'col', j, mx, my } : null;
    return null;
  }

  function describeCell(i, j) {
    const from = state.workloads[state.rows[i]];
    const to = state.workloads[state.cols[j]];
    if (from === to) return { from, to, text: 'a pod can always reach itself' };
    const cell = cellAt(i, j);
    return { from, to, text: cell ? (cell.all ? 'allowed: all ports' : `allowed: ${cell.ports}`) : 'blocked' };
  }

  function showTooltip(h) {
    let text;
    if (h.area === 'cell') {
      const d = describeCell(h.i, h.j);
      text = `${d.from.namespace}/${d.from.name} → ${d.to.namespace}/${d.to.name}\n${d.text}\nclick to explain`;
    } else if (h.area === 'rowBand' || h.area === 'colBand') {
      const row = h.area === 'rowBand';
      const pos = row ? h.i : h.j;
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

  function setHover(h) {
    const prev = state.hover;
    const next =
      h && (h.area === 'cell' || h.area === 'row' || h.area === 'col')
        ? { i: h.area === 'col' ? undefined : h.i, j: h.area === 'row' ? undefined : h.j }
        : null;
    if (JSON.stringify(prev) !== JSON.stringify(next)) {
      state.hover = next;
      requestDraw();
    }
  }

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
      vscode.postMessage({ type: 'open', location: w.location });
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

  function select(i, j, explain) {
    state.selected = { i, j };
    ensureVisible(i, j);
    requestDraw();
    if (!explain) return;
    const from = state.workloads[state.rows[i]];
    const to = state.workloads[state.cols[j]];
    showDetailsLoading(from, to);
    vscode.postMessage({ type: 'query', from: from.id, to: to.id });
  }

  function ensureVisible(i, j) {
    const cs = state.cell;
    const x = j * cs;
    const y = i * cs;
    const w = scroller.clientWidth - headerW();
    const h = scroller.clientHeight - headerH();
    if (x < scroller.scrollLeft) scroller.scrollLeft = x;
    else if (x + cs > scroller.scrollLeft + w) scroller.scrollLeft = x + cs - w;
    if (y < scroller.scrollTop) scroller.scrollTop = y;
    else if (y + cs > scroller.scrollTop + h) scroller.scrollTop = y + cs - h;
  }

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
    summaryEl.textContent = `${d.from.name} → ${d.to.name}: ${d.text}`;
  });

  // ---- toolbar ---------------------------------------------------------------------------------------------

  let filterTimer;
  filterEl.addEventListener('input', () => {
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => {
      state.filter = filterEl.value;
      applyFilter(false);
    }, 120);
  });
  filterModeEl.addEventListener('change', () => {
    state.filterMode = filterModeEl.value;
    applyFilter(false);
  });
  $('zoomIn').addEventListener('click', () => zoom(2));
  $('zoomOut').addEventListener('click', () => zoom(-2));
  $('closeDetails').addEventListener('click', () => {
    details.hidden = true;
    resizeCanvas();
    scroller.focus();
  });

  function zoom(delta) {
    const next = Math.max(MIN_CELL, Math.min(MAX_CELL, state.cell + delta));
    if (next === state.cell) return;
    state.cell = next;
    measureLabels();
    layout();
    vscode.setState({ filter: state.filter, filterMode: state.filterMode, cell: state.cell });
  }

  // ---- side panel ------------------------------------------------------------------------------------------

  function el(tag, className, text) {
    const e = document.createElement(tag);
    if (className) e.className = className;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function openDetails() {
    if (details.hidden) {
      details.hidden = false;
      resizeCanvas();
    }
  }

  function showDetailsLoading(from, to) {
    openDetails();
    detailsTitle.textContent = `${from.name} → ${to.name}`;
    detailsBody.replaceChildren(el('p', 'muted', 'Explaining…'));
  }

  const KIND = { dns: 'DNS', service: 'Service', egress: 'Egress', ingress: 'Ingress', verdict: 'Verdict', note: 'Note' };

  function showExplanation(msg) {
    const r = msg.result;
    const byId = (id) => state.workloads.findIndex((w) => w.id === id);
    const i = state.rows.indexOf(byId(msg.from));
    const j = state.cols.indexOf(byId(msg.to));
    if (i >= 0 && j >= 0 && (!state.selected || state.selected.i !== i || state.selected.j !== j)) {
      state.selected = { i, j };
      requestDraw();
    }
    openDetails();
    detailsTitle.textContent = `${short(r.from)} → ${short(r.to)}`;
    const body = [];
    const head = el('p', `outcome ${r.outcome}`);
    head.append(el('span', 'badge', r.outcome === 'allowed' ? 'ALLOWED' : r.outcome.toUpperCase()));
    head.append(document.createTextNode(` ${r.from} → ${r.to}${r.port !== null ? `:${r.port}` : ''}/${r.protocol}`));
    body.push(head);
    const list = el('ol', 'steps');
    for (const s of r.steps) {
      const li = el('li', `step ${s.kind}`);
      li.append(el('span', 'kind', KIND[s.kind] || s.kind), document.createTextNode(` ${s.text} `));
      if (s.location) {
        const a = el('a', 'source', 'source');
        a.href = '#';
        a.title = 'Open the manifest at this line';
        a.addEventListener('click', (e) => {
          e.preventDefault();
          vscode.postMessage({ type: 'open', location: s.location });
        });
        li.append(a);
      }
      list.append(li);
    }
    body.push(list);
    const actions = el('p', 'actions');
    const open = el('button', '', 'Open as document');
    open.type = 'button';
    open.addEventListener('click', () => vscode.postMessage({ type: 'showReport', from: r.from, to: r.to, text: r.report }));
    actions.append(open);
    body.push(actions);
    const pre = el('pre', 'report', r.report);
    body.push(pre);
    detailsBody.replaceChildren(...body);
  }

  function short(id) {
    return id.replace(/\[[^\]]*\]$/, '');
  }

  function showError(msg) {
    if (msg.from) {
      openDetails();
      detailsBody.replaceChildren(el('p', 'error', msg.message));
    } else {
      messageEl.textContent = `Could not load the matrix: ${msg.message}`;
      messageEl.hidden = false;
    }
  }

  // ---- wiring ----------------------------------------------------------------------------------------------

  window.addEventListener('message', (event) => {
    const msg = event.data;
    switch (msg && msg.type) {
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
  new MutationObserver(() => {
    readColors();
    measureLabels();
    layout();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });

  readColors();
  layout();
  vscode.postMessage({ type: 'ready' });
})();
