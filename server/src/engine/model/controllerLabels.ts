// Labels that controllers put on the pods they create, on top of the pod template's: the
// StatefulSet pod name and index, a Job's name, and hashes and uids whose value only the cluster knows.
import type { Labels, Workload, WorkloadKind } from './types';

/**
 * The value of a label that a controller sets to something only known in a cluster (a hash, a uid,
 * a generated Job name). It is not a valid label value, so no selector value equals it: `Exists`
 * matches, `DoesNotExist` does not, `In` does not and `NotIn` does (lint says why: label-value-unknown).
 */
export const UNKNOWN_LABEL_VALUE = '<set in the cluster>';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';
const JOB_NAME_LABELS = ['batch.kubernetes.io/job-name', 'job-name'];
const CONTROLLER_UID_LABELS = ['batch.kubernetes.io/controller-uid', 'controller-uid'];

/** Who sets each unknown-value label, for messages. */
export const UNKNOWN_VALUE_LABELS: Readonly<Record<string, string>> = {
  'pod-template-hash': 'the Deployment controller (a hash of the pod template)',
  'controller-revision-hash': 'the StatefulSet or DaemonSet controller (the hash of the current revision)',
  'pod-template-generation': 'the DaemonSet controller (the template generation)',
  'batch.kubernetes.io/controller-uid': 'the Job controller (the Job object uid)',
  'controller-uid': 'the Job controller (the Job object uid)',
  'batch.kubernetes.io/job-name': "the CronJob controller on its Jobs' pods (the Job name, `<cronjob>-<scheduled time>`)",
  'job-name': "the CronJob controller on its Jobs' pods (the Job name, `<cronjob>-<scheduled time>`)",
};

/** The labels of a StatefulSet's pod with this ordinal. */
export function ordinalLabels(statefulSet: string, ordinal: number): Labels {
  return { [POD_NAME_LABEL]: `${statefulSet}-${ordinal}`, [POD_INDEX_LABEL]: String(ordinal) };
}

/**
 * What a controller adds to its pods' labels. A StatefulSet's workload carries its first pod's
 * ordinal labels: while no selector tells its pods apart (model/ordinals.ts splits it otherwise),
 * every selector gives its other pods the same answer.
 */
export function controllerLabels(kind: WorkloadKind, name: string): Labels {
  const unknown = (keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, UNKNOWN_LABEL_VALUE]));
  switch (kind) {
    case 'Deployment':
      return unknown(['pod-template-hash']);
    case 'StatefulSet':
      return { ...unknown(['controller-revision-hash']), ...ordinalLabels(name, 0) };
    case 'DaemonSet':
      return unknown(['controller-revision-hash', 'pod-template-generation']);
    case 'Job':
      return { ...unknown(CONTROLLER_UID_LABELS), ...Object.fromEntries(JOB_NAME_LABELS.map((k) => [k, name])) };
    case 'CronJob':
      return unknown([...CONTROLLER_UID_LABELS, ...JOB_NAME_LABELS]);
    default:
      return {};
  }
}

/** The labels written in the manifest (the pod template's), without those a controller adds: for display and quick fixes. */
export function writtenLabels(w: Workload): Labels {
  const added = w.controllerLabels;
  if (!added?.length) return w.labels;
  return Object.fromEntries(Object.entries(w.labels).filter(([k]) => !added.includes(k)));
}
