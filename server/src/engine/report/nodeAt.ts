// Which model node is at an offset of a file: the innermost of the nodes NetLens knows about
// (selectors, peers, ports, names, labels, env values). Hovers, code actions and "explain at
// cursor" all start here.
import type {
  ConfigMapData,
  Direction,
  Model,
  NetworkPolicy,
  Peer,
  PolicyPort,
  PolicyRule,
  Service,
  ServicePort,
  SourceRef,
  TextValue,
  Workload,
} from '../model/types';
import { lookup } from '../model/lookup';
import type { CiliumPolicy, CiliumRule } from '../model/cilium/types';
import type { CalicoEntity, CalicoPolicy, CalicoRule, CalicoSelectorField } from '../model/calico/types';

export type NodeHit =
  | { kind: 'policy'; ref: SourceRef; policy: NetworkPolicy }
  | { kind: 'podSelector'; ref: SourceRef; policy: NetworkPolicy }
  | { kind: 'rule'; ref: SourceRef; policy: NetworkPolicy; direction: Direction; rule: PolicyRule }
  | {
      kind: 'peerPodSelector' | 'peerNamespaceSelector' | 'peerIpBlock';
      ref: SourceRef;
      policy: NetworkPolicy;
      direction: Direction;
      rule: PolicyRule;
      peer: Peer;
    }
  | { kind: 'policyPort'; ref: SourceRef; policy: NetworkPolicy; direction: Direction; rule: PolicyRule; port: PolicyPort }
  | { kind: 'workload'; ref: SourceRef; workload: Workload }
  | { kind: 'workloadLabels'; ref: SourceRef; workload: Workload }
  | { kind: 'value'; ref: SourceRef; value: TextValue; workload?: Workload; configMap?: ConfigMapData }
  | { kind: 'service'; ref: SourceRef; service: Service }
  | { kind: 'servicePort'; ref: SourceRef; service: Service; port: ServicePort }
  | { kind: 'endpointSelector'; ref: SourceRef; cilium: CiliumPolicy; rule: CiliumRule }
  /** a Calico policy's own selector (or namespaceSelector / serviceAccountSelector): the endpoints it applies to */
  | { kind: 'calicoPolicySelector'; ref: SourceRef; calico: CalicoPolicy; field: string; selector: CalicoSelectorField }
  /** a selector field of a Calico rule's source or destination: the peers the entity matches */
  | {
      kind: 'calicoEntitySelector';
      ref: SourceRef;
      calico: CalicoPolicy;
      rule: CalicoRule;
      direction: Direction;
      side: 'source' | 'destination';
      entity: CalicoEntity;
      field: string;
      selector: CalicoSelectorField;
    };

const within = (ref: SourceRef | undefined, uri: string, offset: number) =>
  !!ref && ref.uri === uri && ref.start <= offset && offset <= ref.end;

function nodesIn(model: Model, uri: string): NodeHit[] {
  const out: NodeHit[] = [];
  const objects = lookup(model).inFile(uri);
  for (const policy of objects.policies) {
    out.push({ kind: 'policy', ref: policy.ref, policy });
    out.push({ kind: 'podSelector', ref: policy.podSelector.ref, policy });
    for (const [direction, rules] of [
      ['Ingress', policy.ingress],
      ['Egress', policy.egress],
    ] as const) {
      for (const rule of rules) {
        out.push({ kind: 'rule', ref: rule.ref, policy, direction, rule });
        for (const peer of rule.peers ?? []) {
          if (peer.podSelector) out.push({ kind: 'peerPodSelector', ref: peer.podSelector.ref, policy, direction, rule, peer });
          if (peer.namespaceSelector)
            out.push({ kind: 'peerNamespaceSelector', ref: peer.namespaceSelector.ref, policy, direction, rule, peer });
          if (peer.ipBlock) out.push({ kind: 'peerIpBlock', ref: peer.ipBlock.ref, policy, direction, rule, peer });
        }
        for (const port of rule.ports ?? []) out.push({ kind: 'policyPort', ref: port.ref, policy, direction, rule, port });
      }
    }
  }
  for (const workload of objects.workloads) {
    out.push({ kind: 'workload', ref: workload.ref, workload });
    if (workload.labelsRef) out.push({ kind: 'workloadLabels', ref: workload.labelsRef, workload });
    for (const c of workload.containers) for (const value of c.values) out.push({ kind: 'value', ref: value.ref, value, workload });
  }
  for (const service of objects.services) {
    out.push({ kind: 'service', ref: service.ref, service });
    for (const port of service.ports) out.push({ kind: 'servicePort', ref: port.ref, service, port });
  }
  for (const configMap of objects.configMaps) {
    for (const value of configMap.values) out.push({ kind: 'value', ref: value.ref, value, configMap });
  }
  // Cilium policies: the endpointSelector of each rule
  for (const cilium of model.ciliumPolicies ?? [])
    if (cilium.objectRef.uri === uri)
      for (const rule of cilium.rules)
        if (rule.endpointSelector) out.push({ kind: 'endpointSelector', ref: rule.endpointSelector.ref, cilium, rule });
  for (const calico of model.calico?.policies ?? []) if (calico.objectRef.uri === uri) out.push(...calicoNodes(calico));
  return out;
}

function calicoNodes(calico: CalicoPolicy): NodeHit[] {
  const out: NodeHit[] = [];
  const own = {
    selector: calico.selector,
    namespaceSelector: calico.namespaceSelector,
    serviceAccountSelector: calico.serviceAccountSelector,
  };
  for (const [field, selector] of Object.entries(own))
    if (selector) out.push({ kind: 'calicoPolicySelector', ref: selector.ref, calico, field, selector });
  for (const [direction, rules] of [
    ['Ingress', calico.ingress],
    ['Egress', calico.egress],
  ] as const)
    for (const rule of rules)
      for (const side of ['source', 'destination'] as const) {
        const entity = rule[side];
        const fields = {
          selector: entity.selector,
          notSelector: entity.notSelector,
          namespaceSelector: entity.namespaceSelector,
          'serviceAccounts.selector': entity.serviceAccounts?.selector,
        };
        for (const [field, selector] of Object.entries(fields))
          if (selector)
            out.push({ kind: 'calicoEntitySelector', ref: selector.ref, calico, rule, direction, side, entity, field, selector });
      }
  return out;
}

/** The innermost known node containing the offset. */
export function nodeAt(model: Model, uri: string, offset: number): NodeHit | undefined {
  let best: NodeHit | undefined;
  for (const n of nodesIn(model, uri)) {
    if (!within(n.ref, uri, offset)) continue;
    if (!best || n.ref.end - n.ref.start < best.ref.end - best.ref.start) best = n;
  }
  return best;
}

/** The workload or policy whose whole object contains the offset. */
export function objectAt(model: Model, uri: string, offset: number): { workload?: Workload; policy?: NetworkPolicy } {
  const workload = model.workloads.find((w) => within(w.objectRef, uri, offset));
  if (workload) return { workload };
  const policy = model.policies.find((p) => within(p.objectRef, uri, offset));
  return policy ? { policy } : {};
}
