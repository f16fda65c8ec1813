// Request parameters are checked before use: a port "abc", a protocol ICMP, a missing field or a
// matrix page out of range is InvalidParams (-32602) naming the field, never an InternalError; and the
// matrix comes in pages of whole rows that add up to the whole matrix.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LspSession } from '../support/lsp';
import { fixturePath } from '../support/paths';
import { ExplainAtRequest, MatrixRequest, QueryRequest, ResolveRequest, WorkloadRequest, type MatrixResult } from '../../protocol/messages';

let s: LspSession;

before(async () => {
  s = await LspSession.start(fixturePath('lsp', 'workspace'));
  await s.indexed();
});
after(async () => s.stop());

test('malformed parameters are InvalidParams naming the field', async () => {
  const q = { from: 'secure/web[Pod]', to: 'secure/vault[Pod]' };
  const cases: [string, unknown, RegExp][] = [
    [QueryRequest.method, { ...q, port: 'abc' }, /"port" must be an integer from 1 to 65535, not "abc"/],
    [QueryRequest.method, { ...q, port: 70000 }, /"port"/],
    [QueryRequest.method, { ...q, port: 80.5 }, /"port"/],
    [QueryRequest.method, { ...q, protocol: 'ICMP' }, /"protocol" must be one of TCP, UDP, SCTP, not "ICMP"/],
    [QueryRequest.method, { from: 'secure/web[Pod]' }, /"to" is missing/],
    [QueryRequest.method, { ...q, to: 7 }, /"to" must be a string/],
    [QueryRequest.method, [1, 2], /must be an object/],
    [ResolveRequest.method, { from: 'secure/web[Pod]', name: { x: 1 } }, /"name"/],
    [WorkloadRequest.method, { id: 5 }, /"id"/],
    [ExplainAtRequest.method, { uri: 'file:///x.yaml', position: { line: -1, character: 0 } }, /"position"/],
    [ExplainAtRequest.method, { uri: 'file:///x.yaml' }, /"position" is missing/],
    [MatrixRequest.method, { maxCells: 0 }, /"maxCells"/],
    [MatrixRequest.method, { fromRow: 'a' }, /"fromRow"/],
  ];
  for (const [method, params, message] of cases) {
    const e = await s.rejection(method, params);
    assert.equal(e.code, -32602, `${method} ${JSON.stringify(params)}: ${JSON.stringify(e)}`);
    assert.match(String(e.message), message);
  }
  // the server still answers well-formed requests
  const ok = await s.request(QueryRequest, { ...q, port: 8200, protocol: 'TCP' });
  assert.equal(ok.outcome, 'allowed');
});

test('the matrix in pages of whole rows adds up to the whole matrix; a page of a gone version is ContentModified', async () => {
  const whole = await s.request(MatrixRequest, {});
  assert.equal(whole.nextRow, undefined);
  assert.ok(whole.cells.length > 4, `${whole.cells.length} cells`);
  const pages: MatrixResult[] = [await s.request(MatrixRequest, { maxCells: 2 })];
  while (pages[pages.length - 1].nextRow !== undefined) {
    assert.ok(pages.length < 100);
    pages.push(await s.request(MatrixRequest, { fromRow: pages[pages.length - 1].nextRow, maxCells: 2, version: whole.version }));
  }
  assert.ok(pages.length > 1, 'more than one page');
  assert.deepEqual(pages[0].workloads, whole.workloads);
  assert.ok(pages.slice(1).every((p) => p.workloads.length === 0));
  assert.deepEqual(
    pages.flatMap((p) => p.cells),
    whole.cells,
  );
  // a page never splits a row
  for (let i = 1; i < pages.length; i++) assert.ok(pages[i].cells.every((c) => c[0] >= pages[i - 1].nextRow!));
  const stale = await s.rejection(MatrixRequest.method, { fromRow: 1, version: whole.version + 1 });
  assert.equal(stale.code, -32801);
});
