// Builds the immutable Model from parsed files: namespaces (declared or implied), workloads with
// their pods folded in, Services, NetworkPolicies, ConfigMaps, Corefile zones and CNI hints.
import type { ParsedFile, ManifestObject } from '../parse/documents';
import { get, scalar, str, asMap, keyOf, pairRef, type YNode } from '../parse/yamlNodes';
import { BuildContext } from './context';
import { readLabelMap } from '../selectors/parse';
import { readWorkload, type ReadWorkload } from './workloads';
import { splitOrdinals } from './ordinals';
import { podMakerFor, type Made } from './podMakers';
import { groupsWithKind, kindInfo, type KindInfo } from './kinds';
import { readEndpoints, readService } from './services';
import { readNetworkPolicy } from './policies';
import { compareAdminPolicies, readAdminPolicy } from './adminPolicies';
import { CNP_API_VERSION, readClusterNetworkPolicy } from './clusterNetworkPolicies';
import { readCiliumPolicy } from './cilium/read';
import type { CiliumPolicy } from './cilium/types';
import { corefileZones } from '../dns/corefile';
import { blockScalarOffsets, configMapDnsSource } from '../dns/configSources';
import { cniFromAgent, cniFromCiliumConfig } from '../cni/detect';
import { validateManifest } from '../schema/validate';
import { readCalicoObject } from './calico/read';
import type { CalicoModel, CalicoObject } from './calico/types';
import type {
  AdminPolicy,
  CniInfo,
  ConfigMapData,
  DnsConfigSource,
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

/** What one file contributes to the model: plain data, cacheable (and persistable) per file content. */
export interface FileModel {
  uri: string;
  objects: FileObject[];
  findings: Finding[];
  skipped: Skip[];
  corefiles: Model['corefiles'];
  dnsConfigs: Model['dnsConfigs'];
  cniHints: Model['cniHints'];
}

type Contribution =
  | { kind: 'namespace'; value: Namespace }
  | { kind: 'workload'; value: ReadWorkload; cni?: CniInfo }
  | { kind: 'service'; value: Service }
  | { kind: 'policy'; value: NetworkPolicy }
  | { kind: 'admin'; value: AdminPolicy }
  | { kind: 'endpoints'; value: EndpointSet[] }
  | { kind: 'configMap'; value: ConfigMapData; corefiles: Model['corefiles']; dnsConfig?: DnsConfigSource; cni?: CniInfo }
  | { kind: 'made'; value: Made }
  | { kind: 'cilium'; value: CiliumPolicy }
  | { kind: 'calico'; value: CalicoObject }
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
    dnsConfigs: [...(file.dnsConfigs ?? [])],
    cniHints: file.cni ? [file.cni] : [],
  };
  for (const o of file.objects) {
    const ctx = new BuildContext(o.uri, o.ref);
    const nameNode = get(o.node, 'metadata', 'name');
    const name = str(nameNode) ?? (typeof scalar(nameNode) === 'number' ? String(scalar(nameNode)) : undefined);
    if (!name) {
      out.skipped.push({ uri: o.uri, reason: `${o.kind} without metadata.name (a patch or a generateName object?)`, ref: o.ref });
      out.findings.push(...validateManifest(o));
      continue;
    }
    const namespace = str(get(o.node, 'metadata', 'namespace')) || defaultNamespace;
    const info = kindInfo(o.apiVersion, o.kind);
    const clusterScoped = info.clusterScoped;
    const base = {
      key: clusterScoped ? `${info.label}/${name}` : `${namespace}/${name}[${info.label}]`,
      ref: o.ref,
      nameRef: ctx.ref(nameNode),
      findings: ctx.findings,
      ...(clusterScoped ? {} : { namespace }),
    };
    out.objects.push({ ...base, ...contribution(ctx, o, info, name, namespace, nameNode, file.text) });
    out.findings.push(...schemaFindings(o, ctx.findings));
  }
  return out;
}

/**
 * The schema's findings for an object (file-level: a typo is one even in a duplicate definition),
 * less those where the object's reader already reported the same place with its own words.
 */
function schemaFindings(o: ManifestObject, read: readonly Finding[]): Finding[] {
  const found = validateManifest(o);
  if (found.length === 0 || read.length === 0) return found;
  const ranges = new Set(read.map((f) => `${f.ref.start}:${f.ref.end}`));
  return found.filter((f) => !ranges.has(`${f.ref.start}:${f.ref.end}`));
}

function contribution(
  ctx: BuildContext,
  o: ManifestObject,
  info: KindInfo,
  name: string,
  namespace: string,
  nameNode: YNode,
  text?: string,
): Contribution {
  switch (info.role) {
    case 'namespace': {
      const labels = readLabelMap(ctx, get(o.node, 'metadata', 'labels'), `Namespace ${name}: labels`);
      return { kind: 'namespace', value: { name, labels: { ...labels, [NAME_LABEL]: name }, declared: true, ref: ctx.ref(nameNode) } };
    }
    case 'workload': {
      const value = readWorkload(ctx, o, name, namespace);
      const containers = value.workload.containers.map((c) => c.name);
      const cni = o.kind === 'DaemonSet' ? cniFromAgent({ name, namespace, containers }, ctx.ref(nameNode)) : undefined;
      return { kind: 'workload', value, ...(cni ? { cni } : {}) };
    }
    case 'service':
      return { kind: 'service', value: readService(ctx, o, name, namespace) };
    case 'networkPolicy': {
      const p = readNetworkPolicy(ctx, o, name, namespace);
      return p ? { kind: 'policy', value: p } : { kind: 'other' };
    }
    case 'adminPolicy': {
      if (o.kind === 'ClusterNetworkPolicy' && o.apiVersion !== CNP_API_VERSION)
        return contribution(ctx, o, { ...info, role: 'policyNotAnalysed' }, name, namespace, nameNode, text);
      const p = o.kind === 'ClusterNetworkPolicy' ? readClusterNetworkPolicy(ctx, o, name) : readAdminPolicy(ctx, o, name);
      return p ? { kind: 'admin', value: p } : { kind: 'other' };
    }
    case 'endpoints':
      return { kind: 'endpoints', value: readEndpoints(ctx, o, name, namespace) };
    case 'configMap': {
      const corefiles: Model['corefiles'] = [];
      const corefile = get(o.node, 'data', 'Corefile');
      if (corefile && str(corefile) !== undefined && corefile.range) {
        // offsets inside a block scalar are approximate: point at the value as a whole
        for (const z of corefileZones(o.uri, str(corefile)!, 0)) corefiles.push({ zone: z.zone, ref: ctx.ref(corefile) });
      }
      const dns = configMapDnsSource(`${namespace}/${name}[ConfigMap]`, name, namespace, (key) => {
        const v = get(o.node, 'data', key);
        const s = str(v);
        if (s === undefined || !v?.range) return undefined;
        const at = text !== undefined ? blockScalarOffsets(text, v.range[0], s) : undefined;
        return { text: s, ref: ctx.ref(v), ...(at ? { at: (offset: number) => at(offset) } : {}) };
      });
      ctx.findings.push(...dns.findings);
      const cni =
        name === 'cilium-config' ? cniFromCiliumConfig({ name, namespace, data: dataStrings(o.node) }, ctx.ref(nameNode)) : undefined;
      return {
        kind: 'configMap',
        value: readConfigMap(ctx, o, name, namespace),
        corefiles,
        ...(dns.source ? { dnsConfig: dns.source } : {}),
        ...(cni ? { cni } : {}),
      };
    }
    case 'ciliumPolicy': {
      const p = readCiliumPolicy(ctx, o, name, namespace);
      return p ? { kind: 'cilium', value: p } : { kind: 'other' };
    }
    case 'policyNotAnalysed':
      ctx.report(
        'policy-not-analysed',
        'info',
        `not analysed: ${info.group} ${info.kind}; NetLens reads NetworkPolicy (networking.k8s.io and projectcalico.org/v3), AdminNetworkPolicy/BaselineAdminNetworkPolicy (policy.networking.k8s.io/v1alpha1) and ClusterNetworkPolicy (policy.networking.k8s.io/v1alpha2), so this policy is not in the matrix, queries or lint`,
        pairRef(ctx.uri, o.node, 'kind', o.ref),
      );
      return { kind: 'other' };
    case 'calico': {
      const c = readCalicoObject(ctx, o, name, namespace);
      return c ? { kind: 'calico', value: c } : { kind: 'other' };
    }
    case 'podMaker': {
      const maker = podMakerFor(info.group, info.kind);
      return maker ? { kind: 'made', value: maker.make(ctx, o, name, namespace) } : { kind: 'other' };
    }
    case 'other': {
      const groups = groupsWithKind(o.apiVersion, o.kind);
      if (groups.length)
        ctx.invalid(
          `${o.apiVersion} has no kind ${o.kind} (${o.kind} is in ${groups.map((g) => (g ? `${g}/...` : 'v1')).join(', ')}); the API server rejects this object, so NetLens does not read it`,
          get(o.node, 'apiVersion') ?? get(o.node, 'kind'),
        );
      return { kind: 'other' };
    }
  }
}

export function buildModel(files: readonly ParsedFile[], opts: Partial<ModelOptions> = {}): Model {
  const options: ModelOptions = { ...DEFAULT_OPTIONS, ...opts };
  return combineFileModels(
    files.map((f) => readFileModel(f, options.defaultNamespace)),
    options,
  );
}

/** Joins file models: the first definition of an object wins, namespaces are implied, pods fold into their controllers. */
// Stands in the duplicate index for objects an operator makes (never reported as duplicates).
const MADE: FileObject = {
  kind: 'other',
  key: '',
  ref: { uri: '', start: 0, end: 0 },
  nameRef: { uri: '', start: 0, end: 0 },
  findings: [],
};

/** What the files contribute, in file order, before operators' objects, implied namespaces and pod folding. */
export interface Contributions {
  findings: Finding[];
  namespaces: Map<string, Namespace>;
  read: ReadWorkload[];
  services: Service[];
  policies: NetworkPolicy[];
  adminPolicies: AdminPolicy[];
  ciliumPolicies: CiliumPolicy[];
  endpoints: EndpointSet[];
  configMaps: ConfigMapData[];
  corefiles: Model['corefiles'];
  dnsConfigs: Model['dnsConfigs'];
  cniHints: Model['cniHints'];
  skipped: Skip[];
  made: Made[];
  calico: CalicoModel;
  /** the first definition of each object key */
  seen: Map<string, FileObject>;
  /** namespaces that objects name, in order of first appearance */
  implied: Set<string>;
}

export function emptyContributions(): Contributions {
  return {
    findings: [],
    namespaces: new Map(),
    read: [],
    services: [],
    policies: [],
    adminPolicies: [],
    ciliumPolicies: [],
    endpoints: [],
    configMaps: [],
    corefiles: [],
    dnsConfigs: [],
    cniHints: [],
    skipped: [],
    made: [],
    calico: { policies: [], tiers: [], networkSets: [], profiles: [], serviceAccounts: [] },
    seen: new Map(),
    implied: new Set(),
  };
}

/** Adds one file's contribution (the step of combineFileModels for one file; engine/model/incremental.ts reuses it). */
export function addFileModel(acc: Contributions, file: FileModel): void {
  const { findings, namespaces, read, services, policies, adminPolicies, endpoints, configMaps, corefiles, dnsConfigs, cniHints } = acc;
  const { seen, made, implied, calico, ciliumPolicies } = acc;
  findings.push(...file.findings);
  acc.skipped.push(...file.skipped);
  corefiles.push(...file.corefiles);
  dnsConfigs.push(...(file.dnsConfigs ?? []));
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
        if (o.dnsConfig) dnsConfigs.push(o.dnsConfig);
        if (o.cni) cniHints.push(o.cni);
        break;
      case 'made':
        made.push(o.value);
        break;
      case 'cilium':
        ciliumPolicies.push(o.value);
        break;
      case 'calico':
        addCalico(calico, o.value);
        break;
      case 'other':
        break;
    }
  }
}

export function combineFileModels(files: readonly FileModel[], opts: Partial<ModelOptions> = {}): Model {
  const acc = emptyContributions();
  for (const file of files) addFileModel(acc, file);
  return finishModel(acc, opts);
}

/** The model of the files' contributions: operators' objects, implied namespaces, pods folded, ordinals split. */
export function finishModel(acc: Contributions, opts: Partial<ModelOptions> = {}): Model {
  const options: ModelOptions = { ...DEFAULT_OPTIONS, ...opts };
  const { findings, namespaces, read, services, policies, adminPolicies, endpoints, configMaps, corefiles, dnsConfigs, cniHints } = acc;
  const { seen, made, implied, calico, ciliumPolicies, skipped } = acc;
  // What operators make, unless the workspace declares an object of the same name (the first of
  // several custom resources wins: they share the governing Service).
  for (const m of made) {
    for (const r of m.workloads) {
      const key = r.workload.id;
      if (seen.has(key)) continue;
      seen.set(key, MADE);
      read.push({ ...r, workload: { ...r.workload, members: [], podIPs: [...r.workload.podIPs] } });
    }
    for (const svc of m.services) {
      if (seen.has(svc.id)) continue;
      seen.set(svc.id, MADE);
      services.push(svc);
    }
  }
  for (const ns of implied) if (!namespaces.has(ns)) namespaces.set(ns, { name: ns, labels: { [NAME_LABEL]: ns }, declared: false });

  const memberIps = new Map<string, string[]>();
  const workloads = splitOrdinals(foldOwnedPods(read, memberIps), policies, services, adminPolicies, memberIps);
  // the Admin tier, then the Baseline tier, each by priority (ties by kind and name, for a stable order; the BANP last)
  adminPolicies.sort(compareAdminPolicies);
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
    dnsConfigs,
    cniHints,
    findings,
    skipped,
    ciliumPolicies,
    ...(calico.policies.length ? { calico } : {}),
  };
}

/** Files the Calico objects by type (the model has them only when some Calico policy exists). */
function addCalico(into: CalicoModel, c: CalicoObject): void {
  if (c.type === 'policy') into.policies.push(c.value);
  else if (c.type === 'tier') into.tiers.push(c.value);
  else if (c.type === 'networkSet') into.networkSets.push(c.value);
  else if (c.type === 'profile') into.profiles.push(c.value);
  else into.serviceAccounts.push(c.value);
}

/** Pods whose controller is in the workspace become members of that workload (its pod IPs join it). */
function foldOwnedPods(read: ReadWorkload[], memberIps: Map<string, string[]>): Workload[] {
  const byKey = new Map<string, Workload>();
  for (const r of read)
    if (r.workload.kind !== 'Pod') byKey.set(`${r.workload.namespace}/${r.workload.name}[${r.workload.kind}]`, r.workload);
  const out: Workload[] = [];
  for (const r of read) {
    const w = r.workload;
    const owner = r.owner?.kind ? byKey.get(`${w.namespace}/${r.owner.name}[${r.owner.kind}]`) : undefined;
    if (w.kind === 'Pod' && owner) {
      owner.members.push(w.id);
      if (w.podIPs.length) memberIps.set(w.id, w.podIPs);
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
