// `npm run conformance:kustomize [DIR]`: renders every root kustomization of a corpus (default
// ../shared/corpora/kustomize/repos; a root is a kustomization no other one includes) with NetLens
// and with `kubectl kustomize`, and prints passed/total and the differences. First, for every kustomization
// of the corpus, that scope detection's scan (kustomize/reads.ts) finds exactly the files its render reads.
// Each root also renders through the incremental pipeline (one memo for all) and must give the same result.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { newRenderMemo, renderKustomization } from '../../server/src/engine/kustomize';
import { KustomizeRenderCache } from '../../server/src/engine/scopes';
import { compareOutputs, diskFs, findKubectl, INSTALL_SCRIPT, kubectlKustomize, printLikeKubectl } from '../support/kustomize';

const NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

function kustomizationDirs(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    const names = readdirSync(d);
    if (names.some((n) => NAMES.includes(n))) out.push(d);
    for (const n of names.sort()) if (statSync(path.join(d, n)).isDirectory()) walk(path.join(d, n));
  };
  walk(root);
  return out;
}

/** Directories a kustomization refers to (resources, bases, components). */
function referencedDirs(dir: string): string[] {
  const file = NAMES.map((n) => path.join(dir, n)).find((p) => diskFs.readFile(p) !== undefined)!;
  const data = parseDocument(diskFs.readFile(file)!).toJS() as Record<string, unknown> | null;
  const refs: string[] = [];
  for (const key of ['resources', 'bases', 'components'])
    for (const e of Array.isArray(data?.[key]) ? (data![key] as unknown[]) : []) if (typeof e === 'string') refs.push(path.resolve(dir, e));
  return refs;
}

const corpus = path.resolve(process.argv[2] ?? '../shared/corpora/kustomize/repos');

// the scan against the render, for every kustomization (no kubectl needed)
let scanSame = 0;
const allDirs = kustomizationDirs(corpus);
for (const dir of allDirs) {
  const cache = new KustomizeRenderCache();
  const scanned = cache.filesToRead(diskFs, dir).sort();
  cache.render(diskFs, dir);
  const read = cache.filesRead(dir).sort();
  if (JSON.stringify(scanned) === JSON.stringify(read)) scanSame++;
  else {
    console.log(`SCAN ${path.relative(corpus, dir)}: the scan and the render read different files`);
    for (const f of scanned.filter((x) => !read.includes(x))) console.log(`    only scanned: ${path.relative(corpus, f)}`);
    for (const f of read.filter((x) => !scanned.includes(x))) console.log(`    only rendered: ${path.relative(corpus, f)}`);
  }
}
console.log(`scope scan: ${scanSame}/${allDirs.length} kustomizations: the scan finds the files their render reads`);
if (scanSame !== allDirs.length) process.exitCode = 1;

const kubectl = findKubectl();
if (!kubectl) {
  console.error(`kubectl not found: run ${INSTALL_SCRIPT} (or set KUBECTL)`);
  process.exit(2);
}
const dirs = kustomizationDirs(corpus);
const included = new Set(dirs.flatMap(referencedDirs));
const roots = dirs.filter((d) => !included.has(path.resolve(d)));
let passed = 0;
const memo = newRenderMemo();
for (const dir of roots) {
  const rel = path.relative(corpus, dir);
  const want = kubectlKustomize(kubectl, dir);
  const result = renderKustomization(diskFs, dir);
  const errors = result.findings.filter((f) => f.severity === 'error');
  let diffs: string[];
  if (!want.ok) diffs = errors.length ? [] : [`kubectl fails (${want.stderr.trim().split('\n')[0]}) but NetLens reports no error`];
  else diffs = [...compareOutputs(want.stdout, printLikeKubectl(result)), ...errors.map((f) => `finding: ${f.message}`)];
  // the incremental render (kustomize/steps.ts), with a memo shared by every root, renders the same
  const incremental = renderKustomization(diskFs, dir, memo);
  if (JSON.stringify(incremental) !== JSON.stringify(result))
    diffs.push('the incremental render (with a memo) differs from the simple one');
  if (diffs.length === 0) passed++;
  console.log(`${diffs.length === 0 ? 'PASS' : 'FAIL'} ${rel} (${result.objects.length} objects)`);
  for (const d of diffs.slice(0, 20)) console.log(`    ${d}`);
  if (diffs.length > 20) console.log(`    ... ${diffs.length - 20} more`);
}
console.log(`kustomize conformance: ${passed}/${roots.length} roots render as kubectl kustomize does`);
if (passed !== roots.length) process.exitCode = 1;
