// Parses manifest and patch text as kustomize (Go's yaml.v3) reads it: YAML 1.2, except that an
// integer with a leading zero (a file mode such as 0755) is octal, as Go's strconv reads it.
import { isMap, isScalar, isSeq, parseAllDocuments, type Document, type ScalarTag } from 'yaml';
import type { Json } from './types';

const GO_OCTAL: ScalarTag = {
  identify: () => false,
  default: true,
  tag: 'tag:yaml.org,2002:int',
  test: /^[-+]?0[0-7]+$/,
  resolve: (s: string) => (s.startsWith('-') ? -parseInt(s.slice(1), 8) : parseInt(s.replace(/^\+/, ''), 8)),
};

/**
 * A block scalar that ends the file without a final line break has none in Go's reader; the yaml
 * package adds one. Trims it from the last node of the last document when the text lacks it.
 */
function trimFinalBreak(doc: Document.Parsed): void {
  let node: unknown = doc.contents;
  for (;;) {
    if (isMap(node) && node.items.length) node = node.items[node.items.length - 1].value;
    else if (isSeq(node) && node.items.length) node = node.items[node.items.length - 1];
    else break;
  }
  if (
    isScalar(node) &&
    (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') &&
    typeof node.value === 'string' &&
    node.value.endsWith('\n')
  )
    node.value = node.value.slice(0, -1);
}

/** The non-empty documents of a YAML stream as plain values, or the first syntax error's message and offset. */
export function parseYamlStream(text: string): { docs: Json[]; indexes: number[] } | { error: string; offset: number } {
  const parsed = parseAllDocuments(text, {
    prettyErrors: false,
    strict: false,
    uniqueKeys: false,
    customTags: (tags) => [GO_OCTAL, ...tags],
  });
  if (!Array.isArray(parsed)) return { docs: [], indexes: [] };
  const docs: Json[] = [];
  const indexes: number[] = [];
  for (const [i, d] of parsed.entries()) {
    if (d.errors.length) return { error: d.errors[0].message, offset: d.errors[0].pos[0] };
    if (i === parsed.length - 1 && !text.endsWith('\n')) trimFinalBreak(d);
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
