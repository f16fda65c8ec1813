// Code lenses: above each NetworkPolicy what it selects and allows; above each workload how
// connected it is (text and place from engine/report/lenses). Clicking focuses the item in the NetLens tree.
import type { CodeLens, Connection } from 'vscode-languageserver';
import type { ServerState } from '../state';
import type { SourceRef } from '../engine/model/types';
import { checkCancelled } from './cancel';
import { snapshotFor } from './snapshotFor';
import { patchPolicyIndexSoon } from '../workspace/idlePatch';
import { lookup } from '../engine/model/lookup';
import { policyLensTitle, workloadLensTitle } from '../engine/report/lenses';
import { changeLenses } from './changes';
import { lensRange } from './lensRange';

export function registerCodeLens(connection: Connection, state: ServerState): void {
  connection.onCodeLens(async (params, token) => {
    state.lastRequest = Date.now();
    checkCancelled(token);
    if (!state.settings.codeLens) return [];
    const uri = params.textDocument.uri;
    const snap = await snapshotFor(state, uri, token);
    // after this answer (a policy file's lenses do not need it), the snapshot's policy index is patched for the next
    patchPolicyIndexSoon(state, snap);
    const text = snap.text(uri);
    if (text === undefined) return [];
    const model = snap.model;
    const lenses: CodeLens[] = [];
    // a rendered scope's objects are in one virtual file: the ones that come from this file
    const rendered = snap.scoping?.view !== undefined;
    // read object by object: only the objects that can map to this file are mapped
    const near = snap.analysedUrisFor(uri);
    const maybe = (ref: SourceRef) => !near || near.has(ref.uri);
    const inFile = rendered
      ? {
          policies: model.policies.filter((p) => maybe(p.ref) && snap.mapRef(p.ref).uri === uri),
          workloads: model.workloads.filter((w) => maybe(w.ref) && snap.mapRef(w.ref).uri === uri),
        }
      : lookup(model).inFiles(new Set([uri]));
    const at = (o: { ref: SourceRef; objectRef: SourceRef }) => lensRange(snap, uri, text, o);
    for (const p of inFile.policies) {
      lenses.push({ range: at(p), command: { title: policyLensTitle(model, p), command: 'netlens.focusPolicy', arguments: [p.id] } });
    }
    // workloads' lenses count from the policy index (carried over after an edit), or the matrix once computed
    for (const w of inFile.workloads) {
      lenses.push({
        range: at(w),
        command: { title: workloadLensTitle(snap.degree(w)), command: 'netlens.focusWorkload', arguments: [w.id] },
      });
    }
    // the policies whose change (against git HEAD) opens or closes connections
    lenses.push(...changeLenses(state, snap, uri));
    return lenses;
  });
}
