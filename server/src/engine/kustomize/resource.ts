// One object being rendered: its content as plain JSON, the names it has had, and where it came from.
import type { Json, JsonObject, ObjectOrigin } from './types';

export interface ResId {
  name: string;
  namespace: string;
}

export class Resource {
  /** the names and namespaces it had, oldest first; the last is the current one */
  readonly ids: ResId[];
  /** generated ConfigMap/Secret whose name still gets the content hash */
  needsHash = false;
  /** a generator's behavior toward an object of the same name from a base */
  behavior: 'create' | 'merge' | 'replace' = 'create';

  constructor(
    public obj: JsonObject,
    public readonly origin: ObjectOrigin,
  ) {
    this.ids = [{ name: this.name, namespace: this.namespace }];
  }

  get kind(): string {
    return typeof this.obj.kind === 'string' ? this.obj.kind : '';
  }
  get apiVersion(): string {
    return typeof this.obj.apiVersion === 'string' ? this.obj.apiVersion : '';
  }
  get group(): string {
    const v = this.apiVersion;
    return v.includes('/') ? v.slice(0, v.indexOf('/')) : '';
  }
  get version(): string {
    const v = this.apiVersion;
    return v.includes('/') ? v.slice(v.indexOf('/') + 1) : v;
  }
  get metadata(): JsonObject {
    const m = this.obj.metadata;
    if (m && typeof m === 'object' && !Array.isArray(m)) return m;
    const created: JsonObject = {};
    this.obj.metadata = created;
    return created;
  }
  get name(): string {
    const n = (this.obj.metadata as JsonObject | undefined)?.name;
    return typeof n === 'string' ? n : n === undefined || n === null ? '' : String(n);
  }
  get namespace(): string {
    const n = (this.obj.metadata as JsonObject | undefined)?.namespace;
    return typeof n === 'string' ? n : '';
  }
  get labels(): Record<string, string> {
    return stringMap(this.metadata.labels);
  }
  get annotations(): Record<string, string> {
    return stringMap(this.metadata.annotations);
  }

  /** Records the current name/namespace after a transformer changed it. */
  noteId(): void {
    const last = this.ids[this.ids.length - 1];
    if (last.name !== this.name || last.namespace !== this.namespace) this.ids.push({ name: this.name, namespace: this.namespace });
  }

  setName(name: string): void {
    this.metadata.name = name;
    this.noteId();
  }

  /** Whether it ever had this name (and namespace, when given; '' and 'default' are the same). */
  hadId(name: string, namespace?: string): boolean {
    return this.ids.some((id) => id.name === name && (namespace === undefined || sameNamespace(id.namespace, namespace)));
  }

  /** A copy to change: the object deep (unless `shallow`), its origin's lists and names. */
  copy(shallow = false): Resource {
    return this.withObject(shallow ? this.obj : (cloneJson(this.obj) as JsonObject));
  }

  clone(): Resource {
    return this.withObject(deepCopy(this.obj) as JsonObject);
  }

  /** This resource's origin, ids and flags (copied) on `obj`. */
  private withObject(obj: JsonObject): Resource {
    const r = new Resource(obj, {
      ...this.origin,
      kustomizations: [...this.origin.kustomizations],
      patches: [...this.origin.patches],
    });
    r.ids.splice(0, r.ids.length, ...this.ids);
    r.needsHash = this.needsHash;
    r.behavior = this.behavior;
    return r;
  }
}

export function sameNamespace(a: string, b: string): boolean {
  return (a || 'default') === (b || 'default');
}

export function stringMap(v: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) out[k] = x === null ? '' : String(x);
  return out;
}

export function isObject(v: Json | undefined): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A deep copy that keeps every value as it is (non-finite numbers included), unlike a JSON round trip. */
export function cloneJson(v: Json): Json {
  if (Array.isArray(v)) return v.map(cloneJson);
  if (v !== null && typeof v === 'object') {
    const out: JsonObject = {};
    for (const k of Object.keys(v))
      if (k === '__proto__')
        Object.defineProperty(out, k, { value: cloneJson(v[k]), enumerable: true, writable: true, configurable: true });
      else out[k] = cloneJson(v[k]);
    return out;
  }
  return v;
}

/** A JSON text that tells apart what JSON.stringify confuses (non-finite numbers, -0, undefined): a key for a value. */
export function exactKey(v: unknown): string {
  return JSON.stringify(v, (_key: string, x: unknown) => {
    if (typeof x === 'number' && (!Number.isFinite(x) || Object.is(x, -0))) return `\u0000number:${Object.is(x, -0) ? '-0' : x}`;
    if (x === undefined) return '\u0000undefined';
    return x;
  });
}

export function deepCopy<T extends Json | undefined>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

/** Kinds kustomize treats as cluster-scoped (its built-in OpenAPI schema); unknown kinds are namespaced. */
const CLUSTER_SCOPED = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'FlowSchema',
  'IngressClass',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'RuntimeClass',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
  'StorageClass',
  'SubjectAccessReview',
  'TokenReview',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
]);

export function isClusterScoped(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind);
}
