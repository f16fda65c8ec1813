// Code lenses: above each NetworkPolicy what it selects and allows; above each workload how
// connected it is (text and place from engine/report/lenses). Clicking focuses the item in the NetLens tree.
import type { CodeLens, Connection } from 'vscode-languageserver';
import type { ServerState } from '../state';
import type { SourceRef } from '../engine/model/types';
import { checkCancelled } from './cancel';
import { toRange as rangeOf } from './convert';
import { snapshotFor } from './snapshotFor';
import { lookup } from '../engine/model/lookup';
import { lensOffset, policyLensTitle, workloadLensTitle } from '../engine/report/lenses';
import { changeLenses } from './changes';

export function registerCodeLens(connection: Connection, state: ServerState): void {
  connection.onCodeLens(async (params, token) => {
    state.lastRequest = Date.now();
    checkCancelled(token);
    if (!state.settings.codeLens) return [];
    const uri = params.textDocument.uri;
    const snap = await snapshotFor(state, uri, token);
    const text = snap.text(uri);
    if (text === undefined) return [];
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
    // on the object's kind: line (an empty range there), not on its name between metadata: and name:
    const at = (o: { ref: SourceRef; objectRef: SourceRef }) => {
      const name = snap.mapRef(o.ref);
      const object = snap.mapRef(o.objectRef);
      const start = object.uri === uri && object.start <= name.start ? lensOffset(text, object.start, name.start) : name.start;
      return rangeOf(snap, { uri, start, end: start });
    };
    for (const p of inFile.policies) {
      lenses.push({ range: at(p), command: { title: policyLensTitle(model, p), command: 'netlens.focusPolicy', arguments: [p.id] } });
    }
    // only workloads' lenses need the matrix (policy files' lenses do not wait for it after an edit)
    for (const w of inFile.workloads) {
      lenses.push({
        range: at(w),
        command: { title: workloadLensTitle(snap.matrix.degree(w)), command: 'netlens.focusWorkload', arguments: [w.id] },
      });
    }
    // the policies whose change (against git HEAD) opens or closes connections
    lenses.push(...changeLenses(state, snap, uri));
    return lenses;
  });
}
