// Checks a manifest object's YAML against its Kubernetes API type: fields the type does not have
// (`unknown-field`, with the closest sibling field as a suggestion) and values of the wrong type
// (`wrong-type`). Only the exact core apiVersion/kind pairs of schema/types.ts are checked.
import { isAlias, isMap, isScalar, isSeq, Scalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Finding } from '../model/types';
import type { ManifestObject } from '../parse/documents';
import { kindName, keyOf } from '../parse/yamlNodes';
import { typeOfKind, type FieldType, type ObjectType } from './types';
import { suggestName } from './suggest';

// YAML 1.1 booleans (Go's YAML reader, kubectl's) that YAML 1.2 reads as strings.
const YAML11_BOOLEAN = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;

/** The schema findings for one object (none when its apiVersion/kind is not one NetLens validates). */
export function validateManifest(o: ManifestObject): Finding[] {
  const type = typeOfKind(o.apiVersion, o.kind);
  if (!type) return [];
  const v = new Validator(o.uri);
  v.object(o.node, type);
  return v.findings;
}

class Validator {
  readonly findings: Finding[] = [];
  /** the path to the node being checked, e.g. ["spec", "ingress", "[0]"] */
  private readonly path: string[] = [];

  constructor(private readonly uri: string) {}

  value(node: unknown, type: FieldType): void {
    if (node === null || node === undefined || isAlias(node)) return; // null means absent; an unresolved alias is not ours to read
    const n = node as Node;
    if (isScalar(n) && n.value === null) return;
    switch (type.t) {
      case 'any':
        return;
      case 'object':
        if (isMap(n)) this.object(n, type.type);
        else this.wrongType(n, `a map (${type.type.name})`);
        return;
      case 'map':
        if (!isMap(n)) this.wrongType(n, describe(type));
        else if (type.of.t !== 'any') {
          for (const p of n.items) {
            const key = keyOf(p);
            this.path.push(key ?? '?');
            this.value(p.value, type.of);
            this.path.pop();
          }
        }
        return;
      case 'list':
        if (!isSeq(n)) this.wrongType(n, describe(type));
        else
          n.items.forEach((item, i) => {
            this.path.push(`[${i}]`);
            this.value(item, type.of);
            this.path.pop();
          });
        return;
      default:
        if (!isScalar(n) || !scalarFits(n, type.t)) this.wrongType(n, describe(type));
    }
  }

  object(map: YAMLMap, type: ObjectType): void {
    for (const p of map.items) {
      const key = keyOf(p);
      // `<<` merges a map (Go's YAML reader supports it); `$patch`, `$setElementOrder/…` are strategic merge patch directives
      if (key === undefined || key === '<<' || key.startsWith('$')) continue;
      // the server writes status (exports from older clusters carry a NetworkPolicy `status: {}` the API has since dropped)
      if (key === 'status' && this.path.length === 0) continue;
      const field = type.fields.get(key);
      this.path.push(key);
      if (field) this.value(p.value, field);
      else this.unknownField(p, key, type, map);
      this.path.pop();
    }
  }

  private unknownField(p: Pair, key: string, type: ObjectType, map: YAMLMap): void {
    const k = p.key as Node;
    if (!k?.range) return;
    const present = new Set(map.items.map((q) => keyOf(q)));
    const suggestion = suggestName(
      key,
      [...type.fields.keys()].filter((f) => !present.has(f)),
    );
    // the path is the field's own: its parent is where the field goes
    this.path.pop();
    const parent = this.where();
    this.path.push(key);
    let message = `unknown field "${key}" in ${parent ? `${parent} (${type.name})` : type.name}`;
    if (suggestion) message += `; did you mean "${suggestion}"?`;
    if (suggestion === 'podSelector' && type.name === 'NetworkPolicySpec')
      message += ' Without podSelector the policy selects every pod of its namespace';
    this.findings.push({
      code: 'unknown-field',
      severity: 'error',
      message,
      ref: { uri: this.uri, start: k.range[0], end: k.range[1] },
      ...(suggestion ? { data: { field: key, suggestion } } : {}),
    });
  }

  private wrongType(n: Node, expected: string): void {
    if (!n.range) return;
    this.findings.push({
      code: 'wrong-type',
      severity: 'error',
      message: `${this.where()} must be ${expected}, not ${kindName(n)}`,
      ref: { uri: this.uri, start: n.range[0], end: n.range[1] },
    });
  }

  private where(): string {
    let s = '';
    for (const seg of this.path) s += seg.startsWith('[') || s === '' ? seg : `.${seg}`;
    return s;
  }
}

function scalarFits(n: Scalar, t: 'string' | 'number' | 'boolean' | 'int-or-string'): boolean {
  const v = n.value;
  switch (t) {
    case 'string':
      return typeof v === 'string';
    case 'number':
      return typeof v === 'number' || typeof v === 'bigint';
    case 'int-or-string':
      return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint';
    case 'boolean':
      return typeof v === 'boolean' || (typeof v === 'string' && n.type === Scalar.PLAIN && YAML11_BOOLEAN.test(v));
  }
}

function describe(type: FieldType): string {
  switch (type.t) {
    case 'object':
      return `a map (${type.type.name})`;
    case 'map':
      return type.of.t === 'any' ? 'a map' : `a map of ${plural(type.of)}`;
    case 'list':
      return `a list of ${plural(type.of)}`;
    case 'int-or-string':
      return 'a number or a string';
    case 'any':
      return 'anything';
    default:
      return `a ${type.t}`;
  }
}

function plural(type: FieldType): string {
  switch (type.t) {
    case 'object':
      return `${type.type.name}s`;
    case 'map':
      return 'maps';
    case 'list':
      return 'lists';
    case 'int-or-string':
      return 'numbers or strings';
    case 'any':
      return 'values';
    default:
      return `${type.t}s`;
  }
}
