// The side panel: the explanation of a cell (outcome, steps with links to the manifests, the report) and errors.
import type { Workload } from './state';
import type { ToWebview } from './messages';
import { details, detailsBody, detailsTitle, el, messageEl } from './dom';
import { requestDraw } from './draw';
import { resizeCanvas } from './layout';
import { state } from './state';
import { post } from './vscodeApi';

type Explanation = Extract<ToWebview, { type: 'explanation' }>;
type ErrorMessage = Extract<ToWebview, { type: 'error' }>;

const KIND: Record<string, string> = {
  dns: 'DNS',
  service: 'Service',
  egress: 'Egress',
  ingress: 'Ingress',
  verdict: 'Verdict',
  note: 'Note',
};

function openDetails(): void {
  if (details.hidden) {
    details.hidden = false;
    resizeCanvas();
  }
}

export function closeDetails(): void {
  details.hidden = true;
  resizeCanvas();
}

export function showDetailsLoading(from: Workload, to: Workload): void {
  openDetails();
  detailsTitle.textContent = `${from.name} → ${to.name}`;
  detailsBody.replaceChildren(el('p', 'muted', 'Explaining…'));
}

export function showExplanation(msg: Explanation): void {
  const r = msg.result;
  const byId = (id: string) => state.workloads.findIndex((w) => w.id === id);
  const i = state.rows.indexOf(byId(msg.from));
  const j = state.cols.indexOf(byId(msg.to));
  if (i >= 0 && j >= 0 && (!state.selected || state.selected.i !== i || state.selected.j !== j)) {
    state.selected = { i, j };
    requestDraw();
  }
  openDetails();
  detailsTitle.textContent = `${short(r.from)} → ${short(r.to)}`;
  const body: HTMLElement[] = [];
  const head = el('p', `outcome ${r.outcome}`);
  head.append(el('span', 'badge', r.outcome === 'allowed' ? '✓ ALLOWED' : `✕ ${r.outcome.toUpperCase()}`));
  head.append(document.createTextNode(` ${r.verdict}`));
  body.push(head);
  const list = el('ol', 'steps');
  for (const s of r.steps) {
    const li = el('li', `step ${s.kind}`);
    li.append(el('span', 'kind', KIND[s.kind] || s.kind), document.createTextNode(` ${s.text} `));
    const location = s.location;
    if (location) {
      const a = el('a', 'source', 'source');
      a.href = '#';
      a.title = 'Open the manifest at this line';
      a.addEventListener('click', (e) => {
        e.preventDefault();
        post({ type: 'open', location });
      });
      li.append(a);
    }
    list.append(li);
  }
  body.push(list);
  const actions = el('p', 'actions');
  const open = el('button', '', 'Open as document');
  open.type = 'button';
  open.addEventListener('click', () => post({ type: 'showReport', from: r.from, to: r.to, text: r.report }));
  actions.append(open);
  body.push(actions);
  detailsBody.replaceChildren(...body);
}

/** A workload id without its [Kind] suffix. */
function short(id: string): string {
  return id.replace(/\[[^\]]*\]$/, '');
}

/** An explanation's error goes to the side panel; a failed load to the message over the matrix. */
export function showError(msg: ErrorMessage): void {
  if (msg.from) {
    openDetails();
    detailsBody.replaceChildren(el('p', 'error', msg.message));
  } else {
    messageEl.textContent = `Could not load the matrix: ${msg.message}`;
    messageEl.hidden = false;
  }
}
