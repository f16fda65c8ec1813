// Turns SourceRefs into file:line:col for reports (1-based, as editors and compilers print them).
import { LineIndex } from '../parse/lines';
import type { SourceRef } from '../model/types';

export interface Location {
  file: string;
  line: number;
  col: number;
}

export class Locator {
  private readonly indexes = new Map<string, LineIndex>();
  private readonly texts = new Map<string, string>();

  constructor(
    sources: readonly { uri: string; text: string }[],
    private readonly display: (uri: string) => string = (u) => u,
  ) {
    for (const s of sources) this.texts.set(s.uri, s.text);
  }

  locate(ref: SourceRef): Location {
    let idx = this.indexes.get(ref.uri);
    if (!idx) {
      idx = new LineIndex(this.texts.get(ref.uri) ?? '');
      this.indexes.set(ref.uri, idx);
    }
    const p = idx.position(ref.start);
    return { file: this.display(ref.uri), line: p.line + 1, col: p.character + 1 };
  }

  format(ref: SourceRef): string {
    const l = this.locate(ref);
    return `${l.file}:${l.line}:${l.col}`;
  }
}
