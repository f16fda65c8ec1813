// Hover: what a selector, peer, port, Service, workload or host reference means for networking.
import type { Connection } from 'vscode-languageserver';
import { MarkupKind } from 'vscode-languageserver';
import type { ServerState } from '../state';
import { nodeAt } from '../engine/report/nodeAt';
import { hoverMarkdown } from '../engine/report/hovers';
import { scopeNote } from '../engine/report/scopeNote';
import { toRange } from './convert';
import { checkCancelled } from './cancel';
import { snapshotFor } from './snapshotFor';
import { patchPolicyIndexSoon } from '../workspace/idlePatch';
import type { Snapshot } from '../workspace/snapshot';
import type { SourceRef } from '../engine/model/types';
import { mdCode, mdLink, mdText } from '../../../protocol/markdown';

/** A link to a workspace document's line, labelled with literal `label`; the label alone (as code) for anything else. */
function linkTo(snap: Snapshot, label: string, at: SourceRef): string {
  const ref = snap.mapRef(at);
  if (!ref.uri || snap.text(ref.uri) === undefined) return mdCode(label);
  const l = snap.locator.locate(ref);
  return mdLink(label, ref.uri, `L${l.line},${l.col}`);
}

export function registerHover(connection: Connection, state: ServerState): void {
  connection.onHover(async (params, token) => {
    state.lastRequest = Date.now();
    checkCancelled(token);
    const uri = params.textDocument.uri;
    const snap = await snapshotFor(state, uri, token);
    // after this answer, the snapshot's policy index is patched for the lenses that follow the edit
    patchPolicyIndexSoon(state, snap);
    if (snap.text(uri) === undefined) return null;
    // in a rendered scope the model knows the rendered objects: ask about the same field there
    const at = snap.toAnalysed(uri, snap.lines(uri).offset(params.position));
    if (!at) return null;
    const hit = nodeAt(snap.model, at.uri, at.offset);
    if (!hit) return null;
    const md = hoverMarkdown(hit, {
      model: snap.model,
      get matrix() {
        return snap.matrix;
      },
      // a workload's degree as its code lens counts it: right after an edit, from the carried-over policy index
      degree: (w) => snap.degree(w),
      // on first use: most hovers (selectors, ports) never ask for a DNS record
      get dns() {
        return snap.dns;
      },
      link: (label, ref) => linkTo(snap, label, ref),
      code: mdCode,
      text: mdText,
      maxItems: state.settings.hoverMaxItems,
    });
    checkCancelled(token);
    if (!md) return null;
    const scopes = snap.scopes.length > 1 ? `\n\n---\n${scopeNote(snap.activeScope, snap.scopesOf(uri), mdCode)}` : '';
    const range = snap.mapRef(hit.ref);
    return {
      contents: { kind: MarkupKind.Markdown, value: md + scopes },
      ...(range.uri === uri ? { range: toRange(snap, range) } : {}),
    };
  });
}
