// Shared, lazily built data for lint rules (so the DNS records are built once per model), and
// what a lint run looks at.
import type { Direction, Model, NetworkPolicy, Workload } from '../model/types';
import { buildDnsIndex, type DnsIndex } from '../dns/records';
import { clusterDomainOf } from '../dns/clusterDomain';
import { resolvConf } from '../dns/resolvConf';
import { resolutionKey, searchName, type NameSearch, type TryCache } from '../dns/resolve';
import type { ResolvConf } from '../dns/types';
import { lookup, type FileObjects } from '../model/lookup';
import type { LintScope } from './rules';
import type { Matrix } from '../reachability/matrix';
import { explainPair, explainSide, type PairVerdict, type SideVerdict } from '../reachability/explain';
import { connectionTargets } from '../reachability/query';
import { findHosts, namesHost, type HostRef } from './hosts';
import type { DnsAnswer } from '../dns/types';
import { intersect, type PortSet } from '../net/ports';
import { classKey, namedPortsKey } from '../policy/classes';
import { isolatingPolicies, selectable } from '../policy/semantics';
import { calicoActive } from '../policy/calico';
import { ciliumActive } from '../policy/cilium';

type Target = ReturnType<typeof connectionTargets>[number];

export interface LintContextOptions {
  /**
   * false: the simple path, every pair explained and every name searched on its own (what the shared
   * answers are tested against: the same findings, byte for byte). Default true.
   */
  share?: boolean;
}

export class LintContext {
  private _dns?: DnsIndex;
  private lastScope?: { scope: LintScope; objects: FileObjects };
  // Thousands of env values name the same hosts from pods whose resolv.conf searches alike (a
  // namespace's pods): each such search is done once.
  private readonly confs = new WeakMap<Workload, { conf: ResolvConf; byName: Map<string, NameSearch> }>();
  private readonly searches = new Map<string, Map<string, NameSearch>>();
  // The names a search tries repeat across namespaces (`x.svc.<zone>`, `x.<zone>`, `x` after each
  // namespace's own `x.<ns>.svc.<zone>`): each is tried once.
  private readonly tries: TryCache = new Map();
  // Sides of pair explanations shared by the pairs that read alike (see explain), when no Calico,
  // Cilium or admin tier is in play.
  private sharedSides?: boolean;
  private readonly egress = new Map<string, SideVerdict>();
  private readonly ingress = new Map<string, SideVerdict>();
  private readonly classIds = new WeakMap<Workload, number>();
  private readonly classKeys = new Map<string, number>();
  private readonly portIds = new WeakMap<Workload, number>();
  private readonly portKeys = new Map<string, number>();
  private readonly egressIds = new WeakMap<Workload, number>();
  private readonly ingressIds = new WeakMap<Workload, number>();
  private readonly isolationKeys = new Map<string, number>();
  private readonly policyIds = new Map<NetworkPolicy, number>();
  // the hosts of each value (the same URLs are in the env of thousands of pods), per namesHost(where)
  private readonly hostsOf = [new Map<string, readonly HostRef[]>(), new Map<string, readonly HostRef[]>()];
  // the pods behind each answer, per port (thousands of references name the same Services)
  private readonly landings = new WeakMap<DnsAnswer, Map<number | undefined, Target[]>>();
  private readonly share: boolean;

  /**
   * `matrix`: the model's matrix when the caller has computed it (its answers are explainPair's, per
   * type pair instead of per pair); lint does not compute one of its own.
   */
  constructor(
    readonly model: Model,
    dns?: DnsIndex,
    private readonly matrix?: () => Matrix | undefined,
    options: LintContextOptions = {},
  ) {
    if (dns) this._dns = dns;
    this.share = options.share ?? true;
  }

  /** The ports `from` may open to `to` (both directions' policies), as explainPair's `allowed`. */
  allowedPorts(from: Workload, to: Workload): PortSet {
    const m = this.matrix?.();
    return m ? m.ports(from, to) : this.explain(from, to).allowed;
  }

  /**
   * explainPair(model, from, to), with each side shared by the pairs that side reads alike: egress
   * by the source's isolating policies and the destination's class, ingress by the destination's
   * isolating policies and named ports and the source's class (policy/classes.ts: a class is equal
   * under every NetworkPolicy). A shared side's `subject`/`other` are those of the pair that made it
   * (workloads alike for that side), so a caller names the workloads from its own `from` and `to`;
   * everything else in it (isolating policies, rule matches, allowed ports, node traffic) is what
   * explainPair gives for this pair. With Calico, Cilium or admin tiers in play every pair is
   * explained on its own.
   */
  explain(from: Workload, to: Workload): PairVerdict {
    if (!this.sharing(from, to)) return explainPair(this.model, from, to);
    const egress = this.egressSide(from, to);
    const ingress = this.side(
      this.ingress,
      'Ingress',
      to,
      from,
      `${this.isolationId(to, 'Ingress')} ${this.classId(from)} ${this.portsId(to)}`,
    );
    return { from, to, self: false, egress, ingress, allowed: intersect(egress.allowed, ingress.allowed) };
  }

  /** explain(from, to).egress, without the ingress side. */
  egressSide(from: Workload, to: Workload): SideVerdict {
    if (!this.sharing(from, to)) return explainPair(this.model, from, to).egress;
    return this.side(this.egress, 'Egress', from, to, `${this.isolationId(from, 'Egress')} ${this.classId(to)}`);
  }

  private sharing(from: Workload, to: Workload): boolean {
    if (!this.share || from === to) return false;
    return (this.sharedSides ??= !(calicoActive(this.model) || ciliumActive(this.model) || this.model.adminPolicies.length));
  }

  private side(sides: Map<string, SideVerdict>, direction: Direction, subject: Workload, other: Workload, key: string): SideVerdict {
    let s = sides.get(key);
    if (!s) sides.set(key, (s = explainSide(this.model, direction, subject, other)));
    return s;
  }

  /** Equal ids: workloads isolated in this direction by the same policies (or both node traffic). */
  private isolationId(w: Workload, direction: Direction): number {
    const ids = direction === 'Egress' ? this.egressIds : this.ingressIds;
    let id = ids.get(w);
    if (id === undefined) {
      const key = selectable(w, this.model)
        ? isolatingPolicies(this.model, w, direction)
            .map((p) => {
              let n = this.policyIds.get(p);
              if (n === undefined) this.policyIds.set(p, (n = this.policyIds.size));
              return n;
            })
            .join(',')
        : 'node';
      ids.set(w, (id = this.intern(this.isolationKeys, key)));
    }
    return id;
  }

  private classId(w: Workload): number {
    let id = this.classIds.get(w);
    if (id === undefined) this.classIds.set(w, (id = this.intern(this.classKeys, classKey(w))));
    return id;
  }

  private portsId(w: Workload): number {
    let id = this.portIds.get(w);
    if (id === undefined) this.portIds.set(w, (id = this.intern(this.portKeys, namedPortsKey(w))));
    return id;
  }

  private intern(keys: Map<string, number>, key: string): number {
    let id = keys.get(key);
    if (id === undefined) keys.set(key, (id = keys.size));
    return id;
  }

  /** findHosts(value, where), shared by the values alike: read-only. */
  hosts(value: string, where: string): readonly HostRef[] {
    if (!this.share) return findHosts(value, where);
    const byValue = this.hostsOf[namesHost(where) ? 1 : 0];
    let out = byValue.get(value);
    if (!out) byValue.set(value, (out = findHosts(value, where)));
    return out;
  }

  /** connectionTargets(model, answer, port, 'TCP'), shared by the references to one answer and port: read-only. */
  tcpTargets(answer: DnsAnswer, port: number | undefined): readonly Target[] {
    if (!this.share) return connectionTargets(this.model, answer, port, 'TCP');
    let byPort = this.landings.get(answer);
    if (!byPort) this.landings.set(answer, (byPort = new Map()));
    let out = byPort.get(port);
    if (!out) byPort.set(port, (out = connectionTargets(this.model, answer, port, 'TCP')));
    return out;
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
    let c = this.confs.get(from);
    if (!c) {
      const conf = resolvConf(from, this.model, this.dns.zone);
      // the searches of every resolv.conf with this key (resolutionKey's part before the name)
      const prefix = resolutionKey(conf, '');
      let byName = this.searches.get(prefix);
      if (!byName) this.searches.set(prefix, (byName = new Map()));
      this.confs.set(from, (c = { conf, byName }));
    }
    let found = c.byName.get(name);
    if (!found)
      c.byName.set(name, (found = searchName(this.model, this.dns, c.conf, name, undefined, this.share ? this.tries : undefined)));
    return found;
  }
}
