// What every CLI command gets: the global options and the output streams.
import type { Model, ModelOptions } from '../engine/model/types';
import type { Locator } from '../engine/report/locate';

export interface CommandContext {
  options: Partial<ModelOptions>;
  /** --threads: parse threads for large inputs (0 auto, 1 none) */
  threads: number;
  /** --helm: the helm executable (checked to exist); undefined: helm on PATH. The CLI renders charts as trusted. */
  helmPath?: string;
  verbose: boolean;
  /** --max-size-kb in bytes: files over it are skipped */
  maxFileBytes: number;
  /** --scope ID: the scope to analyse */
  scope?: string;
  out(text: string): void;
  err(text: string): void;
  /** one stderr line per skipped file/document (with --verbose), else a one-line summary */
  reportSkips(model: Model, locator: Locator): void;
}
