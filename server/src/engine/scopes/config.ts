// The scope configuration: `.netlens.yaml` at the workspace root (and the `netlens.scopes` setting, the
// same list) names, hides or adds scopes. A line that cannot be used is a scope-config finding there;
// the rest still applies.
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import type { Finding } from '../model/types';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize';
import { basenameOf, isWithin, joinPath } from '../kustomize/paths';
import type { KustomizeRenderCache } from './renderCache';
import type { Scope, ScopeInput } from './types';

export const SCOPE_CONFIG = 'scope-config';
export const SCOPE_CONFIG_FILE = '.netlens.yaml';
/** where the `netlens.scopes` setting's findings point: it has no lines */
export const SCOPE_SETTING_URI = 'setting:netlens.scopes';

/** One entry: an existing scope (`id`) or a new one (`kustomize` folder, `helm` folder + `values`). */
export interface ScopeConfigEntry {
  id?: string;
  kustomize?: string;
  helm?: string;
  values?: string;
  name?: string;
  hide?: boolean;
  /** where it is written (for findings) */
  ref: { uri: string; start: number; end: number };
}

const KEYS = ['id', 'kustomize', 'helm', 'values', 'name', 'hide'];

function rangeOf(n: unknown): { start: number; end: number } {
  const r = (n as { range?: [number, number, number] | null } | null)?.range;
  return r ? { start: r[0], end: r[1] } : { start: 0, end: 0 };
}

/** The entries of a `.netlens.yaml` text, and a finding for each line that cannot be used. */
export function parseScopeConfig(text: string, uri: string): { entries: ScopeConfigEntry[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const bad = (n: unknown, message: string) =>
    findings.push({ code: SCOPE_CONFIG, severity: 'warning', message, ref: { uri, ...rangeOf(n) } });
  const entries: ScopeConfigEntry[] = [];
  const doc = parseDocument(text);
  if (doc.errors.length) {
    const e = doc.errors[0];
    findings.push({
      code: SCOPE_CONFIG,
      severity: 'warning',
      message: `${SCOPE_CONFIG_FILE} is not valid YAML: ${e.message.split('\n')[0]}`,
      ref: { uri, start: e.pos[0], end: e.pos[1] },
    });
    return { entries, findings };
  }
  const root = doc.contents;
  if (root === null || root === undefined) return { entries, findings };
  if (!isMap(root)) return (bad(root, `${SCOPE_CONFIG_FILE} must be a map with a "scopes" list`), { entries, findings });
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'scopes') {
      bad(pair.key, `unknown key "${key}" in ${SCOPE_CONFIG_FILE} (expected "scopes")`);
      continue;
    }
    if (!isSeq(pair.value)) {
      bad(pair.value ?? pair.key, '"scopes" must be a list of {id | kustomize | helm, name, hide, values}');
      continue;
    }
    for (const item of pair.value.items) {
      const e = entryOf(item as Node, uri, bad);
      if (e) entries.push(e);
    }
  }
  return { entries, findings };
}

function entryOf(item: Node, uri: string, bad: (n: unknown, m: string) => void): ScopeConfigEntry | undefined {
  if (!isMap(item)) return (bad(item, 'a scope entry must be a map: {id | kustomize | helm, name, hide, values}'), undefined);
  const e: ScopeConfigEntry = { ref: { uri, ...rangeOf(item) } };
  let ok = true;
  for (const pair of item.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const v = isScalar(pair.value) ? pair.value.value : undefined;
    if (!KEYS.includes(key)) {
      bad(pair.key, `unknown key "${key}" in a scope entry (expected ${KEYS.join(', ')})`);
      ok = false;
    } else if (key === 'hide') {
      if (typeof v === 'boolean') e.hide = v;
      else {
        bad(pair.value ?? pair.key, '"hide" must be true or false');
        ok = false;
      }
    } else if (typeof v !== 'string' || v.trim() === '') {
      bad(pair.value ?? pair.key, `"${key}" must be a non-empty string`);
      ok = false;
    } else e[key as 'id' | 'kustomize' | 'helm' | 'values' | 'name'] = v.trim();
  }
  if (!ok) return undefined;
  const targets = [e.id, e.kustomize, e.helm].filter((x) => x !== undefined).length;
  if (targets !== 1) return (bad(item, 'a scope entry names exactly one of "id", "kustomize" or "helm"'), undefined);
  if (e.values !== undefined && e.helm === undefined) return (bad(item, '"values" goes with "helm"'), undefined);
  return e;
}

/** Entries from the `netlens.scopes` setting (a list of the same maps); malformed ones are left out. */
export function scopeEntriesFromSetting(value: unknown): ScopeConfigEntry[] {
  if (!Array.isArray(value)) return [];
  const text = JSON.stringify({ scopes: value });
  return parseScopeConfig(text, SCOPE_SETTING_URI).entries;
}

/**
 * The scopes with the configuration applied: named, hidden, or added (a kustomization folder, a chart with
 * a values file; folders relative to `root`). Entries that name nothing get a finding at their line.
 */
export function applyScopeConfig(
  scopes: Scope[],
  entries: readonly ScopeConfigEntry[],
  input: ScopeInput,
  cache: KustomizeRenderCache,
  root: string,
): { scopes: Scope[]; findings: Finding[] } {
  const findings: Finding[] = [];
  const out = [...scopes];
  const hidden = new Set<string>();
  const note = (e: ScopeConfigEntry, message: string) => findings.push({ code: SCOPE_CONFIG, severity: 'warning', message, ref: e.ref });
  for (const e of entries) {
    let s: Scope | undefined;
    if (e.id !== undefined) {
      s = out.find((x) => x.id === e.id);
      if (!s) {
        note(e, `no scope "${e.id}" here; the scopes: ${out.map((x) => x.id).join(', ') || 'none'}`);
        continue;
      }
    } else if (e.kustomize !== undefined) {
      const dir = joinPath(root, e.kustomize);
      s = out.find((x) => x.kind === 'kustomize' && x.root === dir);
      if (!s) {
        if (!KUSTOMIZATION_FILE_NAMES.some((n) => input.fs.readFile(joinPath(dir, n)) !== undefined)) {
          note(e, `no kustomization in "${e.kustomize}"`);
          continue;
        }
        s = { id: `kustomize:${e.kustomize}`, kind: 'kustomize', root: dir, files: [...cache.filesToRead(input.fs, dir)].sort() };
        out.push(s);
      }
    } else if (e.helm !== undefined) {
      const dir = joinPath(root, e.helm);
      if (input.fs.readFile(joinPath(dir, 'Chart.yaml')) === undefined) {
        note(e, `no Chart.yaml in "${e.helm}"`);
        continue;
      }
      const values = e.values !== undefined ? joinPath(root, e.values) : undefined;
      if (values !== undefined && input.fs.readFile(values) === undefined) {
        note(e, `the values file "${e.values}" cannot be read`);
        continue;
      }
      const id = `helm:${e.helm}${values ? `@${basenameOf(values)}` : ''}`;
      s = out.find((x) => x.kind === 'helm' && x.root === dir && x.values === values);
      if (!s) {
        const files = input.files.filter((f) => isWithin(dir, f.path)).map((f) => f.path);
        if (values && !files.includes(values)) files.push(values);
        s = { id, kind: 'helm', root: dir, files: files.sort(), ...(values ? { values } : {}) };
        out.push(s);
      }
    }
    if (!s) continue;
    if (e.name !== undefined) s.name = e.name;
    if (e.hide) hidden.add(s.id);
  }
  return { scopes: out.filter((s) => !hidden.has(s.id)), findings };
}

/** A `.netlens.yaml` to apply: the folder its entries are relative to, and its path and text. */
export interface ScopeConfigSource {
  root: string;
  path: string;
  text: string;
}

/**
 * The detected scopes with the configuration applied, as the CLI and the language server both do: each
 * `.netlens.yaml` (relative to its folder), then the `netlens.scopes` setting's entries (relative to
 * `setting.root`), so the setting has the last word. The configuration files are no manifests: a loose
 * scope loses them, and a loose scope that held only them is no scope. Findings: each unusable line.
 */
export function configureScopes(
  detected: Scope[],
  input: ScopeInput,
  cache: KustomizeRenderCache,
  sources: readonly ScopeConfigSource[],
  setting?: { entries: readonly ScopeConfigEntry[]; root: string },
): { scopes: Scope[]; findings: Finding[] } {
  let scopes = detected;
  const findings: Finding[] = [];
  for (const src of sources) {
    const parsed = parseScopeConfig(src.text, input.uriOf(src.path));
    const applied = applyScopeConfig(scopes, parsed.entries, input, cache, src.root);
    scopes = applied.scopes;
    findings.push(...parsed.findings, ...applied.findings);
  }
  if (setting && setting.entries.length) {
    const applied = applyScopeConfig(scopes, setting.entries, input, cache, setting.root);
    scopes = applied.scopes;
    findings.push(...applied.findings);
  }
  const configPaths = new Set(sources.map((s) => s.path));
  if (configPaths.size)
    scopes = scopes
      .map((s) => (s.kind === 'loose' ? { ...s, files: s.files.filter((f) => !configPaths.has(f)) } : s))
      .filter((s) => s.kind !== 'loose' || s.files.length > 0);
  return { scopes, findings };
}
