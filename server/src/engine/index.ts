// The engine's public surface: parse sources into a Model, then ask it questions.
import { parseSourceFile } from './parse/sourceFile';
import { buildModel, combineFileModels, DEFAULT_OPTIONS, readFileModel } from './model/build';
import type { Model, ModelOptions } from './model/types';
import type { ParsedFile } from './parse/documents';

export interface SourceText {
  uri: string;
  text: string;
  /** the Helm chart whose templates/ folder holds the file (the caller knows paths; the engine does not) */
  chart?: string;
}

export function analyze(sources: readonly SourceText[], options: Partial<ModelOptions> = {}): Model {
  // each file's YAML tree is read into its file model at once and dropped (what buildModel does, without
  // keeping every file's tree alive until the last one is parsed: most of the peak memory of a large run)
  const defaultNamespace = options.defaultNamespace ?? DEFAULT_OPTIONS.defaultNamespace;
  const files = sources.map((s) => readFileModel(parseSourceFile(s.uri, s.text, s.chart ? { chart: s.chart } : {}), defaultNamespace));
  return combineFileModels(files, options);
}

export { parseSourceFile, buildModel };
export type { Model, ModelOptions, ParsedFile };
