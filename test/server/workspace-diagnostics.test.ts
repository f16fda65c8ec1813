// Workspace diagnostics (workspace/diagnostic): the problems of files nobody opened, streamed as partial
// results; a repeated request with the previous result ids is held until something changes, then says
// what changed; netlens.diagnostics.scope = openFiles reports none for files that are not open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspSession } from '../support/lsp';
import { policyWithOperator } from '../support/manifests';
import { resultIdOf } from '../../server/src/handlers/workspaceDiagnostics';

type Report = { kind: 'full' | 'unchanged'; uri: string; resultId?: string; items?: Diagnostic[] };

const policy = policyWithOperator;

function workspace(): { dir: string; uri: string } {
  const dir = mkdtempSync(path.join(tmpdir(), 'netlens-wsdiag-'));
  const file = path.join(dir, 'policy.yaml');
  writeFileSync(file, policy('Equals'));
  return { dir, uri: pathToFileURL(file).toString() };
}

/** Sends workspace/diagnostic and gathers its partial results with the final answer. */
async function pull(
  s: LspSession,
  previousResultIds: { uri: string; value: string }[] = [],
): Promise<{ reports: Report[]; partials: number }> {
  const token = `wsdiag-${Math.random()}`;
  const streamed: Report[] = [];
  let partials = 0;
  s.onNotification<{ token: string; value: { items: Report[] } }>('$/progress', (p) => {
    if (p.token !== token) return;
    partials++;
    streamed.push(...p.value.items);
  });
  const answer = (await s.request('workspace/diagnostic', { previousResultIds, partialResultToken: token })) as { items: Report[] };
  return { reports: [...streamed, ...answer.items], partials };
}

const mentions = (op: string) => (r: Report | undefined) => !!r?.items?.some((d) => String(d.message).includes(`"${op}" is not valid`));

test('workspace diagnostics: a file nobody opened reports its problems, streamed; a repeat waits for a change', async () => {
  const { dir, uri } = workspace();
  const s = await LspSession.start(dir);
  try {
    assert.equal(
      (s.capabilities as { diagnosticProvider?: { workspaceDiagnostics?: boolean } }).diagnosticProvider?.workspaceDiagnostics,
      true,
    );
    const first = await pull(s);
    assert.ok(first.partials >= 1, 'the answer is streamed as partial results');
    const report = first.reports.find((r) => r.uri === uri);
    assert.ok(mentions('Equals')(report), JSON.stringify(first.reports));
    assert.equal(report!.resultId, resultIdOf(JSON.stringify(report!.items)));

    // the same question again is held while nothing changes...
    const previous = [{ uri, value: report!.resultId! }];
    let answered = false;
    const held = pull(s, previous).then((r) => {
      answered = true;
      return r;
    });
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(answered, false, 'a repeated request waits for a change');
    // ...and answers once the file changes
    await s.open(uri, policy('Matches'));
    const second = await held;
    assert.ok(mentions('Matches')(second.reports.find((r) => r.uri === uri)), JSON.stringify(second.reports));
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('workspace diagnostics: an unchanged file is answered "unchanged"; scope openFiles reports none', async () => {
  const { dir, uri } = workspace();
  const s = await LspSession.start(dir, { diagnostics: { scope: 'openFiles' } });
  try {
    const first = await pull(s, [{ uri, value: 'stale' }]);
    const report = first.reports.find((r) => r.uri === uri);
    assert.deepEqual(report?.items, [], 'openFiles clears what the client had for a closed file');
    assert.ok(!first.reports.some(mentions('Equals')));
  } finally {
    await s.stop();
  }
  const w = await LspSession.start(dir);
  try {
    const first = await pull(w);
    const id = first.reports.find((r) => r.uri === uri)!.resultId!;
    // a change elsewhere (a new file opened) wakes the request: the untouched file is unchanged
    const second = pull(w, [{ uri, value: id }]);
    await w.open(pathToFileURL(path.join(dir, 'other.yaml')).toString(), policy('In', 'other'));
    const reports = (await second).reports;
    assert.equal(reports.find((r) => r.uri === uri)?.kind, 'unchanged', JSON.stringify(reports));
  } finally {
    await w.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

// Regression: quick fix, revert, close. The client (vscode-languageclient) showed the fixed buffer's empty
// list and still held the result id of the warning from before the file was opened (a workspace report it
// skipped while the file was open); the server answered "unchanged", so the warning, back on disk, never
// returned. A file opened, edited or closed since its last full report is reported in full; after that
// full report, "unchanged" works again.
test('workspace diagnostics: after open, quick fix, revert and close the file is reported in full, not "unchanged"', async () => {
  const { dir, uri } = workspace();
  const s = await LspSession.start(dir);
  try {
    const first = await pull(s);
    const before = first.reports.find((r) => r.uri === uri)!;
    assert.ok(mentions('Equals')(before), JSON.stringify(first.reports));
    const staleId = before.resultId!;

    // open, "fix" (another operator), revert to the text on disk, close
    await s.open(uri, policy('Equals'));
    assert.ok((await s.diagnostics(uri)).some((d) => String(d.message).includes('"Equals"')));
    await s.change(uri, policy('In'));
    assert.ok(!(await s.diagnostics(uri)).some((d) => String(d.message).includes('is not valid')));
    await s.change(uri, policy('Equals'));
    await s.close(uri);

    // the client's id is the pre-open one, though it shows the fixed buffer's empty list
    const after = await pull(s, [{ uri, value: staleId }]);
    const report = after.reports.find((r) => r.uri === uri);
    assert.equal(report?.kind, 'full', JSON.stringify(after.reports));
    assert.ok(mentions('Equals')(report), JSON.stringify(report));

    // reported in full while closed: the next change elsewhere answers this file "unchanged" again
    const next = pull(s, [{ uri, value: report!.resultId! }]);
    await s.open(pathToFileURL(path.join(dir, 'other.yaml')).toString(), policy('In', 'other'));
    assert.equal((await next).reports.find((r) => r.uri === uri)?.kind, 'unchanged');
  } finally {
    await s.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
