// Compiles the Kubernetes API types NetLens validates (from the kubernetes-models package's type
// declarations, which are generated from the Kubernetes OpenAPI spec) into the compact schema the
// engine reads: server/src/engine/schema/k8sSchema.generated.json.
// usage: node scripts/gen-k8s-schema.mjs [--check]   (--check: exit 1 when the committed file is stale)
// The package is not a dev dependency: its 5.x line declares Node 22, which would make every `npm ci` on
// Node 20 warn (EBADENGINE) for a generator few people run. It is installed on demand, pinned, into
// ~/.cache/netlens-tools (or $NETLENS_TOOLS_CACHE), where its engines field does not matter: it only
// ships type declarations, which this script reads as text.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUTPUT = path.join(root, 'server/src/engine/schema/k8sSchema.generated.json');
const PACKAGE = 'kubernetes-models';
/** The pinned version; the committed schema names it as its source (a test checks). */
export const MODELS_VERSION = '5.1.0';

/** The pinned package's directory, installed from the npm registry the first time. */
export function modelsDir() {
  const cache = process.env.NETLENS_TOOLS_CACHE || path.join(os.homedir(), '.cache', 'netlens-tools');
  const prefix = path.join(cache, `${PACKAGE}-${MODELS_VERSION}`);
  const dir = path.join(prefix, 'node_modules', PACKAGE);
  if (existsSync(path.join(dir, 'package.json'))) return dir;
  mkdirSync(prefix, { recursive: true });
  writeFileSync(path.join(prefix, 'package.json'), '{"private": true}\n');
  console.error(`gen-k8s-schema: installing ${PACKAGE}@${MODELS_VERSION} into ${prefix}`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(
    npm,
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--ignore-scripts',
      '--engine-strict=false',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `${PACKAGE}@${MODELS_VERSION}`,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'] },
  );
  if (r.status !== 0 || !existsSync(path.join(dir, 'package.json'))) {
    throw new Error(`could not install ${PACKAGE}@${MODELS_VERSION} from the npm registry (npm exit ${r.status})`);
  }
  return dir;
}

/** apiVersion/kind -> the package's declaration file (relative to the package) and its interface. */
const KINDS = [
  ['v1', 'Pod', 'v1/Pod'],
  ['v1', 'Service', 'v1/Service'],
  ['v1', 'Namespace', 'v1/Namespace'],
  ['v1', 'ReplicationController', 'v1/ReplicationController'],
  ['apps/v1', 'Deployment', 'apps/v1/Deployment'],
  ['apps/v1', 'StatefulSet', 'apps/v1/StatefulSet'],
  ['apps/v1', 'DaemonSet', 'apps/v1/DaemonSet'],
  ['apps/v1', 'ReplicaSet', 'apps/v1/ReplicaSet'],
  ['batch/v1', 'Job', 'batch/v1/Job'],
  ['batch/v1', 'CronJob', 'batch/v1/CronJob'],
  ['networking.k8s.io/v1', 'NetworkPolicy', 'networking.k8s.io/v1/NetworkPolicy'],
];

/**
 * The schema: `kinds` maps "apiVersion/kind" to a type name; `types` maps a type name to its fields,
 * each field to a type expression: "string" | "number" | "boolean" | "int-or-string" (a number or a
 * string: IntOrString, Quantity) | "any" (free-form) | {enum: [...]} | {list: T} | {map: T} | {ref: name}.
 */
export function generate() {
  const pkgDir = modelsDir();
  const pkgJson = path.join(pkgDir, 'package.json');
  const version = JSON.parse(readFileSync(pkgJson, 'utf8')).version;
  const files = KINDS.map(([, , file]) => path.join(pkgDir, `${file}.d.ts`));
  const program = ts.createProgram(files, {
    noEmit: true,
    types: [],
    skipLibCheck: true,
    moduleResolution: ts.ModuleResolutionKind.Node10,
  });
  const checker = program.getTypeChecker();
  const types = {};
  const nodeModules = path.dirname(pkgDir);

  /** A stable name for an interface: its declaration file, relative to node_modules, without .d.ts. */
  function nameOf(symbol) {
    const decl = symbol.declarations?.[0];
    const file = decl.getSourceFile().fileName;
    const rel = path.relative(nodeModules, file).split(path.sep).join('/');
    return rel
      .replace(/\.d\.ts$/, '')
      .replace(/^@kubernetes-models\//, '')
      .replace(/^kubernetes-models\//, '');
  }

  function expr(type, owner) {
    if (type.isUnion()) {
      const parts = type.types.filter((t) => !(t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
      if (parts.length === 0) return 'any';
      if (parts.every((t) => t.isStringLiteral())) return { enum: parts.map((t) => t.value).sort() };
      if (parts.length === 1) return expr(parts[0], owner);
      const kinds = new Set(parts.map((t) => expr(t, owner)).map((e) => (typeof e === 'string' ? e : 'other')));
      if (kinds.size === 2 && kinds.has('string') && kinds.has('number')) return 'int-or-string';
      // true | false
      if ([...kinds].every((k) => k === 'boolean')) return 'boolean';
      throw new Error(`unsupported union ${checker.typeToString(type)}`);
    }
    const f = type.flags;
    if (f & ts.TypeFlags.StringLiteral) return { enum: [type.value] };
    if (f & ts.TypeFlags.String) return 'string';
    if (f & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) return 'number';
    if (f & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return 'boolean';
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.NonPrimitive)) return 'any';
    if (checker.isArrayType(type)) return { list: expr(checker.getTypeArguments(type)[0], owner) };
    const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    if (index) return { map: expr(index.type, owner) };
    const symbol = type.getSymbol();
    if (symbol && f & ts.TypeFlags.Object) {
      if (checker.getPropertiesOfType(type).length === 0) return 'any';
      // an inline type literal (StatefulSetSpec.volumeClaimTemplates' claims) is named after its field
      const name = symbol.name === '__type' ? owner : nameOf(symbol);
      if (!(name in types)) {
        types[name] = null; // recursive types (JSONSchemaProps) end here
        types[name] = fields(type, name);
      }
      return { ref: name };
    }
    throw new Error(`unsupported type ${checker.typeToString(type)}`);
  }

  function fields(type, owner) {
    const out = {};
    for (const prop of checker.getPropertiesOfType(type).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const decl = prop.valueDeclaration ?? prop.declarations?.[0];
      out[prop.name] = expr(checker.getTypeOfSymbolAtLocation(prop, decl), `${owner}.${prop.name}`);
    }
    return out;
  }

  const kinds = {};
  for (const [apiVersion, kind, file] of KINDS) {
    const source = program.getSourceFile(path.join(pkgDir, `${file}.d.ts`));
    if (!source) throw new Error(`${PACKAGE}: no ${file}.d.ts`);
    const iface = checker.getExportsOfModule(checker.getSymbolAtLocation(source)).find((s) => s.name === `I${kind}`);
    if (!iface) throw new Error(`${PACKAGE}: ${file}.d.ts does not export I${kind}`);
    kinds[`${apiVersion}/${kind}`] = expr(checker.getDeclaredTypeOfSymbol(iface)).ref;
  }
  // one line per kind and per type, so a version bump shows as a readable diff
  const lines = (o) =>
    Object.keys(o)
      .sort()
      .map((k) => `  ${JSON.stringify(k)}: ${JSON.stringify(o[k])}`)
      .join(',\n');
  return `{\n "source": ${JSON.stringify(`${PACKAGE}@${version}`)},\n "kinds": {\n${lines(kinds)}\n },\n "types": {\n${lines(types)}\n }\n}\n`;
}

/** Writes the schema when it changed; with check, reports a stale file instead. Returns whether it was current. */
export function update({ check = false } = {}) {
  const text = generate();
  let current = '';
  try {
    current = readFileSync(OUTPUT, 'utf8');
  } catch {
    // absent: written below
  }
  if (current === text) return true;
  if (!check) writeFileSync(OUTPUT, text);
  return false;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  const current = update({ check });
  if (check && !current) {
    console.error(`${path.relative(root, OUTPUT)} is out of date: run node scripts/gen-k8s-schema.mjs`);
    process.exit(1);
  }
  console.log(`${path.relative(root, OUTPUT)} ${current ? 'is up to date' : 'written'}`);
}
