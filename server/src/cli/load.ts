// Loads the paths of a CLI run into a Model, with a Locator for file:line:col output.
import { analyze } from '../engine';
import type { Model, ModelOptions } from '../engine/model/types';
import { Locator } from '../engine/report/locate';
import { loadPaths } from './files';
import { UsageError } from './args';

export interface Loaded {
  model: Model;
  locator: Locator;
}

export function loadModel(paths: readonly string[], options: Partial<ModelOptions>): Loaded {
  if (paths.length === 0) throw new UsageError('no PATH given: name the manifest files or directories to analyse');
  const files = loadPaths(paths);
  if (files.missing.length) throw new UsageError(`no such file or directory: ${files.missing.join(', ')}`);
  const model = analyze(files.sources, options);
  model.skipped.unshift(...files.skipped);
  return { model, locator: new Locator(files.sources) };
}
