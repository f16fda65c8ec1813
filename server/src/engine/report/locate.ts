// Turns SourceRefs into file:line:col for reports (1-based, as editors and compilers print them).
import { LineIndex } from '../parse/lines';
import type { SourceRef } from '../model/types';

export interface Location {
  file: string;
  line: number;
  col: number;
}

/**
 * Formats SourceRefs as file:line:col. The one offset -> line/column conversion is LineIndex; the
 * Locator only asks for the index of a uri (the CLI builds them from its sources, the server's
 * Snapshot from its texts).
 */
export class Locator {
  constructor(
    private readonly lineIndex: (uri: string) => LineIndex,
    private readonly display: (uri: string) => string = (u) => u,
    /** where a place in a rendered scope really is (its source file), for rendered scopes */
    private readonly mapRef: (ref: SourceRef) => SourceRef = (r) => r,
  ) {}

  /** A Locator over the given texts (unknown uris locate as if empty). */
  static of(
    sources: readonly { uri: string; text: string }[],
    display?: (uri: string) => string,
    mapRef?: (ref: SourceRef) => SourceRef,
  ): Locator {
    const texts = new Map(sources.map((s) => [s.uri, s.text]));
    const indexes = new Map<string, LineIndex>();
    return new Locator(
      (uri) => {
        let idx = indexes.get(uri);
        if (!idx) indexes.set(uri, (idx = new LineIndex(texts.get(uri) ?? '')));
        return idx;
      },
      display,
      mapRef,
    );
  }

  locate(at: SourceRef): Location {
    const ref = this.mapRef(at);
    const p = this.lineIndex(ref.uri).position(ref.start);
    return { file: this.display(ref.uri), line: p.line + 1, col: p.character + 1 };
  }

  format(ref: SourceRef): string {
    const l = this.locate(ref);
    return `${l.file}:${l.line}:${l.col}`;
  }
}
