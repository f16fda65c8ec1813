import { statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, opt, UsageError } from '../args';
import { loadFilesInScope, loadModel, type Loaded } from '../load';
import { readGitVersion, resolveRevision } from '../gitVersion';
import { KustomizeRenderCache } from '../../engine/scopes';
import { ObjectModelCache } from '../../engine/model/renderedFileModel';
import type { Location } from '../../engine/report/locate';
import { diffAnalyses, type ConnectivityDiff, type DiffCause } from '../../engine/diff';
import {
  DIFF_FORMATS,
  diffCsv,
  diffJson,
  diffMarkdown,
  diffText,
  type DiffFormat,
  type DiffReportContext,
} from '../../engine/report/diffFormats';
import { diffSarif } from '../../engine/report/sarif';
import { newlyExposed, type Exposure } from '../../engine/diff/exposure';
import { parseRulesDoc } from '../../engine/report/rulesDoc';
import { readRulesDoc } from './lint';
import type { CommandContext } from '../context';

export const FAIL_ON = ['added', 'removed', 'changed', 'exposure'] as const;

export const diffHelp = `usage: netlens [global options] diff [--base REF|DIR] [--head REF|DIR] [--format text|md|json|csv|sarif] [--fail-on WHAT] [PATH...]

What does a change open or close? Compares the connectivity of two versions of the manifests: one
entry per (source, destination) that is changed, added or removed (np-guard's vocabulary), with the
ports before and after and the causes (policies, rules, workloads, namespaces, Services, DNS
configuration) at their place in the version that holds them. A name a pod uses (in a URL or a host
variable) that stops resolving, or lands elsewhere, is an entry too.
  --base REF|DIR   a git revision (read with git, no network) or a directory (default HEAD)
  --head REF|DIR   a git revision or a directory (default: the working tree)
  --format F       text (default), md (a pull-request comment), json (docs/cli.md), csv (np-guard's
                   columns), sarif (SARIF 2.1.0, for code scanning)
  --fail-on WHAT   exit 1 when the diff has an entry of this category: added, removed, changed, or
                   exposure: the change newly exposes a workload (rule newly-exposed): the exposure
                   analysis of "matrix --exposure" grants, in the head version, ports to the entire
                   cluster, to pods of some namespaces, or to an address range (0.0.0.0/0 included)
                   that the base version did not grant; repeat or separate with commas
PATHs are the files and folders to compare (default "."), relative to the current folder; with two
directories they are read inside each.`;

type Side = { kind: 'git'; commit: string; name: string } | { kind: 'dir'; dir: string; name: string } | { kind: 'worktree'; name: string };

function sideOf(spec: string | undefined, fallback: Side, cwd: string): Side {
  if (spec === undefined) return fallback;
  let isDir = false;
  try {
    isDir = statSync(path.resolve(cwd, spec)).isDirectory();
  } catch {
    /* not a directory: a revision */
  }
  if (isDir) return { kind: 'dir', dir: spec, name: spec };
  const commit = resolveRevision(spec, cwd);
  if (!commit) throw new UsageError(`--base/--head "${spec}" is neither a directory nor a git revision of the repository here`);
  return { kind: 'git', commit, name: spec };
}

/** One version as "a set of files -> analysis": the model and the locator of its texts. */
async function loadSide(
  side: Side,
  paths: readonly string[],
  cx: CommandContext & { renderCache: KustomizeRenderCache; objectModels: ObjectModelCache },
  cwd: string,
): Promise<Loaded> {
  if (side.kind === 'git') {
    const files = readGitVersion(side.commit, paths, cwd);
    // the scope (--scope, or the only one) rendered from that version's files
    return loadFilesInScope(files.sources, files.skipped, paths, cx);
  }
  if (side.kind === 'dir')
    return loadModel(
      paths.map((p) => path.join(side.dir, p)),
      cx,
    );
  return loadModel(paths, cx);
}

export async function runDiff(argv: string[], cx: CommandContext): Promise<number> {
  const a = parseArgs(argv, {
    '--base': { value: true },
    '--head': { value: true },
    '--format': { value: true, choices: DIFF_FORMATS },
    '--fail-on': { value: true, multiple: true },
  });
  const failOn = new Set((a.options.get('--fail-on') ?? []).flatMap((v) => v.split(',').map((s) => s.trim())));
  for (const f of failOn)
    if (!(FAIL_ON as readonly string[]).includes(f)) throw new UsageError(`--fail-on must be ${FAIL_ON.join('|')}, not "${f}"`);
  const cwd = process.cwd();
  const base = sideOf(opt(a, '--base'), { kind: 'git', commit: resolveRevision('HEAD', cwd) ?? '', name: 'HEAD' }, cwd);
  if (base.kind === 'git' && !base.commit)
    throw new UsageError('no --base given and the current folder is not in a git repository with a HEAD commit');
  const head = sideOf(opt(a, '--head'), { kind: 'worktree', name: 'working tree' }, cwd);
  // normalised to the current folder, so that both versions name files alike
  const paths = (a.positionals.length ? a.positionals : ['.']).map((p) => path.relative(cwd, path.resolve(cwd, p)) || '.');
  // one render cache for both versions: what is the same in both (the base, unchanged overlays) renders
  // once; and one cache of rendered objects' models: the head parses only the objects that changed
  const shared = { ...cx, renderCache: new KustomizeRenderCache(), objectModels: new ObjectModelCache() };
  const b = await loadSide(base, paths, shared, cwd);
  const h = await loadSide(head, paths, shared, cwd);
  cx.reportSkips(h.model, h.locator);
  const diff = diffAnalyses(b.model, h.model);
  const rcx: DiffReportContext = {
    baseName: base.name,
    headName: head.name,
    locate: (c: DiffCause) => (c.ref ? (c.version === 'base' ? b.locator : h.locator).locate(c.ref) : undefined),
  };
  const exposed = newlyExposed(b.model, h.model);
  cx.out(render((opt(a, '--format') ?? 'text') as DiffFormat, diff, rcx, exposed, (x) => h.locator.locate(x.ref)));
  return failed(diff, failOn, exposed.length > 0) ? 1 : 0;
}

function render(
  format: DiffFormat,
  diff: ConnectivityDiff,
  rcx: DiffReportContext,
  exposed: readonly Exposure[],
  locateHead: (x: Exposure) => Location,
): string {
  switch (format) {
    case 'md':
      return diffMarkdown(diff, rcx, exposed);
    case 'json':
      return diffJson(diff, rcx, exposed);
    case 'csv':
      return diffCsv(diff);
    case 'sarif':
      return `${JSON.stringify(diffSarif(diff, rcx, exposed, locateHead, parseRulesDoc(readRulesDoc())), null, 1)}\n`;
    default:
      return diffText(diff, rcx, exposed);
  }
}

function failed(diff: ConnectivityDiff, failOn: Set<string>, exposure: boolean): boolean {
  if (failOn.has('exposure') && exposure) return true;
  return diff.entries.some((e) => failOn.has(e.category));
}
