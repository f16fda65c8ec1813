// A name only resolves when the pod's DNS queries reach the cluster DNS pods (UDP 53, TCP 53 for
// large answers): policies that isolate the pod's egress, or the DNS pods' ingress, can block them.
import type { Direction, Model, NetworkPolicy, Protocol, SourceRef, Workload } from '../model/types';
import type { ResolvConf } from '../dns/types';
import { contains } from '../net/ports';
import { explainPair, type SideVerdict } from './explain';
import { dnsPodsOrStandIn } from '../dns/dnsStandIn';
import { kubeDnsPods } from '../dns/kubeDns';
import { targetPortFor } from '../dns/endpoints';
import { allowedByCatchAllIpBlock } from '../lint/unknownAddresses';

const DNS_PORT = 53;

export interface DnsTraffic {
  /** allowed / blocked: the check ran; skipped: no DNS pods to check against; not-cluster-dns: the pod asks the node's DNS */
  status: 'allowed' | 'blocked' | 'skipped' | 'not-cluster-dns';
  /** the DNS pods are NetLens's stand-in for the standard CoreDNS pods, not objects of the workspace */
  assumed: boolean;
  /** the DNS pods checked (ids) */
  dnsPods: string[];
  /** blocked: the side that blocks UDP 53, its isolating policies and where the first one is */
  direction?: Direction;
  policies?: readonly NetworkPolicy[];
  ref?: SourceRef;
  /** allowed: whether TCP 53 is allowed too (answers too large for UDP retry over TCP) */
  tcp?: boolean;
  /** one line for reports */
  text: string;
}

const ASSUMED = 'assumed: the standard CoreDNS pods, k8s-app=kube-dns behind Service kube-dns 53/UDP+TCP; none in the workspace';

const cache = new WeakMap<Model, WeakMap<Workload, DnsTraffic>>();

/** Whether `from`'s DNS queries reach the cluster DNS pods. Depends only on the model and the pod. */
export function dnsTraffic(model: Model, from: Workload, conf: Pick<ResolvConf, 'usesClusterDns'>): DnsTraffic {
  let m = cache.get(model);
  if (!m) cache.set(model, (m = new WeakMap()));
  let out = m.get(from);
  if (!out) m.set(from, (out = checkDnsTraffic(model, from, conf)));
  return out;
}

function checkDnsTraffic(model: Model, from: Workload, conf: Pick<ResolvConf, 'usesClusterDns'>): DnsTraffic {
  if (!conf.usesClusterDns)
    return {
      status: 'not-cluster-dns',
      assumed: false,
      dnsPods: [],
      text: `${from.id} does not ask the cluster DNS: no DNS traffic check`,
    };
  const { pods, standIn } = dnsPodsOrStandIn(model);
  if (pods.length === 0)
    return {
      status: 'skipped',
      assumed: false,
      dnsPods: [],
      text: `no cluster DNS pods in the workspace and assuming the standard ones is off (netlens.dns.assumeClusterDns, --no-assume-dns): names are resolved by records only, the DNS traffic check is skipped`,
    };
  const ids = pods.map((p) => p.id);
  const name = (pod: Workload) => `${pod.id}${standIn ? ` (${ASSUMED})` : ''}`;
  if (pods.includes(from))
    return { status: 'allowed', assumed: standIn, dnsPods: ids, tcp: true, text: `${from.id} is a cluster DNS pod itself` };
  let blocked: { side: SideVerdict; pod: Workload } | undefined;
  for (const pod of pods) {
    const v = explainPair(model, from, pod);
    const udp = dnsPort(model, pod, 'UDP');
    if (sideAllows(model, v.egress, 'UDP', udp) && sideAllows(model, v.ingress, 'UDP', udp)) {
      const tcpPort = dnsPort(model, pod, 'TCP');
      const tcp = sideAllows(model, v.egress, 'TCP', tcpPort) && sideAllows(model, v.ingress, 'TCP', tcpPort);
      return {
        status: 'allowed',
        assumed: standIn,
        dnsPods: ids,
        tcp,
        text: `DNS queries from ${from.id} reach ${name(pod)} on UDP ${udp}${tcp ? ` and TCP ${tcpPort}` : `; TCP ${tcpPort} is blocked, so answers too large for UDP fail`}`,
      };
    }
    blocked ??= { side: sideAllows(model, v.egress, 'UDP', udp) ? v.ingress : v.egress, pod };
  }
  const { side, pod } = blocked!;
  const policies = side.isolatedBy;
  const subject = side.direction === 'Egress' ? `egress of ${from.id}` : `ingress of ${name(pod)}`;
  const peer = side.direction === 'Egress' ? `to ${name(pod)}` : `from ${from.id}`;
  const what = policies.length
    ? `${subject} is isolated by ${policies.map((p) => p.id).join(', ')} and no ${side.direction.toLowerCase()} rule allows UDP ${DNS_PORT} ${peer}`
    : `${subject}: an AdminNetworkPolicy denies UDP ${DNS_PORT} ${peer}`;
  return {
    status: 'blocked',
    assumed: standIn,
    dnsPods: ids,
    direction: side.direction,
    policies,
    ...(policies[0] ? { ref: policies[0].ref } : {}),
    text: `DNS lookups of ${from.id} are blocked: ${what}; every lookup times out`,
  };
}

function sideAllows(model: Model, s: SideVerdict, protocol: Protocol, port: number): boolean {
  return contains(s.allowed, protocol, port) || allowedByCatchAllIpBlock(model, s, protocol, port);
}

/** The pod port the kube-dns Service sends port 53 to (53 unless the workspace's Service says otherwise). */
function dnsPort(model: Model, pod: Workload, protocol: Protocol): number {
  const svc = kubeDnsPods(model).service;
  const sp = svc?.ports.find((p) => p.port === DNS_PORT && p.protocol === protocol);
  return (sp && targetPortFor(sp, pod)) ?? DNS_PORT;
}
