// Code lenses: above each NetworkPolicy what it selects and allows; above each workload how
// connected it is. Clicking focuses the item in the NetLens tree.
import type { CodeLens, Connection } from 'vscode-languageserver';
import type { ServerState } from '../state';
import { checkCancelled } from './cancel';
import { toRange as rangeOf } from './convert';
import { snapshotFor } from './snapshotFor';
import { ruleWorkloadsOf, selectedWorkloads } from '../engine/policy/semantics';
import type { Model, NetworkPolicy, PolicyRule, SourceRef } from '../engine/model/types';
import type { Snapshot } from '../workspace/snapshot';
import { lookup } from '../engine/model/lookup';
import { changeLenses } from './changes';

function peerCount(model: Model, p: NetworkPolicy, rules: PolicyRule[]): string {
  if (rules.length === 0) return 'nothing';
  if (rules.some((r) => !r.peers)) return 'everyone';
  const matched = new Set<unknown>();
  for (const r of rules) for (const w of ruleWorkloadsOf(model, r, p.namespace)) matched.add(w);
  const n = matched.size;
  const ip = rules.some((r) => r.peers!.some((peer) => peer.ipBlock)) ? ' + IP ranges' : '';
  return `${n} workload${n === 1 ? '' : 's'}${ip}`;
}

export function registerCodeLens(connection: Connection, state: ServerState): void {
  connection.onCodeLens(async (params, token) => {
    state.lastRequest = Date.now();
    checkCancelled(token);
    if (!state.settings.codeLens) return [];
    const uri = params.textDocument.uri;
    const snap = await snapshotFor(state, uri, token);
    if (snap.text(uri) === undefined) return [];
    const model = snap.model;
    const lenses: CodeLens[] = [];
    // a rendered scope's objects are in one virtual file: the ones that come from this file
    const rendered = snap.scoping?.view !== undefined;
    const inFile = rendered
      ? {
          policies: model.policies.filter((p) => snap.mapRef(p.ref).uri === uri),
          workloads: model.workloads.filter((w) => snap.mapRef(w.ref).uri === uri),
        }
      : lookup(model).inFiles(new Set([uri]));
    const toRange = (s: Snapshot, ref: SourceRef) => rangeOf(s, s.mapRef(ref));
    for (const p of inFile.policies) {
      const selected = selectedWorkloads(model, p).length;
      const parts = [`selects ${selected} workload${selected === 1 ? '' : 's'}`];
      if (p.policyTypes.includes('Ingress')) parts.push(`ingress from ${peerCount(model, p, p.ingress)}`);
      if (p.policyTypes.includes('Egress')) parts.push(`egress to ${peerCount(model, p, p.egress)}`);
      lenses.push({
        range: toRange(snap, p.ref),
        command: { title: parts.join(' · '), command: 'netlens.focusPolicy', arguments: [p.id] },
      });
    }
    // only workloads' lenses need the matrix (policy files' lenses do not wait for it after an edit)
    for (const w of inFile.workloads) {
      const d = snap.matrix.degree(w);
      lenses.push({
        range: toRange(snap, w.ref),
        command: { title: `reachable from ${d.reachableFrom} · reaches ${d.reaches}`, command: 'netlens.focusWorkload', arguments: [w.id] },
      });
    }
    // the policies whose change (against git HEAD) opens or closes connections
    lenses.push(...changeLenses(state, snap, uri));
    return lenses;
  });
}
