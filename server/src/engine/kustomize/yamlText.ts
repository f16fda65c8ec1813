// Parses manifest and patch text as kustomize (Go's yaml.v3) reads it: YAML 1.2, except that an
// integer with a leading zero (a file mode such as 0755) is octal, as Go's strconv reads it.
import { parseAllDocuments, type ScalarTag } from 'yaml';
import type { Json } from './types';

const GO_OCTAL: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: /^[-+]?0[0-7]+$/,
  resolve: (s: string) => (s.startsWith('-') ? -parseInt(s.slice(1), 8) : parseInt(s.replace(/^\+/, ''), 8)),
};

/** The non-empty documents of a YAML stream as plain values, or the first syntax error's message and offset. */
export function parseYamlStream(text: string): { docs: Json[]; indexes: number[] } | { error: string; offset: number } {
  const parsed = parseAllDocuments(text, { prettyErrors: false, strict: false, uniqueKeys: false, customTags: [GO_OCTAL] });
  if (!Array.isArray(parsed)) return { docs: [], indexes: [] };
  const docs: Json[] = [];
  const indexes: number[] = [];
  for (const [i, d] of parsed.entries()) {
    if (d.errors.length) return { error: d.errors[0].message, offset: d.errors[0].pos[0] };
    let v: Json;
    try {
      v = d.toJS({ maxAliasCount: 1000 }) as Json;
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e), offset: 0 };
    }
    if (v !== null && v !== undefined) {
      docs.push(v);
      indexes.push(i);
    }
  }
  return { docs, indexes };
}
