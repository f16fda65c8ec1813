// `helm template` output as a scope's objects: one per document, each traced to the template file that
// printed it through the `# Source: chart/templates/x.yaml` comment helm writes above every document.
// Template files are not the YAML a person would see, so places found there are marked approximate.
import type { Finding } from '../model/types';
import type { ScopeRender } from './types';

/** The chart-relative file of a `# Source:` line (the first segment is the chart's name, not its folder). */
function sourceFileOf(doc: string): string | undefined {
  const m = /^# Source: (.+?)\s*$/m.exec(doc);
  if (!m) return undefined;
  const rel = m[1].split('/').slice(1).join('/');
  return rel && !rel.split('/').includes('..') ? rel : undefined;
}

/** Whether a document holds anything but comments and blank lines. */
function hasContent(doc: string): boolean {
  return doc.split('\n').some((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
}

/**
 * The objects of `helm template`'s output, with origins in the chart's template files.
 * `uriOf` turns a path into the URI reports use.
 */
export function helmScopeRender(yaml: string, chartDir: string, uriOf: (path: string) => string, findings: Finding[] = []): ScopeRender {
  const seen = new Map<string, number>();
  const objects: ScopeRender['objects'] = [];
  for (const raw of yaml.split(/^---[ \t]*$\n?/m)) {
    if (!hasContent(raw)) continue;
    const doc = raw.endsWith('\n') ? raw : `${raw}\n`;
    const rel = sourceFileOf(doc);
    if (rel === undefined) {
      objects.push({ yaml: doc });
      continue;
    }
    // helm sorts its output by kind, keeping a template's order within a kind: the n-th Service from a
    // file is the n-th document of that file that says `kind: Service` (loops aside)
    const kind = /^kind:\s*["']?([A-Za-z0-9]+)/m.exec(doc)?.[1];
    const key = `${rel}\0${kind ?? ''}`;
    const index = seen.get(key) ?? 0;
    seen.set(key, index + 1);
    objects.push({
      yaml: doc,
      origin: { uri: uriOf(`${chartDir}/${rel}`), index, kustomizations: [], patches: [], template: kind ? { kind } : {} },
    });
  }
  return { objects, findings };
}
