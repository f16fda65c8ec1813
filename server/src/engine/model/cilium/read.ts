// Reads CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy (cilium.io/v2, pkg/policy/api in cilium/cilium):
// `spec` and/or `specs`, each rule's endpointSelector, ingress/egress and their Deny forms, enableDefaultDeny.
// Values Cilium's CRD rejects are findings and leave the policy out; fields NetLens cannot evaluate are noted.
import { isMap } from 'yaml';
import type { ManifestObject } from '../../parse/documents';
import { asMap, get, isNullish, items, keyOf, kindName, scalar, str, type YNode } from '../../parse/yamlNodes';
import type { BuildContext } from '../context';
import { parseCidr, isValidIp } from '../../net/cidr';
import type { Protocol } from '../types';
import { readLabelMap } from '../../selectors/parse';
import { readCiliumSelector } from './selector';
import {
  CILIUM_ENTITIES,
  type CiliumCidr,
  type CiliumEntity,
  type CiliumFqdn,
  type CiliumPeerRule,
  type CiliumPolicy,
  type CiliumPort,
  type CiliumPortRule,
  type CiliumRule,
  type CiliumSelector,
  type CiliumService,
} from './types';

type Section = 'ingress' | 'ingressDeny' | 'egress' | 'egressDeny';

const PEER_FIELDS: Record<'ingress' | 'egress', string[]> = {
  ingress: ['fromEndpoints', 'fromRequires', 'fromEntities', 'fromCIDR', 'fromCIDRSet', 'fromGroups', 'fromNodes'],
  egress: ['toEndpoints', 'toRequires', 'toEntities', 'toCIDR', 'toCIDRSet', 'toServices', 'toFQDNs', 'toGroups', 'toNodes'],
};
const OTHER_FIELDS = ['toPorts', 'icmps', 'authentication'];
const RULE_FIELDS = [
  'endpointSelector',
  'nodeSelector',
  'ingress',
  'ingressDeny',
  'egress',
  'egressDeny',
  'labels',
  'description',
  'enableDefaultDeny',
  'log',
];
// Matched by nothing NetLens models: cloud provider groups, node selectors, CIDR groups.
const UNANALYSED = new Set(['fromGroups', 'toGroups', 'fromNodes', 'toNodes']);
const PROTOCOLS: Record<string, Protocol[]> = { TCP: ['TCP'], UDP: ['UDP'], SCTP: ['SCTP'], ANY: ['TCP', 'UDP', 'SCTP'] };
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const FQDN_NAME = /^[-a-zA-Z0-9_]+(\.[-a-zA-Z0-9_]+)*\.?$/;
const FQDN_PATTERN = /^([-a-zA-Z0-9_*]+(\.[-a-zA-Z0-9_*]+)*\.?|\*)$/;

export function readCiliumPolicy(ctx: BuildContext, o: ManifestObject, name: string, namespace: string): CiliumPolicy | undefined {
  ctx.rejected = false;
  const kind = o.kind === 'CiliumClusterwideNetworkPolicy' ? 'CiliumClusterwideNetworkPolicy' : 'CiliumNetworkPolicy';
  const ns = kind === 'CiliumNetworkPolicy' ? namespace : undefined;
  const ref = ctx.ref(get(o.node, 'metadata', 'name'));
  const specNode = get(o.node, 'spec');
  const specsNode = get(o.node, 'specs');
  const rules: CiliumRule[] = [];
  if (!isNullish(specNode)) {
    if (ctx.map(specNode, 'spec')) rules.push(readRule(ctx, specNode, 'spec', ns));
  }
  if (!isNullish(specsNode)) {
    ctx.list(specsNode, 'specs').forEach((r, i) => {
      if (ctx.map(r, `specs[${i}]`)) rules.push(readRule(ctx, r, `specs[${i}]`, ns));
    });
  }
  if (isNullish(specNode) && isNullish(specsNode)) ctx.invalid(`a ${kind} needs spec or specs (one rule or a list of rules)`, o.node);
  if (ctx.rejected) {
    ctx.report(
      'policy-rejected',
      'error',
      `${kind} ${name} is invalid: Cilium would reject it, so NetLens leaves it out of the analysis`,
      ref,
    );
    return undefined;
  }
  return {
    id: ns === undefined ? `${name}[${kind}]` : `${ns}/${name}[${kind}]`,
    kind,
    name,
    ...(ns !== undefined ? { namespace: ns } : {}),
    rules,
    ref,
    objectRef: o.ref,
    kindRef: ctx.ref(get(o.node, 'kind')),
  };
}

function unknownFields(ctx: BuildContext, node: YNode, what: string, known: string[]): void {
  for (const p of asMap(node)?.items ?? []) {
    const k = keyOf(p);
    if (k !== undefined && !known.includes(k))
      ctx.report(
        'unknown-field',
        'error',
        `${what}: unknown field "${k}" (the API server drops it; expected one of ${known.join(', ')})`,
        ctx.ref(p.key as YNode),
      );
  }
}

function readRule(ctx: BuildContext, node: YNode, where: string, ns: string | undefined): CiliumRule {
  unknownFields(ctx, node, where, RULE_FIELDS);
  const epNode = get(node, 'endpointSelector');
  const nodeSel = get(node, 'nodeSelector');
  let endpointSelector: CiliumSelector | undefined;
  if (!isNullish(epNode) && !isNullish(nodeSel)) ctx.invalid(`${where}: endpointSelector and nodeSelector cannot both be set`, nodeSel);
  else if (isNullish(epNode) && isNullish(nodeSel))
    ctx.invalid(`${where} needs an endpointSelector (or, for a host policy, a nodeSelector)`, node);
  else if (!isNullish(epNode)) endpointSelector = readCiliumSelector(ctx, epNode, `${where}.endpointSelector`, ns, true);
  else
    ctx.report(
      'cilium-rule-not-analysed',
      'info',
      `${where}.nodeSelector: a host policy (it applies to nodes and their hostNetwork pods); Node objects are not analysed, so NetLens leaves this rule out`,
      ctx.ref(nodeSel),
    );
  const read = (section: Section) => {
    const list = get(node, section);
    return ctx.list(list, `${where}.${section}`).map((r, i) => readPeerRule(ctx, r, `${section}[${i}]`, section, ns));
  };
  const ingress = [...read('ingress'), ...read('ingressDeny')];
  const egress = [...read('egress'), ...read('egressDeny')];
  // `ingress: []` is the same as no ingress (omitempty); `ingress: [{}]` has a section and allows nothing
  const sections = { ingress: ingress.length > 0, egress: egress.length > 0 };
  const dd = get(node, 'enableDefaultDeny');
  if (!isNullish(dd)) {
    ctx.map(dd, `${where}.enableDefaultDeny`);
    unknownFields(ctx, dd, `${where}.enableDefaultDeny`, ['ingress', 'egress']);
  }
  const ddIn = ctx.boolean(get(dd, 'ingress'), `${where}.enableDefaultDeny.ingress`);
  const ddEg = ctx.boolean(get(dd, 'egress'), `${where}.enableDefaultDeny.egress`);
  return {
    where,
    ...(endpointSelector ? { endpointSelector } : {}),
    ingress,
    egress,
    sections,
    // not specified: true for each direction the rule has a section for
    defaultDeny: { ingress: sections.ingress && ddIn !== false, egress: sections.egress && ddEg !== false },
    ref: ctx.ref(node),
  };
}

function readPeerRule(ctx: BuildContext, node: YNode, field: string, section: Section, ns: string | undefined): CiliumPeerRule {
  const deny = section.endsWith('Deny');
  const dir = section.startsWith('ingress') ? 'ingress' : 'egress';
  const rule: CiliumPeerRule = { deny, field, unanalysed: [], ref: ctx.ref(node) };
  if (!asMap(node)) {
    ctx.invalid(`${field} must be a map (peers and toPorts), not ${kindName(node)}`, node);
    return rule;
  }
  const allowedHere = PEER_FIELDS[dir].filter((f) => !(deny && f === 'toFQDNs'));
  unknownFields(ctx, node, field, [...allowedHere, ...OTHER_FIELDS.filter((f) => !(deny && f === 'authentication'))]);
  const p = dir === 'ingress' ? 'from' : 'to';
  const selectors = (key: string) => {
    const out: CiliumSelector[] = [];
    ctx.list(get(node, key), `${field}.${key}`).forEach((s, i) => {
      const sel = readCiliumSelector(ctx, s, `${field}.${key}[${i}]`, ns);
      if (sel) out.push(sel);
    });
    return out.length ? out : undefined;
  };
  const endpoints = selectors(`${p}Endpoints`);
  if (endpoints) rule.endpoints = endpoints;
  const requires = selectors(`${p}Requires`);
  if (requires) rule.requires = requires;
  const entities = readEntities(ctx, get(node, `${p}Entities`), `${field}.${p}Entities`);
  if (entities.length) rule.entities = entities;
  const cidrs = [
    ...ctx.list(get(node, `${p}CIDR`), `${field}.${p}CIDR`).map((c) => readCidr(ctx, c, c, [], `${field}.${p}CIDR`)),
    ...ctx.list(get(node, `${p}CIDRSet`), `${field}.${p}CIDRSet`).map((c, i) => readCidrSet(ctx, c, `${field}.${p}CIDRSet[${i}]`, rule)),
  ].filter((c): c is CiliumCidr => !!c);
  if (cidrs.length) rule.cidrs = cidrs;
  if (dir === 'egress') {
    const fqdns = ctx.list(get(node, 'toFQDNs'), `${field}.toFQDNs`).map((f, i) => readFqdn(ctx, f, `${field}.toFQDNs[${i}]`));
    if (fqdns.some((f) => f)) rule.fqdns = fqdns.filter((f): f is CiliumFqdn => !!f);
    if (rule.fqdns && (rule.endpoints || rule.entities || rule.cidrs))
      ctx.invalid(
        `${field}: toFQDNs cannot be combined with other L3 peers (toEndpoints, toEntities, toCIDR) in one rule`,
        get(node, 'toFQDNs'),
      );
    const services = ctx
      .list(get(node, 'toServices'), `${field}.toServices`)
      .map((s, i) => readService(ctx, s, `${field}.toServices[${i}]`, ns));
    if (services.some((s) => s)) rule.services = services.filter((s): s is CiliumService => !!s);
  }
  for (const f of UNANALYSED) {
    if (!f.startsWith(p) || isNullish(get(node, f)) || items(get(node, f)).length === 0) continue;
    rule.unanalysed.push(f);
    ctx.report(
      'cilium-rule-not-analysed',
      'info',
      `${field}.${f}: not analysed (NetLens has no cloud groups or Node labels), so this peer matches nothing here`,
      ctx.ref(get(node, f)),
    );
  }
  const portsNode = get(node, 'toPorts');
  if (!isNullish(portsNode)) {
    const list = ctx.list(portsNode, `${field}.toPorts`);
    if (list.length) rule.toPorts = list.map((pr, i) => readPortRule(ctx, pr, `${field}.toPorts[${i}]`, deny));
  }
  if (items(get(node, 'icmps')).length) {
    rule.icmpOnly = !rule.toPorts;
    ctx.report(
      'cilium-rule-not-analysed',
      'info',
      `${field}.icmps: ICMP is not modelled; ${rule.toPorts ? 'the rule is read for its toPorts only' : 'this rule allows no TCP, UDP or SCTP port'}`,
      ctx.ref(get(node, 'icmps')),
    );
  }
  return rule;
}

function readEntities(ctx: BuildContext, node: YNode, what: string): CiliumEntity[] {
  const out: CiliumEntity[] = [];
  for (const n of ctx.list(node, what)) {
    const e = str(n);
    if (e !== undefined && (CILIUM_ENTITIES as readonly string[]).includes(e)) out.push(e as CiliumEntity);
    else ctx.invalid(`${what}: "${String(scalar(n))}" is not a Cilium entity (one of ${CILIUM_ENTITIES.join(', ')})`, n);
  }
  return out;
}

function readCidr(ctx: BuildContext, node: YNode, refNode: YNode, except: string[], what: string): CiliumCidr | undefined {
  const text = str(node);
  // a bare address is a single-address prefix
  const cidr = text && !text.includes('/') && isValidIp(text) ? `${text}/${text.includes(':') ? 128 : 32}` : text;
  if (!cidr || !parseCidr(cidr)) {
    ctx.invalid(`${what}: "${String(scalar(node))}" is not a CIDR`, node, 'invalid-cidr');
    return undefined;
  }
  return { cidr, except, ref: ctx.ref(refNode) };
}

function readCidrSet(ctx: BuildContext, node: YNode, what: string, rule: CiliumPeerRule): CiliumCidr | undefined {
  if (!asMap(node)) {
    ctx.invalid(`${what} must be a map with cidr and except`, node);
    return undefined;
  }
  unknownFields(ctx, node, what, ['cidr', 'except', 'cidrGroupRef', 'cidrGroupSelector']);
  const group = get(node, 'cidrGroupRef') ?? get(node, 'cidrGroupSelector');
  if (!isNullish(group)) {
    rule.unanalysed.push('cidrGroupRef');
    ctx.report(
      'cilium-rule-not-analysed',
      'info',
      `${what}: CiliumCIDRGroups are not analysed, so this entry matches nothing here`,
      ctx.ref(group),
    );
    return undefined;
  }
  const except: string[] = [];
  for (const e of ctx.list(get(node, 'except'), `${what}.except`)) {
    const c = readCidr(ctx, e, e, [], `${what}.except`);
    if (c) except.push(c.cidr);
  }
  const cidrNode = get(node, 'cidr');
  if (isNullish(cidrNode)) {
    ctx.invalid(`${what} needs cidr`, node);
    return undefined;
  }
  return readCidr(ctx, cidrNode, node, except, `${what}.cidr`);
}

function readFqdn(ctx: BuildContext, node: YNode, what: string): CiliumFqdn | undefined {
  const name = str(get(node, 'matchName'));
  const pattern = str(get(node, 'matchPattern'));
  unknownFields(ctx, node, what, ['matchName', 'matchPattern']);
  if (name !== undefined && FQDN_NAME.test(name)) return { name, ref: ctx.ref(node) };
  if (pattern !== undefined && FQDN_PATTERN.test(pattern)) return { pattern, ref: ctx.ref(node) };
  ctx.invalid(`${what} needs matchName (a DNS name) or matchPattern (a name with * wildcards)`, node);
  return undefined;
}

function readService(ctx: BuildContext, node: YNode, what: string, ns: string | undefined): CiliumService | undefined {
  unknownFields(ctx, node, what, ['k8sService', 'k8sServiceSelector']);
  const byName = get(node, 'k8sService');
  const bySelector = get(node, 'k8sServiceSelector');
  if (isMap(byName)) {
    const name = str(get(byName, 'serviceName'));
    if (!name) {
      ctx.invalid(`${what}.k8sService needs serviceName`, byName);
      return undefined;
    }
    const namespace = str(get(byName, 'namespace')) ?? ns;
    return { name, ...(namespace !== undefined ? { namespace } : {}), ref: ctx.ref(node) };
  }
  if (isMap(bySelector)) {
    const selector = readLabelMap(ctx, get(bySelector, 'selector', 'matchLabels'), `${what}.k8sServiceSelector.selector.matchLabels`);
    const namespace = str(get(bySelector, 'namespace')) ?? ns;
    return { selector, ...(namespace !== undefined ? { namespace } : {}), ref: ctx.ref(node) };
  }
  ctx.invalid(`${what} needs k8sService (serviceName, namespace) or k8sServiceSelector (selector, namespace)`, node);
  return undefined;
}

function readPortRule(ctx: BuildContext, node: YNode, what: string, deny: boolean): CiliumPortRule {
  const out: CiliumPortRule = { ports: [], l7: [], ref: ctx.ref(node) };
  if (!asMap(node)) {
    ctx.invalid(`${what} must be a map with ports${deny ? '' : ' and rules'}`, node);
    return out;
  }
  unknownFields(ctx, node, what, deny ? ['ports'] : ['ports', 'rules', 'serverNames', 'terminatingTLS', 'originatingTLS', 'listener']);
  out.ports = ctx
    .list(get(node, 'ports'), `${what}.ports`)
    .map((p, i) => readPort(ctx, p, `${what}.ports[${i}]`))
    .filter((p): p is CiliumPort => !!p);
  // no ports: every port (the L7 rules, if any, still apply)
  if (out.ports.length === 0) out.ports.push({ protocols: ['TCP', 'UDP', 'SCTP'], ref: out.ref });
  if (deny) return out;
  const sni = ctx.list(get(node, 'serverNames'), `${what}.serverNames`).map((n) => String(scalar(n)));
  if (sni.length) out.l7.push(`TLS server names ${sni.join(', ')}`);
  const rules = get(node, 'rules');
  if (isNullish(rules)) return out;
  if (!isMap(rules)) {
    ctx.invalid(`${what}.rules must be a map (http, dns, kafka or l7proto+l7)`, rules);
    return out;
  }
  const kinds = (['http', 'dns', 'kafka', 'l7'] as const).filter((k) => !isNullish(get(rules, k)));
  if (kinds.length > 1) ctx.invalid(`${what}.rules: only one of http, dns, kafka, l7 per port rule (found ${kinds.join(' and ')})`, rules);
  const kind = kinds[0];
  if (!kind) return out;
  out.l7Kind = kind;
  const list = ctx.list(get(rules, kind), `${what}.rules.${kind}`);
  for (const r of list) out.l7.push(l7Text(kind, r, str(get(rules, 'l7proto'))));
  return out;
}

function l7Text(kind: 'http' | 'dns' | 'kafka' | 'l7', r: YNode, proto?: string): string {
  const s = (k: string) => str(get(r, k));
  switch (kind) {
    case 'http': {
      const parts = [s('method') ?? 'any method', s('path') ?? 'any path'];
      if (s('host')) parts.push(`host ${s('host')}`);
      const headers = items(get(r, 'headers')).map((h) => String(scalar(h)));
      if (headers.length) parts.push(`headers ${headers.join(', ')}`);
      return parts.join(' ');
    }
    case 'dns':
      return s('matchName') !== undefined ? `DNS name ${s('matchName')}` : `DNS pattern ${s('matchPattern') ?? '*'}`;
    case 'kafka':
      return ['kafka', s('role') ?? s('apiKey') ?? 'any request', s('topic') ? `topic ${s('topic')}` : 'any topic'].join(' ');
    case 'l7':
      return `${proto ?? 'l7'} ${JSON.stringify(asMap(r)?.toJSON() ?? {})}`;
  }
}

function readPort(ctx: BuildContext, node: YNode, what: string): CiliumPort | undefined {
  if (!asMap(node)) {
    ctx.invalid(`${what} must be a map with port, endPort and protocol`, node, 'invalid-port');
    return undefined;
  }
  unknownFields(ctx, node, what, ['port', 'endPort', 'protocol']);
  const protoNode = get(node, 'protocol');
  const protoText = str(protoNode) ?? 'ANY';
  const protocols = PROTOCOLS[protoText.toUpperCase()];
  if (!protocols || protoText !== protoText.toUpperCase()) {
    ctx.invalid(
      `${what}.protocol must be TCP, UDP, SCTP or ANY, not ${JSON.stringify(scalar(protoNode))}`,
      protoNode ?? node,
      'invalid-port',
    );
    return undefined;
  }
  const portNode = get(node, 'port');
  const raw = scalar(portNode);
  let port: number | string | undefined;
  if (raw === undefined || raw === null || raw === '' || raw === '0' || raw === 0) port = undefined;
  else if (typeof raw === 'number' || /^\d+$/.test(String(raw))) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > 65535) {
      ctx.invalid(`${what}.port ${String(raw)} is out of range 1-65535`, portNode, 'invalid-port');
      return undefined;
    }
    port = n;
  } else if (typeof raw === 'string' && PORT_NAME.test(raw)) port = raw;
  else {
    ctx.invalid(`${what}.port must be a port number or a container port name, not ${JSON.stringify(raw)}`, portNode, 'invalid-port');
    return undefined;
  }
  const endNode = get(node, 'endPort');
  let endPort: number | undefined;
  if (!isNullish(endNode)) {
    endPort = ctx.integer(endNode, `${what}.endPort`, 1, 65535);
    if (endPort !== undefined && typeof port === 'number' && endPort < port) {
      ctx.invalid(`${what}: endPort ${endPort} is below port ${port}`, endNode, 'invalid-port');
      return undefined;
    }
    // Cilium ignores endPort with a named port or without a port
    if (typeof port !== 'number') endPort = undefined;
  }
  return { ...(port !== undefined ? { port } : {}), ...(endPort !== undefined ? { endPort } : {}), protocols, ref: ctx.ref(node) };
}
