// The connectivity diff between two versions of a repository (base, head): what the change opens,
// closes or alters, per (source, destination), and why.
import type { SourceRef } from '../model/types';
import type { PortSet } from '../net/ports';

/** np-guard's vocabulary, in its order: changed, added, removed. */
export type DiffCategory = 'changed' | 'added' | 'removed';
export const DIFF_CATEGORIES: readonly DiffCategory[] = ['changed', 'added', 'removed'];

export type Version = 'base' | 'head';

export interface DiffEnd {
  /** a workload id, an IP range ("a.b.c.d-e.f.g.h"), or a DNS name with its port ("cart:80") */
  id: string;
  kind: 'workload' | 'external' | 'name';
  /** the workload exists in one version only */
  workload?: 'added' | 'removed';
}

export type CauseKind = 'policy' | 'rule' | 'workload' | 'namespace' | 'service' | 'dns' | 'admin-policy';

export interface DiffCause {
  kind: CauseKind;
  change: 'added' | 'removed' | 'modified';
  /** the object's id (a policy, workload, namespace, Service or DNS configuration) */
  id: string;
  /** for people: "ingress rule 1 of shop/allow-web modified" */
  text: string;
  /** the version whose text `ref` points into: head, or base for what the change removed */
  version: Version;
  ref?: SourceRef;
}

export interface DiffEntry {
  category: DiffCategory;
  source: DiffEnd;
  destination: DiffEnd;
  before: PortSet;
  after: PortSet;
  /** for name entries: what the name led to in each version ("NXDOMAIN", "shop/cart[Deployment] TCP 8080") */
  beforeNote?: string;
  afterNote?: string;
  causes: DiffCause[];
}

export interface ConnectivityDiff {
  entries: DiffEntry[];
  workloadsAdded: string[];
  workloadsRemoved: string[];
}
