// What CoreDNS's kubernetes plugin answers for a name in its zones, given its options
// (coredns/coredns plugin/kubernetes/README.md): pods disabled|insecure|verified, namespaces,
// endpoint_pod_names. The records themselves come from the DnsIndex of the cluster domain.
import type { Model } from '../model/types';
import type { DnsAnswer } from './types';
import type { DnsIndex } from './records';
import type { KubernetesPlugin } from './corefilePlugins';
import { serviceBackends } from './endpoints';
import { inZone, ipOfLabel } from './names';

export interface KubernetesLookup {
  answer?: DnsAnswer;
  why?: string;
}

export function kubernetesLookup(model: Model, index: DnsIndex, k: KubernetesPlugin, name: string): KubernetesLookup {
  const zone = k.zones.filter((z) => z !== '.' && inZone(name, z)).sort((a, b) => b.length - a.length)[0];
  if (!zone || /(^|\.)(in-addr|ip6)\.arpa$/.test(zone)) return {};
  // the index holds the records under the cluster domain; another zone of the plugin has the same ones
  const local = zone === index.zone ? name : `${name.slice(0, name.length - zone.length)}${index.zone}`;
  const labels = local === index.zone ? [] : local.slice(0, -index.zone.length - 1).split('.');
  const kind = labels[labels.length - 1];
  const ns = labels.length >= 2 && (kind === 'svc' || kind === 'pod') ? labels[labels.length - 2] : undefined;
  if (ns !== undefined && k.namespaces && !k.namespaces.includes(ns))
    return { why: `${name}: namespace ${ns} is not among the namespaces the kubernetes plugin serves (${k.namespaces.join(' ')})` };
  const inOwnZone = (a: DnsAnswer | undefined) => (a && zone !== index.zone ? { ...a, fqdn: name } : a);
  if (kind === 'pod' && labels.length === 3) {
    if (k.pods === 'disabled')
      return { why: `${name} is a pod A record; the kubernetes plugin has pods disabled (its default), so it is NXDOMAIN` };
    const known = index.lookup(local);
    if (known) return { answer: inOwnZone(known) };
    const ip = ipOfLabel(labels[0]);
    if (k.pods === 'insecure' && ip) {
      const workloads = model.workloads.filter((w) => w.namespace === ns && w.podIPs.includes(ip));
      return { answer: { fqdn: name, type: 'Address', target: ip, endpoints: workloads.map((w) => w.id), workloads, addresses: [ip] } };
    }
    if (k.assumed) return {};
    return {
      why:
        k.pods === 'verified'
          ? `${name}: pods verified answers only for a pod of ${ns} with IP ${ip ?? labels[0]}, and the workspace has none`
          : `${labels[0]} is not an IP written with dashes`,
    };
  }
  const answer = index.lookup(local);
  if (answer) return { answer: inOwnZone(answer) };
  if (k.endpointPodNames && kind === 'svc' && labels.length === 4) {
    const byPodName = endpointByPodName(model, index, labels[0], `${labels.slice(1).join('.')}.${index.zone}`);
    if (byPodName) return { answer: inOwnZone({ ...byPodName, fqdn: local }) };
  }
  const why = index.whyMissing(local);
  return why ? { why } : {};
}

/** endpoint_pod_names: an endpoint without hostname is named by its pod's name. */
function endpointByPodName(model: Model, index: DnsIndex, label: string, serviceFqdn: string): DnsAnswer | undefined {
  const svc = index.lookup(serviceFqdn);
  if (!svc?.service || svc.type !== 'HeadlessService') return undefined;
  for (const b of serviceBackends(model, svc.service)) {
    if (b.hostname || !b.workload) continue;
    const podName = b.podName ?? (b.workload.kind === 'Pod' ? b.workload.name : undefined);
    if (podName?.toLowerCase() === label)
      return {
        fqdn: '',
        type: 'Pod',
        target: b.workload.id,
        endpoints: [b.workload.id],
        service: svc.service,
        workloads: [b.workload],
        podName,
      };
  }
  return undefined;
}
