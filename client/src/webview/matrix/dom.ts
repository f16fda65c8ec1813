// The page's elements (created by the panel's HTML), typed, and a small element factory.

function byId<T extends HTMLElement>(id: string): T {
  const e = document.getElementById(id);
  if (!e) throw new Error(`matrix webview: no #${id} element`);
  return e as T;
}

export const viewport = byId<HTMLElement>('viewport');
export const canvas = byId<HTMLCanvasElement>('canvas');
export const scroller = byId<HTMLDivElement>('scroller');
export const spacer = byId<HTMLDivElement>('spacer');
export const tooltip = byId<HTMLDivElement>('tooltip');
export const messageEl = byId<HTMLDivElement>('message');
export const filterEl = byId<HTMLInputElement>('filter');
export const filterModeEl = byId<HTMLSelectElement>('filterMode');
export const summaryEl = byId<HTMLSpanElement>('summary');
export const details = byId<HTMLElement>('details');
export const detailsTitle = byId<HTMLHeadingElement>('detailsTitle');
export const detailsBody = byId<HTMLDivElement>('detailsBody');
export const zoomInButton = byId<HTMLButtonElement>('zoomIn');
export const zoomOutButton = byId<HTMLButtonElement>('zoomOut');
export const closeDetailsButton = byId<HTMLButtonElement>('closeDetails');
export const showChangesButton = byId<HTMLButtonElement>('showChanges');
export const changesNote = byId<HTMLSpanElement>('changesNote');
export const changesBar = byId<HTMLDivElement>('changesBar');
export const changesOutside = byId<HTMLSpanElement>('changesOutside');

const context = canvas.getContext('2d');
if (!context) throw new Error('matrix webview: no 2d canvas context');
export const ctx: CanvasRenderingContext2D = context;

/** A new element with an optional class and text. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}
