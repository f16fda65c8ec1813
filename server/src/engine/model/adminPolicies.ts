// Reads AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1):
// cluster-scoped policies evaluated before (ANP) and after (BANP) NetworkPolicies.
import { isSeq } from 'yaml';
import type { ManifestObject } from '../parse/documents';
import { asMap, get, isNullish, items, kindName, scalar, str, type YNode } from '../parse/yamlNodes';
import type { BuildContext } from './context';
import { readSelector } from '../selectors/parse';
import { parseCidr } from '../net/cidr';
import type { AdminAction, AdminPeer, AdminPods, AdminPolicy, AdminPort, AdminRule, Protocol } from './types';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

export function readAdminPolicy(ctx: BuildContext, o: ManifestObject, name: string): AdminPolicy | undefined {
  ctx.rejected = false;
  const baseline = o.kind === 'BaselineAdminNetworkPolicy';
  const spec = get(o.node, 'spec');
  const ref = ctx.ref(get(o.node, 'metadata', 'name'));
  let priority = Number.MAX_SAFE_INTEGER;
  if (!baseline) priority = ctx.integer(get(spec, 'priority'), 'spec.priority', 0, 1000) ?? Number.MAX_SAFE_INTEGER;
  if (!baseline && priority === Number.MAX_SAFE_INTEGER) ctx.invalid('an AdminNetworkPolicy needs spec.priority (0-1000)', spec ?? o.node);
  if (baseline && name !== 'default')
    ctx.report('banp-name', 'warning', 'the API server only accepts a BaselineAdminNetworkPolicy named "default"', ref);
  const subjectNode = get(spec, 'subject');
  const subject: AdminPolicy['subject'] = {};
  if (!isNullish(get(subjectNode, 'namespaces'))) {
    const ns = readSelector(ctx, get(subjectNode, 'namespaces'), 'subject.namespaces');
    if (ns) subject.namespaces = ns;
  } else if (!isNullish(get(subjectNode, 'pods'))) {
    const pods = readPods(ctx, get(subjectNode, 'pods'), 'subject.pods');
    if (pods) subject.pods = pods;
  } else ctx.invalid('spec.subject needs namespaces or pods', subjectNode ?? spec ?? o.node);
  const ingress = readRules(ctx, get(spec, 'ingress'), 'ingress', 'from', baseline);
  const egress = readRules(ctx, get(spec, 'egress'), 'egress', 'to', baseline);
  if (ctx.rejected) {
    ctx.report(
      'policy-rejected',
      'error',
      `${o.kind} ${name} is invalid: the API server would reject it, so NetLens leaves it out of the analysis`,
      ref,
    );
    return undefined;
  }
  return {
    id: `${name}[${o.kind}]`,
    name,
    kind: baseline ? 'BaselineAdminNetworkPolicy' : 'AdminNetworkPolicy',
    baseline,
    priority,
    subject,
    ingress,
    egress,
    ref,
    objectRef: o.ref,
    kindRef: ctx.ref(get(o.node, 'kind')),
  };
}

export function readPods(ctx: BuildContext, node: YNode, what: string): AdminPods | undefined {
  const namespaceSelector = readSelector(ctx, get(node, 'namespaceSelector'), `${what}.namespaceSelector`);
  const podSelector = readSelector(ctx, get(node, 'podSelector'), `${what}.podSelector`);
  return namespaceSelector && podSelector ? { namespaceSelector, podSelector } : undefined;
}

function readRules(ctx: BuildContext, node: YNode, field: string, peersField: string, baseline: boolean): AdminRule[] {
  if (isNullish(node)) return [];
  if (!isSeq(node)) {
    ctx.invalid(`${field} must be a list of rules, not ${kindName(node)}`, node);
    return [];
  }
  return items(node).map((r, index) => {
    const what = `${field}[${index}]`;
    const actionNode = get(r, 'action');
    const a = str(actionNode);
    const allowed = baseline ? ['Allow', 'Deny'] : ['Allow', 'Deny', 'Pass'];
    if (!a || !allowed.includes(a)) ctx.invalid(`${what}.action must be ${allowed.join(', ')}`, actionNode ?? r);
    const peers = items(get(r, peersField)).map((p, i) => readPeer(ctx, p, `${what}.${peersField}[${i}]`, field === 'egress'));
    if (peers.length === 0) ctx.invalid(`${what}.${peersField} needs at least one peer`, r);
    const rule: AdminRule = {
      name: str(get(r, 'name')) ?? `${field}[${index}]`,
      action: (a ?? 'Deny') as AdminAction,
      peers,
      index,
      ref: ctx.ref(r),
    };
    const portsNode = get(r, 'ports');
    if (!isNullish(portsNode))
      rule.ports = items(portsNode)
        .map((p, i) => readPort(ctx, p, `${what}.ports[${i}]`))
        .filter((p): p is AdminPort => !!p);
    return rule;
  });
}

function readPeer(ctx: BuildContext, node: YNode, what: string, egress: boolean): AdminPeer {
  const peer: AdminPeer = { ref: ctx.ref(node) };
  if (!asMap(node)) {
    ctx.invalid(`${what} must be a map`, node);
    return peer;
  }
  if (!isNullish(get(node, 'namespaces'))) {
    const s = readSelector(ctx, get(node, 'namespaces'), `${what}.namespaces`);
    if (s) peer.namespaces = s;
  } else if (!isNullish(get(node, 'pods'))) {
    const p = readPods(ctx, get(node, 'pods'), `${what}.pods`);
    if (p) peer.pods = p;
  } else if (egress && !isNullish(get(node, 'networks'))) {
    peer.networks = [];
    for (const n of items(get(node, 'networks'))) {
      const t = str(n);
      if (t && parseCidr(t)) peer.networks.push(t);
      else ctx.invalid(`${what}.networks: "${String(scalar(n))}" is not a CIDR`, n);
    }
  } else if (egress && !isNullish(get(node, 'nodes'))) {
    const s = readSelector(ctx, get(node, 'nodes'), `${what}.nodes`);
    if (s) peer.nodes = s;
    ctx.report('anp-nodes-peer', 'info', `${what}: nodes are not in the manifests, so this peer matches no workload`, ctx.ref(node));
  } else ctx.invalid(`${what} needs namespaces, pods${egress ? ', networks or nodes' : ''}`, node);
  return peer;
}

function readPort(ctx: BuildContext, node: YNode, what: string): AdminPort | undefined {
  const ref = ctx.ref(node);
  const named = str(get(node, 'namedPort'));
  if (named) return { protocol: 'TCP', name: named, ref };
  const num = get(node, 'portNumber');
  if (!isNullish(num)) {
    const protocol = proto(ctx, get(num, 'protocol'), what);
    const port = ctx.integer(get(num, 'port'), `${what}.portNumber.port`, 1, 65535);
    return port === undefined || !protocol ? undefined : { protocol, port, ref };
  }
  const range = get(node, 'portRange');
  if (!isNullish(range)) {
    const protocol = proto(ctx, get(range, 'protocol'), what);
    const start = ctx.integer(get(range, 'start'), `${what}.portRange.start`, 1, 65535);
    const end = ctx.integer(get(range, 'end'), `${what}.portRange.end`, 1, 65535);
    if (start === undefined || end === undefined || !protocol) return undefined;
    if (end < start) {
      ctx.invalid(`${what}.portRange: end ${end} is below start ${start}`, range);
      return undefined;
    }
    return { protocol, port: start, end, ref };
  }
  ctx.invalid(`${what} needs portNumber, portRange or namedPort`, node);
  return undefined;
}

function proto(ctx: BuildContext, node: YNode, what: string): Protocol | undefined {
  const p = isNullish(node) ? 'TCP' : str(node);
  if (p && PROTOCOLS.includes(p)) return p as Protocol;
  ctx.invalid(`${what}: protocol must be TCP, UDP or SCTP`, node);
  return undefined;
}

/** Evaluation order: the Admin tier, then the Baseline tier, each by priority; ties by kind and name (stable; the BANP sorts last). */
export function compareAdminPolicies(a: AdminPolicy, b: AdminPolicy): number {
  const order = (p: AdminPolicy) => [p.baseline ? 1 : 0, p.priority, p.kind, p.name] as const;
  const x = order(a);
  const y = order(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}
