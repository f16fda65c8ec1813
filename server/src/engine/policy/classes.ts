// Groups workloads that behave identically under every policy (same namespace, labels, named
// ports, IPs and hostNetwork), so selectors and rules are evaluated once per class.
import type { Workload } from '../model/types';

export interface WorkloadClass {
  index: number;
  /** the first workload of the class; all members behave like it */
  rep: Workload;
  members: Workload[];
}

function classKey(w: Workload): string {
  const labels = Object.keys(w.labels).sort().map((k) => `${k}=${w.labels[k]}`).join(',');
  const ports = w.containers
    .flatMap((c) => c.ports.filter((p) => p.name).map((p) => `${p.name}/${p.protocol}/${p.port}`))
    .sort()
    .join(',');
  return [w.namespace, w.hostNetwork ? 'h' : '', labels, ports, [...w.podIPs].sort().join(',')].join('\u0000');
}

export function groupClasses(workloads: readonly Workload[]): { classes: WorkloadClass[]; classOf: Map<Workload, number> } {
  const byKey = new Map<string, WorkloadClass>();
  const classes: WorkloadClass[] = [];
  const classOf = new Map<Workload, number>();
  for (const w of workloads) {
    const k = classKey(w);
    let c = byKey.get(k);
    if (!c) {
      c = { index: classes.length, rep: w, members: [] };
      byKey.set(k, c);
      classes.push(c);
    }
    c.members.push(w);
    classOf.set(w, c.index);
  }
  return { classes, classOf };
}
