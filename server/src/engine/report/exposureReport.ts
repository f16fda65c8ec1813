// The exposure analysis in np-guard's shapes: text ("Exposure Analysis Result:", per direction
// "src \t=> \tdst : conn"), md tables, and JSON for docs/cli.md.
import { describe, toJson } from '../net/ports';
import type { ExposureReport } from '../reachability/exposure';
import { mdCell, textField } from './escape';

export function exposureText(r: ExposureReport): string {
  const out = ['', 'Exposure Analysis Result:'];
  const egress = r.items.filter((i) => i.direction === 'egress');
  const ingress = r.items.filter((i) => i.direction === 'ingress');
  if (egress.length) {
    out.push('Egress Exposure:');
    for (const i of egress) out.push(`${textField(i.workload.id)} \t=> \t${textField(i.peer)} : ${describe(i.allowed)}`);
  }
  if (ingress.length) {
    if (egress.length) out.push('');
    out.push('Ingress Exposure:');
    for (const i of ingress) out.push(`${textField(i.workload.id)} \t<= \t${textField(i.peer)} : ${describe(i.allowed)}`);
  }
  if (r.unprotected.length) {
    out.push('', 'Workloads not protected by network policies:');
    for (const u of r.unprotected) out.push(`${textField(u.workload.id)} is not protected on ${u.direction}`);
  }
  return `${out.join('\n')}\n`;
}

export function exposureMarkdown(r: ExposureReport): string {
  const out = ['## Exposure Analysis Result:'];
  const egress = r.items.filter((i) => i.direction === 'egress');
  const ingress = r.items.filter((i) => i.direction === 'ingress');
  if (egress.length) {
    out.push('### Egress Exposure:', '| src | dst | conn |', '|-----|-----|------|');
    for (const i of egress) out.push(`| ${mdCell(i.workload.id)} | ${mdCell(i.peer)} | ${describe(i.allowed)} |`);
  }
  if (ingress.length) {
    out.push('', '### Ingress Exposure:', '| dst | src | conn |', '|-----|-----|------|');
    for (const i of ingress) out.push(`| ${mdCell(i.workload.id)} | ${mdCell(i.peer)} | ${describe(i.allowed)} |`);
  }
  if (r.unprotected.length) {
    out.push('', '### Workloads not protected by network policies:');
    for (const u of r.unprotected) out.push(`- ${mdCell(u.workload.id)} is not protected on ${u.direction}`);
  }
  return `${out.join('\n')}\n`;
}

export function exposureJson(r: ExposureReport) {
  return {
    items: r.items.map((i) => ({
      workload: i.workload.id,
      direction: i.direction,
      peer: i.peer,
      kind: i.kind,
      allowed: toJson(i.allowed),
    })),
    unprotected: r.unprotected.map((u) => ({ workload: u.workload.id, direction: u.direction })),
  };
}
