// Reads workloads (Pods and controllers) and their pod templates.
import type { ManifestObject } from '../parse/documents';
import { asMap, get, items, isNullish, pairRef, scalar, str, type YNode } from '../parse/yamlNodes';
import type { BuildContext } from './context';
import { readLabelMap } from '../selectors/parse';
import { controllerLabels } from './controllerLabels';
import type { Container, ContainerPort, DnsConfig, DnsPolicy, Protocol, TextValue, Workload, WorkloadKind } from './types';

const DNS_POLICIES: readonly DnsPolicy[] = ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'];
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

export interface OwnerRef {
  kind?: string;
  name: string;
}

export interface ReadWorkload {
  workload: Workload;
  /** For Pods: the controller ownerReference, if any. */
  owner?: OwnerRef;
}

/** The pod template's metadata and spec nodes for each workload kind. */
function podTemplate(kind: WorkloadKind, obj: YNode): { meta: YNode; spec: YNode } {
  if (kind === 'Pod') return { meta: get(obj, 'metadata'), spec: get(obj, 'spec') };
  const tpl = kind === 'CronJob' ? get(obj, 'spec', 'jobTemplate', 'spec', 'template') : get(obj, 'spec', 'template');
  return { meta: get(tpl, 'metadata'), spec: get(tpl, 'spec') };
}

export function readWorkload(
  ctx: BuildContext,
  o: ManifestObject,
  name: string,
  namespace: string,
  nameRef = ctx.ref(get(o.node, 'metadata', 'name')),
): ReadWorkload {
  const kind = o.kind as WorkloadKind;
  const { meta, spec } = podTemplate(kind, o.node);
  const objectSpec = get(o.node, 'spec');
  const specIsMap = isNullish(objectSpec) || ctx.map(objectSpec, `${kind} ${name}: spec`);
  if (specIsMap && kind !== 'Pod') ctx.map(spec, `${kind} ${name}: the pod template's spec`);
  if (kind !== 'Pod' && isNullish(spec)) {
    ctx.report(
      'missing-pod-template',
      'warning',
      `${kind} ${name} has no pod template (spec.template${kind === 'CronJob' ? ' under spec.jobTemplate.spec' : ''}); it is analysed as a pod without labels or ports`,
      nameRef,
    );
  }
  const labelsNode = get(meta, 'labels');
  const written = readLabelMap(ctx, labelsNode, `${kind} ${name}: labels`);
  const added = controllerLabels(kind, name);
  const labels = Object.keys(added).length ? { ...written, ...added } : written;
  const containers = ctx.list(get(spec, 'containers'), `${kind} ${name}: containers`).map((c, i) => readContainer(ctx, c, i, 'containers'));
  const initValues = ctx
    .list(get(spec, 'initContainers'), `${kind} ${name}: initContainers`)
    .map((c, i) => readContainer(ctx, c, i, 'initContainers'));
  for (const c of initValues) containers.push({ ...c, ports: [] });
  const dnsPolicyNode = get(spec, 'dnsPolicy');
  let dnsPolicy: DnsPolicy = 'ClusterFirst';
  const dp = str(dnsPolicyNode);
  if (dp !== undefined) {
    if ((DNS_POLICIES as readonly string[]).includes(dp)) dnsPolicy = dp as DnsPolicy;
    else ctx.invalid(`dnsPolicy "${dp}" is not one of ${DNS_POLICIES.join(', ')}`, dnsPolicyNode);
  }
  const workload: Workload = {
    id: `${namespace}/${name}[${kind}]`,
    kind,
    name,
    namespace,
    labels,
    containers,
    hostNetwork: ctx.boolean(get(spec, 'hostNetwork'), 'hostNetwork') ?? false,
    dnsPolicy,
    dnsPolicyExplicit: dp !== undefined,
    podIPs: kind === 'Pod' ? readPodIPs(o.node) : [],
    members: [],
    ref: nameRef,
    objectRef: o.ref,
  };
  const dnsConfig = readDnsConfig(ctx, get(spec, 'dnsConfig'));
  if (dnsConfig) workload.dnsConfig = dnsConfig;
  const hostname = str(get(spec, 'hostname'));
  if (hostname) workload.hostname = hostname;
  const serviceAccount = str(get(spec, 'serviceAccountName')) ?? str(get(spec, 'serviceAccount'));
  if (serviceAccount) workload.serviceAccountName = serviceAccount;
  const subdomain = str(get(spec, 'subdomain'));
  if (subdomain) workload.subdomain = subdomain;
  if (kind === 'StatefulSet') {
    const svc = str(get(o.node, 'spec', 'serviceName'));
    if (svc) workload.serviceName = svc;
  }
  const replicas = scalar(get(o.node, 'spec', 'replicas'));
  if (typeof replicas === 'number') workload.replicas = replicas;
  if (labels !== written) workload.controllerLabels = Object.keys(added);
  if (labelsNode !== undefined) workload.labelsRef = pairRef(ctx.uri, meta, 'labels', nameRef);
  const result: ReadWorkload = { workload };
  if (kind === 'Pod') {
    const owner = controllerOwner(get(o.node, 'metadata', 'ownerReferences'));
    if (owner) result.owner = owner;
  }
  return result;
}

function readContainer(ctx: BuildContext, node: YNode, index: number, field: string): Container {
  const name = str(get(node, 'name')) ?? `${field}[${index}]`;
  const ports: ContainerPort[] = [];
  ctx.list(get(node, 'ports'), `container ${name} ports`).forEach((p, i) => {
    const what = `container ${name} ports[${i}]`;
    const port = ctx.integer(get(p, 'containerPort'), `${what}.containerPort`, 1, 65535);
    const protoNode = get(p, 'protocol');
    const proto = str(protoNode) ?? 'TCP';
    if (!PROTOCOLS.includes(proto)) ctx.invalid(`${what}.protocol "${proto}" is not TCP, UDP or SCTP`, protoNode);
    const portName = str(get(p, 'name'));
    if (port === undefined) return;
    const cp: ContainerPort = { port, protocol: (PROTOCOLS.includes(proto) ? proto : 'TCP') as Protocol, ref: ctx.ref(p) };
    if (portName) cp.name = portName;
    ports.push(cp);
  });
  return { name, ports, values: readContainerValues(ctx, node), ref: ctx.ref(get(node, 'name') ?? node) };
}

/** env values, args and command strings: where a pod names the hosts it talks to. */
function readContainerValues(ctx: BuildContext, node: YNode): TextValue[] {
  const out: TextValue[] = [];
  for (const e of items(get(node, 'env'))) {
    const name = str(get(e, 'name'));
    const vNode = get(e, 'value');
    const v = scalar(vNode);
    if (name && (typeof v === 'string' || typeof v === 'number')) out.push({ where: `env ${name}`, value: String(v), ref: ctx.ref(vNode) });
  }
  for (const field of ['command', 'args']) {
    items(get(node, field)).forEach((a, i) => {
      const v = str(a);
      if (v !== undefined) out.push({ where: `${field}[${i}]`, value: v, ref: ctx.ref(a) });
    });
  }
  return out;
}

function readDnsConfig(ctx: BuildContext, node: YNode): DnsConfig | undefined {
  if (!asMap(node)) return undefined;
  const strings = (n: YNode, what: string) =>
    items(n)
      .map((x) => ctx.string(x, what))
      .filter((x): x is string => x !== undefined);
  return {
    nameservers: strings(get(node, 'nameservers'), 'dnsConfig.nameservers'),
    searches: strings(get(node, 'searches'), 'dnsConfig.searches'),
    options: items(get(node, 'options'))
      .map((o) => {
        const name = str(get(o, 'name'));
        if (!name) return undefined;
        const v = scalar(get(o, 'value'));
        return v === undefined || v === null ? { name } : { name, value: String(v) };
      })
      .filter((x): x is { name: string; value?: string } => x !== undefined),
  };
}

function readPodIPs(node: YNode): string[] {
  const ips = new Set<string>();
  const one = str(get(node, 'status', 'podIP'));
  if (one) ips.add(one);
  for (const x of items(get(node, 'status', 'podIPs'))) {
    const ip = str(get(x, 'ip'));
    if (ip) ips.add(ip);
  }
  return [...ips];
}

function controllerOwner(node: YNode): OwnerRef | undefined {
  for (const r of items(node)) {
    if (!asMap(r) || scalar(get(r, 'controller')) !== true) continue;
    const name = str(get(r, 'name'));
    if (!name) continue;
    const kind = str(get(r, 'kind'));
    return kind ? { kind, name } : { name };
  }
  return undefined;
}
