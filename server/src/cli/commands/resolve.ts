import { parseArgs, opt, UsageError } from '../args';
import { loadModel } from '../load';
import { findWorkloadArg } from '../workloadArg';
import { clusterDomainOf } from '../../engine/dns/clusterDomain';
import { buildDnsIndex } from '../../engine/dns/records';
import { resolveName, resolveOutcome } from '../../engine/dns/resolve';
import { resolveJson, resolveText } from '../../engine/report/resolveReport';
import type { CommandContext } from '../context';

export const resolveHelp = `usage: netlens [global options] resolve --from SRC [--format text|json] NAME PATH...

Resolves NAME as SRC's pod would: its resolv.conf (dnsPolicy, dnsConfig, search list, ndots) and
the cluster's records (Services, headless endpoints, StatefulSet pods, ExternalName, pod A records,
SRV). SRC is a workload id (ns/name[Kind]) or a unique workload name. Names outside the cluster
domain go to upstream DNS, which NetLens cannot see.
The pod's DNS queries must reach the cluster DNS pods on UDP 53: when a policy blocks them the
outcome is dns-blocked. Without CoreDNS pods in the inputs the standard ones are assumed (and
said so); --no-assume-dns turns that off.
Exit status 0 when the name resolves (or goes upstream), 3 when it is NXDOMAIN or dns-blocked.`;

export async function runResolve(argv: string[], cx: CommandContext): Promise<number> {
  const a = parseArgs(argv, { '--from': { value: true }, '--format': { value: true, choices: ['text', 'json'] } });
  const fromSpec = opt(a, '--from');
  const [name, ...paths] = a.positionals;
  if (!fromSpec) throw new UsageError('resolve needs --from SRC (a workload id or a unique workload name)');
  if (!name) throw new UsageError('resolve needs a NAME to resolve, then the PATHs to read');
  const { model, locator } = await loadModel(paths, cx);
  cx.reportSkips(model, locator);
  const from = findWorkloadArg(model, fromSpec);
  const domain = clusterDomainOf(model);
  const result = resolveName(model, buildDnsIndex(model, domain.domain), from, name);
  const locate = (ref: Parameters<typeof locator.format>[0]) => locator.format(ref);
  if (opt(a, '--format') === 'json') cx.out(`${JSON.stringify(resolveJson(result, domain, locate), null, 1)}\n`);
  else cx.out(resolveText(result, domain, locate));
  const outcome = resolveOutcome(result);
  return outcome === 'nxdomain' || outcome === 'dns-blocked' ? 3 : 0;
}
