// "Can A reach B on port P?" where B is a workload, a DNS name resolved as A's pod would, or an IP.
// Joins DNS (name -> Service -> backing pods, Service port -> targetPort) with the policy verdicts.
import type { Model, Protocol, Service, ServicePort, SourceRef, Workload } from '../model/types';
import { contains, describe, isEmpty, type PortSet } from '../net/ports';
import { explainPair, allowingRules, sideAllows, type PairVerdict, type SideVerdict } from './explain';
import type { DnsIndex } from '../dns/records';
import { resolveName, type SearchCache } from '../dns/resolve';
import { attemptText } from '../report/resolveReport';
import { serviceEndpoints, targetPortFor } from '../dns/endpoints';
import type { DnsAnswer, ResolveResult } from '../dns/types';
import { parseIp } from '../net/cidr';
import { externalEgress } from './external';
import { lookup } from '../model/lookup';
import { adminLabel, ruleText } from './adminText';
import { cniEvidence, effectiveCni } from '../cni/effective';
import { ciliumSideStep } from './ciliumText';
import { calicoSideText } from './calicoText';

export type Outcome = 'allowed' | 'blocked' | 'nxdomain' | 'no-endpoints' | 'dns-blocked';

export interface Step {
  kind: 'dns' | 'service' | 'egress' | 'ingress' | 'verdict' | 'note';
  text: string;
  ref?: SourceRef;
}

export interface TargetVerdict {
  workload: Workload;
  /** the pod port checked (after Service port -> targetPort) */
  port?: number;
  allowed: boolean;
  verdict: PairVerdict;
}

export interface QueryResult {
  from: Workload;
  to: string;
  port?: number;
  protocol: Protocol;
  outcome: Outcome;
  resolvedTo: { kind: 'workload' | 'service' | 'pod' | 'external' | 'ip'; id?: string; fqdn?: string; endpoints?: string[] } | null;
  targets: TargetVerdict[];
  resolve?: ResolveResult;
  steps: Step[];
}

export interface QueryInput {
  from: Workload;
  to: string;
  port?: number;
  protocol: Protocol;
  /** the name already resolved from `from` (resolveName), when the caller has it */
  resolved?: ResolveResult;
  /** DNS searches shared by the queries of one caller (resolveName's cache) */
  searches?: SearchCache;
}

const WORKLOAD_ID = /^[^/\s]+\/[^/\s[]+\[[A-Za-z]+\]$/;

export function runQuery(model: Model, dns: DnsIndex, q: QueryInput): QueryResult {
  const r = decide(model, dns, q);
  // Assumed objects (the stand-in CoreDNS Service and pods) have no place in the sources.
  for (const s of r.steps) if (s.ref && !s.ref.uri) delete s.ref;
  // Policies decide only where the network plugin enforces them: say which install evidence says so.
  const cni = effectiveCni(model);
  if (cni && (r.outcome === 'allowed' || r.outcome === 'blocked' || r.outcome === 'dns-blocked')) {
    const evidence = cniEvidence(cni);
    r.steps.push({
      kind: 'verdict',
      text: cni.enforcesPolicy
        ? `network plugin ${cni.plugin} enforces NetworkPolicy: ${evidence}`
        : `network plugin ${cni.plugin} does not enforce NetworkPolicy: ${evidence}; on this cluster the policies above have no effect`,
      ...(cni.ref && cni.ref.uri ? { ref: cni.ref } : {}),
    });
  }
  return r;
}

function decide(model: Model, dns: DnsIndex, q: QueryInput): QueryResult {
  const base = { from: q.from, to: q.to, protocol: q.protocol, ...(q.port !== undefined ? { port: q.port } : {}) };
  const steps: Step[] = [];
  const byId = lookup(model).workloadById(q.to);
  if (byId || WORKLOAD_ID.test(q.to)) {
    if (!byId)
      return {
        ...base,
        outcome: 'no-endpoints',
        resolvedTo: null,
        targets: [],
        steps: [{ kind: 'note', text: `no workload ${q.to} in the workspace` }],
      };
    const t = checkTarget(model, q.from, byId, q.port, q.protocol, steps);
    return { ...base, outcome: t.allowed ? 'allowed' : 'blocked', resolvedTo: { kind: 'workload', id: byId.id }, targets: [t], steps };
  }
  if (parseIp(q.to)) return queryIp(model, q, steps);

  const res = q.resolved ?? resolveName(model, dns, q.from, q.to, q.searches);
  // DNS steps first and together (the report prints one DNS heading), then the notes.
  for (const a of res.tried) steps.push({ kind: 'dns', text: `try ${a.name} -> ${attemptText(a, 'outside the cluster (upstream DNS)')}` });
  const answer = res.answer;
  const traffic = res.dnsTraffic;
  if (answer && traffic.status !== 'blocked')
    steps.push({ kind: 'dns', text: `answer: ${answer.fqdn} (${answer.type}) -> ${answer.target}` });
  if (traffic.status === 'allowed' || traffic.status === 'blocked')
    steps.push({ kind: 'dns', text: traffic.text, ...(traffic.ref ? { ref: traffic.ref } : {}) });
  if (traffic.status === 'skipped') steps.push({ kind: 'note', text: traffic.text });
  for (const n of res.notes) steps.push({ kind: 'note', text: n });
  if (traffic.status === 'blocked') {
    const would = answer
      ? `the records hold ${answer.fqdn} -> ${answer.target}`
      : res.external
        ? 'the name would go to upstream DNS'
        : `the name is ${res.rcode}`;
    steps.push({
      kind: 'verdict',
      text: `${q.to} does not resolve from ${q.from.id}: its DNS queries never reach the cluster DNS (${would})`,
    });
    return { ...base, outcome: 'dns-blocked', resolvedTo: null, targets: [], resolve: res, steps };
  }
  if (!answer) {
    if (res.tried.some((a) => a.external)) return externalResult(model, q, res, steps);
    steps.push({ kind: 'verdict', text: `${q.to} does not resolve from ${q.from.namespace}` });
    return { ...base, outcome: 'nxdomain', resolvedTo: null, targets: [], resolve: res, steps };
  }
  // an address the DNS server's configuration gives (a hosts entry): the connection goes to that IP
  const address = answer.type === 'Address' ? answer.addresses?.[0] : undefined;
  if (address) return { ...queryIp(model, { ...q, to: address }, steps), to: q.to, resolve: res };
  if (answer.type === 'ExternalName') {
    steps.push({
      kind: 'service',
      text: `${answer.target} is an ExternalName Service: a CNAME to ${answer.cname}, outside the cluster; no ingress policy of the workspace applies`,
      ...(answer.service ? { ref: answer.service.ref } : {}),
    });
    return externalResult(model, q, res, steps);
  }
  const svc = answer.service;
  const targets: TargetVerdict[] = [];
  if (svc && answer.type === 'Service') {
    const { backends, servicePort: sp, podPorts } = serviceLanding(model, answer, svc, q.port, q.protocol);
    if (backends.length === 0) {
      steps.push({
        kind: 'service',
        text: `${svc.id} selects no pods in the workspace (selector ${selectorText(svc)})`,
        ref: svc.selectorRef ?? svc.ref,
      });
      return {
        ...base,
        outcome: 'no-endpoints',
        resolvedTo: { kind: 'service', id: svc.id, fqdn: answer.fqdn, endpoints: [] },
        targets,
        resolve: res,
        steps,
      };
    }
    if (q.port !== undefined && !sp) {
      steps.push({
        kind: 'service',
        text: `${svc.id} has no ${q.protocol} port ${q.port} (it exposes ${svc.ports.map((p) => `${p.protocol} ${p.port}`).join(', ') || 'no ports'}); the connection is refused`,
        ref: svc.ref,
      });
      return {
        ...base,
        outcome: 'blocked',
        resolvedTo: { kind: 'service', id: svc.id, fqdn: answer.fqdn, endpoints: backends.map((w) => w.id) },
        targets,
        resolve: res,
        steps,
      };
    }
    backends.forEach((w, i) => {
      const podPort = podPorts[i];
      if (sp) {
        if (podPort === undefined) {
          steps.push({
            kind: 'service',
            text: `${w.id} has no container port named "${sp.targetPort}" (targetPort of ${svc.id} port ${sp.port}): not an endpoint for this port`,
            ref: sp.ref,
          });
          return;
        }
        steps.push({
          kind: 'service',
          text: `${svc.id} port ${sp.port}/${sp.protocol} -> ${w.id} port ${podPort}${typeof sp.targetPort === 'string' ? ` (targetPort "${sp.targetPort}")` : ''}`,
          ref: sp.ref,
        });
      }
      targets.push(checkTarget(model, q.from, w, sp ? podPort : q.port, sp ? sp.protocol : q.protocol, steps));
    });
    const resolvedTo = { kind: 'service' as const, id: svc.id, fqdn: answer.fqdn, endpoints: backends.map((w) => w.id) };
    if (targets.length === 0) return { ...base, outcome: 'no-endpoints', resolvedTo, targets, resolve: res, steps };
    return { ...base, outcome: verdictOf(targets, steps), resolvedTo, targets, resolve: res, steps };
  }
  // Headless Service names and pod records answer with pod addresses: the port is the pod's.
  const pods = answer.workloads;
  if (pods.length === 0) {
    steps.push({ kind: 'service', text: `${answer.target} has no ready endpoints in the workspace` });
    return {
      ...base,
      outcome: 'no-endpoints',
      resolvedTo: { kind: 'service', id: answer.target, fqdn: answer.fqdn, endpoints: [] },
      targets,
      resolve: res,
      steps,
    };
  }
  for (const w of pods) targets.push(checkTarget(model, q.from, w, q.port, q.protocol, steps));
  const kind = answer.type === 'Pod' ? ('pod' as const) : ('service' as const);
  return {
    ...base,
    outcome: verdictOf(targets, steps),
    resolvedTo: { kind, id: answer.target, fqdn: answer.fqdn, endpoints: pods.map((w) => w.id) },
    targets,
    resolve: res,
    steps,
  };
}

/** Where a connection to a ClusterIP Service lands: its backing workloads and, with a Service port, each one's pod port. */
export interface ServiceLanding {
  backends: readonly Workload[];
  /** the Service port asked for (the only one when no port was asked); undefined when it has none such */
  servicePort?: ServicePort;
  /** per backend: the pod port the Service port sends to (undefined: no container port of that name, or no Service port) */
  podPorts: (number | undefined)[];
}

function serviceLanding(model: Model, answer: DnsAnswer, svc: Service, port: number | undefined, protocol: Protocol): ServiceLanding {
  const backends = answer.workloads.length ? answer.workloads : serviceEndpoints(model, svc);
  const sp =
    port === undefined
      ? svc.ports.length === 1
        ? svc.ports[0]
        : undefined
      : svc.ports.find((p) => p.port === port && p.protocol === protocol);
  return { backends, ...(sp ? { servicePort: sp } : {}), podPorts: backends.map((w) => (sp ? targetPortFor(sp, w) : undefined)) };
}

/**
 * The pods (and pod ports) a connection to a resolved cluster name on `port` reaches, the targets runQuery
 * checks, without its explanations: what lint asks of thousands of references. Empty when the
 * connection reaches no pod (no endpoints, a Service port that does not exist).
 */
export function connectionTargets(
  model: Model,
  answer: DnsAnswer,
  port: number | undefined,
  protocol: Protocol,
): { workload: Workload; port?: number; protocol: Protocol }[] {
  const svc = answer.service;
  if (svc && answer.type === 'Service') {
    const { backends, servicePort: sp, podPorts } = serviceLanding(model, answer, svc, port, protocol);
    if (port !== undefined && !sp) return [];
    const out: { workload: Workload; port?: number; protocol: Protocol }[] = [];
    backends.forEach((w, i) => {
      if (!sp) out.push({ workload: w, ...(port !== undefined ? { port } : {}), protocol });
      else if (podPorts[i] !== undefined) out.push({ workload: w, port: podPorts[i], protocol: sp.protocol });
    });
    return out;
  }
  return answer.workloads.map((w) => ({ workload: w, ...(port !== undefined ? { port } : {}), protocol }));
}

function selectorText(svc: Service): string {
  return (
    Object.entries(svc.selector ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',') || 'none'
  );
}

/** A Service is reachable when every backing pod accepts the connection (kube-proxy may pick any). */
function verdictOf(targets: TargetVerdict[], steps: Step[]): Outcome {
  const ok = targets.filter((t) => t.allowed).length;
  if (ok === targets.length) return 'allowed';
  if (ok > 0)
    steps.push({
      kind: 'verdict',
      text: `only ${ok} of ${targets.length} backing workloads accept it: connections fail whenever another one is picked`,
    });
  return 'blocked';
}

function checkTarget(
  model: Model,
  from: Workload,
  to: Workload,
  port: number | undefined,
  protocol: Protocol,
  steps: Step[],
): TargetVerdict {
  const verdict = explainPair(model, from, to);
  if (verdict.self) {
    steps.push({ kind: 'verdict', text: `${from.id} to itself: a pod can always reach itself` });
    return { workload: to, ...(port !== undefined ? { port } : {}), allowed: true, verdict };
  }
  steps.push(sideStep(verdict.egress, protocol, port));
  steps.push(sideStep(verdict.ingress, protocol, port));
  const allowed = port === undefined ? !isEmpty(verdict.allowed) : contains(verdict.allowed, protocol, port);
  const what = port === undefined ? `any port (allowed: ${describe(verdict.allowed)})` : `${protocol} ${port}`;
  steps.push({ kind: 'verdict', text: `${from.id} -> ${to.id} on ${what}: ${allowed ? 'ALLOWED' : 'BLOCKED'}` });
  return { workload: to, ...(port !== undefined ? { port } : {}), allowed, verdict };
}

/** One direction's explanation (as `query` prints it), with the layer, tier and rule that decided it. */
export function sideStep(s: SideVerdict, protocol: Protocol, port: number | undefined): Step {
  const kind = s.direction === 'Egress' ? 'egress' : 'ingress';
  const who = `${s.direction.toLowerCase()} of ${s.subject.id}`;
  const what = port === undefined ? 'any port' : `${protocol} ${port}`;
  if (s.nodeTraffic)
    return {
      kind,
      text: `${who}: hostNetwork pod, treated as node traffic; NetworkPolicies do not select it (setting netlens.hostNetwork / --host-network)`,
    };
  // [calico]
  if (s.calico) return { kind, ...calicoSideText(s.calico, who, protocol, port) };
  // the Cilium layer explains itself (with the NetworkPolicies it joins)
  if (s.cilium && !s.admin) return ciliumSideStep(s, protocol, port);
  let passNote = '';
  let defaultTail = '';
  const dir = s.direction === 'Egress' ? 'egress' : 'ingress';
  if (s.admin) {
    const covers = (ports: PortSet) => (port === undefined ? !isEmpty(ports) : contains(ports, protocol, port));
    const hit = s.admin.admin.find((a) => covers(a.ports));
    if (hit && hit.rule.action !== 'Pass') {
      return {
        kind,
        text: `${who}: ${hit.rule.action === 'Allow' ? 'allowed' : 'denied'} in the Admin tier by ${adminLabel(hit.policy)} ${ruleText(hit.policy, hit.rule, dir)}, before any NetworkPolicy`,
        ref: hit.rule.ref,
      };
    }
    if (hit)
      passNote = ` (the Admin tier passes it on: ${adminLabel(hit.policy)} ${ruleText(hit.policy, hit.rule, dir)} hands it to the NetworkPolicy layer)`;
    const base = s.isolatedBy.length === 0 ? s.admin.baseline.find((b) => covers(b.ports)) : undefined;
    if (base)
      return {
        kind,
        text: `${who}: no NetworkPolicy isolates it${passNote}; ${base.rule.action === 'Deny' ? 'denied' : base.rule.action === 'Pass' ? 'passed on (nothing below: allowed by default)' : 'allowed'} in the Baseline tier by ${adminLabel(base.policy)} ${ruleText(base.policy, base.rule, dir)}`,
        ref: base.rule.ref,
      };
    defaultTail = passNote ? '; no Baseline tier rule decides it' : '; no Admin or Baseline tier rule decides it';
  }
  if (s.isolatedBy.length === 0)
    return {
      kind,
      text: `${who}: not isolated (no NetworkPolicy with ${s.direction} selects it)${passNote}${defaultTail}, so all ${s.direction.toLowerCase()} is allowed`,
    };
  const layer = s.admin ? 'NetworkPolicy layer: ' : '';
  const isolated = `${layer}isolated by ${s.isolatedBy.map((p) => p.id).join(', ')}${passNote}`;
  const allowing = allowingRules(s, protocol, port);
  if (allowing.length) {
    const m = allowing[0];
    const field = s.direction === 'Ingress' ? 'ingress' : 'egress';
    const peerText = m.peer ? ` (peer ${peerDescription(m.peer)})` : ` (no ${s.direction === 'Ingress' ? 'from' : 'to'}: every peer)`;
    return {
      kind,
      text: `${who}: ${isolated}; allowed by ${m.policy.id} ${field}[${m.rule.index}]${peerText}, ports ${describe(m.ports)}`,
      ref: m.rule.ref,
    };
  }
  const other = s.other.id;
  const partial = s.matches.length && !sideAllows(s, protocol, port) ? `; rules that match ${other} allow only ${describe(s.allowed)}` : '';
  const first = s.isolatedBy[0];
  return {
    kind,
    text: `${who}: ${isolated}; denied: no ${s.direction.toLowerCase()} rule of ${s.isolatedBy.length > 1 ? 'these policies' : 'this policy'} allows ${other} on ${what}${partial}`,
    ref: first.ref,
  };
}

function peerDescription(p: NonNullable<import('../model/types').Peer>): string {
  const parts: string[] = [];
  if (p.namespaceSelector) parts.push(`namespaceSelector ${p.namespaceSelector.text}`);
  if (p.podSelector) parts.push(`podSelector ${p.podSelector.text}`);
  if (p.ipBlock) parts.push(`ipBlock ${p.ipBlock.cidr}${p.ipBlock.except.length ? ` except ${p.ipBlock.except.join(',')}` : ''}`);
  return parts.join(' AND ');
}

function queryIp(model: Model, q: QueryInput, steps: Step[]): QueryResult {
  const base = { from: q.from, to: q.to, protocol: q.protocol, ...(q.port !== undefined ? { port: q.port } : {}) };
  const pod = model.workloads.find((w) => w.podIPs.includes(q.to));
  if (pod) {
    steps.push({ kind: 'dns', text: `${q.to} is the IP of ${pod.id}` });
    const t = checkTarget(model, q.from, pod, q.port, q.protocol, steps);
    return { ...base, outcome: t.allowed ? 'allowed' : 'blocked', resolvedTo: { kind: 'workload', id: pod.id }, targets: [t], steps };
  }
  const svc = model.services.find((s) => s.clusterIP === q.to);
  if (svc) {
    steps.push({ kind: 'dns', text: `${q.to} is the ClusterIP of ${svc.id}` });
    const backends = serviceEndpoints(model, svc);
    const sp =
      svc.ports.find((p) => p.port === q.port && p.protocol === q.protocol) ??
      (q.port === undefined && svc.ports.length === 1 ? svc.ports[0] : undefined);
    const targets = backends.flatMap((w) => {
      const pp = sp ? targetPortFor(sp, w) : q.port;
      return pp === undefined && sp ? [] : [checkTarget(model, q.from, w, pp, sp?.protocol ?? q.protocol, steps)];
    });
    const resolvedTo = { kind: 'service' as const, id: svc.id, endpoints: backends.map((w) => w.id) };
    if (targets.length === 0) return { ...base, outcome: 'no-endpoints', resolvedTo, targets, steps };
    return { ...base, outcome: verdictOf(targets, steps), resolvedTo, targets, steps };
  }
  const ext = externalEgress(model, q.from, q.to, q.protocol, q.port);
  steps.push(...ext.steps);
  return { ...base, outcome: ext.allowed ? 'allowed' : 'blocked', resolvedTo: { kind: 'ip' }, targets: [], steps };
}

function externalResult(model: Model, q: QueryInput, res: ResolveResult, steps: Step[]): QueryResult {
  const base = { from: q.from, to: q.to, protocol: q.protocol, ...(q.port !== undefined ? { port: q.port } : {}) };
  const names = res.tried.filter((a) => a.external).map((a) => a.name.replace(/\.$/, ''));
  if (res.answer?.cname) names.push(res.answer.cname.replace(/\.$/, ''));
  const ext = externalEgress(model, q.from, undefined, q.protocol, q.port, names);
  steps.push(...ext.steps);
  return {
    ...base,
    outcome: ext.allowed ? 'allowed' : 'blocked',
    resolvedTo: { kind: 'external', ...(res.answer ? { fqdn: res.answer.fqdn } : {}) },
    targets: [],
    resolve: res,
    steps,
  };
}

export type { PortSet };
