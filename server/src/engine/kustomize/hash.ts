// The content hash kustomize appends to generated ConfigMap and Secret names (`name-<10 chars>`):
// sha256 of Go's json.Marshal of {kind, name, data[, binaryData]} (Secrets also type, stringData),
// its first 10 hex digits with 0,1,3,a,e replaced so that the suffix never looks like a number or word.
// kustomize v5 looks the name up as one top-level field called "metadata/name", which objects do not
// have: the name it hashes is "" (checked against kubectl kustomize), so renaming keeps the hash.
import { sha256Hex } from './sha256';
import type { Json, JsonObject } from './types';

/** JSON as Go's encoding/json writes it: map keys sorted, <, >, & and U+2028/9 escaped. */
export function goJson(v: Json | undefined): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string')
    return JSON.stringify(v).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return '[' + v.map(goJson).join(',') + ']';
  const keys = Object.keys(v).sort();
  return '{' + keys.map((k) => goJson(k) + ':' + goJson(v[k])).join(',') + '}';
}

function encode(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

function field(obj: JsonObject, key: string): Json {
  const v = obj[key];
  return v === undefined || v === null ? '' : v;
}

export function contentHash(obj: JsonObject): string {
  const name = field(obj, 'metadata/name');
  let m: JsonObject;
  if (obj.kind === 'ConfigMap') {
    m = { kind: 'ConfigMap', name, data: field(obj, 'data') };
    if (obj.binaryData && typeof obj.binaryData === 'object') m.binaryData = obj.binaryData;
  } else if (obj.kind === 'Secret') {
    m = { kind: 'Secret', type: field(obj, 'type'), name, data: field(obj, 'data') };
    if (obj.stringData && typeof obj.stringData === 'object') m.stringData = obj.stringData;
  } else m = obj;
  return encode(sha256Hex(goJson(m)));
}
