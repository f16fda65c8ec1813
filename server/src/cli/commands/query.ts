import { parseArgs, opt, UsageError } from '../args';
import { loadModel } from '../load';
import { runQuery } from '../../engine/reachability/query';
import { queryJson, queryText } from '../../engine/report/queryReport';
import { buildDnsIndex } from '../../engine/dns/records';
import { clusterDomainOf } from '../../engine/dns/clusterDomain';
import { findWorkloadArg } from '../workloadArg';
import type { Protocol } from '../../engine/model/types';
import type { CommandContext } from '../context';

export const queryHelp = `usage: netlens [global options] query --from SRC --to DST [--port P] [--protocol TCP|UDP|SCTP] [--format text|json] PATH...

Can SRC reach DST, and why? SRC is a workload id (ns/name[Kind]) or a unique workload name.
DST is a workload id, a DNS name resolved as SRC's pod would (short name, svc.ns, FQDN), or an IP.
For a name that resolves to a Service, --port is the Service port (mapped to each pod's targetPort);
for a workload or a headless name it is the pod port. Without --port, any allowed port counts.
A name only resolves when SRC's DNS queries reach the cluster DNS pods on UDP 53; when a policy
blocks them the outcome is dns-blocked (without CoreDNS pods in the inputs the standard ones are
assumed, and said so; --no-assume-dns turns that off).
Outcome: allowed (exit 0), blocked, nxdomain, no-endpoints or dns-blocked (exit 3).`;

export async function runQueryCommand(argv: string[], cx: CommandContext): Promise<number> {
  const a = parseArgs(argv, {
    '--from': { value: true },
    '--to': { value: true },
    '--port': { value: true },
    '--protocol': { value: true, choices: ['TCP', 'UDP', 'SCTP', 'tcp', 'udp', 'sctp'] },
    '--format': { value: true, choices: ['text', 'json'] },
  });
  const fromSpec = opt(a, '--from');
  const to = opt(a, '--to');
  if (!fromSpec || !to) throw new UsageError('query needs --from SRC and --to DST');
  const portText = opt(a, '--port');
  let port: number | undefined;
  if (portText !== undefined) {
    port = /^\d{1,5}$/.test(portText) ? Number(portText) : NaN;
    if (!Number.isInteger(port) || port < 1 || port > 65535)
      throw new UsageError(`--port must be a number from 1 to 65535, not "${portText}"`);
  }
  const protocol = (opt(a, '--protocol') ?? 'TCP').toUpperCase() as Protocol;
  const { model, locator } = await loadModel(a.positionals, cx);
  cx.reportSkips(model, locator);
  const from = findWorkloadArg(model, fromSpec);
  const domain = clusterDomainOf(model);
  const result = runQuery(model, buildDnsIndex(model, domain.domain), { from, to, protocol, ...(port !== undefined ? { port } : {}) });
  if (opt(a, '--format') === 'json') cx.out(`${JSON.stringify(queryJson(result, locator), null, 1)}\n`);
  else cx.out(queryText(result, locator));
  return result.outcome === 'allowed' ? 0 : 3;
}
