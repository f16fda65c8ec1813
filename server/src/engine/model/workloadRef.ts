// Finds the workload a reference names, the same way for the CLI's arguments and the editor's
// requests: an id (`ns/name[Kind]`), `ns/name`, a unique name, or the id of a pod folded into its controller.
import type { Model, Workload } from './types';

/** A reference that names no workload, or several: the message says which and lists candidates. */
export class WorkloadRefError extends Error {}

const SHOWN = 5;

/** The workload `spec` names; throws WorkloadRefError when none or several match (`where` names the inputs in its message). */
export function findWorkload(model: Model, spec: string, where = 'the workspace'): Workload {
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
  if (matches.length > 1) throw new WorkloadRefError(`"${s}" names ${matches.length} workloads (${list(matches)}); give its id`);
  if (model.workloads.length === 0) throw new WorkloadRefError(`no workload "${s}": there are no workloads in ${where}`);
  throw new WorkloadRefError(`no workload "${s}"; workloads: ${list(model.workloads)}`);
}

function list(ws: readonly Workload[]): string {
  const ids = ws
    .slice(0, SHOWN)
    .map((w) => w.id)
    .join(', ');
  return ws.length > SHOWN ? `${ids}, ... (${ws.length} in all)` : ids;
}
