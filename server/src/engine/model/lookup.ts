// Indexes over one model, built on first use and kept while the model lives (models are immutable
// snapshots). Lint, queries and hovers ask "the workloads of namespace X", "the objects of file Y"
// or "the namespaces this selector matches" many times; a scan of the whole model per question
// made those quadratic in the workspace.
import type { ConfigMapData, LabelSelector, Model, NetworkPolicy, Service, Workload } from './types';
import { selectorMatches } from '../selectors/match';
import { NAME_LABEL } from './build';

export interface FileObjects {
  policies: NetworkPolicy[];
  workloads: Workload[];
  services: Service[];
  configMaps: ConfigMapData[];
}

const EMPTY_FILE: FileObjects = Object.freeze({ policies: [], workloads: [], services: [], configMaps: [] }) as FileObjects;

export class ModelLookup {
  private readonly workloadsByNs = new Map<string, Workload[]>();
  private readonly servicesByNs = new Map<string, Service[]>();
  private readonly byId = new Map<string, Workload>();
  private readonly namespaceNames: string[];
  /** workloads with pod IPs or on the host network: the only ones an ipBlock can match */
  readonly addressed: Workload[] = [];
  private _byUri?: Map<string, FileObjects>;
  private readonly selectorNamespaces = new Map<string, string[]>();

  constructor(readonly model: Model) {
    for (const w of model.workloads) {
      push(this.workloadsByNs, w.namespace, w);
      if (!this.byId.has(w.id)) this.byId.set(w.id, w);
      if (w.podIPs.length > 0 || w.hostNetwork) this.addressed.push(w);
    }
    for (const s of model.services) push(this.servicesByNs, s.namespace, s);
    const names = new Set(model.namespaces.keys());
    for (const ns of this.workloadsByNs.keys()) names.add(ns);
    this.namespaceNames = [...names];
  }

  workloadsIn(ns: string): readonly Workload[] {
    return this.workloadsByNs.get(ns) ?? [];
  }

  servicesIn(ns: string): readonly Service[] {
    return this.servicesByNs.get(ns) ?? [];
  }

  workloadById(id: string): Workload | undefined {
    return this.byId.get(id);
  }

  /** The objects defined in one file (what a per-file lint looks at). */
  inFile(uri: string): FileObjects {
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
    return this._byUri.get(uri) ?? EMPTY_FILE;
  }

  /** Names of the namespaces (declared or holding workloads) whose labels match the selector. */
  namespacesMatching(sel: LabelSelector): readonly string[] {
    const key = selectorKey(sel);
    let out = this.selectorNamespaces.get(key);
    if (!out) {
      out = this.namespaceNames.filter((ns) => selectorMatches(sel, this.namespaceLabels(ns)));
      this.selectorNamespaces.set(key, out);
    }
    return out;
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

/** Two selectors with the same requirements match the same objects. */
export function selectorKey(sel: LabelSelector): string {
  return sel.requirements.map((r) => `${r.key}\u0000${r.operator}\u0000${r.values.join('\u0001')}`).sort().join('\u0002');
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
