// Calico's tiered policy evaluation (projectcalico.org/v3), with the other layers in the places Calico
// gives them. Per direction, tiers run by order (ties by name; tiers without an order last):
//   - Calico tiers with order below 1000;
//   - the Admin tier (AdminNetworkPolicy, ClusterNetworkPolicy tier Admin) at order 1000, as Calico's
//     `adminnetworkpolicy`/`kube-admin` tier (default action Pass);
//   - Calico tiers from 1000 on, the `default` tier (order 1,000,000 unless a Tier object says otherwise)
//     holding Kubernetes NetworkPolicies at order 1000 (Calico converts them to `knp.default.<name>`);
//   - the Baseline tier (BaselineAdminNetworkPolicy, ClusterNetworkPolicy tier Baseline) at 10,000,000, as
//     Calico's `baselineadminnetworkpolicy`/`kube-baseline` tier (default action Pass);
//   - then the endpoint's profile `kns.<namespace>` (allow all unless the workspace has that Profile).
// A tier takes part only when one of its policies selects the endpoint for that direction. Within it,
// policies run by order then name, rules in order: the first matching Allow/Deny decides, Log goes on,
// Pass jumps to the next tier; ports no rule matched get the tier's defaultAction (Deny or Pass).
import type { AdminPolicy, AdminRule, Direction, Labels, Model, NetworkPolicy, PolicyRule, Workload } from '../model/types';
import type { CalicoEntity, CalicoPolicy, CalicoPortSpec, CalicoRule, CalicoSelectorField, CalicoTier } from '../model/calico/types';
import { evaluateCalicoSelector, type CalicoSelectorContext } from '../selectors/calico';
import { ALL_PORTS, NO_PORTS, intersect, isEmpty, portSetOf, subtract, union, type PortSet } from '../net/ports';
import { cidrContainsIp, parseCidr, parseIp } from '../net/cidr';
import { namespaceLabels, policiesIn, policyAffects, policySelects, ruleMatchesPeer, rulePortSet, selectable } from './semantics';
import { adminPeerMatches, adminRulePorts, adminSubjectMatches } from './admin';
import { effectiveCni } from '../cni/effective';
import type { Protocol } from '../model/types';

export const ADMIN_TIER_ORDER = 1000;
export const DEFAULT_TIER_ORDER = 1_000_000;
export const BASELINE_TIER_ORDER = 10_000_000;
/** Calico's order for the policies it makes from Kubernetes NetworkPolicies */
export const KNP_ORDER = 1000;

/** Whether the workspace's Calico policies are enforced: the CNI in effect is Calico or canal, or none is known. */
export function calicoEnforced(model: Model): boolean {
  const cni = effectiveCni(model);
  return !cni || cni.plugin === 'calico' || cni.plugin === 'canal';
}

const activeCache = new WeakMap<Model, boolean>();

/** Whether connectivity goes through the Calico evaluator (Calico policies present and enforced). */
export function calicoActive(model: Model): boolean {
  let a = activeCache.get(model);
  if (a === undefined) activeCache.set(model, (a = !!model.calico && calicoEnforced(model)));
  return a;
}

/** One entry of a tier: a Calico policy, a Kubernetes NetworkPolicy (as Calico orders it) or an admin policy. */
export type TierPolicy =
  | { kind: 'calico'; policy: CalicoPolicy; order?: number; key: string }
  | { kind: 'k8s'; policy: NetworkPolicy; order: number; key: string }
  | { kind: 'admin'; policy: AdminPolicy; order: number; key: string };

export interface Tier {
  name: string;
  order?: number;
  defaultAction: 'Deny' | 'Pass';
  layer: 'calico' | 'admin' | 'baseline';
  policies: TierPolicy[];
  /** the Tier object, when the workspace declares it */
  decl?: CalicoTier;
}

/** What decided some ports of one direction. */
export interface CalicoStep {
  tier: Tier;
  /** undefined: the tier's default action (no rule of its policies matched) or the profile's */
  entry?: TierPolicy;
  /** the rule (Calico or admin) that matched; its index in its list */
  rule?: CalicoRule | AdminRule | PolicyRule;
  action: 'Allow' | 'Deny' | 'Pass';
  ports: PortSet;
}

export interface CalicoDirectionOutcome {
  allowed: PortSet;
  /** in evaluation order; Pass steps are followed by what decided the passed ports */
  steps: CalicoStep[];
  /** the profile step (ports no tier decided) */
  profile?: { name: string; declared: boolean; allowed: PortSet; denied: PortSet; rule?: CalicoRule };
}

// ---- tiers (per model) ----

const tiersCache = new WeakMap<Model, Tier[]>();

function comparePolicies(a: TierPolicy, b: TierPolicy): number {
  const oa = a.order ?? Infinity;
  const ob = b.order ?? Infinity;
  if (oa !== ob) return oa < ob ? -1 : 1;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

/** The tiers of the model in evaluation order (both directions; policies filter by types later). */
export function calicoTiers(model: Model): Tier[] {
  let tiers = tiersCache.get(model);
  if (tiers) return tiers;
  const byName = new Map<string, Tier>();
  const tierOf = (name: string): Tier => {
    let t = byName.get(name);
    if (!t) {
      const decl = model.calico?.tiers.find((x) => x.name === name);
      const order = decl ? decl.order : name === 'default' ? DEFAULT_TIER_ORDER : undefined;
      t = { name, defaultAction: decl?.defaultAction ?? 'Deny', layer: 'calico', policies: [], ...(order !== undefined ? { order } : {}) };
      if (decl) t.decl = decl;
      byName.set(name, t);
    }
    return t;
  };
  for (const p of model.calico?.policies ?? [])
    tierOf(p.tier).policies.push({
      kind: 'calico',
      policy: p,
      ...(p.order !== undefined ? { order: p.order } : {}),
      key: p.namespace !== undefined ? `${p.namespace}/${p.name}` : p.name,
    });
  for (const p of model.policies)
    tierOf('default').policies.push({ kind: 'k8s', policy: p, order: KNP_ORDER, key: `${p.namespace}/knp.default.${p.name}` });
  const admin: Tier = { name: 'adminnetworkpolicy', order: ADMIN_TIER_ORDER, defaultAction: 'Pass', layer: 'admin', policies: [] };
  const baseline: Tier = {
    name: 'baselineadminnetworkpolicy',
    order: BASELINE_TIER_ORDER,
    defaultAction: 'Pass',
    layer: 'baseline',
    policies: [],
  };
  // model.adminPolicies is already in evaluation order
  model.adminPolicies.forEach((p, i) => (p.baseline ? baseline : admin).policies.push({ kind: 'admin', policy: p, order: i, key: p.name }));
  const all = [...byName.values()];
  for (const t of all) t.policies.sort(comparePolicies);
  if (admin.policies.length) all.push(admin);
  if (baseline.policies.length) all.push(baseline);
  // declared tiers (and the built-in ones) first, by order then name; undeclared tiers last, as Felix sorts invalid tiers
  const known = (t: Tier) => t.decl !== undefined || t.layer !== 'calico' || t.name === 'default';
  all.sort((a, b) => {
    if (known(a) !== known(b)) return known(a) ? -1 : 1;
    const oa = a.order ?? Infinity;
    const ob = b.order ?? Infinity;
    if (oa !== ob) return oa < ob ? -1 : 1;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
  tiers = all;
  tiersCache.set(model, tiers);
  return tiers;
}

// ---- labels Calico gives endpoints ----

const endpointLabelCache = new WeakMap<Model, WeakMap<Workload, Labels>>();

/** The pod's labels as a Calico workload endpoint has them: its profile's labelsToApply, then its own, then Calico's. */
export function endpointLabels(model: Model, w: Workload): Labels {
  let m = endpointLabelCache.get(model);
  if (!m) endpointLabelCache.set(model, (m = new WeakMap()));
  let out = m.get(w);
  if (!out) {
    const profile = model.calico?.profiles.find((p) => p.name === `kns.${w.namespace}`);
    out = {
      ...(profile?.labelsToApply ?? {}),
      ...w.labels,
      'projectcalico.org/namespace': w.namespace,
      'projectcalico.org/orchestrator': 'k8s',
      'projectcalico.org/serviceaccount': serviceAccountOf(w),
    };
    m.set(w, out);
  }
  return out;
}

function serviceAccountOf(w: Workload): string {
  return w.serviceAccountName ?? 'default';
}

/** A namespace's labels as Calico's namespaceSelector reads them (with `projectcalico.org/name`). */
function calicoNamespaceLabels(model: Model, ns: string): Labels {
  return { ...namespaceLabels(model, ns), 'projectcalico.org/name': ns };
}

function serviceAccountLabels(model: Model, w: Workload): Labels {
  const name = serviceAccountOf(w);
  const sa = model.calico?.serviceAccounts.find((s) => s.namespace === w.namespace && s.name === name);
  return { ...(sa?.labels ?? {}), 'projectcalico.org/name': name };
}

const sel = (s: CalicoSelectorField, labels: Labels, ctx: CalicoSelectorContext = 'selector') => evaluateCalicoSelector(s.ast, labels, ctx);

// ---- which endpoints a policy applies to ----

/** Does the Calico policy apply to this pod (selector, namespace, serviceAccountSelector), whatever the direction? */
export function calicoPolicySelects(model: Model, p: CalicoPolicy, w: Workload): boolean {
  if (!selectable(w, model)) return false;
  if (p.namespace !== undefined && p.namespace !== w.namespace) return false;
  if (p.namespaceSelector && !sel(p.namespaceSelector, calicoNamespaceLabels(model, w.namespace), 'namespaceSelector')) return false;
  if (!sel(p.selector, endpointLabels(model, w))) return false;
  return !p.serviceAccountSelector || sel(p.serviceAccountSelector, serviceAccountLabels(model, w));
}

/** Does a tier entry apply to the endpoint in this direction? */
export function entrySelects(model: Model, e: TierPolicy, w: Workload, dir: Direction): boolean {
  if (e.kind === 'calico') return e.policy.types.includes(dir) && calicoPolicySelects(model, e.policy, w);
  if (e.kind === 'k8s') return policyAffects(e.policy, dir) && policySelects(e.policy, w, model);
  return adminSubjectMatches(e.policy, w, model);
}

/** Where each entry sits in its tier, and the entry of each Kubernetes NetworkPolicy (they only select in their namespace). */
interface TierPositions {
  position: Map<TierPolicy, number>;
  k8s: Map<NetworkPolicy, TierPolicy>;
  /** per tier, its entries that are not Kubernetes NetworkPolicies */
  others: TierPolicy[][];
}

const positionsCache = new WeakMap<Model, TierPositions>();

function tierPositions(model: Model): TierPositions {
  let out = positionsCache.get(model);
  if (!out) {
    out = { position: new Map(), k8s: new Map(), others: [] };
    for (const t of calicoTiers(model)) {
      const others: TierPolicy[] = [];
      t.policies.forEach((e, i) => {
        out!.position.set(e, i);
        if (e.kind === 'k8s') out!.k8s.set(e.policy, e);
        else others.push(e);
      });
      out.others.push(others);
    }
    positionsCache.set(model, out);
  }
  return out;
}

/** Per tier (as calicoTiers lists them), its entries that are not Kubernetes NetworkPolicies, in tier order. */
export function nonKubernetesEntries(model: Model): readonly TierPolicy[][] {
  return tierPositions(model).others;
}

const applyingCache = new WeakMap<Model, { Ingress: WeakMap<Workload, TierPolicy[][]>; Egress: WeakMap<Workload, TierPolicy[][]> }>();

/**
 * Per tier (as calicoTiers lists them), the entries that apply to the endpoint in a direction, in
 * evaluation order. Remembered per endpoint: the matrix and explanations ask again and again, and a
 * workspace's Kubernetes NetworkPolicies (all in the default tier) are only looked at in the endpoint's namespace.
 */
export function applyingEntries(model: Model, w: Workload, dir: Direction): TierPolicy[][] {
  let byDir = applyingCache.get(model);
  if (!byDir) applyingCache.set(model, (byDir = { Ingress: new WeakMap(), Egress: new WeakMap() }));
  let out = byDir[dir].get(w);
  if (!out) {
    const pos = tierPositions(model);
    const k8s = policiesIn(model, w.namespace)
      .map((p) => pos.k8s.get(p))
      .filter((e): e is TierPolicy => !!e && entrySelects(model, e, w, dir));
    out = calicoTiers(model).map((t, i) => {
      const applying = pos.others[i].filter((e) => entrySelects(model, e, w, dir));
      const own = k8s.filter((e) => t.policies[pos.position.get(e)!] === e);
      if (own.length === 0) return applying;
      return [...applying, ...own].sort((a, b) => pos.position.get(a)! - pos.position.get(b)!);
    });
    byDir[dir].set(w, out);
  }
  return out;
}

// ---- rule matching ----

/** The addresses a peer is known by (pod IPs), parsed. */
function ipsOf(w: Workload) {
  return w.podIPs.map(parseIp).filter((x): x is NonNullable<typeof x> => !!x);
}

// rules are matched against many endpoints: parse each list of nets once
const parsedNets = new WeakMap<readonly string[], ReturnType<typeof parseCidr>[]>();

function netsContain(nets: readonly string[], w: Workload): boolean {
  let cidrs = parsedNets.get(nets);
  if (!cidrs) parsedNets.set(nets, (cidrs = nets.map(parseCidr)));
  const ips = ipsOf(w);
  // an unknown address is some address: only a /0 is known to cover it
  if (ips.length === 0) return cidrs.some((c) => !!c && c.prefix === 0);
  return ips.some((ip) => cidrs.some((c) => !!c && cidrContainsIp(c, ip)));
}

/** What a peer is, for rule selectors: the pod itself (when policies see it) and the network sets holding its address. */
interface Identity {
  labels: Labels;
  /** undefined: not namespaced (GlobalNetworkSet) */
  namespace?: string;
}

const identityCache = new WeakMap<Model, WeakMap<Workload, Identity[]>>();

// every rule entity is matched against every endpoint: its identities are worked out once
function identities(model: Model, w: Workload): Identity[] {
  let m = identityCache.get(model);
  if (!m) identityCache.set(model, (m = new WeakMap()));
  let out = m.get(w);
  if (!out) m.set(w, (out = endpointIdentities(model, w)));
  return out;
}

function endpointIdentities(model: Model, w: Workload): Identity[] {
  const out: Identity[] = [];
  if (selectable(w, model)) out.push({ labels: endpointLabels(model, w), namespace: w.namespace });
  if (ipsOf(w).length)
    for (const s of model.calico?.networkSets ?? [])
      if (s.nets.length && netsContain(s.nets, w))
        out.push({
          labels: s.namespace !== undefined ? { ...s.labels, 'projectcalico.org/namespace': s.namespace } : s.labels,
          ...(s.namespace !== undefined ? { namespace: s.namespace } : {}),
        });
  return out;
}

/**
 * Does the entity (source or destination of a rule of a policy in `policyNs`, undefined for global ones)
 * match the endpoint? Follows Calico's conversion of entity rules: a selector (and serviceAccounts) is
 * scoped to the policy's namespace, or to the namespaceSelector's namespaces, as soon as any selector field
 * is used; notSelector is not scoped.
 */
export function entityMatches(model: Model, e: CalicoEntity, policyNs: string | undefined, w: Workload): boolean {
  if (e.nets && !netsContain(e.nets, w)) return false;
  if (e.notNets && e.notNets.length && netsExcluded(e.notNets, w)) return false;
  const positive = e.selector || e.serviceAccounts || e.namespaceSelector || (e.notSelector && policyNs !== undefined);
  if (positive || e.notSelector) {
    const ids = identities(model, w);
    if (positive) {
      const scoped = (id: Identity): boolean => {
        if (e.namespaceSelector) {
          const ctx = id.namespace === undefined ? 'namespaceSelector:global' : 'namespaceSelector';
          const nsLabels = id.namespace === undefined ? {} : calicoNamespaceLabels(model, id.namespace);
          if (!sel(e.namespaceSelector, nsLabels, ctx)) return false;
        } else if (policyNs !== undefined && id.namespace !== policyNs) return false;
        if (e.selector && !sel(e.selector, id.labels)) return false;
        if (e.serviceAccounts) {
          // only pods have service accounts
          if (id.labels['projectcalico.org/serviceaccount'] === undefined || id.namespace === undefined) return false;
          if (e.serviceAccounts.names.length && !e.serviceAccounts.names.includes(id.labels['projectcalico.org/serviceaccount']))
            return false;
          if (e.serviceAccounts.selector && !sel(e.serviceAccounts.selector, saLabelsOf(model, id))) return false;
        }
        return true;
      };
      if (!ids.some(scoped)) return false;
    }
    if (e.notSelector && ids.some((id) => sel(e.notSelector!, id.labels))) return false;
  }
  return true;
}

function saLabelsOf(model: Model, id: Identity): Labels {
  const name = id.labels['projectcalico.org/serviceaccount'];
  const sa = model.calico?.serviceAccounts.find((s) => s.namespace === id.namespace && s.name === name);
  return { ...(sa?.labels ?? {}), 'projectcalico.org/name': name };
}

/** notNets excludes the peer when one of its known addresses is inside, or a /0 covers any address. */
function netsExcluded(nets: readonly string[], w: Workload): boolean {
  return netsContain(nets, w);
}

const PROBED: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** The protocols (of those probed) a rule's protocol/notProtocol allow. */
function ruleProtocols(r: CalicoRule): Protocol[] {
  let out = [...PROBED];
  if (r.protocol !== undefined) out = out.filter((p) => p === r.protocol);
  if (r.notProtocol !== undefined) out = out.filter((p) => p !== r.notProtocol);
  return out;
}

function portsOf(specs: readonly CalicoPortSpec[], protocols: readonly Protocol[], dst: Workload | undefined): PortSet {
  let out = NO_PORTS;
  for (const s of specs) {
    if ('name' in s) {
      if (!dst) continue;
      for (const c of dst.containers)
        for (const cp of c.ports)
          if (cp.name === s.name && protocols.includes(cp.protocol)) out = union(out, portSetOf(cp.protocol, [[cp.port, cp.port]]));
    } else for (const p of protocols) out = union(out, portSetOf(p, [[Math.max(1, s.start), s.end]]));
  }
  return out;
}

/** The destination ports a Calico rule covers on `dst` (source ports are not modelled: any source port matches). */
export function calicoRulePorts(r: CalicoRule, dst: Workload | undefined): PortSet {
  const protocols = ruleProtocols(r);
  let out = NO_PORTS;
  for (const p of protocols) out = union(out, portSetOf(p, [[1, 65535]]));
  if (r.destination.ports) out = intersect(out, portsOf(r.destination.ports, protocols, dst));
  if (r.destination.notPorts) out = subtract(out, portsOf(r.destination.notPorts, protocols, dst));
  return out;
}

/** Does a Calico rule of `policyNs` match the connection `src -> dst` (on some port)? */
export function calicoRuleMatches(model: Model, r: CalicoRule, policyNs: string | undefined, src: Workload, dst: Workload): boolean {
  return entityMatches(model, r.source, policyNs, src) && entityMatches(model, r.destination, policyNs, dst);
}

// ---- evaluation ----

/**
 * One direction of `src -> dst`: the subject is `dst` for Ingress, `src` for Egress. Returns the ports
 * allowed and the steps that decided them.
 */
export function decideCalicoDirection(model: Model, dir: Direction, src: Workload, dst: Workload): CalicoDirectionOutcome {
  const subject = dir === 'Ingress' ? dst : src;
  const other = dir === 'Ingress' ? src : dst;
  let remaining = ALL_PORTS;
  let allowed = NO_PORTS;
  const steps: CalicoStep[] = [];
  const applyingPerTier = applyingEntries(model, subject, dir);
  for (const [t, tier] of calicoTiers(model).entries()) {
    if (isEmpty(remaining)) break;
    const applying = applyingPerTier[t];
    if (applying.length === 0) continue;
    let left = remaining;
    let passed = NO_PORTS;
    const decide = (entry: TierPolicy, rule: CalicoStep['rule'], action: 'Allow' | 'Deny' | 'Pass' | 'Log', ports: PortSet): void => {
      const p = intersect(ports, left);
      if (isEmpty(p) || action === 'Log') return;
      steps.push({ tier, entry, ...(rule ? { rule } : {}), action, ports: p });
      left = subtract(left, p);
      if (action === 'Allow') allowed = union(allowed, p);
      else if (action === 'Pass') passed = union(passed, p);
    };
    for (const e of applying) {
      if (isEmpty(left)) break;
      if (e.kind === 'calico') {
        const ns = e.policy.namespace;
        for (const r of dir === 'Ingress' ? e.policy.ingress : e.policy.egress)
          if (calicoRuleMatches(model, r, ns, src, dst)) decide(e, r, r.action, calicoRulePorts(r, dst));
      } else if (e.kind === 'k8s') {
        for (const r of dir === 'Ingress' ? e.policy.ingress : e.policy.egress)
          if (ruleMatchesPeer(r, e.policy.namespace, other, model)) decide(e, r, 'Allow', rulePortSet(r, dst));
      } else {
        for (const r of dir === 'Ingress' ? e.policy.ingress : e.policy.egress)
          if (r.peers.some((peer) => adminPeerMatches(peer, other, model))) decide(e, r, r.action, adminRulePorts(r, dst));
      }
    }
    if (!isEmpty(left)) {
      steps.push({ tier, action: tier.defaultAction, ports: left });
      if (tier.defaultAction === 'Pass') passed = union(passed, left);
    }
    remaining = passed;
  }
  const out: CalicoDirectionOutcome = { allowed, steps };
  if (!isEmpty(remaining)) {
    const profile = profileDecision(model, dir, subject, src, dst, remaining);
    out.profile = profile;
    out.allowed = union(allowed, profile.allowed);
  }
  return out;
}

/** The endpoint's namespace profile: Calico's `kns.<ns>` allows everything unless the workspace declares it. */
function profileDecision(
  model: Model,
  dir: Direction,
  subject: Workload,
  src: Workload,
  dst: Workload,
  ports: PortSet,
): NonNullable<CalicoDirectionOutcome['profile']> {
  const name = `kns.${subject.namespace}`;
  const declared = model.calico?.profiles.find((p) => p.name === name);
  if (!declared) return { name, declared: false, allowed: ports, denied: NO_PORTS };
  let left = ports;
  let allowed = NO_PORTS;
  let first: CalicoRule | undefined;
  for (const r of dir === 'Ingress' ? declared.ingress : declared.egress) {
    if (r.action === 'Log' || !calicoRuleMatches(model, r, undefined, src, dst)) continue;
    const p = intersect(calicoRulePorts(r, dst), left);
    if (isEmpty(p)) continue;
    first ??= r;
    left = subtract(left, p);
    if (r.action === 'Allow') allowed = union(allowed, p);
  }
  return { name, declared: true, allowed, denied: left, ...(first ? { rule: first } : {}) };
}

/** Allowed ports from `src` to `dst` under Calico: the source's egress and the destination's ingress. */
export function calicoPairPorts(model: Model, src: Workload, dst: Workload): PortSet {
  const egress = selectable(src, model) ? decideCalicoDirection(model, 'Egress', src, dst).allowed : ALL_PORTS;
  if (isEmpty(egress)) return NO_PORTS;
  const ingress = selectable(dst, model) ? decideCalicoDirection(model, 'Ingress', src, dst).allowed : ALL_PORTS;
  return intersect(egress, ingress);
}
