// netlens/changes (the "Changes" view) and the changed-policy code lenses: the working state against
// git HEAD, computed by workspace/changes.ts (the engine's diff), converted to the protocol here.
import { lensRange } from './lensRange';
import { type CodeLens, type Connection, type Diagnostic } from 'vscode-languageserver';
import type { ServerState } from '../state';
import type { Snapshot } from '../workspace/snapshot';
import { WorkspaceChanges, type ChangesOutcome } from '../workspace/changes';
import { modelOptions } from '../settings';
import type { DiffCause, DiffEnd, DiffEntry } from '../engine/diff/types';
import type { SourceRef } from '../engine/model/types';
import { entryPortsText, entrySideText, exposureMessage, exposureWhat, policyCountsTitle } from '../engine/report/changesText';
import { NEWLY_EXPOSED } from '../engine/diff/exposure';
import { describe } from '../engine/net/ports';
import * as P from '../../../protocol/messages';
import { toDiagnostic, toRange } from './convert';
import { checkCancelled } from './cancel';

const perState = new WeakMap<ServerState, WorkspaceChanges>();

/** The working state against HEAD for the snapshot (kept per snapshot, so views and lenses share one diff). */
export function changesFor(state: ServerState, snap: Snapshot): ChangesOutcome {
  let c = perState.get(state);
  if (!c) perState.set(state, (c = new WorkspaceChanges()));
  return c.compute(snap, state.folders, modelOptions(state.settings), state.workspaceTrusted === true);
}

/** HEAD may have moved (a file that moves it changed): the next question looks at HEAD again. */
export function forgetHead(state: ServerState): void {
  perState.get(state)?.headMoved();
}

function location(snap: Snapshot, at: SourceRef): P.Location {
  const ref = snap.mapRef(at);
  return { uri: ref.uri, range: toRange(snap, ref) };
}

const namespaceOf = (end: DiffEnd) => (end.kind === 'workload' ? end.id.split('/')[0] : undefined);

function causeDto(snap: Snapshot, c: DiffCause): P.ChangeCauseDto {
  // HEAD's places are in text the working state no longer has: only the head version's are linked
  return {
    text: c.text,
    ...(c.version === 'head' && c.ref && snap.text(snap.mapRef(c.ref).uri) !== undefined ? { location: location(snap, c.ref) } : {}),
  };
}

function entryDto(snap: Snapshot, e: DiffEntry): P.ChangeEntryDto {
  return {
    category: e.category,
    namespace: namespaceOf(e.destination) ?? namespaceOf(e.source) ?? '',
    source: { ...e.source },
    destination: { ...e.destination },
    ports: entryPortsText(e),
    before: entrySideText(e, 'before'),
    after: entrySideText(e, 'after'),
    causes: e.causes.map((c) => causeDto(snap, c)),
  };
}

export function changesResult(state: ServerState, snap: Snapshot): P.ChangesResult {
  const r = changesFor(state, snap);
  if (!r.ok) return { version: snap.version, available: false, reason: r.reason, commits: [], entries: [], exposed: [] };
  const c = r.changes;
  return {
    version: snap.version,
    available: true,
    commits: c.commits,
    entries: c.diff.entries.map((e) => entryDto(snap, e)),
    exposed: c.exposed.map((x) => ({
      workload: x.workload,
      direction: x.direction,
      peer: x.peer,
      what: exposureWhat(x),
      ports: `${describe(x.before)} -> ${describe(x.after)}`,
      why: x.why,
      location: location(snap, x.ref),
    })),
  };
}

/** "+3 / -1 connections" above each policy of `uri` whose change opens or closes connections. */
export function changeLenses(state: ServerState, snap: Snapshot, uri: string): CodeLens[] {
  const r = changesFor(state, snap);
  if (!r.ok) return [];
  const lenses: CodeLens[] = [];
  const text = snap.text(uri);
  if (text === undefined) return [];
  for (const p of snap.model.policies) {
    const counts = r.changes.counts.get(p.id);
    if (!counts || snap.mapRef(p.ref).uri !== uri) continue;
    lenses.push({
      range: lensRange(snap, uri, text, p),
      command: { title: policyCountsTitle(counts), command: 'netlens.changes.focus', arguments: [] },
    });
  }
  return lenses;
}

/**
 * A warning where the working state newly exposes a workload (engine/diff/exposure.ts, against HEAD):
 * rule newly-exposed of docs/rules.md, its severity set by netlens.rules like every rule's.
 */
export function exposureDiagnostics(state: ServerState, snap: Snapshot, uri: string): Diagnostic[] {
  const r = changesFor(state, snap);
  if (!r.ok) return [];
  return r.changes.exposed.flatMap((x) => {
    const ref = snap.mapRef(x.ref);
    if (ref.uri !== uri) return [];
    return toDiagnostic(snap, { code: NEWLY_EXPOSED, severity: 'warning', message: exposureMessage(x), ref }, state.settings.rules) ?? [];
  });
}

export function registerChanges(connection: Connection, state: ServerState): void {
  connection.onRequest(P.ChangesRequest, (token): P.ChangesResult => {
    checkCancelled(token);
    return changesResult(state, state.index.snapshot);
  });
}
