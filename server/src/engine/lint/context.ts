// Shared, lazily built data for lint rules (so the DNS records are built once per model), and
// what a lint run looks at.
import type { Model, Workload } from '../model/types';
import { buildDnsIndex, type DnsIndex } from '../dns/records';
import { clusterDomainOf } from '../dns/clusterDomain';
import { resolvConf } from '../dns/resolvConf';
import { resolutionKey, searchName, type NameSearch } from '../dns/resolve';
import type { ResolvConf } from '../dns/types';
import { lookup, type FileObjects } from '../model/lookup';
import type { LintScope } from './rules';
import type { Matrix } from '../reachability/matrix';
import { explainPair } from '../reachability/explain';
import type { PortSet } from '../net/ports';

export class LintContext {
  private _dns?: DnsIndex;
  private lastScope?: { scope: LintScope; objects: FileObjects };
  // Thousands of env values name the same hosts from pods whose resolv.conf searches alike (a
  // namespace's pods): each such search is done once.
  private readonly confs = new WeakMap<Workload, ResolvConf>();
  private readonly searches = new Map<string, NameSearch>();

  /**
   * `matrix`: the model's matrix when the caller has computed it (its answers are explainPair's, per
   * type pair instead of per pair); lint does not compute one of its own.
   */
  constructor(
    readonly model: Model,
    dns?: DnsIndex,
    private readonly matrix?: () => Matrix | undefined,
  ) {
    if (dns) this._dns = dns;
  }

  /** The ports `from` may open to `to` (both directions' policies), as explainPair's `allowed`. */
  allowedPorts(from: Workload, to: Workload): PortSet {
    const m = this.matrix?.();
    return m ? m.ports(from, to) : explainPair(this.model, from, to).allowed;
  }

  /** The objects a rule looks at: those of the scope's files, or all of them. */
  subjects(scope?: LintScope): FileObjects {
    if (!scope) return this.model;
    // every rule asks for the same scope's objects
    if (this.lastScope?.scope !== scope) this.lastScope = { scope, objects: lookup(this.model).inFiles(scope.uris) };
    return this.lastScope.objects;
  }

  get dns(): DnsIndex {
    return (this._dns ??= buildDnsIndex(this.model, clusterDomainOf(this.model).domain));
  }

  /** The names `from`'s resolver tries for `name`, and the answer (resolveName's, without its notes). */
  search(from: Workload, name: string): NameSearch {
    let conf = this.confs.get(from);
    if (!conf) this.confs.set(from, (conf = resolvConf(from, this.model, this.dns.zone)));
    const key = resolutionKey(conf, name);
    let found = this.searches.get(key);
    if (!found) this.searches.set(key, (found = searchName(this.model, this.dns, conf, name)));
    return found;
  }
}
