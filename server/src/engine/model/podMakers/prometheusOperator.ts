// prometheus-operator (monitoring.coreos.com/v1): Prometheus, Alertmanager and ThanosRuler objects
// become StatefulSets. Names, labels, ports and governing Services as the operator's code makes them:
//   https://github.com/prometheus-operator/prometheus-operator/blob/main/pkg/prometheus/server/statefulset.go
//   https://github.com/prometheus-operator/prometheus-operator/blob/main/pkg/prometheus/server/operator.go (makeSelectorLabels, shard names)
//   https://github.com/prometheus-operator/prometheus-operator/blob/main/pkg/prometheus/common.go (MakeContainerPorts, BuildPodMetadata)
//   https://github.com/prometheus-operator/prometheus-operator/blob/main/pkg/alertmanager/statefulset.go
//   https://github.com/prometheus-operator/prometheus-operator/blob/main/pkg/thanos/statefulset.go
//   https://github.com/prometheus-operator/prometheus-operator/blob/main/pkg/operator/config_reloader.go ("reloader-web" 8080)
//   https://prometheus-operator.dev/docs/api-reference/api/ (spec.replicas, shards, podMetadata, portName, listenLocal, serviceName, thanos)
import { get, scalar, str } from '../../parse/yamlNodes';
import type { PodMaker, Made } from './index';
import { flag, makeHeadlessService, makeStatefulSet, podMetadataLabels, replicasOf, type PortSpec } from './statefulSet';
import type { BuildContext } from '../context';
import type { ManifestObject } from '../../parse/documents';

const GROUP = 'monitoring.coreos.com';
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'prometheus-operator' };
const RELOADER = { name: 'config-reloader', ports: [{ name: 'reloader-web', port: 8080 }] };

function portName(o: ManifestObject): string {
  return str(get(o.node, 'spec', 'portName')) || 'web';
}

/** spec.serviceName when set (the operator then creates no governing Service), else the operator's own. */
function governing(o: ManifestObject, operated: string): { name: string; create: boolean } {
  const own = str(get(o.node, 'spec', 'serviceName'));
  return own ? { name: own, create: false } : { name: operated, create: true };
}

function prometheus(ctx: BuildContext, o: ManifestObject, name: string, namespace: string): Made {
  const meta = podMetadataLabels(ctx, o, 'Prometheus', name);
  const web = portName(o);
  const thanos = get(o.node, 'spec', 'thanos') !== undefined && get(o.node, 'spec', 'thanos') !== null;
  const containers = [
    { name: 'prometheus', ports: flag(o, 'listenLocal') ? [] : [{ name: web, port: 9090 }] },
    RELOADER,
    ...(thanos
      ? [
          {
            name: 'thanos-sidecar',
            ports: [
              { name: 'http', port: 10902 },
              { name: 'grpc', port: 10901 },
            ],
          },
        ]
      : []),
  ];
  const svc = governing(o, 'prometheus-operated');
  const shardsValue = scalar(get(o.node, 'spec', 'shards'));
  const shards = typeof shardsValue === 'number' && Number.isInteger(shardsValue) && shardsValue > 1 ? Math.min(shardsValue, 100) : 1;
  const workloads = Array.from({ length: shards }, (_, shard) => ({
    workload: makeStatefulSet(
      ctx,
      o,
      namespace,
      {
        name: shard === 0 ? `prometheus-${name}` : `prometheus-${name}-shard-${shard}`,
        labels: {
          ...meta.labels,
          ...MANAGED_BY,
          'app.kubernetes.io/name': 'prometheus',
          'app.kubernetes.io/instance': name,
          'operator.prometheus.io/name': name,
          'operator.prometheus.io/shard': String(shard),
          prometheus: name,
        },
        containers,
        serviceName: svc.name,
        replicas: replicasOf(o),
        hostNetwork: flag(o, 'hostNetwork'),
      },
      meta.unknown,
    ),
  }));
  const ports: (PortSpec & { targetPort: number | string })[] = [{ name: web, port: 9090, targetPort: web }];
  if (thanos) ports.push({ name: 'grpc', port: 10901, targetPort: 'grpc' });
  return {
    workloads,
    services: svc.create ? [makeHeadlessService(ctx, o, namespace, svc.name, { 'app.kubernetes.io/name': 'prometheus' }, ports)] : [],
  };
}

function alertmanager(ctx: BuildContext, o: ManifestObject, name: string, namespace: string): Made {
  const meta = podMetadataLabels(ctx, o, 'Alertmanager', name);
  const web = portName(o);
  const svc = governing(o, 'alertmanager-operated');
  const mesh: PortSpec[] = [
    { name: 'mesh-tcp', port: 9094, protocol: 'TCP' },
    { name: 'mesh-udp', port: 9094, protocol: 'UDP' },
  ];
  const workload = makeStatefulSet(
    ctx,
    o,
    namespace,
    {
      name: `alertmanager-${name}`,
      labels: {
        ...meta.labels,
        ...MANAGED_BY,
        'app.kubernetes.io/name': 'alertmanager',
        'app.kubernetes.io/instance': name,
        alertmanager: name,
      },
      containers: [{ name: 'alertmanager', ports: [...(flag(o, 'listenLocal') ? [] : [{ name: web, port: 9093 }]), ...mesh] }, RELOADER],
      serviceName: svc.name,
      replicas: replicasOf(o),
      hostNetwork: flag(o, 'hostNetwork'),
    },
    meta.unknown,
  );
  const ports = [
    { name: web, port: 9093, targetPort: web },
    { name: 'tcp-mesh', port: 9094, targetPort: 9094, protocol: 'TCP' as const },
    { name: 'udp-mesh', port: 9094, targetPort: 9094, protocol: 'UDP' as const },
  ];
  return {
    workloads: [{ workload }],
    services: svc.create ? [makeHeadlessService(ctx, o, namespace, svc.name, { 'app.kubernetes.io/name': 'alertmanager' }, ports)] : [],
  };
}

function thanosRuler(ctx: BuildContext, o: ManifestObject, name: string, namespace: string): Made {
  const meta = podMetadataLabels(ctx, o, 'ThanosRuler', name);
  const web = portName(o);
  const svc = governing(o, 'thanos-ruler-operated');
  const workload = makeStatefulSet(
    ctx,
    o,
    namespace,
    {
      name: `thanos-ruler-${name}`,
      labels: {
        ...meta.labels,
        ...MANAGED_BY,
        'app.kubernetes.io/name': 'thanos-ruler',
        'app.kubernetes.io/instance': name,
        'thanos-ruler': name,
      },
      containers: [
        {
          name: 'thanos-ruler',
          ports: [
            { name: 'grpc', port: 10901 },
            { name: web, port: 10902 },
          ],
        },
        RELOADER,
      ],
      serviceName: svc.name,
      replicas: replicasOf(o),
      hostNetwork: flag(o, 'hostNetwork'),
    },
    meta.unknown,
  );
  const ports = [
    { name: web, port: 10902, targetPort: web },
    { name: 'grpc', port: 10901, targetPort: 'grpc' },
  ];
  return {
    workloads: [{ workload }],
    services: svc.create ? [makeHeadlessService(ctx, o, namespace, svc.name, { 'app.kubernetes.io/name': 'thanos-ruler' }, ports)] : [],
  };
}

export const PROMETHEUS_OPERATOR: readonly PodMaker[] = [
  { group: GROUP, kind: 'Prometheus', make: prometheus },
  { group: GROUP, kind: 'Alertmanager', make: alertmanager },
  { group: GROUP, kind: 'ThanosRuler', make: thanosRuler },
];
