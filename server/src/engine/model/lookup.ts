// Indexes over one model, built on first use and kept while the model lives (models are immutable
// snapshots). Lint, queries and hovers ask "the workloads of namespace X", "the objects of file Y"
// or "the namespaces this selector matches" many times; a scan of the whole model per question
// made those quadratic in the workspace.
import type { ConfigMapData, LabelSelector, Model, NetworkPolicy, Service, Workload } from './types';
import { selectorMatches } from '../selectors/match';
import { NAME_LABEL } from './build';
import { OverlayMap } from './overlayMap';

export interface FileObjects {
  policies: NetworkPolicy[];
  workloads: Workload[];
  services: Service[];
  configMaps: ConfigMapData[];
}

const FEW_FILES = 4;
const NO_OBJECTS: FileObjects = { policies: [], workloads: [], services: [], configMaps: [] };

class ModelLookup {
  private _workloadsByNs?: ReadonlyMap<string, Workload[]>;
  private _servicesByNs?: ReadonlyMap<string, Service[]>;
  private _policiesByNs?: ReadonlyMap<string, NetworkPolicy[]>;
  private _byId?: Map<string, Workload>;
  private _addressed?: Workload[];
  private _namespaceNames?: string[];
  private _nsByLabel?: Map<string, Map<string, number[]>>;
  private _byUri?: ReadonlyMap<string, FileObjects>;
  private _capitals?: boolean;
  /** `protocol/port` -> how many Service ports of the model have it */
  private _servicePorts?: Map<string, number>;
  /** selector key -> the namespaces it matches (shared with the lookups carried from this one while namespaces stay the same) */
  private selectorNamespaces = new Map<string, string[]>();
  /**
   * When this lookup was carried over from an earlier model's (carriedTo): that model (weakly: it is not
   * kept alive for this) and the objects of the edited files before and after, so that derived values
   * (lint's label-key counts) can be patched instead of recomputed over the workspace.
   */
  change?: { from: WeakRef<Model>; removed: FileObjects; added: FileObjects };

  constructor(readonly model: Model) {}

  workloadsIn(ns: string): readonly Workload[] {
    return (this._workloadsByNs ??= groupBy(this.model.workloads, (w) => w.namespace)).get(ns) ?? [];
  }

  policiesIn(ns: string): readonly NetworkPolicy[] {
    return (this._policiesByNs ??= groupBy(this.model.policies, (p) => p.namespace)).get(ns) ?? [];
  }

  servicesIn(ns: string): readonly Service[] {
    return (this._servicesByNs ??= groupBy(this.model.services, (s) => s.namespace)).get(ns) ?? [];
  }

  workloadById(id: string): Workload | undefined {
    if (!this._byId) {
      this._byId = new Map();
      for (const w of this.model.workloads) if (!this._byId.has(w.id)) this._byId.set(w.id, w);
    }
    return this._byId.get(id);
  }

  /**
   * Whether some workload's or Service's namespace is spelt with capitals (the DNS index, whose names are
   * case-insensitive, then groups them by a filter over the model instead of by these lists).
   */
  get namespaceCapitals(): boolean {
    if (this._capitals === undefined) {
      const caps = (x: { namespace: string }) => x.namespace !== x.namespace.toLowerCase();
      this._capitals = this.model.workloads.some(caps) || this.model.services.some(caps);
    }
    return this._capitals;
  }

  /** Whether some Service of the model has this port (lint skips what no Service port can be about). */
  hasServicePort(protocol: string, port: number): boolean {
    if (!this._servicePorts) {
      const m = new Map<string, number>();
      for (const svc of this.model.services) countPorts(m, svc, 1);
      this._servicePorts = m;
    }
    return (this._servicePorts.get(`${protocol}/${port}`) ?? 0) > 0;
  }

  /** Workloads with pod IPs or on the host network: the only ones an ipBlock can match. */
  get addressed(): readonly Workload[] {
    return (this._addressed ??= this.model.workloads.filter((w) => w.podIPs.length > 0 || w.hostNetwork));
  }

  /** The objects defined in these files (what a lint of some files looks at). */
  inFiles(uris: ReadonlySet<string>): FileObjects {
    const m = this.model;
    // A few files: one pass over the model. Many (the whole-workspace pass, in slices), or one file once the
    // index by file is there (an edited file's lint: the index is carried over from the previous model): the index.
    if (uris.size > FEW_FILES || (uris.size === 1 && this._byUri)) {
      const byUri = this.byUri();
      const out: FileObjects = { policies: [], workloads: [], services: [], configMaps: [] };
      for (const u of uris) {
        const f = byUri.get(u);
        if (!f) continue;
        out.policies.push(...f.policies);
        out.workloads.push(...f.workloads);
        out.services.push(...f.services);
        out.configMaps.push(...f.configMaps);
      }
      return out;
    }
    return {
      policies: m.policies.filter((p) => uris.has(p.ref.uri)),
      workloads: m.workloads.filter((w) => uris.has(w.objectRef.uri)),
      services: m.services.filter((s) => uris.has(s.ref.uri)),
      configMaps: m.configMaps.filter((c) => uris.has(c.ref.uri)),
    };
  }

  /** The objects defined in one file (hovers and code actions ask this of the file under the cursor). */
  inFile(uri: string): FileObjects {
    return this.byUri().get(uri) ?? NO_OBJECTS;
  }

  /** Builds the indexes every request of an edited snapshot uses, ahead of the first request. */
  warm(): void {
    this.byUri();
    this.workloadsIn('');
    this.policiesIn('');
    this.servicesIn('');
  }

  private byUri(): ReadonlyMap<string, FileObjects> {
    if (!this._byUri) {
      const m = new Map<string, FileObjects>();
      const at = (u: string) => {
        let f = m.get(u);
        if (!f) m.set(u, (f = { policies: [], workloads: [], services: [], configMaps: [] }));
        return f;
      };
      for (const p of this.model.policies) at(p.ref.uri).policies.push(p);
      for (const w of this.model.workloads) at(w.objectRef.uri).workloads.push(w);
      for (const s of this.model.services) at(s.ref.uri).services.push(s);
      for (const c of this.model.configMaps) at(c.ref.uri).configMaps.push(c);
      this._byUri = m;
    }
    return this._byUri;
  }

  /** Names of the namespaces (declared or holding workloads) whose labels match the selector. */
  namespacesMatching(sel: LabelSelector): readonly string[] {
    const key = selectorKey(sel);
    let out = this.selectorNamespaces.get(key);
    if (!out) {
      const names = (this._namespaceNames ??= [
        ...new Set([...this.model.namespaces.keys(), ...this.model.workloads.map((w) => w.namespace)]),
      ]);
      // candidates: the namespaces holding the label an In or Exists requirement needs (the fewest),
      // so that a workspace's many one-namespace selectors do not each scan every namespace
      let candidates: number[] | undefined;
      for (const r of sel.requirements) {
        if (r.operator !== 'In' && r.operator !== 'Exists') continue;
        const byValue = this.namespacesByLabel().get(r.key);
        const c = !byValue ? [] : r.operator === 'Exists' ? [...byValue.values()].flat() : r.values.flatMap((v) => byValue.get(v) ?? []);
        if (!candidates || c.length < candidates.length) candidates = c;
      }
      out = candidates
        ? [...new Set(candidates)]
            .sort((a, b) => a - b)
            .flatMap((i) => (selectorMatches(sel, this.namespaceLabels(names[i])) ? [names[i]] : []))
        : names.filter((ns) => selectorMatches(sel, this.namespaceLabels(ns)));
      this.selectorNamespaces.set(key, out);
    }
    return out;
  }

  /**
   * This model's lookup made from the indexes of `this` (an earlier model): `next` differs from it only in
   * the objects of the files `uris` (an incremental combine, engine/model/incremental.ts). The index by
   * file and the lists by namespace are the earlier ones with the entries of those files and their
   * namespaces redone; with `hint` (what the combine patched: those files' objects now and the file order)
   * without a pass over the model. The namespaces' caches (names, labels, the namespaces each selector
   * matches) are shared while the namespaces and their labels are the same.
   */
  carriedTo(next: Model, uris: readonly string[], hint?: CarryHint): ModelLookup {
    const out = new ModelLookup(next);
    if (!this._byUri) return out;
    const before = this._byUri;
    const files = new Set(uris);
    // the edited files' entries, laid over the earlier index (not a copy of it)
    const byUri = new Map<string, FileObjects | undefined>();
    const fromHint = hint && partsUsable(hint, files);
    if (fromHint) {
      for (const u of files) {
        const f = hint.parts.get(u)!;
        const some = f.policies.length + f.workloads.length + f.services.length + f.configMaps.length > 0;
        byUri.set(
          u,
          some
            ? { policies: [...f.policies], workloads: [...f.workloads], services: [...f.services], configMaps: [...f.configMaps] }
            : undefined,
        );
      }
    } else {
      for (const u of files) byUri.set(u, undefined);
      const at = (u: string) => {
        let f = byUri.get(u);
        if (!f) byUri.set(u, (f = { policies: [], workloads: [], services: [], configMaps: [] }));
        return f;
      };
      for (const p of next.policies) if (files.has(p.ref.uri)) at(p.ref.uri).policies.push(p);
      for (const w of next.workloads) if (files.has(w.objectRef.uri)) at(w.objectRef.uri).workloads.push(w);
      for (const x of next.services) if (files.has(x.ref.uri)) at(x.ref.uri).services.push(x);
      for (const c of next.configMaps) if (files.has(c.ref.uri)) at(c.ref.uri).configMaps.push(c);
    }
    const namespaces = new Set<string>();
    const note = (f: FileObjects | undefined) => {
      if (!f) return;
      for (const x of [...f.policies, ...f.workloads, ...f.services]) namespaces.add(x.namespace);
    };
    const removed: FileObjects = { policies: [], workloads: [], services: [], configMaps: [] };
    const added: FileObjects = { policies: [], workloads: [], services: [], configMaps: [] };
    const into = (to: FileObjects, f: FileObjects | undefined) => {
      if (!f) return;
      to.policies.push(...f.policies);
      to.workloads.push(...f.workloads);
      to.services.push(...f.services);
      to.configMaps.push(...f.configMaps);
    };
    // in file order, so that `added`'s lists are in model order
    const rank = fromHint ? hint.rank : undefined;
    const ordered = rank ? [...files].sort((a, b) => rank.get(a)! - rank.get(b)!) : [...files];
    for (const u of ordered) {
      into(removed, before.get(u));
      into(added, byUri.get(u));
      note(before.get(u));
      note(byUri.get(u));
    }
    out.change = { from: new WeakRef(this.model), removed, added };
    out._byUri = OverlayMap.of(before, byUri);
    /**
     * `prev` (a list in model order) without the edited files' objects and with `now` (theirs now, in model
     * order) merged in by file order; undefined when some object's file has no rank.
     */
    const relist = <V>(prev: readonly V[], now: readonly V[], uriOf: (v: V) => string): V[] | undefined => {
      if (!rank) return undefined;
      const list: V[] = [];
      let j = 0;
      for (const v of prev) {
        const u = uriOf(v);
        if (files.has(u)) continue;
        const r = rank.get(u);
        if (r === undefined) return undefined;
        while (j < now.length && rank.get(uriOf(now[j]))! < r) list.push(now[j++]);
        list.push(v);
      }
      while (j < now.length) list.push(now[j++]);
      return list;
    };
    const regroup = <V extends { namespace: string }>(
      prev: ReadonlyMap<string, V[]> | undefined,
      values: readonly V[],
      now: readonly V[],
      uriOf: (v: V) => string,
    ): ReadonlyMap<string, V[]> | undefined => {
      if (!prev) return undefined;
      const changes = new Map<string, V[] | undefined>();
      for (const ns of namespaces) {
        const list =
          relist(
            prev.get(ns) ?? [],
            now.filter((v) => v.namespace === ns),
            uriOf,
          ) ?? values.filter((v) => v.namespace === ns);
        changes.set(ns, list.length ? list : undefined);
      }
      return OverlayMap.of(prev, changes);
    };
    out._workloadsByNs = regroup(this._workloadsByNs, next.workloads, added.workloads, (w) => w.objectRef.uri);
    out._policiesByNs = regroup(this._policiesByNs, next.policies, added.policies, (p) => p.ref.uri);
    out._servicesByNs = regroup(this._servicesByNs, next.services, added.services, (x) => x.ref.uri);
    if (this._servicePorts) {
      const m = new Map(this._servicePorts);
      for (const svc of removed.services) countPorts(m, svc, -1);
      for (const svc of added.services) countPorts(m, svc, 1);
      out._servicePorts = m;
    }
    // (still true after the capitals left: the filter is right either way)
    if (this._capitals !== undefined) out._capitals = this._capitals || [...namespaces].some((ns) => ns !== ns.toLowerCase());
    if (this._addressed)
      out._addressed = relist(
        this._addressed,
        added.workloads.filter((w) => w.podIPs.length > 0 || w.hostNetwork),
        (w) => w.objectRef.uri,
      );
    // the namespaces' caches: while every namespace is there with the same labels, in the same order, and
    // the edited files' workloads are in declared or implied namespaces (the names are the namespaces' keys)
    if (
      this._namespaceNames &&
      this._namespaceNames.length === this.model.namespaces.size &&
      sameNamespaces(this.model, next) &&
      added.workloads.every((w) => next.namespaces.has(w.namespace))
    ) {
      out._namespaceNames = this._namespaceNames;
      out._nsByLabel = this._nsByLabel;
      out.selectorNamespaces = this.selectorNamespaces;
    }
    return out;
  }

  /** label key -> value -> indexes in `_namespaceNames` of the namespaces with that label */
  private namespacesByLabel(): Map<string, Map<string, number[]>> {
    if (!this._nsByLabel) {
      const m = new Map<string, Map<string, number[]>>();
      this._namespaceNames!.forEach((ns, i) => {
        const labels = this.namespaceLabels(ns);
        for (const k of Object.keys(labels)) {
          let byValue = m.get(k);
          if (!byValue) m.set(k, (byValue = new Map()));
          const list = byValue.get(labels[k]);
          if (list) list.push(i);
          else byValue.set(labels[k], [i]);
        }
      });
      this._nsByLabel = m;
    }
    return this._nsByLabel;
  }

  namespaceLabels(ns: string): Record<string, string> {
    return this.model.namespaces.get(ns)?.labels ?? { [NAME_LABEL]: ns };
  }
}

const lookups = new WeakMap<Model, ModelLookup>();

export function lookup(model: Model): ModelLookup {
  let l = lookups.get(model);
  if (!l) lookups.set(model, (l = new ModelLookup(model)));
  return l;
}

/** What an incremental combine patched (engine/model/incremental.ts CombineKind): the files' objects now, and the file order. */
export interface CarryHint {
  parts: ReadonlyMap<string, FileObjects>;
  rank: ReadonlyMap<string, number>;
}

/** Whether the combine's parts give every edited file's objects as the index by file has them (each object in its own file). */
function partsUsable(hint: CarryHint, files: ReadonlySet<string>): boolean {
  for (const u of files) {
    const f = hint.parts.get(u);
    if (!f || !hint.rank.has(u)) return false;
    if (
      f.policies.some((p) => p.ref.uri !== u) ||
      f.workloads.some((w) => w.objectRef.uri !== u) ||
      f.services.some((x) => x.ref.uri !== u) ||
      f.configMaps.some((c) => c.ref.uri !== u)
    )
      return false;
  }
  return true;
}

function countPorts(m: Map<string, number>, svc: Service, d: number): void {
  for (const p of svc.ports) {
    const k = `${p.protocol}/${p.port}`;
    const n = (m.get(k) ?? 0) + d;
    if (n) m.set(k, n);
    else m.delete(k);
  }
}

/** The same namespaces in the same order with the same labels. */
export function sameNamespaces(a: Model, b: Model): boolean {
  if (a.namespaces.size !== b.namespaces.size) return false;
  const bs = b.namespaces.entries();
  for (const [k, v] of a.namespaces) {
    const [k2, v2] = bs.next().value as [string, { labels: Record<string, string> }];
    if (k !== k2) return false;
    if (v === v2 || v.labels === v2.labels) continue;
    const ka = Object.keys(v.labels);
    const kb = Object.keys(v2.labels);
    if (ka.length !== kb.length || ka.some((x, i) => x !== kb[i] || v.labels[x] !== v2.labels[x])) return false;
  }
  return true;
}

/**
 * Gives `next` the indexes of `previous`'s lookup, redone for the files `uris` (see ModelLookup.carriedTo);
 * `hint`: what the combine patched, so that nothing goes over the whole model.
 */
export function carryLookup(previous: Model, next: Model, uris: readonly string[], hint?: CarryHint): void {
  const prev = lookups.get(previous);
  if (prev && !lookups.has(next)) lookups.set(next, prev.carriedTo(next, uris, hint));
}

/** Two selectors with the same requirements match the same objects. */
export function selectorKey(sel: LabelSelector): string {
  return sel.requirements
    .map((r) => `${r.key}\u0000${r.operator}\u0000${r.values.join('\u0001')}`)
    .sort()
    .join('\u0002');
}

function groupBy<V>(values: readonly V[], key: (v: V) => string): Map<string, V[]> {
  const m = new Map<string, V[]>();
  for (const v of values) {
    const k = key(v);
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  }
  return m;
}
