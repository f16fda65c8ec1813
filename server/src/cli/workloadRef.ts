// Finds the workload a command-line argument names: an id (`ns/name[Kind]`), `ns/name`, a unique
// name, or the id of a pod folded into its controller.
import type { Model, Workload } from '../engine/model/types';
import { UsageError } from './args';

const SHOWN = 5;

export function findWorkload(model: Model, spec: string): Workload {
  const s = spec.trim();
  const exact = model.workloads.find((w) => w.id === s) ?? model.workloads.find((w) => w.members.includes(s));
  if (exact) return exact;
  const slash = s.indexOf('/');
  const matches = s.includes('[')
    ? []
    : slash > 0
      ? model.workloads.filter((w) => w.namespace === s.slice(0, slash) && w.name === s.slice(slash + 1))
      : model.workloads.filter((w) => w.name === s);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new UsageError(`"${s}" names ${matches.length} workloads (${list(matches)}); give its id`);
  if (model.workloads.length === 0) throw new UsageError(`no workload "${s}": the paths hold no workloads`);
  throw new UsageError(`no workload "${s}"; workloads: ${list(model.workloads)}`);
}

function list(ws: readonly Workload[]): string {
  const ids = ws
    .slice(0, SHOWN)
    .map((w) => w.id)
    .join(', ');
  return ws.length > SHOWN ? `${ids}, ... (${ws.length} in all)` : ids;
}
