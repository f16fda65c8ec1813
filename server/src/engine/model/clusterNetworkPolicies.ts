// Reads ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2) into the representation AdminNetworkPolicies
// use: tier Admin = the ANP tier, tier Baseline = the BANP tier, Accept = Allow, `protocols` = ports.
import { isMap, isSeq } from 'yaml';
import type { ManifestObject } from '../parse/documents';
import { asMap, get, isNullish, items, keyOf, kindName, scalar, str, type YNode } from '../parse/yamlNodes';
import type { BuildContext } from './context';
import { readSelector } from '../selectors/parse';
import { parseCidr } from '../net/cidr';
import { readPods } from './adminPolicies';
import type { AdminAction, AdminPeer, AdminPolicy, AdminPort, AdminRule, Direction, Protocol } from './types';

export const CNP_API_VERSION = 'policy.networking.k8s.io/v1alpha2';

const ACTIONS: Record<string, AdminAction> = { Accept: 'Allow', Deny: 'Deny', Pass: 'Pass' };
const MAX_ITEMS = 25;
const PROTOCOL_KEYS: Record<string, Protocol> = { tcp: 'TCP', udp: 'UDP', sctp: 'SCTP' };
// the API's DomainName pattern: whole labels, `*.` only as a prefix, an optional trailing dot
const DOMAIN_NAME = /^(\*\.)?([a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.)+[a-zA-Z0-9]([-a-zA-Z0-9_]*[a-zA-Z0-9])?\.?$/;

export function readClusterNetworkPolicy(ctx: BuildContext, o: ManifestObject, name: string): AdminPolicy | undefined {
  ctx.rejected = false;
  const spec = get(o.node, 'spec');
  const ref = ctx.ref(get(o.node, 'metadata', 'name'));
  if (!ctx.map(spec, 'spec')) ctx.invalid('a ClusterNetworkPolicy needs spec (tier, priority, subject)', spec ?? o.node);
  const tierNode = get(spec, 'tier');
  const tier = str(tierNode);
  if (tier !== 'Admin' && tier !== 'Baseline')
    ctx.invalid(
      `spec.tier must be Admin or Baseline${tier === undefined ? '' : `, not "${String(scalar(tierNode))}"`}`,
      tierNode ?? spec ?? o.node,
    );
  const priorityNode = get(spec, 'priority');
  const priority = ctx.integer(priorityNode, 'spec.priority', 0, 1000);
  if (isNullish(priorityNode)) ctx.invalid('a ClusterNetworkPolicy needs spec.priority (0-1000)', spec ?? o.node);
  const subject = readSubject(ctx, get(spec, 'subject'), spec ?? o.node);
  const ingress = readRules(ctx, get(spec, 'ingress'), 'Ingress');
  const egress = readRules(ctx, get(spec, 'egress'), 'Egress');
  if (ctx.rejected || priority === undefined) {
    ctx.report(
      'policy-rejected',
      'error',
      `ClusterNetworkPolicy ${name} is invalid: the API server would reject it, so NetLens leaves it out of the analysis`,
      ref,
    );
    return undefined;
  }
  return {
    id: `${name}[ClusterNetworkPolicy]`,
    name,
    kind: 'ClusterNetworkPolicy',
    baseline: tier === 'Baseline',
    priority,
    subject,
    ingress,
    egress,
    ref,
    objectRef: o.ref,
    kindRef: ctx.ref(get(o.node, 'kind')),
  };
}

/** The fields set in a map that allows exactly one of `allowed`; anything else is invalid. */
function oneOf(ctx: BuildContext, node: YNode, what: string, allowed: string[]): string | undefined {
  const map = asMap(node);
  if (!map) {
    ctx.invalid(`${what} must be a map with one of ${allowed.join(', ')}, not ${kindName(node)}`, node);
    return undefined;
  }
  const keys = map.items.map(keyOf).filter((k): k is string => !!k);
  const unknown = keys.filter((k) => !allowed.includes(k));
  if (unknown.length) {
    ctx.invalid(`${what}: unknown field "${unknown[0]}" (expected one of ${allowed.join(', ')})`, node);
    return undefined;
  }
  if (keys.length !== 1) {
    ctx.invalid(`${what} needs exactly one of ${allowed.join(', ')}${keys.length ? `, not ${keys.join(' and ')}` : ''}`, node);
    return undefined;
  }
  return keys[0];
}

function readSubject(ctx: BuildContext, node: YNode, parent: YNode): AdminPolicy['subject'] {
  if (isNullish(node)) {
    ctx.invalid('spec.subject needs namespaces or pods', parent);
    return {};
  }
  const key = oneOf(ctx, node, 'spec.subject', ['namespaces', 'pods']);
  if (key === 'namespaces') {
    const ns = readSelector(ctx, get(node, 'namespaces'), 'subject.namespaces');
    return ns ? { namespaces: ns } : {};
  }
  if (key === 'pods') {
    const pods = readPods(ctx, get(node, 'pods'), 'subject.pods');
    return pods ? { pods } : {};
  }
  return {};
}

function readRules(ctx: BuildContext, node: YNode, dir: Direction): AdminRule[] {
  const field = dir === 'Ingress' ? 'ingress' : 'egress';
  const peersField = dir === 'Ingress' ? 'from' : 'to';
  if (isNullish(node)) return [];
  if (!isSeq(node)) {
    ctx.invalid(`${field} must be a list of rules, not ${kindName(node)}`, node);
    return [];
  }
  if (node.items.length > MAX_ITEMS) ctx.invalid(`${field} has ${node.items.length} rules; the API allows at most ${MAX_ITEMS}`, node);
  return items(node).map((r, index) => {
    const what = `${field}[${index}]`;
    const actionNode = get(r, 'action');
    const written = str(actionNode);
    const action = written !== undefined ? ACTIONS[written] : undefined;
    if (!action)
      ctx.invalid(
        `${what}.action must be Accept, Deny or Pass${written === 'Allow' ? ' (ClusterNetworkPolicy renamed Allow to Accept)' : ''}`,
        actionNode ?? r,
      );
    const peersNode = get(r, peersField);
    const peers = items(peersNode).map((p, i) => readPeer(ctx, p, `${what}.${peersField}[${i}]`, dir));
    if (peers.length === 0) ctx.invalid(`${what}.${peersField} needs at least one peer`, peersNode ?? r);
    else if (peers.length > MAX_ITEMS) ctx.invalid(`${what}.${peersField} has ${peers.length} peers; at most ${MAX_ITEMS}`, peersNode);
    const rule: AdminRule = { name: str(get(r, 'name')) ?? what, action: action ?? 'Deny', peers, index, ref: ctx.ref(r) };
    if (peers.some((p) => p.domainNames) && written !== 'Accept')
      ctx.invalid(`${what}: domainNames peers may only be used with the Accept action`, actionNode ?? r);
    const protocolsNode = get(r, 'protocols');
    if (!isNullish(get(r, 'ports')))
      ctx.invalid(`${what}.ports is the AdminNetworkPolicy field; a ClusterNetworkPolicy uses protocols`, get(r, 'ports'));
    if (!isNullish(protocolsNode)) {
      const list = ctx.list(protocolsNode, `${what}.protocols`);
      if (isSeq(protocolsNode) && list.length === 0)
        ctx.invalid(`${what}.protocols needs at least one item (or leave it out)`, protocolsNode);
      rule.ports = list.map((p, i) => readProtocol(ctx, p, `${what}.protocols[${i}]`)).filter((p): p is AdminPort => !!p);
      const named = rule.ports.find((p) => p.name !== undefined);
      if (named && peers.some((p) => p.networks || p.nodes || p.domainNames))
        ctx.invalid(
          `${what}: a named port cannot be used with networks, nodes or domainNames peers (they have no named ports)`,
          protocolsNode,
        );
    }
    return rule;
  });
}

function readPeer(ctx: BuildContext, node: YNode, what: string, dir: Direction): AdminPeer {
  const peer: AdminPeer = { ref: ctx.ref(node) };
  const allowed = dir === 'Ingress' ? ['namespaces', 'pods'] : ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'];
  const key = oneOf(ctx, node, what, allowed);
  const value = key ? get(node, key) : undefined;
  switch (key) {
    case 'namespaces': {
      const s = readSelector(ctx, value, `${what}.namespaces`);
      if (s) peer.namespaces = s;
      break;
    }
    case 'pods': {
      const p = readPods(ctx, value, `${what}.pods`);
      if (p) peer.pods = p;
      break;
    }
    case 'networks':
      peer.networks = readList(ctx, value, `${what}.networks`, (t) => !!parseCidr(t), 'is not a CIDR');
      break;
    case 'domainNames':
      peer.domainNames = readList(
        ctx,
        value,
        `${what}.domainNames`,
        (t) => DOMAIN_NAME.test(t),
        'is not a domain name (exact, or "*." then a name)',
      );
      break;
    case 'nodes': {
      const s = readSelector(ctx, value, `${what}.nodes`);
      if (s) peer.nodes = s;
      if (s && s.requirements.length)
        ctx.report(
          'anp-nodes-peer',
          'info',
          `${what}: Node objects and their labels are not analysed, so this peer matches no workload (only nodes: {} matches every node)`,
          ctx.ref(node),
        );
      break;
    }
  }
  return peer;
}

function readList(ctx: BuildContext, node: YNode, what: string, ok: (t: string) => boolean, problem: string): string[] {
  const out: string[] = [];
  const list = ctx.list(node, what);
  if (list.length === 0 && isSeq(node)) ctx.invalid(`${what} needs at least one item`, node);
  if (list.length > MAX_ITEMS) ctx.invalid(`${what} has ${list.length} items; at most ${MAX_ITEMS}`, node);
  for (const n of list) {
    const t = str(n);
    if (t && ok(t)) out.push(t);
    else ctx.invalid(`${what}: "${String(scalar(n))}" ${problem}`, n);
  }
  return out;
}

function readProtocol(ctx: BuildContext, node: YNode, what: string): AdminPort | undefined {
  const ref = ctx.ref(node);
  const key = oneOf(ctx, node, what, ['tcp', 'udp', 'sctp', 'destinationNamedPort']);
  if (!key) return undefined;
  const value = get(node, key);
  if (key === 'destinationNamedPort') {
    const name = str(value);
    if (!name) {
      ctx.invalid(`${what}.destinationNamedPort must be a container port name`, value ?? node);
      return undefined;
    }
    return { protocol: 'TCP', name, ref };
  }
  const protocol = PROTOCOL_KEYS[key];
  const dest = get(value, 'destinationPort');
  if (!isMap(value) || isNullish(dest)) {
    ctx.invalid(`${what}.${key} needs destinationPort (number or range)`, value ?? node);
    return undefined;
  }
  const form = oneOf(ctx, dest, `${what}.${key}.destinationPort`, ['number', 'range']);
  if (form === 'number') {
    const port = ctx.integer(get(dest, 'number'), `${what}.${key}.destinationPort.number`, 1, 65535);
    return port === undefined ? undefined : { protocol, port, ref };
  }
  if (form === 'range') {
    const range = get(dest, 'range');
    const start = ctx.integer(get(range, 'start'), `${what}.${key}.destinationPort.range.start`, 1, 65535);
    const end = ctx.integer(get(range, 'end'), `${what}.${key}.destinationPort.range.end`, 1, 65535);
    if (start === undefined || end === undefined) {
      if (isNullish(get(range, 'start')) || isNullish(get(range, 'end')))
        ctx.invalid(`${what}.${key}.destinationPort.range needs start and end`, range ?? dest);
      return undefined;
    }
    if (end <= start) {
      ctx.invalid(`${what}.${key}.destinationPort.range: start ${start} must be less than end ${end}`, range);
      return undefined;
    }
    return { protocol, port: start, end, ref };
  }
  return undefined;
}
