// Where a lens sits: on the object's kind: line (an empty range there), not on its name between
// metadata: and name:. Shared by the reachability lenses and the Changes lenses, so they line up.
import type { Range } from 'vscode-languageserver/node';
import type { SourceRef } from '../engine/model/types';
import { lensOffset } from '../engine/report/lenses';
import type { Snapshot } from '../workspace/snapshot';
import { toRange } from './convert';

export function lensRange(snap: Snapshot, uri: string, text: string, o: { ref: SourceRef; objectRef: SourceRef }): Range {
  const name = snap.mapRef(o.ref);
  const object = snap.mapRef(o.objectRef);
  const start = object.uri === uri && object.start <= name.start ? lensOffset(text, object.start, name.start) : name.start;
  return toRange(snap, { uri, start, end: start });
}
