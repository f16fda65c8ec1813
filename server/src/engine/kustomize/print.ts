// Prints rendered objects as YAML documents in the shape `kubectl kustomize` prints them (keys sorted,
// lists not indented under their key).
import { stringify } from 'yaml';
import type { JsonObject } from './types';

export function printObject(obj: JsonObject): string {
  return stringify(obj, { sortMapEntries: true, indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}

/** All objects as one multi-document stream, as `kubectl kustomize DIR` writes it. */
export function printStream(docs: string[]): string {
  return docs.join('---\n');
}
