// Builds the immutable Model from parsed files: namespaces (declared or implied), workloads with
// their pods folded in, Services, NetworkPolicies, ConfigMaps, Corefile zones and CNI hints.
import type { ParsedFile, ManifestObject } from '../parse/documents';
import { get, items, scalar, str, asMap, keyOf, type YNode } from '../parse/yamlNodes';
import { BuildContext } from './context';
import { readLabelMap } from '../selectors/parse';
import { isWorkloadKind, readWorkload, type ReadWorkload } from './workloads';
import { readEndpoints, readService } from './services';
import { readNetworkPolicy } from './policies';
import { readAdminPolicy } from './adminPolicies';
import { corefileZones } from '../dns/corefile';
import { cniFromAgent } from '../cni/detect';
import type { AdminPolicy, ConfigMapData, EndpointSet, Finding, Model, ModelOptions, Namespace, NetworkPolicy, Service, TextValue, Workload } from './types';

export const DEFAULT_OPTIONS: ModelOptions = { defaultNamespace: 'default', hostNetwork: 'node' };
export const NAME_LABEL = 'kubernetes.io/metadata.name';
// Cluster-scoped kinds: their metadata.namespace means nothing and implies no namespace.
const CLUSTER_SCOPED = new Set(['Namespace', 'AdminNetworkPolicy', 'BaselineAdminNetworkPolicy', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition', 'Node', 'PersistentVolume', 'StorageClass', 'PriorityClass', 'IngressClass', 'ClusterNetworkPolicy', 'GlobalNetworkPolicy', 'CiliumClusterwideNetworkPolicy']);

export function buildModel(files: readonly ParsedFile[], opts: Partial<ModelOptions> = {}): Model {
  const options: ModelOptions = { ...DEFAULT_OPTIONS, ...opts };
  const findings: Finding[] = [];
  const namespaces = new Map<string, Namespace>();
  const read: ReadWorkload[] = [];
  const services: Service[] = [];
  const policies: NetworkPolicy[] = [];
  const adminPolicies: AdminPolicy[] = [];
  const endpoints: EndpointSet[] = [];
  const configMaps: ConfigMapData[] = [];
  const corefiles: Model['corefiles'] = [];
  const cniHints: Model['cniHints'] = [];
  const seen = new Map<string, ManifestObject>();
  const skipped = files.flatMap((f) => f.skipped);

  const imply = (ns: string) => {
    if (!namespaces.has(ns)) namespaces.set(ns, { name: ns, labels: { [NAME_LABEL]: ns }, declared: false });
  };

  for (const file of files) {
    findings.push(...file.findings);
    if (file.corefiles) corefiles.push(...file.corefiles);
    if (file.cni) cniHints.push(file.cni);
    for (const o of file.objects) {
      const ctx = new BuildContext(o.uri, o.ref);
      const nameNode = get(o.node, 'metadata', 'name');
      const name = str(nameNode) ?? (typeof scalar(nameNode) === 'number' ? String(scalar(nameNode)) : undefined);
      if (!name) {
        skipped.push({ uri: o.uri, reason: `${o.kind} without metadata.name (a patch or a generateName object?)`, ref: o.ref });
        continue;
      }
      const nsNode = get(o.node, 'metadata', 'namespace');
      const namespace = str(nsNode) || options.defaultNamespace;
      const clusterScoped = CLUSTER_SCOPED.has(o.kind);
      const key = clusterScoped ? `${o.kind}/${name}` : `${namespace}/${name}[${o.kind}]`;
      const first = seen.get(key);
      if (first) {
        findings.push({
          code: 'duplicate-object', severity: 'warning', message: `${key} is defined more than once; NetLens uses the first definition`,
          ref: ctx.ref(nameNode), related: [{ ref: first.ref, message: 'first definition' }],
        });
        continue;
      }
      seen.set(key, o);
      if (!clusterScoped) imply(namespace);
      if (o.kind === 'Namespace') {
        const labels = readLabelMap(ctx, get(o.node, 'metadata', 'labels'), `Namespace ${name}: labels`);
        namespaces.set(name, { name, labels: { ...labels, [NAME_LABEL]: name }, declared: true, ref: ctx.ref(nameNode) });
      } else if (isWorkloadKind(o.kind)) {
        read.push(readWorkload(ctx, o, name, namespace));
        if (o.kind === 'DaemonSet') {
          const cni = cniFromAgent(name, ctx.ref(nameNode));
          if (cni) cniHints.push(cni);
        }
      } else if (o.kind === 'Service') services.push(readService(ctx, o, name, namespace));
      else if (o.kind === 'NetworkPolicy') {
        const p = readNetworkPolicy(ctx, o, name, namespace);
        if (p) policies.push(p);
      } else if (o.kind === 'AdminNetworkPolicy' || o.kind === 'BaselineAdminNetworkPolicy') {
        const p = readAdminPolicy(ctx, o, name);
        if (p) adminPolicies.push(p);
      } else if (o.kind === 'Endpoints' || o.kind === 'EndpointSlice') endpoints.push(...readEndpoints(ctx, o, name, namespace));
      else if (o.kind === 'ConfigMap') {
        const cm = readConfigMap(ctx, o, name, namespace);
        configMaps.push(cm);
        const corefile = get(o.node, 'data', 'Corefile');
        if (corefile && str(corefile) !== undefined && corefile.range) {
          // offsets inside a block scalar are approximate: point at the value as a whole
          for (const z of corefileZones(o.uri, str(corefile)!, 0)) corefiles.push({ zone: z.zone, ref: ctx.ref(corefile) });
        }
      }
      findings.push(...ctx.findings);
    }
  }

  const workloads = foldOwnedPods(read, findings);
  // ANPs by priority (ties by name, for a stable order), the baseline last
  adminPolicies.sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { options, namespaces, workloads, services, policies, adminPolicies, endpoints, configMaps, corefiles, cniHints, findings, skipped };
}

/** Pods whose controller is in the workspace become members of that workload (its pod IPs join it). */
function foldOwnedPods(read: ReadWorkload[], _findings: Finding[]): Workload[] {
  const byKey = new Map<string, Workload>();
  for (const r of read) if (r.workload.kind !== 'Pod') byKey.set(`${r.workload.namespace}/${r.workload.name}[${r.workload.kind}]`, r.workload);
  const out: Workload[] = [];
  for (const r of read) {
    const w = r.workload;
    const owner = r.owner?.kind ? byKey.get(`${w.namespace}/${r.owner.name}[${r.owner.kind}]`) : undefined;
    if (w.kind === 'Pod' && owner) {
      owner.members.push(w.id);
      for (const ip of w.podIPs) if (!owner.podIPs.includes(ip)) owner.podIPs.push(ip);
      continue;
    }
    out.push(w);
  }
  return out;
}

function readConfigMap(ctx: BuildContext, o: ManifestObject, name: string, namespace: string): ConfigMapData {
  const values: TextValue[] = [];
  const data = asMap(get(o.node, 'data'));
  for (const p of data?.items ?? []) {
    const k = keyOf(p);
    const v = p.value as YNode;
    const s = str(v);
    if (k && s !== undefined && s.length <= 4096) values.push({ where: `data.${k}`, value: s, ref: ctx.ref(v) });
  }
  return { id: `${namespace}/${name}[ConfigMap]`, name, namespace, values, ref: ctx.ref(get(o.node, 'metadata', 'name')) };
}

export { items };
