// Reads NetworkPolicies into their normalized form: policyTypes defaulted as the API server does,
// rules with peers and ports (protocol default TCP), every node with its source range.
import { isMap, isSeq } from 'yaml';
import type { ManifestObject } from '../parse/documents';
import { asMap, get, isNullish, items, keyOf, kindName, pairOf, pairRef, scalar, str, type YNode } from '../parse/yamlNodes';
import type { BuildContext } from './context';
import { readSelector } from '../selectors/parse';
import { parseCidr, cidrWithin } from '../net/cidr';
import type { Direction, IpBlock, NetworkPolicy, Peer, PolicyPort, PolicyRule, Protocol } from './types';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
// IANA_SVC_NAME: at most 15 characters, lowercase letters, digits and '-', at least one letter,
// no '-' at either end and no '--'.
const PORT_NAME = /^(?=.*[a-z])(?!.*--)[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/;

/** Returns undefined when the API server would reject the policy (findings say why). */
export function readNetworkPolicy(ctx: BuildContext, o: ManifestObject, name: string, namespace: string): NetworkPolicy | undefined {
  ctx.rejected = false;
  const spec = get(o.node, 'spec');
  const ref = ctx.ref(get(o.node, 'metadata', 'name'));
  if (spec !== undefined && !isNullish(spec) && !isMap(spec)) {
    ctx.invalid(`NetworkPolicy ${name}: spec must be a map, not ${kindName(spec)}`, spec);
    return undefined;
  }
  const podSelector = readSelector(
    ctx,
    get(spec, 'podSelector'),
    'podSelector',
    pairOf(spec, 'podSelector') ? undefined : get(o.node, 'metadata', 'name'),
  );
  if (podSelector && pairOf(spec, 'podSelector')) podSelector.ref = pairRef(ctx.uri, spec, 'podSelector', ref);

  const typesNode = get(spec, 'policyTypes');
  const written: Direction[] = [];
  for (const t of items(typesNode)) {
    const v = str(t);
    if (v === 'Ingress' || v === 'Egress') written.push(v);
    else ctx.invalid(`policyTypes: ${scalar(t) === undefined ? kindName(t) : `"${String(scalar(t))}"`} is not Ingress or Egress`, t);
  }
  if (!isNullish(typesNode) && !isSeq(typesNode)) ctx.invalid('policyTypes must be a list (e.g. [Ingress, Egress])', typesNode);

  const ingress = readRules(ctx, spec, 'ingress', 'from');
  const egress = readRules(ctx, spec, 'egress', 'to');
  // API defaulting: no policyTypes -> Ingress, plus Egress when there are egress rules.
  const explicit = written.length > 0;
  const policyTypes: Direction[] = explicit ? [...new Set(written)] : egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress'];
  const ignoredRules: NetworkPolicy['ignoredRules'] = [];
  if (!policyTypes.includes('Ingress') && ingress.length > 0)
    ignoredRules.push({ direction: 'Ingress', ref: pairRef(ctx.uri, spec, 'ingress', ref) });
  if (!policyTypes.includes('Egress') && egress.length > 0)
    ignoredRules.push({ direction: 'Egress', ref: pairRef(ctx.uri, spec, 'egress', ref) });

  if (ctx.rejected || !podSelector) {
    ctx.report(
      'policy-rejected',
      'error',
      `NetworkPolicy ${namespace}/${name} is invalid: the API server would reject it, so NetLens leaves it out of the analysis`,
      ref,
    );
    return undefined;
  }
  return {
    id: `${namespace}/${name}[NetworkPolicy]`,
    name,
    namespace,
    podSelector,
    policyTypes,
    policyTypesExplicit: explicit,
    ingress: policyTypes.includes('Ingress') ? ingress : [],
    egress: policyTypes.includes('Egress') ? egress : [],
    ignoredRules,
    ref,
    objectRef: o.ref,
  };
}

function readRules(ctx: BuildContext, spec: YNode, field: 'ingress' | 'egress', peersField: 'from' | 'to'): PolicyRule[] {
  const node = get(spec, field);
  if (isNullish(node)) return [];
  if (!isSeq(node)) {
    ctx.invalid(`${field} must be a list of rules, not ${kindName(node)}`, node);
    return [];
  }
  return node.items.map((r, index) => readRule(ctx, r as YNode, field, peersField, index));
}

function readRule(ctx: BuildContext, node: YNode, field: string, peersField: string, index: number): PolicyRule {
  const rule: PolicyRule = { index, ref: ctx.ref(node) };
  if (isNullish(node)) return rule; // `- ` (null rule) behaves like {}: allows everything
  if (!asMap(node)) {
    ctx.invalid(`${field}[${index}] must be a map with ${peersField} and ports`, node);
    return rule;
  }
  for (const p of asMap(node)!.items) {
    const k = keyOf(p);
    if (k !== peersField && k !== 'ports')
      ctx.report(
        'unknown-field',
        'error',
        `${field}[${index}]: unknown field "${k}" (expected ${peersField} or ports)`,
        ctx.ref(p.key as YNode),
      );
  }
  const peersNode = get(node, peersField);
  if (!isNullish(peersNode)) {
    if (!isSeq(peersNode)) ctx.invalid(`${field}[${index}].${peersField} must be a list of peers, not ${kindName(peersNode)}`, peersNode);
    else if (peersNode.items.length > 0)
      rule.peers = peersNode.items.map((p, i) => readPeer(ctx, p as YNode, `${field}[${index}].${peersField}[${i}]`));
  }
  const portsNode = get(node, 'ports');
  if (!isNullish(portsNode)) {
    if (!isSeq(portsNode)) ctx.invalid(`${field}[${index}].ports must be a list, not ${kindName(portsNode)}`, portsNode);
    else if (portsNode.items.length > 0) {
      rule.ports = portsNode.items
        .map((p, i) => readPort(ctx, p as YNode, `${field}[${index}].ports[${i}]`))
        .filter((p): p is PolicyPort => p !== undefined);
    }
  }
  return rule;
}

function readPeer(ctx: BuildContext, node: YNode, what: string): Peer {
  const peer: Peer = { ref: ctx.ref(node) };
  if (!asMap(node)) {
    ctx.invalid(`${what} must be a map with podSelector, namespaceSelector or ipBlock`, node);
    return peer;
  }
  // A null selector in a peer is an absent one (the API's fields are pointers there).
  const hasPod = !isNullish(get(node, 'podSelector'));
  const hasNs = !isNullish(get(node, 'namespaceSelector'));
  const hasIp = !isNullish(get(node, 'ipBlock'));
  if (hasPod) peer.podSelector = readSelector(ctx, get(node, 'podSelector'), `${what}.podSelector`);
  if (hasNs) peer.namespaceSelector = readSelector(ctx, get(node, 'namespaceSelector'), `${what}.namespaceSelector`);
  if (peer.podSelector) peer.podSelector.ref = pairRef(ctx.uri, node, 'podSelector', peer.ref);
  if (peer.namespaceSelector) peer.namespaceSelector.ref = pairRef(ctx.uri, node, 'namespaceSelector', peer.ref);
  if (hasIp) {
    const ip = readIpBlock(ctx, get(node, 'ipBlock'), `${what}.ipBlock`);
    if (ip) peer.ipBlock = ip;
    if (hasPod || hasNs)
      ctx.invalid(
        `${what}: ipBlock cannot be combined with podSelector or namespaceSelector in one peer; write them as separate peers`,
        node,
        'ipblock-with-selector',
      );
  }
  if (!hasPod && !hasNs && !hasIp)
    ctx.invalid(
      `${what} is empty: a peer needs podSelector, namespaceSelector or ipBlock (to allow every peer, leave the list out)`,
      node,
      'empty-peer',
    );
  return peer;
}

function readIpBlock(ctx: BuildContext, node: YNode, what: string): IpBlock | undefined {
  if (!asMap(node)) {
    ctx.invalid(`${what} must be a map with cidr and except, not ${kindName(node)}`, node);
    return undefined;
  }
  const cidrNode = get(node, 'cidr');
  const cidrText = str(cidrNode);
  const cidr = cidrText ? parseCidr(cidrText) : undefined;
  if (!cidr) {
    const problem = cidrText
      ? `"${cidrText}" is not a valid CIDR (e.g. 10.0.0.0/16)`
      : isNullish(cidrNode)
        ? 'is missing'
        : `must be a CIDR string (e.g. 10.0.0.0/16), not ${kindName(cidrNode)}`;
    ctx.invalid(`${what}.cidr ${problem}`, cidrNode ?? node, 'invalid-cidr');
    return undefined;
  }
  const exceptNode = get(node, 'except');
  if (!isNullish(exceptNode) && !isSeq(exceptNode))
    ctx.invalid(`${what}.except must be a list of CIDRs, not ${kindName(exceptNode)}`, exceptNode);
  const except: string[] = [];
  for (const e of items(exceptNode)) {
    const t = str(e);
    const c = t ? parseCidr(t) : undefined;
    if (!c) ctx.invalid(`${what}.except: "${t ?? String(scalar(e))}" is not a valid CIDR`, e, 'invalid-cidr');
    else if (!cidrWithin(c, cidr) || c.prefix === cidr.prefix)
      ctx.invalid(`${what}.except: ${t} is not a strict subset of ${cidrText}`, e, 'except-outside-cidr');
    else except.push(t!);
  }
  return { cidr: cidrText!, except, ref: pairRef(ctx.uri, node, 'cidr', ctx.ref(node)) };
}

function readPort(ctx: BuildContext, node: YNode, what: string): PolicyPort | undefined {
  if (!asMap(node)) {
    ctx.invalid(`${what} must be a map with protocol, port and endPort`, node);
    return undefined;
  }
  const protoNode = get(node, 'protocol');
  const proto = isNullish(protoNode) ? 'TCP' : str(protoNode);
  if (!proto || !PROTOCOLS.includes(proto)) {
    ctx.invalid(`${what}.protocol ${proto ? `"${proto}"` : String(scalar(protoNode))} is not TCP, UDP or SCTP`, protoNode);
    return undefined;
  }
  const out: PolicyPort = { protocol: proto as Protocol, ref: ctx.ref(node) };
  const portNode = get(node, 'port');
  if (portNode) out.portRef = ctx.ref(portNode);
  const pv = scalar(portNode);
  if (typeof pv === 'number') {
    const n = ctx.integer(portNode, `${what}.port`, 1, 65535);
    if (n === undefined) return undefined;
    out.port = n;
  } else if (typeof pv === 'string') {
    if (/^\d+$/.test(pv)) {
      ctx.invalid(
        `${what}.port "${pv}" is a quoted number; the API reads it as a port name, which must contain a letter. Write ${pv} without quotes`,
        portNode,
        'invalid-port',
      );
      return undefined;
    }
    if (!PORT_NAME.test(pv)) {
      ctx.invalid(
        `${what}.port "${pv}" is not a valid port name (at most 15 lowercase letters, digits or single '-' between them)`,
        portNode,
        'invalid-port',
      );
      return undefined;
    }
    out.port = pv;
  } else if (!isNullish(portNode)) {
    ctx.invalid(`${what}.port must be a number or a port name, not ${kindName(portNode)}`, portNode);
    return undefined;
  }
  const endNode = get(node, 'endPort');
  if (!isNullish(endNode)) {
    const end = ctx.integer(endNode, `${what}.endPort`, 1, 65535);
    if (end === undefined) return undefined;
    if (typeof out.port !== 'number') {
      ctx.invalid(
        `${what}.endPort needs a numeric port (it cannot be used with ${out.port === undefined ? 'no port' : `the named port "${out.port}"`})`,
        endNode,
        'endport-named-port',
      );
      return undefined;
    }
    if (end < out.port) {
      ctx.invalid(`${what}.endPort ${end} is below port ${out.port}`, endNode);
      return undefined;
    }
    out.endPort = end;
  }
  return out;
}
