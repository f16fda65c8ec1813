// The file model of a rendered scope's virtual file (its objects printed one after another, `---\n`
// between them) read object by object, each object's model kept by its text: two renders that share
// most objects (`netlens diff`'s two versions of an overlay) parse the shared ones once. The result
// equals readFileModel over the whole text (test/engine/rendered-file-model.test.ts); whenever an
// object's parse has something the whole text could read differently (a file-level finding or skip:
// YAML errors, templates, tabs, encoding), it returns undefined and the caller parses the whole text.
import { parseSourceFile } from '../parse/sourceFile';
import { MAX_FILE_CHARS } from '../parse/documents';
import { readFileModel, type FileModel } from './build';

const SEPARATOR = '---\n';

interface Entry {
  /** the object's model with offsets from the start of its text (the separator included) */
  model: FileModel;
}

/** Object models by object text (and default namespace), shared by the renders of one run. */
export class ObjectModelCache {
  private readonly entries = new Map<string, Entry | null>();
  /** objects read (not served from the cache); tests read it */
  parsed = 0;

  get(uri: string, text: string, defaultNamespace: string): Entry | null {
    const key = `${defaultNamespace}\0${uri}\0${text}`;
    let e = this.entries.get(key);
    if (e === undefined) {
      this.parsed++;
      e = readObject(uri, text, defaultNamespace);
      this.entries.set(key, e);
    }
    return e;
  }

  /** Drops every model (the run moves on). */
  clear(): void {
    this.entries.clear();
  }
}

function readObject(uri: string, text: string, defaultNamespace: string): Entry | null {
  const parsed = parseSourceFile(uri, text);
  if (parsed.findings.length || parsed.skipped.length || parsed.corefiles?.length || parsed.dnsConfigs?.length || parsed.cni) return null;
  const model = readFileModel(parsed, defaultNamespace);
  if (model.skipped.length || model.corefiles.length || model.dnsConfigs.length || model.cniHints.length) return null;
  return { model };
}

/**
 * The file model of `uri` whose text is `docs` joined by `---\n`, from each document's cached model;
 * undefined when one of them needs the whole text (see above).
 */
export function renderedFileModel(
  uri: string,
  docs: readonly string[],
  defaultNamespace: string,
  cache: ObjectModelCache,
): FileModel | undefined {
  let length = 0;
  for (const d of docs) length += d.length + SEPARATOR.length;
  if (docs.length === 0 || length > MAX_FILE_CHARS) return undefined;
  const out: FileModel = { uri, objects: [], findings: [], skipped: [], corefiles: [], dnsConfigs: [], cniHints: [] };
  let at = 0;
  for (let i = 0; i < docs.length; i++) {
    // a document after the first is read with its separator, as in the whole text
    const text = i === 0 ? docs[i] : SEPARATOR + docs[i];
    const e = cache.get(uri, text, defaultNamespace);
    if (!e) return undefined;
    const shift = i === 0 ? 0 : at - SEPARATOR.length;
    for (const o of e.model.objects) out.objects.push(shifted(o, uri, shift));
    for (const f of e.model.findings) out.findings.push(shifted(f, uri, shift));
    at += docs[i].length + SEPARATOR.length;
  }
  return out;
}

/** A deep copy of plain data with every SourceRef of `uri` moved by `shift` characters. */
function shifted<T>(v: T, uri: string, shift: number): T {
  if (Array.isArray(v)) return v.map((x) => shifted(x, uri, shift)) as T;
  if (v === null || typeof v !== 'object') return v;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v; // not plain data (none in a file model)
  const src = v as Record<string, unknown>;
  const out: Record<string, unknown> = proto === null ? Object.create(null) : {};
  for (const k of Object.keys(src))
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: shifted(src[k], uri, shift), enumerable: true, writable: true, configurable: true });
    else out[k] = shifted(src[k], uri, shift);
  if (src.uri === uri && typeof src.start === 'number' && typeof src.end === 'number') {
    out.start = (src.start as number) + shift;
    out.end = (src.end as number) + shift;
  }
  return out as T;
}
