// SARIF 2.1.0 (OASIS) logs for `lint` and `diff`: what code scanning (GitHub, GitLab) uploads. Rule
// descriptors come from docs/rules.md; results point at the rule or object; lint fixes carry the
// quick fix's edits.
import type { Finding } from '../model/types';
import type { Fix } from '../lint/fixes';
import type { ConnectivityDiff, DiffEntry } from '../diff/types';
import { NEWLY_EXPOSED, type Exposure } from '../diff/exposure';
import { exposureMessage } from './changesText';
import type { Location, Locator } from './locate';
import type { DiffReportContext } from './diffFormats';
import { workloadsInfo } from './diffFormats';
import { describe } from '../net/ports';
import type { RuleDoc } from './rulesDoc';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFO_URI = 'https://github.com/netlens/netlens';
const RULES_URI = `${INFO_URI}/blob/main/docs/rules.md`;

type Level = 'error' | 'warning' | 'note';
const levelOf = (s: string): Level => (s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note');

function region(start: Location, end?: Location) {
  return { startLine: start.line, startColumn: start.col, ...(end ? { endLine: end.line, endColumn: end.col } : {}) };
}

function physical(l: Location, end?: Location) {
  return { physicalLocation: { artifactLocation: { uri: sarifUri(l.file) }, region: region(l, end) } };
}

/** Relative paths with forward slashes, percent-encoded where a URI needs it. */
function sarifUri(file: string): string {
  return file.split('\\').join('/').split('/').map(encodeURIComponent).join('/');
}

function log(rules: object[], results: object[]) {
  return {
    version: '2.1.0',
    $schema: SARIF_SCHEMA,
    runs: [{ tool: { driver: { name: 'netlens', informationUri: INFO_URI, rules } }, results }],
  };
}

export function lintSarif(
  findings: readonly Finding[],
  locator: Locator,
  docs: ReadonlyMap<string, RuleDoc>,
  fixesOf: (f: Finding) => Fix[] = () => [],
) {
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  const rules = codes.map((id) => {
    const d = docs.get(id);
    return {
      id,
      helpUri: `${RULES_URI}#${id}`,
      ...(d ? { shortDescription: { text: d.summary }, defaultConfiguration: { level: levelOf(d.severity) } } : {}),
    };
  });
  const results = findings.map((f) => {
    const start = locator.locate(f.ref);
    const end = locator.locate({ uri: f.ref.uri, start: f.ref.end, end: f.ref.end });
    const fixes = fixesOf(f).map((x) => ({
      description: { text: x.title },
      artifactChanges: groupByUri(x).map(([uri, edits]) => ({
        artifactLocation: { uri: sarifUri(locator.locate({ uri, start: 0, end: 0 }).file) },
        replacements: edits.map((e) => ({
          deletedRegion: region(locator.locate({ uri, start: e.start, end: e.start }), locator.locate({ uri, start: e.end, end: e.end })),
          insertedContent: { text: e.newText },
        })),
      })),
    }));
    return {
      ruleId: f.code,
      ruleIndex: codes.indexOf(f.code),
      level: levelOf(f.severity),
      message: { text: f.message },
      locations: [physical(start, end)],
      ...(fixes.length ? { fixes } : {}),
    };
  });
  return log(rules, results);
}

function groupByUri(fix: Fix): [string, Fix['edits']][] {
  const m = new Map<string, Fix['edits']>();
  for (const e of fix.edits) m.set(e.uri, [...(m.get(e.uri) ?? []), e]);
  return [...m];
}

/** The diff's rules, documented in docs/rules.md (their metadata read from there; these texts and levels
 *  serve when the CLI runs without its docs). */
const DIFF_RULES = [
  { id: 'connectivity-added', text: 'The change allows a connection that was not allowed before.', level: 'warning' as Level },
  { id: 'connectivity-removed', text: 'The change blocks a connection that was allowed before.', level: 'warning' as Level },
  { id: 'connectivity-changed', text: 'The change alters the ports allowed between two endpoints.', level: 'note' as Level },
  { id: NEWLY_EXPOSED, text: '', level: 'warning' as Level },
];

export function diffSarif(
  d: ConnectivityDiff,
  cx: DiffReportContext,
  exposed: readonly Exposure[] = [],
  locateHead?: (e: Exposure) => Location,
  docs: ReadonlyMap<string, RuleDoc> = new Map(),
) {
  const rules = DIFF_RULES.map((r) => {
    const doc = docs.get(r.id);
    return {
      id: r.id,
      ...(doc || r.text ? { shortDescription: { text: doc?.summary ?? r.text } } : {}),
      defaultConfiguration: { level: doc ? levelOf(doc.severity) : r.level },
      helpUri: `${RULES_URI}#${r.id}`,
    };
  });
  const exposedRule = DIFF_RULES.findIndex((r) => r.id === NEWLY_EXPOSED);
  const results: object[] = d.entries.map((e: DiffEntry) => {
    const id = `connectivity-${e.category}`;
    const headCauses = e.causes.flatMap((c) => (c.version === 'head' && cx.locate(c) ? [{ c, l: cx.locate(c)! }] : []));
    const info = workloadsInfo(e);
    const because = e.causes.map((c) => c.text).join('; ');
    return {
      ruleId: id,
      ruleIndex: DIFF_RULES.findIndex((r) => r.id === id),
      level: rules[DIFF_RULES.findIndex((r) => r.id === id)].defaultConfiguration.level,
      message: {
        text: `${e.category}: ${e.source.id} -> ${e.destination.id}: ${describe(e.before)} -> ${describe(e.after)}${info ? ` (${info})` : ''}${because ? `. Because: ${because}` : ''}`,
      },
      ...(headCauses.length ? { locations: [physical(headCauses[0].l)] } : {}),
      ...(headCauses.length > 1
        ? { relatedLocations: headCauses.slice(1).map((x, i) => ({ id: i, message: { text: x.c.text }, ...physical(x.l) })) }
        : {}),
      partialFingerprints: { netlensDiff: `${e.category}|${e.source.id}|${e.destination.id}` },
    };
  });
  for (const x of exposed) {
    const l = locateHead?.(x);
    results.push({
      ruleId: NEWLY_EXPOSED,
      ruleIndex: exposedRule,
      level: rules[exposedRule].defaultConfiguration.level,
      message: { text: exposureMessage(x, cx.baseName) },
      ...(l ? { locations: [physical(l)] } : {}),
      partialFingerprints: { netlensDiff: `${NEWLY_EXPOSED}|${x.workload}|${x.direction}|${x.peer}` },
    });
  }
  return log(rules, results);
}
