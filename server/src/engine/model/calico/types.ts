// The Calico (projectcalico.org/v3) objects NetLens reads: policies, tiers, network sets, profiles, service accounts.
import type { CalicoSelector } from '../../selectors/calico';
import type { Direction, Labels, SourceRef } from '../types';

export type CalicoAction = 'Allow' | 'Deny' | 'Log' | 'Pass';

/** A selector expression as written, parsed. */
export interface CalicoSelectorField {
  text: string;
  ast: CalicoSelector;
  ref: SourceRef;
}

/** One entry of `ports`/`notPorts`: a number, an "a:b" range, or a named port. */
export type CalicoPortSpec = { start: number; end: number } | { name: string };

/** `source` or `destination` of a rule. Every field present must match (AND). */
export interface CalicoEntity {
  selector?: CalicoSelectorField;
  notSelector?: CalicoSelectorField;
  namespaceSelector?: CalicoSelectorField;
  nets?: string[];
  notNets?: string[];
  ports?: CalicoPortSpec[];
  notPorts?: CalicoPortSpec[];
  serviceAccounts?: { names: string[]; selector?: CalicoSelectorField };
  ref?: SourceRef;
}

export interface CalicoRule {
  action: CalicoAction;
  /** upper-case name or number as text ('TCP', 'UDP', 'SCTP', 'ICMP', '6', ...); undefined: any */
  protocol?: string;
  notProtocol?: string;
  /** the rule names an `icmp`/`notICMP` match (ICMP is not probed) */
  icmp: boolean;
  source: CalicoEntity;
  destination: CalicoEntity;
  index: number;
  ref: SourceRef;
}

export interface CalicoPolicy {
  /** `<namespace>/<name>[NetworkPolicy.projectcalico.org]` or `<name>[GlobalNetworkPolicy.projectcalico.org]` */
  id: string;
  name: string;
  kind: 'NetworkPolicy' | 'GlobalNetworkPolicy';
  /** NetworkPolicy only */
  namespace?: string;
  tier: string;
  /** undefined: applied after every policy with an order */
  order?: number;
  selector: CalicoSelectorField;
  serviceAccountSelector?: CalicoSelectorField;
  /** GlobalNetworkPolicy only: the namespaces (by their labels) of the endpoints it applies to */
  namespaceSelector?: CalicoSelectorField;
  types: Direction[];
  ingress: CalicoRule[];
  egress: CalicoRule[];
  ref: SourceRef;
  objectRef: SourceRef;
  kindRef: SourceRef;
}

export interface CalicoTier {
  name: string;
  /** undefined: after every tier with an order */
  order?: number;
  defaultAction: 'Deny' | 'Pass';
  ref: SourceRef;
  kindRef: SourceRef;
}

/** NetworkSet (namespaced) or GlobalNetworkSet: labelled CIDRs that rule selectors match. */
export interface CalicoNetworkSet {
  id: string;
  name: string;
  namespace?: string;
  labels: Labels;
  nets: string[];
  ref: SourceRef;
  kindRef: SourceRef;
}

export interface CalicoProfile {
  name: string;
  ingress: CalicoRule[];
  egress: CalicoRule[];
  labelsToApply: Labels;
  ref: SourceRef;
  kindRef: SourceRef;
}

export interface CalicoServiceAccount {
  name: string;
  namespace: string;
  labels: Labels;
}

export type CalicoObject =
  | { type: 'policy'; value: CalicoPolicy }
  | { type: 'tier'; value: CalicoTier }
  | { type: 'networkSet'; value: CalicoNetworkSet }
  | { type: 'profile'; value: CalicoProfile }
  | { type: 'serviceAccount'; value: CalicoServiceAccount };

/** The Calico objects of a workspace. */
export interface CalicoModel {
  policies: CalicoPolicy[];
  tiers: CalicoTier[];
  networkSets: CalicoNetworkSet[];
  profiles: CalicoProfile[];
  serviceAccounts: CalicoServiceAccount[];
}
