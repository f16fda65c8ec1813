// The endpoints of a Service as the endpoint controllers would publish them: pods its selector
// picks in its namespace, or, without a selector, the addresses of its Endpoints/EndpointSlices.
import type { EndpointSet, Model, Service, ServicePort, Workload } from '../model/types';
import { mapSelectorMatches } from '../selectors/match';
import { canonicalIp } from './names';
import { lookup } from '../model/lookup';
import { MAX_ORDINALS } from '../model/ordinals';

/** One endpoint (or, for a controller whose pods the workspace does not list, all of its pods). */
export interface Backend {
  /** undefined: an address that no workload of the workspace has */
  workload?: Workload;
  ip?: string;
  /** the endpoint's hostname: a pod's spec.hostname when its subdomain names the Service, a StatefulSet pod's name */
  hostname?: string;
  /** one pod of a controller, e.g. StatefulSet `web-1` */
  podName?: string;
  /** the Endpoints/EndpointSlice ports (Services without selector) */
  ports?: EndpointSet['ports'];
}

export function serviceBackends(model: Model, svc: Service): Backend[] {
  if (svc.type === 'ExternalName') return [];
  if (!svc.selector) return endpointSetBackends(model, svc);
  const out: Backend[] = [];
  for (const w of lookup(model).workloadsIn(svc.namespace)) {
    if (!mapSelectorMatches(svc.selector, w.labels)) continue;
    if (w.replicas === 0) continue; // no pods, so no endpoints
    if (w.kind === 'StatefulSet') {
      // The StatefulSet controller sets each pod's hostname to its name and subdomain to serviceName.
      // one pod when a selector split the StatefulSet into its pods (model/ordinals.ts), else all of them
      const n = w.ordinal !== undefined ? 1 : Math.min(w.replicas ?? 1, MAX_ORDINALS);
      for (let k = 0; k < n; k++) {
        const i = w.ordinal ?? k;
        const podName = `${w.name}-${i}`;
        out.push(w.serviceName === svc.name ? { workload: w, podName, hostname: podName } : { workload: w, podName });
      }
      continue;
    }
    // The endpoint controller publishes spec.hostname only when spec.subdomain names this Service.
    const hostname = w.hostname && w.subdomain === svc.name ? w.hostname : undefined;
    const ips = w.podIPs.length ? w.podIPs : [undefined];
    for (const ip of ips) out.push({ workload: w, ...(ip ? { ip } : {}), ...(hostname ? { hostname } : {}) });
  }
  return out;
}

// Lint and queries ask for the same Services' endpoints once per reference: kept per model (a
// Service object may be shared by the models of successive snapshots, so it is not the key alone).
const endpointCache = new WeakMap<Model, WeakMap<Service, readonly Workload[]>>();

/** The distinct workloads behind a Service. */
export function serviceEndpoints(model: Model, svc: Service): readonly Workload[] {
  let m = endpointCache.get(model);
  if (!m) endpointCache.set(model, (m = new WeakMap()));
  let out = m.get(svc);
  if (!out) {
    const list: Workload[] = [];
    for (const b of serviceBackends(model, svc)) if (b.workload && !list.includes(b.workload)) list.push(b.workload);
    m.set(svc, (out = list));
  }
  return out;
}

/**
 * The pod port a Service port sends to on this workload: a number as is; a name resolved against
 * the workload's container ports of the same protocol (undefined when the pod has no such port).
 */
export function targetPortFor(svcPort: ServicePort, w: Workload): number | undefined {
  if (typeof svcPort.targetPort === 'number') return svcPort.targetPort;
  for (const c of w.containers)
    for (const p of c.ports) if (p.name === svcPort.targetPort && p.protocol === svcPort.protocol) return p.port;
  return undefined;
}

/** The port an endpoint serves a Service port on: the Endpoints port of the same name, else targetPort. */
export function backendPort(svcPort: ServicePort, b: Backend): number | undefined {
  if (b.ports) {
    const p = b.ports.find((x) => (x.name ?? '') === (svcPort.name ?? '') && x.protocol === svcPort.protocol);
    if (p) return p.port;
    if (b.ports.length) return undefined;
  }
  if (b.workload) return targetPortFor(svcPort, b.workload);
  return typeof svcPort.targetPort === 'number' ? svcPort.targetPort : undefined;
}

function endpointSetBackends(model: Model, svc: Service): Backend[] {
  const out: Backend[] = [];
  for (const set of model.endpoints) {
    if (set.service !== svc.name || set.namespace !== svc.namespace) continue;
    for (const a of set.addresses) {
      const workload = workloadOfAddress(model, svc.namespace, a);
      const b: Backend = { ip: a.ip, ports: set.ports };
      if (workload) b.workload = workload;
      if (a.hostname) b.hostname = a.hostname;
      if (a.targetRef?.name && (a.targetRef.kind ?? 'Pod') === 'Pod') b.podName = a.targetRef.name;
      out.push(b);
    }
  }
  return out;
}

/** targetRef first (a Pod, or a pod folded into its controller), else the workload with that pod IP. */
function workloadOfAddress(model: Model, namespace: string, a: EndpointSet['addresses'][number]): Workload | undefined {
  const ref = a.targetRef;
  if (ref?.name && (ref.kind ?? 'Pod') === 'Pod') {
    const w = workloadOfPod(model, ref.namespace ?? namespace, ref.name);
    if (w) return w;
  }
  const ip = canonicalIp(a.ip);
  return ip ? model.workloads.find((w) => w.podIPs.some((p) => canonicalIp(p) === ip)) : undefined;
}

/** The workload a pod name belongs to: the Pod itself, its controller (folded pods), or a StatefulSet ordinal. */
function workloadOfPod(model: Model, namespace: string, name: string): Workload | undefined {
  const id = `${namespace}/${name}[Pod]`;
  return (
    model.workloads.find((w) => w.id === id) ??
    model.workloads.find((w) => w.members.includes(id)) ??
    model.workloads.find(
      (w) =>
        w.kind === 'StatefulSet' &&
        w.namespace === namespace &&
        isOrdinalOf(name, w.name) &&
        (w.ordinal === undefined || name === `${w.name}-${w.ordinal}`),
    )
  );
}

function isOrdinalOf(pod: string, statefulSet: string): boolean {
  return pod.startsWith(`${statefulSet}-`) && /^\d+$/.test(pod.slice(statefulSet.length + 1));
}
