// Strategic merge patches as kustomize applies them: maps merge, `null` deletes a field, lists of
// objects merge by their key (containers by name, container ports by containerPort, volumeMounts by
// mountPath, ...), other lists are replaced; `$patch: delete|replace` directives.
import { deepCopy, isObject } from './resource';
import type { Json, JsonObject } from './types';

/** kyaml's associative keys, in precedence order: the first one every element has is the merge key. */
const ASSOCIATIVE_KEYS = ['mountPath', 'devicePath', 'ip', 'type', 'topologyKey', 'name', 'containerPort'];

/** The Kubernetes patchMergeKey of a list field, where it differs from kyaml's guess. */
function schemaKey(path: string[], field: string): string | undefined {
  if (field === 'ports')
    return path.includes('containers') || path.includes('initContainers') || path.includes('ephemeralContainers')
      ? 'containerPort'
      : 'port';
  return undefined;
}

function associativeKey(list: Json[]): string | undefined {
  const objs = list.filter(isObject);
  if (objs.length === 0 || objs.length !== list.length) return undefined;
  return ASSOCIATIVE_KEYS.find((k) => objs.every((o) => o[k] !== undefined));
}

export class MergeError extends Error {}

/** Merges `patch` into `target` (which it modifies) and returns the result. */
export function strategicMerge(target: Json | undefined, patch: Json, path: string[] = []): Json | undefined {
  if (isObject(patch)) {
    const directive = patch.$patch;
    if (directive === 'delete') return undefined;
    if (directive === 'replace') {
      const copy = deepCopy(patch);
      delete copy.$patch;
      return stripDirectives(copy);
    }
    const out: JsonObject = isObject(target) ? target : {};
    for (const [key, value] of Object.entries(patch)) {
      if (key === '$patch' || key === '$retainKeys' || key.startsWith('$setElementOrder/') || key.startsWith('$deleteFromPrimitiveList/')) {
        if (key.startsWith('$deleteFromPrimitiveList/') && Array.isArray(value)) {
          const f = key.slice('$deleteFromPrimitiveList/'.length);
          const cur = out[f];
          if (Array.isArray(cur)) out[f] = cur.filter((x) => !value.some((v) => v === x));
        }
        continue;
      }
      if (value === null) {
        delete out[key];
        continue;
      }
      const merged = strategicMerge(out[key], value, [...path, key]);
      if (merged === undefined) delete out[key];
      else out[key] = merged;
    }
    return out;
  }
  if (Array.isArray(patch)) {
    const replaceAll = patch.some((e) => isObject(e) && e.$patch === 'replace');
    const items = patch.filter((e) => !(isObject(e) && e.$patch === 'replace'));
    if (replaceAll || !Array.isArray(target)) return stripDirectives(deepCopy(items));
    const field = path[path.length - 1] ?? '';
    const live = items.filter((e) => !(isObject(e) && e.$patch === 'delete'));
    const key = schemaKey(path, field) ?? associativeKey(target.length ? target : live) ?? associativeKey(live);
    const keyed = key !== undefined && [...target, ...items].every((e) => isObject(e) && (e[key] !== undefined || e.$patch === 'delete'));
    if (!keyed) return stripDirectives(deepCopy(items));
    // kustomize merges with ListIncreaseDirection prepend: the patch's elements come first, in its
    // order (merged with the target's element of the same key), then the target's other elements
    const rest = [...target];
    const first: Json[] = [];
    for (const el of items as JsonObject[]) {
      const k = JSON.stringify(el[key]);
      const i = rest.findIndex((t) => JSON.stringify((t as JsonObject)[key]) === k);
      const existing = i >= 0 ? rest.splice(i, 1)[0] : undefined;
      if (el.$patch === 'delete') continue;
      first.push(existing !== undefined ? (strategicMerge(existing, el, [...path, '[]']) ?? existing) : stripDirectives(deepCopy(el)));
    }
    return [...first, ...rest];
  }
  return patch;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.filter((e) => !(isObject(e) && e.$patch === 'delete')).map(stripDirectives);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) {
      if (k === '$patch' || k.startsWith('$setElementOrder/') || k === '$retainKeys' || k.startsWith('$deleteFromPrimitiveList/')) continue;
      if (x === null) continue;
      out[k] = stripDirectives(x);
    }
    return out;
  }
  return v;
}
