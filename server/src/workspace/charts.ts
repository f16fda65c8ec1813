// Which Helm chart a file is a template of: a file under a `templates/` folder whose parent folder
// holds a Chart.yaml. The engine has no file system, so the loaders (workspace, CLI) ask here and
// pass the answer to the parser.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileSystemPath } from './fileUri';
import type { ParseOptions } from '../engine/parse/documents';

/** The chart's folder name, when `file` is under its templates/ folder. */
export function chartOfPath(file: string, exists: (p: string) => boolean = existsSync): string | undefined {
  let dir = path.dirname(file);
  for (;;) {
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    if (path.basename(dir) === 'templates' && exists(path.join(parent, 'Chart.yaml'))) return path.basename(parent);
    dir = parent;
  }
}

export function parseOptionsForPath(file: string): ParseOptions {
  const chart = chartOfPath(file);
  return chart ? { chart } : {};
}

/** For a document URI: only file: URIs have a place on disk. */
export function parseOptionsForUri(uri: string): ParseOptions {
  if (!uri.includes('/templates/')) return {};
  const file = fileSystemPath(uri);
  return file === undefined ? {} : parseOptionsForPath(file);
}
