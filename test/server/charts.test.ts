// The language server tells the parser which workspace files are Helm chart templates.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { LspSession } from '../support/lsp';
import { fixturePath } from '../support/paths';
import { StatusRequest } from '../../protocol/messages';

let s: LspSession | undefined;
after(async () => s?.stop());

test('a chart template is skipped naming the chart; a chart file without actions is read', async () => {
  const dir = fixturePath('charts');
  s = await LspSession.start(dir);
  await s.indexed();
  const uri = pathToFileURL(path.join(dir, 'shop', 'templates', 'deployment.yaml')).toString();
  const d = await s.diagnosticsEventually(uri, (x) => x.length > 0);
  assert.ok(
    d.some((x) => /template of the Helm chart shop/.test(String(x.message))),
    JSON.stringify(d.map((x) => x.message)),
  );
  const plain = await s.diagnostics(pathToFileURL(path.join(dir, 'shop', 'templates', 'plain.yaml')).toString());
  assert.ok(!plain.some((x) => /template/.test(String(x.message))), JSON.stringify(plain));
  const status = await s.request(StatusRequest);
  assert.equal(status.services, 1);
  assert.equal(status.workloads, 0);
});
