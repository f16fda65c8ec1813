// Export: the drawn SVG with the theme's computed colours written into it (the file has no VS Code
// around it), or a PNG rendered from that SVG on a canvas.
import type { ExportFormat } from './messages';

const STYLED = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight', 'text-anchor'];

export function standaloneSvg(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const live = [svg, ...Array.from(svg.querySelectorAll('*'))];
  const copies = [copy, ...Array.from(copy.querySelectorAll('*'))];
  live.forEach((el, i) => {
    const cs = getComputedStyle(el);
    const target = copies[i];
    for (const p of STYLED) {
      const v = cs.getPropertyValue(p);
      if (v) target.setAttribute(p, v);
    }
    target.removeAttribute('tabindex');
    target.removeAttribute('class');
  });
  const bg = getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim() || '#ffffff';
  const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  rect.setAttribute('width', '100%');
  rect.setAttribute('height', '100%');
  rect.setAttribute('fill', bg);
  copy.insertBefore(rect, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

export async function exportGraph(svg: SVGSVGElement, format: ExportFormat): Promise<string> {
  const text = standaloneSvg(svg);
  if (format === 'svg') return text;
  const img = new Image();
  const loaded = new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error('the SVG could not be rendered'));
  });
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await loaded;
  const scale = 2;
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.ceil(svg.width.baseVal.value * scale));
  canvas.height = Math.max(1, Math.ceil(svg.height.baseVal.value * scale));
  const g = canvas.getContext('2d');
  if (!g) throw new Error('no canvas');
  g.scale(scale, scale);
  g.drawImage(img, 0, 0);
  return canvas.toDataURL('image/png');
}
