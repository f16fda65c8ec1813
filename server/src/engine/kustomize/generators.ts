// configMapGenerator and secretGenerator: objects made from literals, files and env files, with
// generatorOptions; their names get kustomize's content hash at the end of the build.
import { finding, KUSTOMIZE_ERROR, KUSTOMIZE_UNSUPPORTED, type KustomizationFile } from './kustomizationFile';
import { basenameOf, joinPath } from './paths';
import { isObject, Resource, stringMap } from './resource';
import { utf8Bytes } from './sha256';
import type { Finding } from '../model/types';
import type { Json, JsonObject, KustomizeFs } from './types';

interface Options {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

function readOptions(v: Json | undefined): Options {
  const o = isObject(v) ? v : {};
  return {
    labels: stringMap(o.labels),
    annotations: stringMap(o.annotations),
    disableNameSuffixHash: typeof o.disableNameSuffixHash === 'boolean' ? o.disableNameSuffixHash : undefined,
    immutable: typeof o.immutable === 'boolean' ? o.immutable : undefined,
  };
}

function mergeOptions(global: Options, own: Options): Options {
  return {
    labels: { ...global.labels, ...own.labels },
    annotations: { ...global.annotations, ...own.annotations },
    disableNameSuffixHash: own.disableNameSuffixHash ?? global.disableNameSuffixHash,
    immutable: own.immutable ?? global.immutable,
  };
}

function unquote(v: string): string {
  return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0] ? v.slice(1, -1) : v;
}

/** base64 of UTF-8 text (the engine has no Buffer). */
export function base64(text: string): string {
  const bytes = utf8Bytes(text);
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += abc[(n >> 18) & 63] + abc[(n >> 12) & 63];
    out += i + 1 < bytes.length ? abc[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.length ? abc[n & 63] : '=';
  }
  return out;
}

/** kustomize's Secret data encoding: base64 in lines of 70 characters, each ending in a line break once there are two or more. */
export function wrappedBase64(text: string): string {
  const b = base64(text);
  const multi = Math.floor(b.length / 70) + 1 > 1;
  if (!multi) return b;
  let out = '';
  for (let i = 0; i < b.length; i += 70) out += b.slice(i, i + 70) + '\n';
  return out;
}

export class Generators {
  readonly options: Options;

  constructor(
    private readonly fs: KustomizeFs,
    private readonly k: KustomizationFile,
    private readonly findings: Finding[],
  ) {
    this.options = readOptions(k.get('generatorOptions'));
  }

  private error(message: string, ...at: (string | number)[]): void {
    this.findings.push(finding(KUSTOMIZE_ERROR, 'error', message, this.k.locate(...at)));
  }

  /** The key/value pairs of one generator entry, in kustomize's order: env files, literals, files. */
  private pairs(g: JsonObject, at: (string | number)[]): [string, string][] | undefined {
    const out: [string, string][] = [];
    const envs = [...(Array.isArray(g.envs) ? g.envs : []), ...(typeof g.env === 'string' ? [g.env] : [])];
    for (const [i, env] of envs.entries()) {
      const text = this.fs.readFile(joinPath(this.k.dir, String(env)));
      if (text === undefined) return void this.error(`env file '${String(env)}' not found`, ...at, 'envs', i);
      for (const raw of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
        const line = raw.replace(/^\s+/, '');
        if (line === '' || line.startsWith('#')) continue;
        const eq = line.indexOf('=');
        if (eq < 0) {
          // kustomize reads such a key's value from its own environment; NetLens has none, as an unset variable
          this.findings.push(
            finding(
              KUSTOMIZE_UNSUPPORTED,
              'info',
              `'${line.trim()}' in '${String(env)}' takes its value from the environment of whoever runs kustomize; NetLens uses ""`,
              this.k.locate(...at, 'envs', i),
            ),
          );
          out.push([line.trim(), '']);
          continue;
        }
        out.push([line.slice(0, eq), line.slice(eq + 1)]);
      }
    }
    for (const [i, lit] of (Array.isArray(g.literals) ? g.literals : []).entries()) {
      const s = String(lit);
      const eq = s.indexOf('=');
      if (eq <= 0) return void this.error(`literal '${s}' is not of the form key=value`, ...at, 'literals', i);
      out.push([s.slice(0, eq), unquote(s.slice(eq + 1))]);
    }
    for (const [i, f] of (Array.isArray(g.files) ? g.files : []).entries()) {
      const s = String(f);
      const eq = s.indexOf('=');
      const key = eq > 0 ? s.slice(0, eq) : basenameOf(s);
      const path = eq > 0 ? s.slice(eq + 1) : s;
      const text = this.fs.readFile(joinPath(this.k.dir, path));
      if (text === undefined) return void this.error(`file '${path}' not found`, ...at, 'files', i);
      out.push([key, text]);
    }
    return out;
  }

  generate(field: 'configMapGenerator' | 'secretGenerator'): Resource[] {
    const out: Resource[] = [];
    this.k.list(field).forEach((g, i) => {
      const at = [field, i];
      if (!isObject(g) || typeof g.name !== 'string' || g.name === '') return this.error(`a ${field} entry needs a name`, ...at);
      const pairs = this.pairs(g, at);
      if (!pairs) return;
      const opts = mergeOptions(this.options, readOptions(g.options));
      const data: JsonObject = {};
      for (const [k, v] of pairs) {
        if (k in data) return this.error(`${field} ${g.name}: key '${k}' is given twice`, ...at);
        data[k] = field === 'secretGenerator' ? wrappedBase64(v) : v;
      }
      const metadata: JsonObject = { name: g.name };
      if (typeof g.namespace === 'string' && g.namespace) metadata.namespace = g.namespace;
      if (Object.keys(opts.labels).length) metadata.labels = { ...opts.labels };
      if (Object.keys(opts.annotations).length) metadata.annotations = { ...opts.annotations };
      const obj: JsonObject =
        field === 'configMapGenerator'
          ? { apiVersion: 'v1', kind: 'ConfigMap', metadata }
          : { apiVersion: 'v1', kind: 'Secret', metadata, type: typeof g.type === 'string' ? g.type : 'Opaque' };
      obj.data = data;
      if (opts.immutable) obj.immutable = true;
      const r = new Resource(obj, { file: this.k.path, index: 0, generator: field, kustomizations: [], patches: [] });
      r.needsHash = opts.disableNameSuffixHash !== true;
      const behavior = typeof g.behavior === 'string' ? g.behavior : 'create';
      if (behavior !== 'create' && behavior !== 'merge' && behavior !== 'replace')
        return this.error(`unknown behavior '${behavior}'`, ...at, 'behavior');
      r.behavior = behavior;
      out.push(r);
    });
    return out;
  }
}

/** Adds generated objects: new ones are appended; `merge`/`replace` ones update the base's object of that name. */
export function absorbGenerated(resources: Resource[], generated: Resource[], report: (message: string) => void): void {
  for (const g of generated) {
    const match = resources.filter((r) => r.kind === g.kind && r.hadId(g.name, g.namespace));
    if (match.length === 0) {
      if (g.behavior !== 'create') report(`${g.kind} ${g.name} does not exist in a base; cannot ${g.behavior} it`);
      else resources.push(g);
      continue;
    }
    if (g.behavior === 'create') {
      report(`${g.kind} ${g.name} already exists; give the generator behavior: merge or replace`);
      continue;
    }
    const old = match[0];
    const meta = old.metadata;
    meta.labels = { ...stringMap(meta.labels), ...g.labels };
    meta.annotations = { ...stringMap(meta.annotations), ...g.annotations };
    if (!Object.keys(meta.labels as JsonObject).length) delete meta.labels;
    if (!Object.keys(meta.annotations as JsonObject).length) delete meta.annotations;
    for (const key of ['data', 'binaryData', 'stringData']) {
      const merged: JsonObject = g.behavior === 'merge' && isObject(old.obj[key]) ? { ...(old.obj[key] as JsonObject) } : {};
      if (isObject(g.obj[key])) Object.assign(merged, g.obj[key]);
      if (Object.keys(merged).length) old.obj[key] = merged;
      else delete old.obj[key];
    }
    if (g.obj.immutable !== undefined) old.obj.immutable = g.obj.immutable;
    // a hash only when both want one (as kubectl kustomize v5.5 does): a plain ConfigMap of a base that an
    // overlay's generator replaces keeps its name, and an overlay's disableNameSuffixHash drops the base's
    old.needsHash = old.needsHash && g.needsHash;
    old.origin.patches.push(g.origin.file);
  }
}
