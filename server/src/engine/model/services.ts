// Reads Services, and Endpoints / EndpointSlices (the endpoints of Services without selectors).
import type { ManifestObject } from '../parse/documents';
import { get, isNullish, items, pairRef, scalar, str } from '../parse/yamlNodes';
import type { BuildContext } from './context';
import { readLabelMap } from '../selectors/parse';
import type { EndpointSet, Protocol, Service, ServicePort } from './types';

const TYPES = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'] as const;
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

export function readService(ctx: BuildContext, o: ManifestObject, name: string, namespace: string): Service {
  const spec = get(o.node, 'spec');
  ctx.map(spec, `Service ${name}: spec`);
  const typeNode = get(spec, 'type');
  const t = str(typeNode) ?? 'ClusterIP';
  if (!(TYPES as readonly string[]).includes(t)) ctx.invalid(`Service type "${t}" is not one of ${TYPES.join(', ')}`, typeNode);
  const type = ((TYPES as readonly string[]).includes(t) ? t : 'ClusterIP') as Service['type'];
  const clusterIP = str(get(spec, 'clusterIP'));
  const ports: ServicePort[] = [];
  ctx.list(get(spec, 'ports'), `Service ${name} ports`).forEach((p, i) => {
    const what = `Service ${name} ports[${i}]`;
    const port = ctx.integer(get(p, 'port'), `${what}.port`, 1, 65535);
    if (port === undefined) return;
    const protoNode = get(p, 'protocol');
    const proto = str(protoNode) ?? 'TCP';
    if (!PROTOCOLS.includes(proto)) ctx.invalid(`${what}.protocol "${proto}" is not TCP, UDP or SCTP`, protoNode);
    const tpNode = get(p, 'targetPort');
    const tp = scalar(tpNode);
    let targetPort: number | string = port;
    if (typeof tp === 'number') targetPort = ctx.integer(tpNode, `${what}.targetPort`, 1, 65535) ?? port;
    else if (typeof tp === 'string') targetPort = /^\d+$/.test(tp) ? Number(tp) : tp;
    const sp: ServicePort = { port, targetPort, protocol: (PROTOCOLS.includes(proto) ? proto : 'TCP') as Protocol, ref: ctx.ref(p) };
    const pn = str(get(p, 'name'));
    if (pn) sp.name = pn;
    ports.push(sp);
  });
  const selectorNode = get(spec, 'selector');
  const svc: Service = {
    id: `${namespace}/${name}[Service]`,
    name,
    namespace,
    type,
    ports,
    headless: clusterIP === 'None',
    publishNotReadyAddresses: scalar(get(spec, 'publishNotReadyAddresses')) === true,
    ref: ctx.ref(get(o.node, 'metadata', 'name')),
    objectRef: o.ref,
  };
  if (clusterIP) svc.clusterIP = clusterIP;
  const ext = str(get(spec, 'externalName'));
  if (ext) svc.externalName = ext;
  if (!isNullish(selectorNode)) {
    const sel = readLabelMap(ctx, selectorNode, `Service ${name}: selector`);
    if (Object.keys(sel).length > 0) {
      svc.selector = sel;
      svc.selectorRef = pairRef(ctx.uri, spec, 'selector', svc.ref);
    }
  }
  return svc;
}

export function readEndpoints(ctx: BuildContext, o: ManifestObject, name: string, namespace: string): EndpointSet[] {
  const ref = ctx.ref(get(o.node, 'metadata', 'name'));
  if (o.kind === 'Endpoints') {
    return items(get(o.node, 'subsets')).map((s) => ({
      service: name,
      namespace,
      addresses: items(get(s, 'addresses'))
        .map(readAddress)
        .filter((a): a is EndpointSet['addresses'][number] => a !== undefined),
      ports: readEndpointPorts(get(s, 'ports')),
      ref,
    }));
  }
  // EndpointSlice: the Service is named by the kubernetes.io/service-name label.
  const service = str(get(o.node, 'metadata', 'labels', 'kubernetes.io/service-name'));
  if (!service) {
    ctx.report(
      'endpointslice-without-service',
      'info',
      `EndpointSlice ${name} has no kubernetes.io/service-name label; it backs no Service`,
      ref,
    );
    return [];
  }
  const addresses: EndpointSet['addresses'] = [];
  for (const ep of items(get(o.node, 'endpoints'))) {
    const hostname = str(get(ep, 'hostname'));
    const targetRef = readTargetRef(get(ep, 'targetRef'));
    for (const a of items(get(ep, 'addresses'))) {
      const ip = str(a);
      if (!ip) continue;
      const addr: EndpointSet['addresses'][number] = { ip };
      if (hostname) addr.hostname = hostname;
      if (targetRef) addr.targetRef = targetRef;
      addresses.push(addr);
    }
  }
  return [{ service, namespace, addresses, ports: readEndpointPorts(get(o.node, 'ports')), ref }];
}

function readAddress(a: unknown): EndpointSet['addresses'][number] | undefined {
  const ip = str(get(a as never, 'ip'));
  if (!ip) return undefined;
  const out: EndpointSet['addresses'][number] = { ip };
  const hostname = str(get(a as never, 'hostname'));
  if (hostname) out.hostname = hostname;
  const t = readTargetRef(get(a as never, 'targetRef'));
  if (t) out.targetRef = t;
  return out;
}

function readTargetRef(n: unknown): { kind?: string; name?: string; namespace?: string } | undefined {
  if (isNullish(n as never)) return undefined;
  const out: { kind?: string; name?: string; namespace?: string } = {};
  const kind = str(get(n as never, 'kind'));
  const name = str(get(n as never, 'name'));
  const ns = str(get(n as never, 'namespace'));
  if (kind) out.kind = kind;
  if (name) out.name = name;
  if (ns) out.namespace = ns;
  return out;
}

function readEndpointPorts(n: unknown): EndpointSet['ports'] {
  const out: EndpointSet['ports'] = [];
  for (const p of items(n as never)) {
    const port = scalar(get(p, 'port'));
    if (typeof port !== 'number') continue;
    const proto = str(get(p, 'protocol')) ?? 'TCP';
    const e: EndpointSet['ports'][number] = { port, protocol: (PROTOCOLS.includes(proto) ? proto : 'TCP') as Protocol };
    const name = str(get(p, 'name'));
    if (name) e.name = name;
    out.push(e);
  }
  return out;
}
