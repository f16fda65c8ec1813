// Builds the StatefulSet workload and governing Service that an operator creates, from plain data.
import type { BuildContext } from '../context';
import type { ManifestObject } from '../../parse/documents';
import { get, pairRef, scalar, str } from '../../parse/yamlNodes';
import { readLabelMap } from '../../selectors/parse';
import { controllerLabels, UNKNOWN_LABEL_VALUE } from '../controllerLabels';
import type { Container, Protocol, Service, SourceRef, Workload } from '../types';

export interface PortSpec {
  name: string;
  port: number;
  protocol?: Protocol;
}

export interface StatefulSetSpec {
  name: string;
  /** labels the operator sets (they override spec.podMetadata.labels) */
  labels: Record<string, string>;
  containers: { name: string; ports: PortSpec[] }[];
  serviceName: string;
  replicas: number;
  hostNetwork: boolean;
}

/** spec.podMetadata.labels, plus app.kubernetes.io/version from spec.version (unknown when absent: the operator's default). */
export function podMetadataLabels(
  ctx: BuildContext,
  o: ManifestObject,
  kind: string,
  name: string,
): { labels: Record<string, string>; unknown: string[] } {
  const written = readLabelMap(ctx, get(o.node, 'spec', 'podMetadata', 'labels'), `${kind} ${name}: spec.podMetadata.labels`);
  const version = str(get(o.node, 'spec', 'version'));
  const unknown = version === undefined && written['app.kubernetes.io/version'] === undefined ? ['app.kubernetes.io/version'] : [];
  return { labels: { 'app.kubernetes.io/version': version?.replace(/^v/, '') ?? UNKNOWN_LABEL_VALUE, ...written }, unknown };
}

/** spec.replicas, defaulted to 1 as the operators do; negative counts become 0. */
export function replicasOf(o: ManifestObject): number {
  const r = scalar(get(o.node, 'spec', 'replicas'));
  return typeof r === 'number' && Number.isInteger(r) ? Math.max(0, r) : 1;
}

export function flag(o: ManifestObject, field: string): boolean {
  return scalar(get(o.node, 'spec', field)) === true;
}

export function makeStatefulSet(
  ctx: BuildContext,
  o: ManifestObject,
  namespace: string,
  spec: StatefulSetSpec,
  unknownKeys: string[],
): Workload {
  const ref: SourceRef = ctx.ref(get(o.node, 'metadata', 'name'));
  const sts = controllerLabels('StatefulSet', spec.name);
  const containers: Container[] = spec.containers.map((c) => ({
    name: c.name,
    ports: c.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP', ref })),
    values: [],
    ref,
  }));
  const w: Workload = {
    id: `${namespace}/${spec.name}[StatefulSet]`,
    kind: 'StatefulSet',
    name: spec.name,
    namespace,
    labels: { ...spec.labels, ...sts },
    containers,
    hostNetwork: spec.hostNetwork,
    dnsPolicy: spec.hostNetwork ? 'ClusterFirstWithHostNet' : 'ClusterFirst',
    dnsPolicyExplicit: false,
    serviceName: spec.serviceName,
    replicas: spec.replicas,
    podIPs: [],
    members: [],
    ref,
    objectRef: o.ref,
    controllerLabels: [...Object.keys(sts), ...unknownKeys],
  };
  const labelsNode = get(o.node, 'spec', 'podMetadata');
  if (labelsNode !== undefined) w.labelsRef = pairRef(ctx.uri, labelsNode, 'labels', ref);
  return w;
}

export function makeHeadlessService(
  ctx: BuildContext,
  o: ManifestObject,
  namespace: string,
  name: string,
  selector: Record<string, string>,
  ports: (PortSpec & { targetPort: number | string })[],
): Service {
  const ref = ctx.ref(get(o.node, 'metadata', 'name'));
  return {
    id: `${namespace}/${name}[Service]`,
    name,
    namespace,
    type: 'ClusterIP',
    selector,
    ports: ports.map((p) => ({ name: p.name, port: p.port, targetPort: p.targetPort, protocol: p.protocol ?? 'TCP', ref })),
    clusterIP: 'None',
    headless: true,
    publishNotReadyAddresses: false,
    ref,
    objectRef: o.ref,
  };
}
