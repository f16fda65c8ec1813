// The graph webview's script: asks the panel for the graph, lays it out (dagre), draws it as SVG, and
// handles the toolbar (namespace and workload filters, a query path, export) and the explanation panel.
import type * as P from '../../../../protocol/messages';
import type { GraphFilter, ToWebview } from './messages';
import { chooseDirection, layoutGraph, type Direction, type Placed } from './layout';
import { fitToView, highlight, nodeName, render, roomOf } from './render';
import { exportGraph } from './exportImage';
import { post, saved, saveState } from './vscodeApi';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const svg = document.getElementById('graph') as unknown as SVGSVGElement;
const nsSelect = $<HTMLSelectElement>('namespace');
const wlSelect = $<HTMLSelectElement>('workload');
const pathFrom = $<HTMLSelectElement>('pathFrom');
const pathTo = $<HTMLInputElement>('pathTo');
const pathPort = $<HTMLInputElement>('pathPort');
const summary = $<HTMLElement>('summary');
const message = $<HTMLElement>('message');
const details = $<HTMLElement>('details');
const detailsTitle = $<HTMLElement>('detailsTitle');
const detailsBody = $<HTMLElement>('detailsBody');

let graph: P.GraphResult | undefined;
let filter: GraphFilter = saved.filter ?? {};
let nodes = new Map<string, P.GraphNodeDto>();
/** every workload seen in an unfiltered graph (the workload filter's choices) */
let allWorkloads: P.GraphNodeDto[] = [];
/** the graph's layouts, made when first needed, and the one drawn */
let layouts: Partial<Record<Direction, Placed>> = {};
let drawn: Direction | undefined;
/** what is highlighted (kept over a redraw in the other direction) */
let lit = { nodes: new Set<string>(), edges: new Set<string>() };

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls = '', textContent?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (textContent !== undefined) e.textContent = textContent;
  return e;
}

function option(value: string, label: string, selected: boolean): HTMLOptionElement {
  const o = el('option', '', label);
  o.value = value;
  o.selected = selected;
  return o;
}

function load(): void {
  saveState({ filter });
  post({ type: 'load', filter });
}

function fillFilters(g: P.GraphResult): void {
  nsSelect.replaceChildren(
    option('', 'All namespaces', !filter.namespace),
    ...g.namespaces.map((ns) => option(ns, ns, ns === filter.namespace)),
  );
  const workloads = g.nodes.filter((n) => n.kind === 'workload');
  if (!filter.namespace && !filter.workload) allWorkloads = workloads;
  const choices = allWorkloads.length ? allWorkloads : workloads;
  wlSelect.replaceChildren(
    option('', 'All workloads', !filter.workload),
    ...choices.map((n) => option(n.id, nodeName(n), n.id === filter.workload)),
  );
  const from = pathFrom.value;
  pathFrom.replaceChildren(option('', 'From workload…', !from), ...choices.map((n) => option(n.id, nodeName(n), n.id === from)));
}

function show(g: P.GraphResult): void {
  graph = g;
  nodes = new Map(g.nodes.map((n) => [n.id, n]));
  fillFilters(g);
  message.hidden = g.nodes.length > 0;
  if (!g.nodes.length) message.textContent = 'No workloads in this scope.';
  const counts = `${g.workloadCount} workloads, ${g.edges.length} connections`;
  summary.textContent = g.aggregated ? `${counts} — merged by namespace (filter a namespace to see its workloads)` : counts;
  layouts = {};
  drawn = undefined;
  lit = { nodes: new Set(), edges: new Set() };
  fit();
}

function layoutIn(direction: Direction): Placed {
  return (layouts[direction] ??= layoutGraph(graph!, direction));
}

/**
 * Draws the graph in the direction that shows it largest in the view's room (redrawn when that changes:
 * the explanation panel opened or the window resized), keeping the highlight and the keyboard focus,
 * and scales it to fit.
 */
function fit(): void {
  if (!graph) return;
  const direction = chooseDirection(layoutIn, roomOf(svg), drawn ?? 'LR');
  if (direction !== drawn) {
    const focused = document.activeElement instanceof SVGGElement ? document.activeElement : undefined;
    const focusKey = focused ? [focused.dataset.id, focused.dataset.from, focused.dataset.to] : undefined;
    drawn = direction;
    render(svg, layoutIn(direction), nodes, { onEdge: explainEdge, onNode: selectNode });
    svg.dataset.direction = direction;
    highlight(svg, lit.nodes, lit.edges);
    if (focusKey) {
      const [id, from, to] = focusKey;
      const again = Array.from(svg.querySelectorAll<SVGGElement>('g.node, g.edge')).find(
        (e) => e.dataset.id === id && e.dataset.from === from && e.dataset.to === to,
      );
      again?.focus();
    }
  }
  fitToView(svg);
}

/** Highlights a path (nodes and edges); empty sets clear it. */
function light(nodeIds: Set<string>, edgeKeys: Set<string>): void {
  lit = { nodes: nodeIds, edges: edgeKeys };
  highlight(svg, nodeIds, edgeKeys);
}

function explainEdge(e: P.GraphEdgeDto): void {
  light(new Set([e.from, e.to]), new Set([`${e.from}>${e.to}`]));
  openDetails(`${label(e.from)} → ${label(e.to)}`);
  detailsBody.replaceChildren(verdictLine(e.verdict), el('p', 'muted', 'Explaining…'));
  post({ type: 'explainEdge', from: e.from, to: e.to, ...(e.port !== undefined ? { port: e.port } : {}) });
}

function selectNode(n: P.GraphNodeDto): void {
  const touching = graph?.edges.filter((e) => e.from === n.id || e.to === n.id) ?? [];
  light(new Set([n.id, ...touching.flatMap((e) => [e.from, e.to])]), new Set(touching.map((e) => `${e.from}>${e.to}`)));
  openDetails(nodeName(n));
  const body: HTMLElement[] = [];
  const list = el('ul', 'peers');
  for (const e of touching) list.append(el('li', '', `${e.from === n.id ? `to ${label(e.to)}` : `from ${label(e.from)}`}: ${e.verdict}`));
  body.push(touching.length ? list : el('p', 'muted', 'No allowed connection in this view.'));
  const actions = el('p', 'actions');
  if (n.kind === 'workload') {
    const only = el('button', '', 'Show only its connections');
    only.type = 'button';
    only.addEventListener('click', () => {
      filter = { workload: n.id };
      load();
    });
    actions.append(only);
  }
  if (n.kind === 'namespace' && n.namespace) {
    const open = el('button', '', 'Show its workloads');
    open.type = 'button';
    open.addEventListener('click', () => {
      filter = { namespace: n.namespace };
      load();
    });
    actions.append(open);
  }
  const location = n.location;
  if (location) {
    const src = el('button', '', 'Open manifest');
    src.type = 'button';
    src.addEventListener('click', () => post({ type: 'open', location }));
    actions.append(src);
  }
  body.push(actions);
  detailsBody.replaceChildren(...body);
}

function label(id: string): string {
  const n = nodes.get(id);
  return n ? nodeName(n) : id;
}

function verdictLine(verdict: string): HTMLElement {
  const p = el('p', `verdict ${verdict.startsWith('allowed') ? 'allowed' : 'blocked'}`);
  p.append(el('span', 'symbol', verdict.startsWith('allowed') ? '✓' : '✕'), document.createTextNode(` ${verdict}`));
  return p;
}

/** Says which query explains an edge that stands for more than one connection. */
function exampleNote(example: { from: string; to: string }, to: string): string {
  return to.startsWith('external:')
    ? `Explained for one address of the range, ${example.to}:`
    : `Explained for one of the connections it merges, ${label(example.from)} → ${label(example.to)}:`;
}

function openDetails(title: string): void {
  details.hidden = false;
  detailsTitle.textContent = title;
}

/** The query's steps once (no second rendering as a report), with links to the manifests. */
function steps(r: P.QueryResultDto): HTMLElement {
  const list = el('ol', 'steps');
  for (const s of r.steps) {
    const li = el('li', `step ${s.kind}`, `${s.text} `);
    const location = s.location;
    if (location) {
      const a = el('a', 'source', 'source');
      a.href = '#';
      a.title = 'Open the manifest at this line';
      a.addEventListener('click', (ev) => {
        ev.preventDefault();
        post({ type: 'open', location });
      });
      li.append(a);
    }
    list.append(li);
  }
  return list;
}

function showPath(from: string, r: P.QueryResultDto): void {
  const ends = new Set<string>();
  const rt = r.resolvedTo as { kind?: string; id?: string; endpoints?: string[] } | null;
  if (rt?.kind === 'workload' && rt.id) ends.add(rt.id);
  for (const id of rt?.endpoints ?? []) ends.add(id);
  if (rt?.kind === 'external') ends.add(`dns:${r.to.replace(/\.$/, '').toLowerCase()}`);
  const edgeKeys = new Set<string>();
  if (r.outcome === 'allowed') for (const e of graph?.edges ?? []) if (e.from === from && ends.has(e.to)) edgeKeys.add(`${e.from}>${e.to}`);
  light(new Set([from, ...ends]), edgeKeys);
  openDetails(`${label(from)} → ${r.to}${r.port !== null ? `:${r.port}` : ''}`);
  const head = el('p', `verdict ${r.outcome === 'allowed' ? 'allowed' : 'blocked'}`);
  head.append(el('span', 'symbol', r.outcome === 'allowed' ? '✓' : '✕'), document.createTextNode(` ${r.verdict}`));
  detailsBody.replaceChildren(head, steps(r));
  fit(); // the explanation panel just took part of the width
  // scroll only as far as needed to show the path: centring it would hide the rest of the graph
  document.querySelector<SVGGElement>('g.edge.highlighted, g.node.highlighted')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

window.addEventListener('message', (ev: MessageEvent<ToWebview>) => {
  const m = ev.data;
  switch (m.type) {
    case 'loading':
      summary.textContent = 'Loading…';
      return;
    case 'data':
      filter = m.filter;
      show(m.graph);
      return;
    case 'explanation': {
      openDetails(`${label(m.from)} → ${label(m.to)}`);
      const body: HTMLElement[] = [verdictLine(m.verdict)];
      const example = graph?.edges.find((e) => e.from === m.from && e.to === m.to)?.example;
      if (m.result && example) body.push(el('p', 'muted', exampleNote(example, m.to)));
      if (m.result) body.push(steps(m.result));
      detailsBody.replaceChildren(...body);
      return;
    }
    case 'path':
      showPath(m.from, m.result);
      return;
    case 'export':
      exportGraph(svg, m.format).then(
        (data) => post({ type: 'exported', id: m.id, format: m.format, data }),
        (err: unknown) => post({ type: 'exported', id: m.id, format: m.format, data: `error: ${String(err)}` }),
      );
      return;
    case 'error':
      message.textContent = m.message;
      message.hidden = false;
      return;
  }
});

nsSelect.addEventListener('change', () => {
  filter = nsSelect.value ? { namespace: nsSelect.value } : {};
  load();
});
wlSelect.addEventListener('change', () => {
  filter = wlSelect.value ? { workload: wlSelect.value } : {};
  load();
});
$<HTMLFormElement>('pathForm').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const to = pathTo.value.trim();
  if (!pathFrom.value || !to) return;
  const port = Number.parseInt(pathPort.value, 10);
  post({ type: 'path', from: pathFrom.value, to, ...(port > 0 && port < 65536 ? { port } : {}) });
});
$<HTMLButtonElement>('exportSvg').addEventListener('click', () => post({ type: 'export', format: 'svg' }));
$<HTMLButtonElement>('exportPng').addEventListener('click', () => post({ type: 'export', format: 'png' }));
$<HTMLButtonElement>('closeDetails').addEventListener('click', () => {
  details.hidden = true;
  light(new Set(), new Set());
});
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape' && !details.hidden) {
    details.hidden = true;
    light(new Set(), new Set());
  }
});

// Re-fit when the view's size changes (window resized, explanation panel opened or closed).
const viewport = svg.parentElement;
if (viewport) new ResizeObserver(() => fit()).observe(viewport);

post({ type: 'ready' });
