// Draws the placed graph as SVG: namespace groups, nodes and edges with their port labels. Every node and
// edge is focusable (Tab) and activates with Enter or Space as with a click; each has a spoken label.
import type * as P from '../../../../protocol/messages';
import { fitScale, subtitle, type Placed } from './layout';

const SVG = 'http://www.w3.org/2000/svg';

export interface RenderHandlers {
  onEdge(edge: P.GraphEdgeDto): void;
  onNode(node: P.GraphNodeDto): void;
}

function svgEl<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attrs: Record<string, string | number> = {},
  cls?: string,
): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (cls) e.setAttribute('class', cls);
  return e;
}

function text(x: number, y: number, value: string, cls: string): SVGTextElement {
  const t = svgEl('text', { x, y }, cls);
  t.textContent = value;
  return t;
}

/** Enter/Space act as a click on a focusable SVG element. */
function activatable(e: SVGElement, label: string, act: () => void): void {
  e.setAttribute('tabindex', '0');
  e.setAttribute('role', 'button');
  e.setAttribute('aria-label', label);
  e.addEventListener('click', act);
  e.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      act();
    }
  });
}

const KIND_WORDS: Record<P.GraphNodeDto['kind'], string> = {
  workload: 'workload',
  namespace: 'namespace',
  external: 'external addresses',
  dns: 'external DNS name',
};

export function nodeName(n: P.GraphNodeDto): string {
  return n.kind === 'workload' && n.namespace ? `${n.namespace}/${n.label}` : n.label;
}

/**
 * Scales the drawing (its viewBox is the layout's size) to show all of it in the view's width and height,
 * but not below MIN_SCALE: beyond that the labels are unreadable and the view scrolls instead. Called
 * again when the view is resized (the explanation panel opening beside it takes a third of the width).
 */
export function fitToView(svg: SVGSVGElement): void {
  const box = svg.viewBox.baseVal;
  if (!box || !box.width) return;
  const scale = fitScale(box.width, box.height, roomOf(svg));
  svg.setAttribute('width', String(Math.floor(box.width * scale)));
  svg.setAttribute('height', String(Math.floor(box.height * scale)));
}

/** The drawing's room: its view's size less a margin, so that a fitted drawing never brings scrollbars. */
export function roomOf(svg: SVGSVGElement): { width: number; height: number } {
  const view = svg.parentElement;
  return view ? { width: Math.max(1, view.clientWidth - 8), height: Math.max(1, view.clientHeight - 8) } : { width: 1e9, height: 1e9 };
}

export function render(svg: SVGSVGElement, placed: Placed, nodes: Map<string, P.GraphNodeDto>, h: RenderHandlers): void {
  svg.replaceChildren();
  svg.setAttribute('viewBox', `0 0 ${placed.width} ${placed.height}`);
  fitToView(svg);
  const defs = svgEl('defs');
  for (const [id, cls] of [
    ['arrow', 'arrowhead'],
    ['arrow-hi', 'arrowhead highlighted'],
  ]) {
    const m = svgEl('marker', {
      id,
      viewBox: '0 0 10 10',
      refX: 9,
      refY: 5,
      markerWidth: 7,
      markerHeight: 7,
      orient: 'auto-start-reverse',
    });
    m.append(svgEl('path', { d: 'M0,0 L10,5 L0,10 z' }, cls));
    defs.append(m);
  }
  svg.append(defs);
  const groups = svgEl('g', {}, 'groups');
  for (const g of placed.groups) {
    const box = svgEl('g', { 'data-namespace': g.namespace }, 'group');
    box.append(
      svgEl('rect', { x: g.x, y: g.y, width: g.width, height: g.height, rx: 6 }),
      text(g.x + 10, g.y + 18, g.namespace, 'group-label'),
    );
    groups.append(box);
  }
  const edges = svgEl('g', { role: 'group', 'aria-label': 'Connections' }, 'edges');
  for (const pe of placed.edges) {
    const e = pe.edge;
    const from = nodes.get(e.from);
    const to = nodes.get(e.to);
    const g = svgEl('g', { 'data-from': e.from, 'data-to': e.to }, `edge ${e.all ? 'all' : 'some'}`);
    const d = pe.points.map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    g.append(svgEl('path', { d }, 'hit'), svgEl('path', { d, 'marker-end': 'url(#arrow)' }, 'line'));
    const w = e.label.length * 7.2 + 8;
    g.append(svgEl('rect', { x: pe.labelAt.x - w / 2, y: pe.labelAt.y - 9, width: w, height: 18, rx: 3 }, 'label-bg'));
    g.append(text(pe.labelAt.x, pe.labelAt.y + 4, e.label, 'edge-label'));
    const pairs = e.pairs > 1 ? ` (${e.pairs} workload pairs)` : '';
    activatable(g, `${from ? nodeName(from) : e.from} to ${to ? nodeName(to) : e.to}: ${e.verdict}${pairs}. Press Enter to explain.`, () =>
      h.onEdge(e),
    );
    edges.append(g);
  }
  const nodeLayer = svgEl('g', {}, 'nodes');
  for (const pn of placed.nodes) {
    const n = pn.node;
    const g = svgEl('g', { 'data-id': n.id }, `node ${n.kind}`);
    g.append(
      svgEl('rect', { x: pn.x, y: pn.y, width: pn.width, height: pn.height, rx: n.kind === 'dns' || n.kind === 'external' ? 14 : 4 }),
    );
    // the subtitle's leading space keeps the two lines apart in the text a screen reader (and axe) reads
    g.append(
      text(pn.x + pn.width / 2, pn.y + 17, n.label, 'node-label'),
      text(pn.x + pn.width / 2, pn.y + 32, ` ${subtitle(n)}`, 'node-sub'),
    );
    // the spoken name starts with the visible text (label, subtitle), then says what and where it is
    const where = n.kind === 'workload' && n.namespace ? ` in namespace ${n.namespace}` : '';
    activatable(g, `${n.label} ${subtitle(n)}`, () => h.onNode(n));
    g.setAttribute('aria-description', `${KIND_WORDS[n.kind]}${where}. Enter shows its connections.`);
    nodeLayer.append(g);
  }
  svg.append(groups, edges, nodeLayer);
}

/** Marks the nodes and edges of a path (a query's source, targets and the edges between them); others fade. */
export function highlight(svg: SVGSVGElement, nodeIds: ReadonlySet<string>, edgeKeys: ReadonlySet<string>): void {
  const on = nodeIds.size > 0 || edgeKeys.size > 0;
  svg.classList.toggle('has-highlight', on);
  for (const g of Array.from(svg.querySelectorAll<SVGGElement>('g.node')))
    g.classList.toggle('highlighted', nodeIds.has(g.dataset.id ?? ''));
  for (const g of Array.from(svg.querySelectorAll<SVGGElement>('g.edge'))) {
    const hi = edgeKeys.has(`${g.dataset.from}>${g.dataset.to}`);
    g.classList.toggle('highlighted', hi);
    g.querySelector('path.line')?.setAttribute('marker-end', hi ? 'url(#arrow-hi)' : 'url(#arrow)');
  }
}
