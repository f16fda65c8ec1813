// Every NetLens command runs with arguments that skip its prompts, and returns its result.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fileUri, netlensApi, openDocument, positionOf, tabLabels, waitFor, waitForNetLensDiagnostic, type NetLensApi } from './helpers';

type QueryResult = Awaited<ReturnType<NetLensApi['client']['query']>>;
type ResolveResult = Awaited<ReturnType<NetLensApi['client']['resolve']>>;
type ExplainAt = Awaited<ReturnType<NetLensApi['client']['explainAt']>>;
type Matrix = Awaited<ReturnType<NetLensApi['client']['matrix']>>;

const FRONTEND = 'shop/frontend[Deployment]';

function reportTab(title: RegExp): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputText && t.input.uri.scheme === 'netlens-report' && title.test(t.label));
}

suite('commands', () => {
  let api: NetLensApi;
  suiteSetup(async () => {
    api = await netlensApi();
  });

  test('netlens.query {from, to: cart, port: 7070} is allowed, with a report document', async () => {
    const r = await vscode.commands.executeCommand<QueryResult | undefined>('netlens.query', {
      from: FRONTEND,
      to: 'cart',
      port: 7070,
      protocol: 'TCP',
    });
    assert.ok(r, 'netlens.query returned nothing (see the NetLens output)');
    assert.equal(r.from, FRONTEND);
    assert.equal(r.port, 7070);
    assert.equal(r.outcome, 'allowed', r.report);
    assert.match(r.report, /shop\/cart\[Deployment\] on TCP 7070: ALLOWED/, r.report);
    const tab = await waitFor('the query report to open', () => reportTab(/frontend.*cart/), {
      timeoutMs: 10_000,
      describe: () => tabLabels().join(', '),
    });
    const doc = await vscode.workspace.openTextDocument((tab.input as vscode.TabInputText).uri);
    assert.equal(doc.languageId, 'netlens-report');
    assert.equal(doc.getText(), r.report);
  });

  test('netlens.query with no editor open shows the report in the first editor group (no empty group beside)', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor('all editors to close', () => vscode.window.tabGroups.all.every((g) => g.tabs.length === 0), {
      timeoutMs: 10_000,
      describe: () => tabLabels().join(', '),
    });
    const r = await vscode.commands.executeCommand<QueryResult | undefined>('netlens.query', {
      from: FRONTEND,
      to: 'payments-api.payments',
      port: 443,
    });
    assert.equal(r?.outcome, 'allowed', r?.report);
    await waitFor('the query report to open', () => reportTab(/payments-api/), {
      timeoutMs: 10_000,
      describe: () => tabLabels().join(', '),
    });
    const groups = vscode.window.tabGroups.all.map((g) => `${g.viewColumn}: [${g.tabs.map((t) => t.label).join(', ')}]`);
    assert.equal(vscode.window.tabGroups.all.length, 1, `editor groups: ${groups.join(' ')}`);
  });

  test('netlens.query: frontend to redis on 6379 is blocked; show: false opens nothing', async () => {
    const r = await vscode.commands.executeCommand<QueryResult | undefined>('netlens.query', {
      from: FRONTEND,
      to: 'shop/redis[StatefulSet]',
      port: 6379,
      show: false,
    });
    assert.ok(r);
    assert.equal(r.outcome, 'blocked', r.report);
    assert.equal(reportTab(/redis/), undefined, `a report opened: ${tabLabels().join(', ')}`);
  });

  test('netlens.resolve {from, name: payments-api.payments}', async () => {
    const r = await vscode.commands.executeCommand<ResolveResult | undefined>('netlens.resolve', {
      from: FRONTEND,
      name: 'payments-api.payments',
    });
    assert.ok(r);
    assert.equal(r.answer?.fqdn, 'payments-api.payments.svc.cluster.local', r.report);
    const short = await vscode.commands.executeCommand<ResolveResult | undefined>('netlens.resolve', {
      from: FRONTEND,
      name: 'payments-api',
      show: false,
    });
    assert.equal(short?.answer, null, short?.report);
    assert.equal(short?.rcode, 'NXDOMAIN');
  });

  test('netlens.explainAtCursor on the CART_URL value explains frontend -> cart', async () => {
    const editor = await openDocument('shop/frontend.yaml');
    const position = positionOf(editor.document, 'cart:7070', { after: 'CART_URL', offset: 2 });
    const at = await vscode.commands.executeCommand<ExplainAt | undefined>('netlens.explainAtCursor', {
      uri: editor.document.uri.toString(),
      position: { line: position.line, character: position.character },
      interactive: false,
    });
    assert.ok(at, 'explainAtCursor returned nothing');
    assert.equal(at.workload, FRONTEND);
    assert.ok(at.query, `no connection at the cursor: ${JSON.stringify(at)}`);
    assert.equal(at.query.outcome, 'allowed', at.query.report);
    assert.match(at.query.report, /cart/);
  });

  test('netlens.focusWorkload reveals and selects the workload in the Reachability view', async () => {
    const w = await vscode.commands.executeCommand<{ id: string } | undefined>('netlens.focusWorkload', 'shop/cart[Deployment]');
    assert.equal(w?.id, 'shop/cart[Deployment]');
    await waitFor(
      'the Reachability view to show cart selected',
      () =>
        api.reachabilityView.visible &&
        api.reachabilityView.selection.some((n) => n.kind === 'workload' && n.workloadId === 'shop/cart[Deployment]'),
      {
        timeoutMs: 10_000,
        describe: () =>
          `visible ${api.reachabilityView.visible}, selection ${JSON.stringify(api.reachabilityView.selection.map((n) => n.id))}`,
      },
    );
    const missing = await vscode.commands.executeCommand('netlens.focusWorkload', 'shop/nope[Deployment]');
    assert.equal(missing, undefined);
  });

  test('netlens.focusPolicy reveals and selects the policy in the Policies view', async () => {
    const id = (await api.policiesTree.policies()).find((p) => p.name === 'web-tier')?.id;
    assert.ok(id, 'no web-tier policy');
    const p = await vscode.commands.executeCommand<{ id: string; name: string } | undefined>('netlens.focusPolicy', id);
    assert.equal(p?.name, 'web-tier');
    await waitFor(
      'the Policies view to show web-tier selected',
      () => api.policiesView.visible && api.policiesView.selection.some((n) => n.kind === 'policy' && n.policyId === id),
      {
        timeoutMs: 10_000,
        describe: () => `visible ${api.policiesView.visible}, selection ${JSON.stringify(api.policiesView.selection.map((n) => n.id))}`,
      },
    );
  });

  test('netlens.showMatrix opens the webview, which loads and gets the matrix', async () => {
    const m = await vscode.commands.executeCommand<Matrix | undefined>('netlens.showMatrix');
    assert.ok(m, 'showMatrix returned no matrix');
    const ids = m.workloads.map((w) => w.id);
    for (const id of [FRONTEND, 'shop/cart[Deployment]', 'payments/payments-api[Deployment]'])
      assert.ok(ids.includes(id), `matrix workloads ${ids.join(', ')} lack ${id}`);
    const f = ids.indexOf(FRONTEND);
    const c = ids.indexOf('shop/cart[Deployment]');
    assert.ok(
      m.cells.some(([a, b, ports]) => a === f && b === c && /7070/.test(ports)),
      'no frontend -> cart cell on 7070',
    );
    assert.ok(api.matrix.isOpen);
    await waitFor('the matrix webview script to report ready', () => api.matrix.webviewReady, {
      timeoutMs: 30_000,
      describe: () => `received ${JSON.stringify(api.matrix.received.map((x) => x.type))}`,
    });
    const tab = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && /netlens\.matrix/.test(t.input.viewType));
    assert.ok(tab, `no matrix webview tab: ${tabLabels().join(', ')}`);
    assert.equal(tab.label, 'NetLens: Policy Matrix');
    // a cell click, as the webview sends it
    const e = await api.matrix.explain(FRONTEND, 'shop/cart[Deployment]', 7070);
    assert.equal(e?.outcome, 'allowed');
  });

  test('netlens.showGraph opens the graph of the workspace; it exports as SVG and PNG files', async () => {
    const g = await vscode.commands.executeCommand<{ edges: { from: string; to: string; label: string }[] } | undefined>(
      'netlens.showGraph',
    );
    assert.ok(g, 'showGraph returned no graph');
    assert.ok(
      g.edges.some((e) => e.from === FRONTEND && e.to === 'shop/cart[Deployment]' && e.label === 'TCP 7070'),
      JSON.stringify(g.edges),
    );
    await waitFor('the graph webview script to report ready', () => api.graph.webviewReady, {
      timeoutMs: 30_000,
      describe: () => `received ${JSON.stringify(api.graph.received.map((x) => x.type))}`,
    });
    const folder = vscode.workspace.workspaceFolders![0].uri;
    const svgFile = vscode.Uri.joinPath(folder, '.netlens-test-graph.svg');
    const pngFile = vscode.Uri.joinPath(folder, '.netlens-test-graph.png');
    try {
      const svg = await api.graph.exportImage('svg', svgFile);
      assert.match(svg ?? '', /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(Buffer.from(await vscode.workspace.fs.readFile(svgFile)).toString('utf8'), /TCP 7070/);
      await api.graph.exportImage('png', pngFile);
      const png = await vscode.workspace.fs.readFile(pngFile);
      assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], 'not a PNG');
    } finally {
      for (const f of [svgFile, pngFile]) await vscode.workspace.fs.delete(f).then(undefined, () => undefined);
    }
    // filtered to a workload: only its connections
    const only = await vscode.commands.executeCommand<{ edges: { from: string; to: string }[] }>('netlens.showGraph', {
      workload: 'shop/cart[Deployment]',
    });
    assert.ok(only.edges.length > 0 && only.edges.every((e) => e.from === 'shop/cart[Deployment]' || e.to === 'shop/cart[Deployment]'));
  });

  test('netlens.refresh keeps the trees answering', async () => {
    await vscode.commands.executeCommand('netlens.refresh');
    const roots = await api.reachabilityTree.getChildren();
    assert.ok(roots.length >= 3, `${roots.length} roots after refresh`);
  });

  test('netlens.followCursor.disable / enable toggle the setting', async () => {
    const off = await vscode.commands.executeCommand<boolean>('netlens.followCursor.disable');
    assert.equal(off, false);
    assert.equal(vscode.workspace.getConfiguration('netlens').get('tree.followCursor'), false);
    assert.equal(api.config.followCursor, false);
    const on = await vscode.commands.executeCommand<boolean>('netlens.followCursor.enable');
    assert.equal(on, true);
    assert.equal(vscode.workspace.getConfiguration('netlens').get('tree.followCursor'), true);
  });

  test('follow the editor: the cursor on a workload reveals it in the Reachability view', async () => {
    await vscode.commands.executeCommand('netlens.focusWorkload', 'shop/cart[Deployment]'); // makes the view visible
    const editor = await openDocument('shop/frontend.yaml');
    const pos = positionOf(editor.document, 'replicas: 2');
    editor.selection = new vscode.Selection(pos, pos);
    const found = await api.followCursor.follow(editor);
    assert.equal(found.workload, FRONTEND);
    await waitFor(
      'frontend to be selected in the Reachability view',
      () => api.reachabilityView.selection.some((n) => n.kind === 'workload' && n.workloadId === FRONTEND),
      {
        timeoutMs: 10_000,
        describe: () => JSON.stringify(api.reachabilityView.selection.map((n) => n.id)),
      },
    );
  });

  test('netlens.openDocs opens the README preview', async () => {
    await vscode.commands.executeCommand('netlens.openDocs');
    await waitFor('a Markdown preview of README.md', () => tabLabels().some((l) => /Preview.*README|README.*Preview/i.test(l)), {
      timeoutMs: 20_000,
      describe: () => tabLabels().join(', '),
    });
  });

  test('netlens.showOutput', async () => {
    await vscode.commands.executeCommand('netlens.showOutput');
  });

  test('netlens.restartServer, after which diagnostics come back', async () => {
    const starts = api.client.starts;
    const state = await vscode.commands.executeCommand<string>('netlens.restartServer');
    assert.equal(state, 'running');
    assert.equal(api.client.starts, starts + 1);
    await openDocument('shop/frontend.yaml');
    await waitForNetLensDiagnostic(fileUri('shop/frontend.yaml'), 'unresolvable-name');
    const r = await vscode.commands.executeCommand<QueryResult | undefined>('netlens.query', {
      from: FRONTEND,
      to: 'cart',
      port: 7070,
      show: false,
    });
    assert.equal(r?.outcome, 'allowed');
  });
});
