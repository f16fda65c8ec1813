// A workload named on the command line: the engine's reference lookup, its failures as usage errors (exit 2).
import type { Model, Workload } from '../engine/model/types';
import { findWorkload, WorkloadRefError } from '../engine/model/workloadRef';
import { UsageError } from './args';

export function findWorkloadArg(model: Model, spec: string): Workload {
  try {
    return findWorkload(model, spec, 'the paths');
  } catch (e) {
    throw e instanceof WorkloadRefError ? new UsageError(e.message) : e;
  }
}
