// The engine's public surface: parse sources into a Model, then ask it questions.
import { parseSourceFile } from './parse/sourceFile';
import { buildModel } from './model/build';
import type { Model, ModelOptions } from './model/types';
import type { ParsedFile } from './parse/documents';

export interface SourceText {
  uri: string;
  text: string;
  /** the Helm chart whose templates/ folder holds the file (the caller knows paths; the engine does not) */
  chart?: string;
}

export function analyze(sources: readonly SourceText[], options: Partial<ModelOptions> = {}): Model {
  const parsed: ParsedFile[] = sources.map((s) => parseSourceFile(s.uri, s.text, s.chart ? { chart: s.chart } : {}));
  return buildModel(parsed, options);
}

export { parseSourceFile, buildModel };
export type { Model, ModelOptions, ParsedFile };
