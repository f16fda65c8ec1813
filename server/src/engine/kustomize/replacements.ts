// vars ($(NAME) in the fields kustomize lists) and replacements (copy a field of one object into
// fields of others, with kustomize's dotted field paths: `spec.containers.[name=app].image`).
import { parseAllDocuments } from 'yaml';
import type { FieldSpec } from './fieldSpecs';
import { applySpecs } from './fieldPath';
import { finding, KUSTOMIZE_ERROR, type KustomizationFile } from './kustomizationFile';
import { joinPath } from './paths';
import { deepCopy, isObject, type Resource } from './resource';
import { readSelector, selectResources, type Selector } from './target';
import type { Finding } from '../model/types';
import type { Json, JsonObject, KustomizeFs } from './types';

/** Splits `a.b.[k=v].c` or `a.b[0].c` into segments, keeping dots inside brackets. */
export function splitDottedPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const c of path) {
    if (c === '[') {
      if (depth === 0 && cur !== '') {
        out.push(cur);
        cur = '';
      }
      depth++;
    }
    if (c === ']') depth--;
    if (c === '.' && depth === 0) {
      if (cur !== '') out.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur !== '') out.push(cur);
  return out;
}

function matchesElement(seg: string, el: Json): boolean {
  const m = /^\[([^=\]]+)=(.*)\]$/.exec(seg);
  return !!m && isObject(el) && String(el[m[1]]) === m[2];
}

/** The values at a dotted path (several with `*` or when a list selection matches more than one). */
export function lookupPath(node: Json | undefined, segs: string[]): Json[] {
  if (node === undefined) return [];
  if (segs.length === 0) return [node];
  const [seg, ...rest] = segs;
  if (Array.isArray(node)) {
    if (seg === '*') return node.flatMap((el) => lookupPath(el, rest));
    const idx = /^\[?(\d+)\]?$/.exec(seg);
    if (idx) return lookupPath(node[Number(idx[1])], rest);
    return node.filter((el) => matchesElement(seg, el)).flatMap((el) => lookupPath(el, rest));
  }
  if (!isObject(node)) return [];
  const key = seg.startsWith('[') && seg.endsWith(']') && !seg.includes('=') ? seg.slice(1, -1) : seg;
  return key in node ? lookupPath(node[key], rest) : [];
}

/** Sets the value at a dotted path; returns whether a field was set. */
function setPath(node: Json, segs: string[], value: (old: Json | undefined) => Json, create: boolean): boolean {
  const [seg, ...rest] = segs;
  if (Array.isArray(node)) {
    if (seg === '*') return node.map((el) => (rest.length ? setPath(el, rest, value, create) : false)).some(Boolean);
    const idx = /^\[?(\d+)\]?$/.exec(seg);
    const targets = idx ? [Number(idx[1])] : node.map((el, i) => (matchesElement(seg, el) ? i : -1)).filter((i) => i >= 0);
    let any = false;
    for (const i of targets) {
      if (i >= node.length) continue;
      if (rest.length === 0) node[i] = value(node[i]);
      else any = setPath(node[i], rest, value, create) || any;
      any = any || rest.length === 0;
    }
    return any;
  }
  if (!isObject(node)) return false;
  const key = seg.startsWith('[') && seg.endsWith(']') && !seg.includes('=') ? seg.slice(1, -1) : seg;
  if (rest.length === 0) {
    if (!(key in node) && !create) return false;
    node[key] = value(node[key]);
    return true;
  }
  if (!(key in node) || node[key] === null) {
    if (!create) return false;
    node[key] = /^\[|^\d+$/.test(rest[0]) ? [] : {};
  }
  return setPath(node[key], rest, value, create);
}

interface DelimOptions {
  delimiter?: string;
  index?: number;
  create?: boolean;
}

function readOptions(v: Json | undefined): DelimOptions {
  if (!isObject(v)) return {};
  return {
    delimiter: typeof v.delimiter === 'string' ? v.delimiter : undefined,
    index: typeof v.index === 'number' ? v.index : undefined,
    create: v.create === true,
  };
}

export function runReplacements(fs: KustomizeFs, k: KustomizationFile, resources: Resource[], findings: Finding[]): void {
  const error = (message: string, ...at: (string | number)[]): void => {
    findings.push(finding(KUSTOMIZE_ERROR, 'error', message, k.locate(...at)));
  };
  const entries: { r: JsonObject; at: (string | number)[] }[] = [];
  k.list('replacements').forEach((e, i) => {
    if (isObject(e) && typeof e.path === 'string') {
      const text = fs.readFile(joinPath(k.dir, e.path));
      if (text === undefined) return error(`replacement file '${e.path}' not found`, 'replacements', i);
      for (const d of parseAllDocuments(text) as Iterable<{ toJS(): unknown }>) {
        const v = d.toJS() as Json;
        for (const r of Array.isArray(v) ? v : [v]) if (isObject(r)) entries.push({ r, at: ['replacements', i] });
      }
    } else if (isObject(e)) entries.push({ r: e, at: ['replacements', i] });
  });
  for (const { r, at } of entries) {
    const source = isObject(r.source) ? r.source : undefined;
    if (!source) {
      error('a replacement needs a `source`', ...at);
      continue;
    }
    const sel = readSelector(source)!;
    const found = selectResources(resources, sel);
    if (typeof found === 'string' || found.length !== 1) {
      error(typeof found === 'string' ? found : `the replacement source selects ${found.length} objects, not 1`, ...at, 'source');
      continue;
    }
    const fieldPath = typeof source.fieldPath === 'string' ? source.fieldPath : 'metadata.name';
    const values = lookupPath(found[0].obj, splitDottedPath(fieldPath));
    if (values.length === 0) {
      error(`the replacement source has no field '${fieldPath}'`, ...at, 'source');
      continue;
    }
    let value = values[0];
    const so = readOptions(source.options);
    if (so.delimiter !== undefined && typeof value === 'string') value = value.split(so.delimiter)[so.index ?? 0] ?? '';
    const targets = Array.isArray(r.targets) ? r.targets : [];
    targets.forEach((t, ti) => {
      if (!isObject(t)) return;
      const select = readSelector(t.select);
      let picked = select ? selectResources(resources, select) : [];
      if (typeof picked === 'string') return error(picked, ...at, 'targets', ti);
      for (const rej of Array.isArray(t.reject) ? t.reject : []) {
        const rs = selectResources(resources, readSelector(rej) as Selector);
        if (typeof rs !== 'string') picked = picked.filter((p) => !rs.includes(p));
      }
      const to = readOptions(t.options);
      for (const res of picked)
        for (const fp of Array.isArray(t.fieldPaths) ? t.fieldPaths : []) {
          const set = setPath(
            res.obj,
            splitDottedPath(String(fp)),
            (old) => {
              if (to.delimiter === undefined) return deepCopy(value);
              const parts = typeof old === 'string' ? old.split(to.delimiter) : [];
              const i = to.index ?? 0;
              if (i < 0) return String(value) + to.delimiter + parts.join(to.delimiter);
              if (i >= parts.length) parts.push(String(value));
              else parts[i] = String(value);
              return parts.join(to.delimiter);
            },
            to.create === true,
          );
          if (!set && to.create !== true && !String(fp).includes('*'))
            error(`unable to find field '${String(fp)}' in ${res.kind} ${res.name} (set options.create to add it)`, ...at, 'targets', ti);
        }
    });
  }
}

export interface Var {
  name: string;
  objref: Selector & { apiVersion?: string };
  fieldpath: string;
  k: KustomizationFile;
  at: (string | number)[];
}

export function readVars(k: KustomizationFile, findings: Finding[]): Var[] {
  const out: Var[] = [];
  k.list('vars').forEach((v, i) => {
    if (!isObject(v) || typeof v.name !== 'string' || !isObject(v.objref)) {
      findings.push(finding(KUSTOMIZE_ERROR, 'error', 'a var needs `name` and `objref`', k.locate('vars', i)));
      return;
    }
    const objref = readSelector(v.objref) ?? {};
    const apiVersion = typeof v.objref.apiVersion === 'string' ? v.objref.apiVersion : undefined;
    const ref = isObject(v.fieldref) ? v.fieldref : {};
    const given = ref.fieldPath ?? ref.fieldpath;
    const fieldpath = typeof given === 'string' && given !== '' ? given : 'metadata.name';
    out.push({ name: v.name, objref: { ...objref, apiVersion }, fieldpath, k, at: ['vars', i] });
  });
  return out;
}

/** Replaces `$(VAR)` in the var-reference fields of every object (after all other transformations). */
export function resolveVars(vars: Var[], resources: Resource[], specs: FieldSpec[], findings: Finding[]): void {
  if (vars.length === 0) return;
  const values = new Map<string, Json>();
  for (const v of vars) {
    const matches = resources.filter(
      (r) =>
        r.kind === v.objref.kind &&
        r.hadId(v.objref.name ?? '') &&
        (!v.objref.apiVersion || r.apiVersion === v.objref.apiVersion) &&
        (!v.objref.namespace || r.ids.some((id) => id.namespace === v.objref.namespace)),
    );
    if (matches.length !== 1) {
      findings.push(
        finding(KUSTOMIZE_ERROR, 'error', `var ${v.name}: its objref matches ${matches.length} objects, not 1`, v.k.locate(...v.at)),
      );
      continue;
    }
    const segs = v.fieldpath.replace(/\[(\d+)\]/g, '.$1').split('.');
    const found = lookupPath(matches[0].obj, segs);
    if (found.length === 0) {
      findings.push(finding(KUSTOMIZE_ERROR, 'error', `var ${v.name}: field '${v.fieldpath}' not found`, v.k.locate(...v.at)));
      continue;
    }
    values.set(v.name, found[0]);
  }
  const substitute = (s: string): Json => {
    const whole = /^\$\(([A-Za-z0-9_.-]+)\)$/.exec(s);
    if (whole && values.has(whole[1])) return values.get(whole[1])!;
    return s.replace(/\$\(([A-Za-z0-9_.-]+)\)/g, (m, name: string) => (values.has(name) ? String(values.get(name)) : m));
  };
  const walk = (v: Json): Json => {
    if (typeof v === 'string') return substitute(v);
    if (Array.isArray(v)) return v.map(walk);
    if (isObject(v)) {
      for (const k of Object.keys(v)) v[k] = walk(v[k]);
      return v;
    }
    return v;
  };
  for (const r of resources)
    applySpecs(
      r,
      specs,
      () => null,
      (parent, key) => {
        parent[key] = walk(parent[key]);
      },
    );
}
