// The language server on bad input: every corpus document (test/fixtures/bad/) is opened, edited and
// asked for diagnostics, hovers, code lenses and code actions; the server answers every request, stays
// alive, and still answers for a good document at the end.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, Diagnostic, Hover } from 'vscode-languageserver-protocol';
import { LspSession } from '../support/lsp';
import { repoRoot } from '../support/paths';
import { EXPECTED, corpusFiles, corpusRoot } from '../fixtures/bad/corpus';

interface Doc {
  rel: string;
  uri: string;
  text: string;
}

const docs: Doc[] = corpusFiles(repoRoot()).map((rel) => {
  const file = path.join(corpusRoot(repoRoot()), rel);
  return { rel, uri: pathToFileURL(file).toString(), text: readFileSync(file, 'utf8') };
});
// Composing ~1,000 nested levels again and again used to abort Node (a fatal V8 error when a regular
// expression is first compiled that deep in the stack): open these first, then edit them.
const deep: Doc[] = [];
for (let i = 0; i < 3; i++)
  deep.push({ rel: `generated/deep-${i}.yaml`, uri: `untitled:deep-${i}.yaml`, text: `${'['.repeat(1000)}${']'.repeat(1000)}\n` });
deep.push({ rel: 'generated/deep-block.yaml', uri: 'untitled:deep-block.yaml', text: `${'- '.repeat(1000)}x\n` });
docs.unshift(...deep);

const MARKER = 'untitled:marker.yaml';
const marker = (n: number) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: marker-${n}\n`;
const GOOD = 'untitled:good.yaml';
const GOOD_TEXT =
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: good\n  labels: {app: good}\nspec:\n  containers:\n  - name: app\n    ports: [{containerPort: 8080}]\n';

let s: LspSession;
/** rejects when the server process ends: a request to a dead server would never settle */
let exited: Promise<never>;
before(async () => {
  s = await LspSession.start();
  exited = new Promise((_, reject) => {
    s.proc.once('exit', (code, signal) =>
      reject(new Error(`the server exited (code ${code}, signal ${signal}): ${s.stderr.join('').slice(0, 2000)}`)),
    );
  });
  exited.catch(() => undefined);
});
after(async () => s.stop());

/** a request (or wait) that fails as soon as the server dies */
function live<T>(p: Promise<T>): Promise<T> {
  return Promise.race([p, exited]);
}

function alive(): void {
  assert.equal(s.proc.exitCode, null, `server exited: ${s.stderr.join('')}`);
  assert.equal(s.proc.signalCode, null, `server killed: ${s.stderr.join('')}`);
}

/** Waits until the snapshot holds the marker's n-th version, so every earlier change is analysed too. */
async function settled(n: number): Promise<void> {
  const d = await live(s.diagnosticsEventually(MARKER, (x) => x.some((y) => String(y.message).includes(`marker-${n}`)), 30_000));
  assert.ok(
    d.some((y) => String(y.message).includes(`marker-${n}`)),
    `the server rebuilt its snapshot (marker-${n}): ${JSON.stringify(d)}`,
  );
}

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

/** Every request a client makes on a document: all must answer. */
async function exercise(doc: Doc, text: string): Promise<Diagnostic[]> {
  const diags = await live(s.diagnostics(doc.uri));
  assert.ok(Array.isArray(diags), `${doc.rel}: diagnostics answered`);
  for (const d of diags) {
    assert.ok(
      d.range.start.line >= 0 && d.range.end.line < lineCount(text) + 1,
      `${doc.rel}: ${JSON.stringify(d.range)} within the document`,
    );
    assert.equal(d.source, 'netlens');
  }
  const last = lineCount(text) - 1;
  for (const position of [
    { line: 0, character: 0 },
    { line: Math.floor(last / 2), character: 4 },
    { line: last, character: 0 },
    { line: last + 5, character: 99 },
  ]) {
    await live(s.request<Hover | null>('textDocument/hover', { textDocument: { uri: doc.uri }, position }));
  }
  const lenses = await live(s.request<CodeLens[] | null>('textDocument/codeLens', { textDocument: { uri: doc.uri } }));
  assert.ok(lenses === null || Array.isArray(lenses), `${doc.rel}: code lenses answered`);
  const range = { start: { line: 0, character: 0 }, end: { line: last, character: 0 } };
  await live(s.request('textDocument/codeAction', { textDocument: { uri: doc.uri }, range, context: { diagnostics: diags } }));
  return diags;
}

test('every bad document: opened, analysed, asked for diagnostics, hovers, lenses and actions', async () => {
  for (const d of docs) await s.open(d.uri, d.text, d.rel.endsWith('.json') ? 'json' : 'yaml');
  await s.open(MARKER, marker(1));
  await settled(1);
  for (const d of docs) {
    const diags = await exercise(d, d.text);
    // the kustomize/ folder is a scope of its own; the active scope is the loose files
    if (d.rel.startsWith('kustomize/')) continue;
    const expected = EXPECTED[d.rel];
    for (const f of expected?.findings ?? []) {
      if (typeof f.code === 'string')
        assert.ok(
          diags.some((x) => x.code === f.code),
          `${d.rel}: a ${f.code} diagnostic, got ${JSON.stringify(diags.map((x) => x.code))}`,
        );
    }
  }
  alive();
});

test('every bad document edited twice (re-parsed), then closed: the server keeps answering', async () => {
  for (let round = 2; round <= 3; round++) {
    for (const d of docs) await s.change(d.uri, `${d.text}\n# edit ${round}\n`);
    await s.change(MARKER, marker(round));
    await settled(round);
    for (const d of docs) await exercise(d, `${d.text}\n# edit ${round}\n`);
    alive();
  }
  for (const d of docs) await s.conn.sendNotification('textDocument/didClose', { textDocument: { uri: d.uri } });
  await s.change(MARKER, marker(4));
  await settled(4);
  alive();
});

test('after all that, the server is alive and answers for a good document', async () => {
  await s.open(GOOD, GOOD_TEXT);
  await s.change(MARKER, marker(5));
  await settled(5);
  assert.deepEqual(await live(s.diagnostics(GOOD)), []);
  const hover = await live(
    s.request<Hover | null>('textDocument/hover', { textDocument: { uri: GOOD }, position: { line: 3, character: 9 } }),
  );
  assert.ok(hover, 'a hover on the good Pod name');
  const lenses = await live(s.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: GOOD } }));
  assert.ok(Array.isArray(lenses));
  alive();
  assert.doesNotMatch(s.stderr.join(''), /FATAL|RangeError|TypeError|Maximum call stack/);
});
