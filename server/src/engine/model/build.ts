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
import { cniFromAgent, cniFromCiliumConfig } from '../cni/detect';
import type {
  AdminPolicy,
  CniInfo,
  ConfigMapData,
  EndpointSet,
  Finding,
  Model,
  ModelOptions,
  Namespace,
  NetworkPolicy,
  Service,
  Skip,
  SourceRef,
  TextValue,
  Workload,
} from './types';

export const DEFAULT_OPTIONS: ModelOptions = { defaultNamespace: 'default', hostNetwork: 'node' };
export const NAME_LABEL = 'kubernetes.io/metadata.name';
// Cluster-scoped kinds: their metadata.namespace means nothing and implies no namespace.
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'IngressClass',
  'ClusterNetworkPolicy',
  'GlobalNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
]);

/** What one file contributes to the model: plain data, cacheable (and persistable) per file content. */
export interface FileModel {
  uri: string;
  objects: FileObject[];
  findings: Finding[];
  skipped: Skip[];
  corefiles: Model['corefiles'];
  cniHints: Model['cniHints'];
}

type Contribution =
  | { kind: 'namespace'; value: Namespace }
  | { kind: 'workload'; value: ReadWorkload; cni?: CniInfo }
  | { kind: 'service'; value: Service }
  | { kind: 'policy'; value: NetworkPolicy }
  | { kind: 'admin'; value: AdminPolicy }
  | { kind: 'endpoints'; value: EndpointSet[] }
  | { kind: 'configMap'; value: ConfigMapData; corefiles: Model['corefiles']; cni?: CniInfo }
  | { kind: 'other' };

/** One object of a file: its identity (for duplicates), the namespace it implies, what it adds. */
export type FileObject = Contribution & {
  key: string;
  ref: SourceRef;
  nameRef: SourceRef;
  namespace?: string;
  findings: Finding[];
};

/** Reads the objects of one parsed file. Depends only on the file and the default namespace. */
export function readFileModel(file: ParsedFile, defaultNamespace = DEFAULT_OPTIONS.defaultNamespace): FileModel {
  const out: FileModel = {
    uri: file.uri,
    objects: [],
    findings: [...file.findings],
    skipped: [...file.skipped],
    corefiles: [...(file.corefiles ?? [])],
    cniHints: file.cni ? [file.cni] : [],
  };
  for (const o of file.objects) {
    const ctx = new BuildContext(o.uri, o.ref);
    const nameNode = get(o.node, 'metadata', 'name');
    const name = str(nameNode) ?? (typeof scalar(nameNode) === 'number' ? String(scalar(nameNode)) : undefined);
    if (!name) {
      out.skipped.push({ uri: o.uri, reason: `${o.kind} without metadata.name (a patch or a generateName object?)`, ref: o.ref });
      continue;
    }
    const namespace = str(get(o.node, 'metadata', 'namespace')) || defaultNamespace;
    const clusterScoped = CLUSTER_SCOPED.has(o.kind);
    const base = {
      key: clusterScoped ? `${o.kind}/${name}` : `${namespace}/${name}[${o.kind}]`,
      ref: o.ref,
      nameRef: ctx.ref(nameNode),
      findings: ctx.findings,
      ...(clusterScoped ? {} : { namespace }),
    };
    out.objects.push({ ...base, ...contribution(ctx, o, name, namespace, nameNode) });
  }
  return out;
}

function contribution(ctx: BuildContext, o: ManifestObject, name: string, namespace: string, nameNode: YNode): Contribution {
  if (o.kind === 'Namespace') {
    const labels = readLabelMap(ctx, get(o.node, 'metadata', 'labels'), `Namespace ${name}: labels`);
    return { kind: 'namespace', value: { name, labels: { ...labels, [NAME_LABEL]: name }, declared: true, ref: ctx.ref(nameNode) } };
  }
  if (isWorkloadKind(o.kind)) {
    const value = readWorkload(ctx, o, name, namespace);
    const containers = value.workload.containers.map((c) => c.name);
    const cni = o.kind === 'DaemonSet' ? cniFromAgent({ name, namespace, containers }, ctx.ref(nameNode)) : undefined;
    return { kind: 'workload', value, ...(cni ? { cni } : {}) };
  }
  if (o.kind === 'Service') return { kind: 'service', value: readService(ctx, o, name, namespace) };
  if (o.kind === 'NetworkPolicy') {
    const p = readNetworkPolicy(ctx, o, name, namespace);
    return p ? { kind: 'policy', value: p } : { kind: 'other' };
  }
  if (o.kind === 'AdminNetworkPolicy' || o.kind === 'BaselineAdminNetworkPolicy') {
    const p = readAdminPolicy(ctx, o, name);
    return p ? { kind: 'admin', value: p } : { kind: 'other' };
  }
  if (o.kind === 'Endpoints' || o.kind === 'EndpointSlice') return { kind: 'endpoints', value: readEndpoints(ctx, o, name, namespace) };
  if (o.kind === 'ConfigMap') {
    const corefiles: Model['corefiles'] = [];
    const corefile = get(o.node, 'data', 'Corefile');
    if (corefile && str(corefile) !== undefined && corefile.range) {
      // offsets inside a block scalar are approximate: point at the value as a whole
      for (const z of corefileZones(o.uri, str(corefile)!, 0)) corefiles.push({ zone: z.zone, ref: ctx.ref(corefile) });
    }
    const cni =
      name === 'cilium-config' ? cniFromCiliumConfig({ name, namespace, data: dataStrings(o.node) }, ctx.ref(nameNode)) : undefined;
    return { kind: 'configMap', value: readConfigMap(ctx, o, name, namespace), corefiles, ...(cni ? { cni } : {}) };
  }
  return { kind: 'other' };
}

export function buildModel(files: readonly ParsedFile[], opts: Partial<ModelOptions> = {}): Model {
  const options: ModelOptions = { ...DEFAULT_OPTIONS, ...opts };
  return combineFileModels(
    files.map((f) => readFileModel(f, options.defaultNamespace)),
    options,
  );
}

/** Joins file models: the first definition of an object wins, namespaces are implied, pods fold into their controllers. */
export function combineFileModels(files: readonly FileModel[], opts: Partial<ModelOptions> = {}): Model {
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
  const skipped: Skip[] = [];
  const seen = new Map<string, FileObject>();
  const implied = new Set<string>();

  for (const file of files) {
    findings.push(...file.findings);
    skipped.push(...file.skipped);
    corefiles.push(...file.corefiles);
    cniHints.push(...file.cniHints);
    for (const o of file.objects) {
      const first = seen.get(o.key);
      if (first) {
        findings.push({
          code: 'duplicate-object',
          severity: 'warning',
          message: `${o.key} is defined more than once; NetLens uses the first definition`,
          ref: o.nameRef,
          related: [{ ref: first.ref, message: 'first definition' }],
        });
        continue;
      }
      seen.set(o.key, o);
      findings.push(...o.findings);
      if (o.namespace !== undefined) implied.add(o.namespace);
      switch (o.kind) {
        case 'namespace':
          namespaces.set(o.value.name, o.value);
          break;
        case 'workload':
          // a copy: folding pods into it must not change the cached file model
          read.push({ ...o.value, workload: { ...o.value.workload, members: [], podIPs: [...o.value.workload.podIPs] } });
          if (o.cni) cniHints.push(o.cni);
          break;
        case 'service':
          services.push(o.value);
          break;
        case 'policy':
          policies.push(o.value);
          break;
        case 'admin':
          adminPolicies.push(o.value);
          break;
        case 'endpoints':
          endpoints.push(...o.value);
          break;
        case 'configMap':
          configMaps.push(o.value);
          corefiles.push(...o.corefiles);
          if (o.cni) cniHints.push(o.cni);
          break;
        case 'other':
          break;
      }
    }
  }
  for (const ns of implied) if (!namespaces.has(ns)) namespaces.set(ns, { name: ns, labels: { [NAME_LABEL]: ns }, declared: false });

  const workloads = foldOwnedPods(read, findings);
  // ANPs by priority (ties by name, for a stable order), the baseline last
  adminPolicies.sort((a, b) => a.priority - b.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    options,
    namespaces,
    workloads,
    services,
    policies,
    adminPolicies,
    endpoints,
    configMaps,
    corefiles,
    cniHints,
    findings,
    skipped,
  };
}

/** Pods whose controller is in the workspace become members of that workload (its pod IPs join it). */
function foldOwnedPods(read: ReadWorkload[], _findings: Finding[]): Workload[] {
  const byKey = new Map<string, Workload>();
  for (const r of read)
    if (r.workload.kind !== 'Pod') byKey.set(`${r.workload.namespace}/${r.workload.name}[${r.workload.kind}]`, r.workload);
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

/** A ConfigMap's data as strings (scalars of other types written as they read). */
function dataStrings(node: YNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of asMap(get(node, 'data'))?.items ?? []) {
    const k = keyOf(p);
    const v = scalar(p.value as YNode);
    if (k && v !== undefined && v !== null && typeof v !== 'object') out.set(k, String(v));
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
