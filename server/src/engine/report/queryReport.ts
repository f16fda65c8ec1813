// Renders a QueryResult: the JSON of the CLI contract and the readable report the CLI prints and the
// editor shows (one text for both).
import type { QueryResult } from '../reachability/query';
import type { Locator } from './locate';
import { dnsTrafficJson } from './resolveReport';

export function queryJson(r: QueryResult, locator: Locator) {
  return {
    from: r.from.id,
    to: r.to,
    resolvedTo: r.resolvedTo,
    outcome: r.outcome,
    port: r.port ?? null,
    protocol: r.protocol,
    explanation: r.steps.map((s) => ({ kind: s.kind, text: s.text, ...(s.ref?.uri ? { source: locator.locate(s.ref) } : {}) })),
    targets: r.targets.map((t) => ({ workload: t.workload.id, port: t.port ?? null, allowed: t.allowed })),
    ...(r.resolve
      ? {
          dns: {
            tried: r.resolve.tried.map((t) => t.name),
            rcode: r.resolve.rcode,
            searches: r.resolve.resolvConf.searches,
            ndots: r.resolve.resolvConf.ndots,
            dnsTraffic: dnsTrafficJson(r.resolve.dnsTraffic, (ref) => locator.locate(ref)),
          },
        }
      : {}),
  };
}

const HEADINGS: Record<string, string> = {
  dns: 'DNS',
  service: 'Service',
  egress: 'Policy',
  ingress: 'Policy',
  verdict: 'Verdict',
  note: 'Notes',
};

export function queryText(r: QueryResult, locator: Pick<Locator, 'format'>): string {
  const lines = [`Query: ${r.from.id} -> ${r.to}${r.port !== undefined ? `:${r.port}` : ''}/${r.protocol}`];
  let heading = '';
  for (const s of r.steps) {
    const h = HEADINGS[s.kind];
    if (h !== heading) {
      lines.push(`${h}:`);
      heading = h;
    }
    // assumed objects (the stand-in CoreDNS) have no place in the sources
    lines.push(`  ${s.text}${s.ref?.uri ? ` (${locator.format(s.ref)})` : ''}`);
  }
  lines.push(`Outcome: ${r.outcome.toUpperCase()}`);
  return `${lines.join('\n')}\n`;
}
