// Reads projectcalico.org/v3 objects (NetworkPolicy, GlobalNetworkPolicy, Tier, NetworkSet,
// GlobalNetworkSet, Profile) and core ServiceAccounts into the Calico model, validating what
// Calico's API server validates (selectors, actions, ports with a protocol that has ports).
import { isScalar, type Scalar } from 'yaml';
import type { ManifestObject } from '../../parse/documents';
import { get, isNullish, items, kindName, scalar, str, type YNode } from '../../parse/yamlNodes';
import type { BuildContext } from '../context';
import { readLabelMap } from '../../selectors/parse';
import { parseCalicoSelector } from '../../selectors/calico';
import { parseCidr } from '../../net/cidr';
import type { Direction } from '../types';
import type { CalicoAction, CalicoEntity, CalicoObject, CalicoPolicy, CalicoPortSpec, CalicoRule, CalicoSelectorField } from './types';

const ACTIONS: readonly CalicoAction[] = ['Allow', 'Deny', 'Log', 'Pass'];
const PROTOCOL_NAMES: Record<string, string> = {
  tcp: 'TCP',
  udp: 'UDP',
  sctp: 'SCTP',
  icmp: 'ICMP',
  icmpv6: 'ICMPv6',
  udplite: 'UDPLite',
};
const PROTOCOL_NUMBERS: Record<number, string> = { 1: 'ICMP', 6: 'TCP', 17: 'UDP', 58: 'ICMPv6', 132: 'SCTP', 136: 'UDPLite' };
const PORT_PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP', 'UDPLite']);

/** Reads one Calico object (or a ServiceAccount); undefined when it is rejected or not one NetLens uses. */
export function readCalicoObject(ctx: BuildContext, o: ManifestObject, name: string, namespace: string): CalicoObject | undefined {
  const kindRef = ctx.ref(get(o.node, 'kind'));
  const ref = ctx.ref(get(o.node, 'metadata', 'name'));
  const spec = get(o.node, 'spec');
  switch (o.kind) {
    case 'ServiceAccount':
      return {
        type: 'serviceAccount',
        value: { name, namespace, labels: readLabelMap(ctx, get(o.node, 'metadata', 'labels'), `ServiceAccount ${name}: labels`) },
      };
    case 'NetworkPolicy':
    case 'GlobalNetworkPolicy': {
      const p = readPolicy(ctx, o, name, namespace);
      return p && { type: 'policy', value: p };
    }
    case 'Tier': {
      const orderNode = get(spec, 'order');
      const order = readOrder(ctx, orderNode, 'spec.order');
      const actionNode = get(spec, 'defaultAction');
      const action = str(actionNode);
      if (action !== undefined && action !== 'Deny' && action !== 'Pass')
        ctx.invalid(`Tier ${name}: spec.defaultAction must be Deny or Pass, not "${action}"`, actionNode);
      return {
        type: 'tier',
        value: { name, ...(order !== undefined ? { order } : {}), defaultAction: action === 'Pass' ? 'Pass' : 'Deny', ref, kindRef },
      };
    }
    case 'NetworkSet':
    case 'GlobalNetworkSet': {
      const global = o.kind === 'GlobalNetworkSet';
      const nets = readNets(ctx, get(spec, 'nets'), 'spec.nets');
      return {
        type: 'networkSet',
        value: {
          id: global ? `${name}[GlobalNetworkSet.projectcalico.org]` : `${namespace}/${name}[NetworkSet.projectcalico.org]`,
          name,
          ...(global ? {} : { namespace }),
          labels: readLabelMap(ctx, get(o.node, 'metadata', 'labels'), `${o.kind} ${name}: labels`),
          nets,
          ref,
          kindRef,
        },
      };
    }
    case 'Profile':
      return {
        type: 'profile',
        value: {
          name,
          ingress: readRules(ctx, get(spec, 'ingress'), 'spec.ingress'),
          egress: readRules(ctx, get(spec, 'egress'), 'spec.egress'),
          labelsToApply: readLabelMap(ctx, get(spec, 'labelsToApply'), 'spec.labelsToApply'),
          ref,
          kindRef,
        },
      };
  }
  return undefined;
}

function readPolicy(ctx: BuildContext, o: ManifestObject, name: string, namespace: string): CalicoPolicy | undefined {
  ctx.rejected = false;
  const global = o.kind === 'GlobalNetworkPolicy';
  const spec = get(o.node, 'spec');
  if (!isNullish(spec)) ctx.map(spec, 'spec');
  const ref = ctx.ref(get(o.node, 'metadata', 'name'));
  const order = readOrder(ctx, get(spec, 'order'), 'spec.order');
  const tier = str(get(spec, 'tier')) || 'default';
  const selector = readSelectorField(ctx, get(spec, 'selector'), 'spec.selector') ?? { text: '', ast: { kind: 'all' }, ref };
  const ingress = readRules(ctx, get(spec, 'ingress'), 'spec.ingress');
  const egress = readRules(ctx, get(spec, 'egress'), 'spec.egress');
  const typesNode = get(spec, 'types');
  let types: Direction[];
  if (isNullish(typesNode)) {
    // Calico's defaults: Egress alone when only egress rules are written, both when both are, else Ingress
    const hasIngress = items(get(spec, 'ingress')).length > 0;
    const hasEgress = items(get(spec, 'egress')).length > 0;
    types = hasEgress && !hasIngress ? ['Egress'] : hasEgress ? ['Ingress', 'Egress'] : ['Ingress'];
  } else {
    types = [];
    for (const t of ctx.list(typesNode, 'spec.types')) {
      const v = str(t);
      if (v === 'Ingress' || v === 'Egress') {
        if (!types.includes(v)) types.push(v);
      } else ctx.invalid(`spec.types: "${String(scalar(t))}" is not Ingress or Egress`, t);
    }
  }
  const policy: CalicoPolicy = {
    id: global ? `${name}[GlobalNetworkPolicy.projectcalico.org]` : `${namespace}/${name}[NetworkPolicy.projectcalico.org]`,
    name,
    kind: global ? 'GlobalNetworkPolicy' : 'NetworkPolicy',
    ...(global ? {} : { namespace }),
    tier,
    ...(order !== undefined ? { order } : {}),
    selector,
    types,
    ingress,
    egress,
    ref,
    objectRef: o.ref,
    kindRef: ctx.ref(get(o.node, 'kind')),
  };
  const sa = readSelectorField(ctx, get(spec, 'serviceAccountSelector'), 'spec.serviceAccountSelector');
  if (sa) policy.serviceAccountSelector = sa;
  if (global) {
    const ns = readSelectorField(ctx, get(spec, 'namespaceSelector'), 'spec.namespaceSelector');
    if (ns) policy.namespaceSelector = ns;
  }
  if (ctx.rejected) {
    ctx.report(
      'policy-rejected',
      'error',
      `${o.kind} ${name} is invalid: Calico's API server would reject it, so NetLens leaves it out of the analysis`,
      ref,
    );
    return undefined;
  }
  return policy;
}

/** `order`: a number (floats allowed); undefined when absent (Calico then applies it last). */
function readOrder(ctx: BuildContext, node: YNode, what: string): number | undefined {
  if (isNullish(node)) return undefined;
  const v = scalar(node);
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  ctx.invalid(`${what} must be a number, not ${kindName(node)}`, node);
  return undefined;
}

/**
 * A selector expression. A parse error is reported at the character it names: the error's offsets are
 * mapped into the YAML value when the value is written as-is (plain, or quoted without escapes).
 */
export function readSelectorField(ctx: BuildContext, node: YNode, what: string): CalicoSelectorField | undefined {
  if (isNullish(node)) return undefined;
  const v = scalar(node);
  if (typeof v !== 'string') {
    ctx.invalid(`${what} must be a selector expression (a string), not ${kindName(node)}`, node);
    return undefined;
  }
  const parsed = parseCalicoSelector(v);
  if (parsed.ok) return { text: v, ast: parsed.ast, ref: ctx.ref(node) };
  const whole = ctx.ref(node);
  const base = valueStart(node, v);
  const at =
    base === undefined
      ? whole
      : { uri: whole.uri, start: base + parsed.error.start, end: base + Math.max(parsed.error.end, parsed.error.start + 1) };
  ctx.rejected = true;
  ctx.report('calico-selector-invalid', 'error', `${what}: invalid Calico selector: ${parsed.error.message}`, at);
  return undefined;
}

/** Offset of the value's first character in the file, when its text is written verbatim. */
function valueStart(node: YNode, value: string): number | undefined {
  if (!node || !isScalar(node) || !node.range) return undefined;
  const s = node as Scalar;
  const [start, end] = node.range;
  if (s.type === 'PLAIN' && end - start === value.length) return start;
  if ((s.type === 'QUOTE_DOUBLE' || s.type === 'QUOTE_SINGLE') && end - start === value.length + 2) return start + 1;
  return undefined;
}

function readRules(ctx: BuildContext, node: YNode, what: string): CalicoRule[] {
  return ctx.list(node, what).map((r, index) => readRule(ctx, r, `${what}[${index}]`, index));
}

function readRule(ctx: BuildContext, r: YNode, what: string, index: number): CalicoRule {
  const actionNode = get(r, 'action');
  const a = str(actionNode);
  const action = ACTIONS.find((x) => x.toLowerCase() === a?.toLowerCase());
  if (!action) ctx.invalid(`${what}.action must be one of ${ACTIONS.join(', ')}${a ? `, not "${a}"` : ''}`, actionNode ?? r);
  const protocol = readProtocol(ctx, get(r, 'protocol'), `${what}.protocol`);
  const notProtocol = readProtocol(ctx, get(r, 'notProtocol'), `${what}.notProtocol`);
  const source = readEntity(ctx, get(r, 'source'), `${what}.source`);
  const destination = readEntity(ctx, get(r, 'destination'), `${what}.destination`);
  for (const [e, side] of [
    [source, 'source'],
    [destination, 'destination'],
  ] as const)
    if ((e.ports || e.notPorts) && (!protocol || !PORT_PROTOCOLS.has(protocol)))
      ctx.invalid(
        `${what}.${side}: ports need protocol TCP, UDP, SCTP or UDPLite on the rule`,
        get(r, side, e.ports ? 'ports' : 'notPorts'),
      );
  const rule: CalicoRule = {
    action: action ?? 'Deny',
    icmp: !isNullish(get(r, 'icmp')) || !isNullish(get(r, 'notICMP')),
    source,
    destination,
    index,
    ref: ctx.ref(r),
  };
  if (protocol) rule.protocol = protocol;
  if (notProtocol) rule.notProtocol = notProtocol;
  return rule;
}

function readProtocol(ctx: BuildContext, node: YNode, what: string): string | undefined {
  if (isNullish(node)) return undefined;
  const v = scalar(node);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 255) return PROTOCOL_NUMBERS[v] ?? String(v);
  if (typeof v === 'string' && PROTOCOL_NAMES[v.toLowerCase()]) return PROTOCOL_NAMES[v.toLowerCase()];
  ctx.invalid(`${what} must be TCP, UDP, ICMP, ICMPv6, SCTP, UDPLite or a number 1-255, not ${JSON.stringify(v ?? kindName(node))}`, node);
  return undefined;
}

function readEntity(ctx: BuildContext, node: YNode, what: string): CalicoEntity {
  const e: CalicoEntity = {};
  if (isNullish(node)) return e;
  if (!ctx.map(node, what)) return e;
  e.ref = ctx.ref(node);
  for (const field of ['selector', 'notSelector', 'namespaceSelector'] as const) {
    const s = readSelectorField(ctx, get(node, field), `${what}.${field}`);
    if (s) e[field] = s;
  }
  if (!isNullish(get(node, 'nets'))) e.nets = readNets(ctx, get(node, 'nets'), `${what}.nets`);
  if (!isNullish(get(node, 'notNets'))) e.notNets = readNets(ctx, get(node, 'notNets'), `${what}.notNets`);
  if (!isNullish(get(node, 'ports'))) e.ports = readPorts(ctx, get(node, 'ports'), `${what}.ports`);
  if (!isNullish(get(node, 'notPorts'))) e.notPorts = readPorts(ctx, get(node, 'notPorts'), `${what}.notPorts`);
  const sa = get(node, 'serviceAccounts');
  if (!isNullish(sa)) {
    const names = ctx
      .list(get(sa, 'names'), `${what}.serviceAccounts.names`)
      .map(str)
      .filter((n): n is string => !!n);
    const selector = readSelectorField(ctx, get(sa, 'selector'), `${what}.serviceAccounts.selector`);
    e.serviceAccounts = { names, ...(selector ? { selector } : {}) };
  }
  return e;
}

function readNets(ctx: BuildContext, node: YNode, what: string): string[] {
  const out: string[] = [];
  for (const n of ctx.list(node, what)) {
    const t = str(n);
    // Calico accepts a bare address as a /32 (or /128)
    const cidr = t && (t.includes('/') ? t : `${t}/${t.includes(':') ? 128 : 32}`);
    if (cidr && parseCidr(cidr)) out.push(cidr);
    else ctx.invalid(`${what}: "${String(scalar(n))}" is not a CIDR`, n, 'invalid-cidr');
  }
  return out;
}

function readPorts(ctx: BuildContext, node: YNode, what: string): CalicoPortSpec[] {
  const out: CalicoPortSpec[] = [];
  for (const p of ctx.list(node, what)) {
    const v = scalar(p);
    const bad = (why: string) => ctx.invalid(`${what}: ${JSON.stringify(v ?? kindName(p))} ${why}`, p, 'invalid-port');
    if (typeof v === 'number') {
      if (Number.isInteger(v) && v >= 0 && v <= 65535) out.push({ start: v, end: v });
      else bad('is not a port (0-65535)');
      continue;
    }
    if (typeof v !== 'string') {
      bad('is not a port, a range "a:b" or a port name');
      continue;
    }
    const range = /^(\d+):(\d+)$/.exec(v);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (a > 65535 || b > 65535 || a > b) bad('is not a port range (a:b with 0 <= a <= b <= 65535)');
      else out.push({ start: a, end: b });
    } else if (/^\d+$/.test(v)) {
      const n = Number(v);
      if (n <= 65535) out.push({ start: n, end: n });
      else bad('is not a port (0-65535)');
    } else if (/^[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?$/.test(v) && v.length <= 128) out.push({ name: v });
    else bad('is not a port, a range "a:b" or a port name');
  }
  return out;
}
