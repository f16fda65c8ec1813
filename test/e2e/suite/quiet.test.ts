// The status item and the views are gated on Kubernetes content (netlens.hasKubernetes): in the demo
// workspace the server reports it, so the item exists and shows the counts. (A workspace of only CI
// workflows and compose files is covered on the server side by test/server/kubernetes-sniff.test.ts.)
import * as assert from 'node:assert/strict';
import { netlensApi, openDocument, waitFor } from './helpers';

suite('Kubernetes content gate', () => {
  test('examples/shop has Kubernetes content: status item and views are on', async () => {
    const api = await netlensApi();
    await openDocument('shop/frontend.yaml');
    const status = await waitFor('the status to report Kubernetes content', async () => {
      await api.status.update();
      return api.status.last?.kubernetes ? api.status.last : undefined;
    });
    assert.ok(status.files >= 8, `files indexed: ${status.files}`);
    assert.equal(api.status.hasKubernetes, true);
    const item = api.status.item;
    assert.ok(item, 'the status item was created');
    await waitFor('the status item to show the counts', () => /NetLens: \d+ workloads? · /.test(item.text), {
      describe: () => item.text,
    });
  });

  test('the status bar item shows the finding counts; with one scope no scope, and a click shows the views', async () => {
    const api = await netlensApi();
    const bar = api.statusBar.item;
    // examples/shop has one warning (unresolvable-name), no errors, and one scope (its loose files)
    await waitFor('the status bar item to show the counts', () => /\$\(error\) 0 \$\(warning\) 1$/.test(bar.text), {
      describe: () => bar.text,
    });
    assert.match(String(bar.tooltip), /0 errors, 1 warnings/);
    assert.equal(api.status.last?.scopeCount, 1);
    assert.ok(bar.text.startsWith('$(shield) NetLens  '), bar.text);
    const click = typeof bar.command === 'string' ? bar.command : bar.command?.command;
    assert.equal(click, 'netlens.reachability.focus');
  });
});
