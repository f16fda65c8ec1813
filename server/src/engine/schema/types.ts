// The Kubernetes API types NetLens validates, read once from the generated schema
// (scripts/gen-k8s-schema.mjs) into lookup tables: a field check is one map lookup.
import schema from './k8sSchema.generated.json';

/** What a field holds. `int-or-string` takes a number or a string (IntOrString, Quantity); `any` is free-form. */
export type FieldType =
  | { t: 'string' | 'number' | 'boolean' | 'int-or-string' | 'any' }
  | { t: 'list'; of: FieldType }
  | { t: 'map'; of: FieldType }
  | { t: 'object'; type: ObjectType };

export interface ObjectType {
  /** the API type's name, e.g. NetworkPolicySpec */
  name: string;
  fields: Map<string, FieldType>;
}

type Expr = string | { enum: string[] } | { list: Expr } | { map: Expr } | { ref: string };

interface SchemaFile {
  source: string;
  kinds: Record<string, string>;
  types: Record<string, Record<string, Expr>>;
}

/** The package and version the schema was generated from. */
export const SCHEMA_SOURCE = (schema as SchemaFile).source;

let kinds: Map<string, ObjectType> | undefined;

const PRIMITIVES = new Set(['string', 'number', 'boolean', 'int-or-string', 'any']);

function load(): Map<string, ObjectType> {
  const file = schema as SchemaFile;
  const objects = new Map<string, ObjectType>();
  for (const name of Object.keys(file.types)) objects.set(name, { name: name.slice(name.lastIndexOf('/') + 1), fields: new Map() });
  const primitive = new Map<string, FieldType>();
  const resolve = (e: Expr): FieldType => {
    if (typeof e === 'string') {
      if (!PRIMITIVES.has(e)) return { t: 'any' };
      let p = primitive.get(e);
      if (!p) primitive.set(e, (p = { t: e as 'string' }));
      return p;
    }
    if ('enum' in e) return resolve('string');
    if ('list' in e) return { t: 'list', of: resolve(e.list) };
    if ('map' in e) return { t: 'map', of: resolve(e.map) };
    const type = objects.get(e.ref);
    return type ? { t: 'object', type } : { t: 'any' };
  };
  for (const [name, fields] of Object.entries(file.types)) {
    const o = objects.get(name)!;
    for (const [field, e] of Object.entries(fields)) o.fields.set(field, resolve(e));
  }
  const out = new Map<string, ObjectType>();
  for (const [kind, name] of Object.entries(file.kinds)) {
    const o = objects.get(name);
    if (o) out.set(kind, o);
  }
  return out;
}

/** The type of an object with this exact apiVersion and kind, when NetLens validates that kind. */
export function typeOfKind(apiVersion: string, kind: string): ObjectType | undefined {
  kinds ??= load();
  return kinds.get(`${apiVersion}/${kind}`);
}
