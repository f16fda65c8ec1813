// Finds and reads a directory's kustomization file, and locates its fields for findings.
import { isMap, parseDocument, type Document } from 'yaml';
import type { Finding, Severity, SourceRef } from '../model/types';
import { joinPath } from './paths';
import { isObject } from './resource';
import type { Json, JsonObject, KustomizeFs } from './types';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** Finding codes of the renderer. They are not lint diagnostics yet: the scopes work surfaces them and documents them in docs/rules.md. */
export const KUSTOMIZE_ERROR = 'kustomize-error';
export const KUSTOMIZE_UNSUPPORTED = 'kustomize-unsupported';

export class KustomizationFile {
  constructor(
    readonly path: string,
    readonly dir: string,
    readonly text: string,
    private readonly doc: Document.Parsed,
    readonly data: JsonObject,
  ) {}

  /** The source range of the node at `path` (a field, a list item), or of the nearest existing parent. */
  locate(...path: (string | number)[]): SourceRef {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? this.doc.contents : this.doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return { uri: this.path, start: range[0], end: range[1] };
    }
    return { uri: this.path, start: 0, end: 0 };
  }

  /** The range of a field's key (to point at `patchesJson6902:` itself rather than its whole value). */
  locateKey(key: string): SourceRef {
    const c = this.doc.contents;
    if (isMap(c))
      for (const p of c.items)
        if ((p.key as { value?: unknown })?.value === key) {
          const r = (p.key as { range?: [number, number, number] }).range;
          if (r) return { uri: this.path, start: r[0], end: r[1] };
        }
    return this.locate(key);
  }

  get(key: string): Json | undefined {
    return this.data[key];
  }

  list(key: string): Json[] {
    const v = this.data[key];
    return Array.isArray(v) ? v : [];
  }
}

export function finding(code: string, severity: Severity, message: string, ref: SourceRef): Finding {
  return { code, severity, message, ref };
}

export type LoadResult = { file: KustomizationFile; findings: Finding[] } | { file?: undefined; findings: Finding[]; message: string };

export function loadKustomization(fs: KustomizeFs, dir: string): LoadResult {
  const names = fs.listDir(dir);
  const present = KUSTOMIZATION_FILE_NAMES.filter((n) => (names ? names.includes(n) : fs.readFile(joinPath(dir, n)) !== undefined));
  if (present.length === 0)
    return {
      findings: [],
      message: `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${dir}'`,
    };
  if (present.length > 1)
    return { findings: [], message: `found multiple kustomization files (${present.join(', ')}) in directory '${dir}'` };
  const path = joinPath(dir, present[0]);
  const text = fs.readFile(path);
  if (text === undefined) return { findings: [], message: `cannot read '${path}'` };
  const doc = parseDocument(text, { prettyErrors: false, strict: false, uniqueKeys: false });
  const findings: Finding[] = [];
  for (const e of doc.errors)
    findings.push(
      finding(KUSTOMIZE_ERROR, 'error', `invalid kustomization YAML: ${e.message}`, { uri: path, start: e.pos[0], end: e.pos[1] }),
    );
  let data: Json;
  try {
    data = doc.errors.length ? null : (doc.toJS({ maxAliasCount: 1000 }) as Json);
  } catch {
    data = null;
  }
  const file = new KustomizationFile(path, dir, text, doc, isObject(data) ? data : {});
  if (!doc.errors.length && !isObject(data) && data !== null)
    findings.push(finding(KUSTOMIZE_ERROR, 'error', 'a kustomization must be a mapping of fields', file.locate()));
  return { file, findings };
}
