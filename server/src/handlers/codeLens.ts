// Code lenses: above each NetworkPolicy what it selects and allows; above each workload how
// connected it is. Clicking focuses the item in the NetLens tree.
import type { CodeLens, Connection } from 'vscode-languageserver';
import type { ServerState } from '../state';
import { toRange } from './convert';
import { peerMatches, policySelects } from '../engine/policy/semantics';
import type { Model, NetworkPolicy, PolicyRule } from '../engine/model/types';

function peerCount(model: Model, p: NetworkPolicy, rules: PolicyRule[]): string {
  if (rules.length === 0) return 'nothing';
  if (rules.some((r) => !r.peers)) return 'everyone';
  const n = model.workloads.filter((w) => rules.some((r) => r.peers!.some((peer) => peerMatches(peer, p.namespace, w, model)))).length;
  const ip = rules.some((r) => r.peers!.some((peer) => peer.ipBlock)) ? ' + IP ranges' : '';
  return `${n} workload${n === 1 ? '' : 's'}${ip}`;
}

export function registerCodeLens(connection: Connection, state: ServerState): void {
  connection.onCodeLens((params) => {
    if (!state.settings.codeLens) return [];
    const snap = state.index.snapshot;
    const uri = params.textDocument.uri;
    if (snap.text(uri) === undefined) return [];
    const model = snap.model;
    const lenses: CodeLens[] = [];
    for (const p of model.policies) {
      if (p.objectRef.uri !== uri) continue;
      const selected = model.workloads.filter((w) => policySelects(p, w, model)).length;
      const parts = [`selects ${selected} workload${selected === 1 ? '' : 's'}`];
      if (p.policyTypes.includes('Ingress')) parts.push(`ingress from ${peerCount(model, p, p.ingress)}`);
      if (p.policyTypes.includes('Egress')) parts.push(`egress to ${peerCount(model, p, p.egress)}`);
      lenses.push({ range: toRange(snap, p.ref), command: { title: parts.join(' · '), command: 'netlens.focusPolicy', arguments: [p.id] } });
    }
    const matrix = snap.matrix;
    for (const w of model.workloads) {
      if (w.objectRef.uri !== uri) continue;
      const d = matrix.degree(w);
      lenses.push({ range: toRange(snap, w.ref), command: { title: `reachable from ${d.reachableFrom} · reaches ${d.reaches}`, command: 'netlens.focusWorkload', arguments: [w.id] } });
    }
    return lenses;
  });
}
