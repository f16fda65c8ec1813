// The engine on bad input (test/fixtures/bad/, see corpus.ts there): analyze() never throws and never
// hangs; every file yields findings with sensible ranges, skips with reasons, or its workloads; and a
// good manifest analysed in the same call is still fully analysed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { analyze } from '../../server/src/engine';
import { lintModel } from '../../server/src/engine/lint';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { MAX_YAML_DEPTH, parseManifestFile } from '../../server/src/engine/parse/documents';
import type { Finding, Model } from '../../server/src/engine/model/types';
import { repoRoot } from '../support/paths';
import { EXPECTED, corpusFiles, corpusRoot } from '../fixtures/bad/corpus';

const GOOD = {
  uri: 'test/good.yaml',
  text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: good\n  namespace: good-ns\n  labels: {app: good}\nspec:\n  containers:\n  - name: app\n    ports: [{containerPort: 8080}]\n',
};
const GOOD_ID = 'good-ns/good[Pod]';
/** One file of the corpus with everything (analysis, lint, matrix) well under this. */
const FILE_MS = 2_000;
/** The whole corpus in one call. */
const CORPUS_MS = 4_000;

const files = corpusFiles(repoRoot());
const source = (rel: string) => ({ uri: `test/fixtures/bad/${rel}`, text: readFileSync(path.join(corpusRoot(repoRoot()), rel), 'utf8') });

/** What the CLI and the language server do with sources: analyse, lint, and walk the whole matrix. */
function fullAnalysis(sources: { uri: string; text: string }[]): { model: Model; findings: Finding[]; ms: number } {
  const t0 = performance.now();
  const model = analyze(sources);
  const findings = lintModel(model);
  for (const c of computeMatrix(model).connections()) void c;
  return { model, findings, ms: performance.now() - t0 };
}

function assertGoodAnalysed(model: Model): void {
  const good = model.workloads.find((w) => w.id === GOOD_ID);
  assert.ok(good, `${GOOD_ID} is analysed`);
  assert.deepEqual(good.labels, { app: 'good' });
  assert.deepEqual(
    good.containers.flatMap((c) => c.ports.map((p) => `${p.port}/${p.protocol}`)),
    ['8080/TCP'],
  );
  assert.equal(GOOD.text.slice(good.ref.start, good.ref.end), 'good');
}

test('every corpus file has an expectation, and every expectation a file', () => {
  assert.deepEqual(files, Object.keys(EXPECTED).sort());
  for (const [rel, e] of Object.entries(EXPECTED)) {
    assert.ok(e.quiet || e.skips?.length || e.findings?.length, `${rel}: expects a skip or a finding, or is marked quiet`);
  }
});

for (const rel of files) {
  test(`bad input ${rel}: no exception, no hang, a finding or a skip with a reason, the good manifest still analysed`, () => {
    const src = source(rel);
    const { model, findings, ms } = fullAnalysis([src, GOOD]);
    assert.ok(ms < FILE_MS, `took ${Math.round(ms)} ms`);
    assertGoodAnalysed(model);

    const expected = EXPECTED[rel];
    const mine = findings.filter((f) => f.ref.uri === src.uri);
    const skips = model.skipped.filter((s) => s.uri === src.uri);
    const show = () =>
      JSON.stringify(
        {
          skips: skips.map((s) => s.reason),
          findings: mine.map((f) => [f.code, src.text.slice(f.ref.start, f.ref.start + 30), f.message]),
        },
        null,
        1,
      );

    for (const f of mine) {
      assert.ok(
        f.ref.start >= 0 && f.ref.start <= f.ref.end && f.ref.end <= src.text.length,
        `range of ${f.code} ${f.ref.start}-${f.ref.end} within the text`,
      );
      assert.ok(f.message.trim().length > 0);
    }
    for (const s of skips) assert.ok(s.reason.length > 10, `a skip reason: "${s.reason}"`);

    const workloads = model.workloads.filter((w) => w.objectRef.uri === src.uri);
    const ids = workloads.map((w) => w.id).filter((id) => !expected.mayYield?.includes(id));
    assert.deepEqual(ids.sort(), [...(expected.workloads ?? [])].sort(), show());
    for (const w of workloads) {
      const name = src.text.slice(w.ref.start, w.ref.end);
      assert.ok(name === w.name || /^["']/.test(name), `${w.id}: its range holds its name, not "${name}"`);
    }
    for (const re of expected.skips ?? [])
      assert.ok(
        skips.some((s) => re.test(s.reason)),
        `a skip matching ${re}: ${show()}`,
      );
    for (const e of expected.findings ?? []) {
      const hit = mine.find(
        (f) =>
          (typeof e.code === 'string' ? f.code === e.code : e.code.test(f.code)) &&
          (e.at === undefined || src.text.startsWith(e.at, f.ref.start)) &&
          (e.message === undefined || e.message.test(f.message)),
      );
      assert.ok(
        hit,
        `a ${e.code} finding${e.at !== undefined ? ` on ${JSON.stringify(e.at)}` : ''}${e.message ? ` saying ${e.message}` : ''}: ${show()}`,
      );
      if (e.at) assert.ok(hit.ref.end > hit.ref.start, 'a non-empty range');
    }
    if (expected.quiet) {
      assert.deepEqual(skips, [], show());
      assert.deepEqual(mine, [], show());
      if (!expected.workloads) {
        assert.equal(model.policies.filter((p) => p.objectRef.uri === src.uri).length, 0, 'no NetworkPolicy read from it');
        assert.equal(model.services.filter((s) => s.objectRef.uri === src.uri).length, 0, 'no Service read from it');
      }
    }
  });
}

test('the whole corpus in one analyze() call: quick, and the good manifest is fully analysed', () => {
  const { model, ms } = fullAnalysis([...files.map(source), GOOD]);
  assert.ok(ms < CORPUS_MS, `took ${Math.round(ms)} ms`);
  assertGoodAnalysed(model);
  const matrix = computeMatrix(model);
  const toGood = [...matrix.connections()].filter((c) => c.to.id === GOOD_ID);
  assert.ok(toGood.length > 0, 'the good pod (no policy selects it) is reachable from the corpus workloads');
});

test('the alias bomb (9 levels of 9 aliases) is not expanded', () => {
  const src = source('structure/alias-bomb.yaml');
  // the yaml package itself refuses to expand it
  assert.throws(() => parseAllDocuments(src.text)[0].toJS(), /Excessive alias count/);
  const heap = process.memoryUsage().heapUsed;
  const { model, ms } = fullAnalysis([src, GOOD]);
  // expanded, 9^9 leaves would take minutes and gigabytes: bounds far above the real cost (~30 ms)
  assert.ok(ms < 2_000, `took ${Math.round(ms)} ms`);
  assert.ok(process.memoryUsage().heapUsed - heap < 128 * 1024 * 1024, 'no expansion in memory');
  assert.deepEqual(model.workloads.find((w) => w.name === 'lol-pod')?.containers, [], 'containers: *m9 (an alias) is not walked');
  // a bigger bomb: 30 levels of 30 aliases (30^30 leaves if expanded)
  let text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: big-bomb\n  annotations:\n    a0: &a0 x\n';
  for (let i = 1; i <= 30; i++)
    text += `    a${i}: &a${i} [${Array(30)
      .fill(`*a${i - 1}`)
      .join(', ')}]\n`;
  text += 'spec:\n  containers: *a30\n';
  const big = fullAnalysis([{ uri: 'big-bomb.yaml', text }, GOOD]);
  assert.ok(big.ms < 2_000, `took ${Math.round(big.ms)} ms`);
  assert.ok(big.model.workloads.some((w) => w.name === 'big-bomb'));
});

test(`deep nesting: refused before the yaml package recurses (over ${MAX_YAML_DEPTH} levels), at any depth and repeatedly`, () => {
  // Before the limit, composing ~1,000 nested levels again and again made V8 abort the whole process
  // ("FATAL ERROR: RegExpCompiler Allocation failed"): no exception a try/catch could take.
  const shapes: Record<string, (n: number) => string> = {
    'flow sequences': (n) => `${'['.repeat(n)}${']'.repeat(n)}`,
    'flow maps': (n) => `${'{a: '.repeat(n)}1${'}'.repeat(n)}`,
    'block sequences': (n) => `${'- '.repeat(n)}x\n`,
    'block maps': (n) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n',
    'flow maps and sequences': (n) => `${n % 2 ? '[' : ''}${'{a: ['.repeat(n >> 1)}${']}'.repeat(n >> 1)}${n % 2 ? ']' : ''}`,
    'unclosed flow sequences': (n) => '['.repeat(n),
  };
  for (const [shape, make] of Object.entries(shapes)) {
    for (const depth of [MAX_YAML_DEPTH, MAX_YAML_DEPTH + 1, 1_000, shape === 'block maps' ? 2_000 : 10_000]) {
      const text = make(depth);
      const t0 = performance.now();
      for (let i = 0; i < (depth > 1_000 ? 2 : 10); i++) {
        const f = parseManifestFile(`deep-${depth}.yaml`, text);
        const tooDeep = f.skipped.some((s) => /nested more than \d+ levels deep/.test(s.reason));
        assert.equal(tooDeep, depth > MAX_YAML_DEPTH, `${shape}, ${depth} levels: ${JSON.stringify(f.skipped)}`);
      }
      assert.ok(performance.now() - t0 < 5_000, `${shape}, ${depth} levels: ${Math.round(performance.now() - t0)} ms`);
    }
  }
  // 10,000 levels of block maps would be a 50 MB file of indentation: 2,000 levels is 2 MB
  const m = analyze([{ uri: 'deep.yaml', text: shapes['block maps'](2_000) }, GOOD]);
  assertGoodAnalysed(m);
});

test('a manifest nested up to the limit is still read', () => {
  let spec = 'x';
  for (let i = 0; i < MAX_YAML_DEPTH - 3; i++) spec = `{a: ${spec}}`;
  const text = `apiVersion: v1\nkind: Pod\nmetadata:\n  name: deep-but-fine\nspec:\n  containers: [{name: c, ports: [{containerPort: 80}]}]\n  extra: ${spec}\n`;
  const m = analyze([{ uri: 'deep-ok.yaml', text }]);
  assert.deepEqual(m.skipped, []);
  assert.deepEqual(
    m.workloads.map((w) => w.id),
    ['default/deep-but-fine[Pod]'],
  );
});

test('non-map documents (a JSON array, a JSON 6902 patch) are skipped, not taken for empty documents', () => {
  const m = analyze([
    { uri: 'array.json', text: '[{"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}}]' },
    { uri: 'patch.yaml', text: '- op: replace\n  path: /spec/replicas\n  value: 3\n' },
    { uri: 'empty-list.yaml', text: '[]\n' },
    { uri: 'empty.yaml', text: '---\n~\n---\n""\n' },
  ]);
  const reasons = Object.fromEntries(m.skipped.map((s) => [s.uri, s.reason]));
  assert.match(reasons['array.json'], /not a Kubernetes object \(a list/);
  assert.match(reasons['patch.yaml'], /not a Kubernetes object \(a list/);
  assert.match(reasons['empty-list.yaml'], /not a Kubernetes object \(a list/);
  assert.equal(reasons['empty.yaml'], undefined, 'null and empty-string documents are empty documents');
});

test('CR-only line endings are line breaks (as in YAML and kubectl), offsets unchanged', () => {
  const text = 'apiVersion: v1\rkind: Pod\rmetadata:\r  name: mac\r  labels: {app: mac}\r';
  const m = analyze([{ uri: 'cr.yaml', text }]);
  assert.deepEqual(
    m.workloads.map((w) => w.id),
    ['default/mac[Pod]'],
  );
  const w = m.workloads[0];
  assert.equal(text.slice(w.ref.start, w.ref.end), 'mac');
  assert.deepEqual(w.labels, { app: 'mac' });
});

test('text that was not UTF-8 (U+FFFD) gets a warning on the first bad character', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: caf\uFFFD\n';
  const m = analyze([{ uri: 'l1.yaml', text }]);
  const f = m.findings.find((x) => x.code === 'encoding');
  assert.ok(f);
  assert.equal(f.severity, 'warning');
  assert.equal(f.ref.start, text.indexOf('\uFFFD'));
  assert.equal(m.workloads.length, 1, 'still analysed');
});

test('YAML errors at the end of the text get a range inside the text', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: "open';
  const m = analyze([{ uri: 'eof.yaml', text }]);
  const syntax = m.findings.filter((f) => f.code === 'yaml-syntax');
  assert.ok(syntax.length > 0);
  for (const f of syntax) assert.ok(f.ref.start <= f.ref.end && f.ref.end <= text.length, JSON.stringify(f.ref));
});

test('Jinja templates are skipped as templates; Jinja-like text in a ConfigMap is data', () => {
  const m = analyze([
    {
      uri: 'j.yaml',
      text: 'apiVersion: v1\nkind: Service\nmetadata:\n  name: s\n{% if tls %}\nspec: {ports: [{port: 443}]}\n{% endif %}\n',
    },
    { uri: 'cm.yaml', text: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tpl}\ndata:\n  page: "{% block body %}{% endblock %}"\n' },
  ]);
  assert.match(m.skipped.find((s) => s.uri === 'j.yaml')!.reason, /Jinja template/);
  assert.equal(m.findings.filter((f) => f.ref.uri === 'j.yaml').length, 0, 'no YAML syntax errors for template syntax');
  assert.equal(m.configMaps.length, 1);
});

test('a 50 MB manifest of many objects: skipped for its size, quickly, without blowing up memory', () => {
  const pod = (i: number) =>
    `---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: pod-${i}\n  namespace: ns-${i % 50}\n  labels: {app: app-${i % 20}}\nspec:\n  containers:\n  - name: c\n    ports: [{containerPort: 8080}]\n`;
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < 50_000_000; i++) {
    parts.push(pod(i));
    size += parts[parts.length - 1].length;
  }
  const text = parts.join('');
  parts.length = 0;
  const rss = process.memoryUsage().rss;
  const { model, ms } = fullAnalysis([{ uri: 'big.yaml', text }, GOOD]);
  assert.ok(ms < 10_000, `took ${Math.round(ms)} ms`);
  assert.ok(
    process.memoryUsage().rss - rss < 512 * 1024 * 1024,
    `memory grew by ${Math.round((process.memoryUsage().rss - rss) / 1048576)} MB`,
  );
  assertGoodAnalysed(model);
  assert.equal(model.workloads.length, 1);
  assert.match(model.skipped.find((s) => s.uri === 'big.yaml')!.reason, /larger than/);
});
