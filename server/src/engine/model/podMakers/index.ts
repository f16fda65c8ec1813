// Custom resources that an operator turns into pods: each operator's file declares what it makes
// (StatefulSets with their labels and ports, governing Services), so one file adds an operator.
import type { ManifestObject } from '../../parse/documents';
import type { BuildContext } from '../context';
import type { Service } from '../types';
import type { ReadWorkload } from '../workloads';
import { PROMETHEUS_OPERATOR } from './prometheusOperator';

/** What an operator creates for one custom resource. */
export interface Made {
  workloads: ReadWorkload[];
  /** Services the operator creates (a declared Service of the same name wins) */
  services: Service[];
}

export interface PodMaker {
  group: string;
  kind: string;
  make(ctx: BuildContext, o: ManifestObject, name: string, namespace: string): Made;
}

const MAKERS: readonly PodMaker[] = [...PROMETHEUS_OPERATOR];

export function podMakerFor(group: string, kind: string): PodMaker | undefined {
  return MAKERS.find((m) => m.group === group && m.kind === kind);
}
