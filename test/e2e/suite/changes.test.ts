// The Changes view against git HEAD: the workspace copy is committed with the real git (it is not a
// repository when the runner copies it), then an unsaved edit to a policy shows up in the view and as
// a code lens on the policy; reverting the edit empties the view again.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { fileUri, netlensApi, openDocument, revertAndClose, waitFor, workspaceRoot, type NetLensApi } from './helpers';

type Node = Awaited<ReturnType<NetLensApi['changesTree']['getChildren']>>[number];

function git(cwd: string, ...args: string[]): void {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd } });
  assert.equal(r.status, 0, `git ${args.join(' ')} failed (is git installed?): ${r.error?.message ?? r.stderr}`);
}

/** Every row of the view as "Label | description", depth-first, indented by depth. */
async function rows(api: NetLensApi, node?: Node, depth = 0): Promise<string[]> {
  const out: string[] = [];
  for (const n of await api.changesTree.getChildren(node)) {
    const item = api.changesTree.getTreeItem(n);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    out.push(`${'  '.repeat(depth)}${label} | ${item.description ?? ''}`);
    if (n.kind !== 'cause') out.push(...(await rows(api, n, depth + 1)));
  }
  return out;
}

suite('changes against git HEAD', () => {
  let api: NetLensApi;
  const root = workspaceRoot().fsPath;
  const policies = fileUri('shop/policies.yaml');

  let committed = '';

  suiteSetup(async () => {
    api = await netlensApi();
    committed = readFileSync(policies.fsPath, 'utf8');
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, '-c', 'user.email=e2e@example.com', '-c', 'user.name=e2e', 'commit', '-q', '-m', 'examples/shop');
  });
  suiteTeardown(async () => {
    const matrixTabs = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputWebview && /netlens\.matrix/.test(t.input.viewType));
    if (matrixTabs.length) await vscode.window.tabGroups.close(matrixTabs);
    await revertAndClose(policies);
    writeFileSync(policies.fsPath, committed);
    rmSync(`${root}/.git`, { recursive: true, force: true });
  });

  test('a clean working tree: no connectivity changes against HEAD', async () => {
    let seen: string[] = [];
    await waitFor(
      'the Changes view to compare with the new commit',
      async () => {
        api.changesTree.refresh(); // HEAD is not watched: a commit is picked up on refresh
        seen = await rows(api);
        return seen.length === 1 && seen[0].startsWith('No connectivity changes against HEAD');
      },
      { timeoutMs: 30_000, describe: () => JSON.stringify(seen) },
    );
  });

  test('an unsaved edit of web-tier: Changed > shop > prometheus → frontend, caused by its ingress rule; a lens on the policy', async () => {
    const editor = await openDocument('shop/policies.yaml');
    const doc = editor.document;
    const from = doc.getText().indexOf('  ingress:\n  - ports:\n    - port: http\n');
    assert.ok(from >= 0, 'web-tier ingress rule not found in shop/policies.yaml');
    const edit = new vscode.WorkspaceEdit();
    edit.replace(
      doc.uri,
      new vscode.Range(doc.positionAt(from), doc.positionAt(from + '  ingress:\n  - ports:\n    - port: http\n'.length)),
      '  ingress:\n  - {}\n',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(doc.isDirty, 'the edit stays unsaved');

    let seen: string[] = [];
    await waitFor(
      'the Changes view to show the edit',
      async () => {
        seen = await rows(api);
        return seen.includes('    monitoring/prometheus[Deployment] → shop/frontend[Deployment] | TCP 8080 -> All Connections') && seen;
      },
      { timeoutMs: 30_000, describe: () => JSON.stringify(seen, null, 1) },
    );
    // the rule now admits every source on every port: frontend is newly open to the whole cluster and to
    // every address on more than TCP 8080, so "Newly exposed" comes first, counting the one workload
    assert.equal(seen[0], 'Newly exposed | 1 workload', JSON.stringify(seen, null, 1));
    const exposed = seen.filter((r) => r.startsWith('  shop/frontend[Deployment] | '));
    assert.deepEqual(
      exposed.map((r) => r.replace(/^.*\| /, '')).sort(),
      [
        'ingress from every IPv4 address (0.0.0.0/0): TCP 8080 -> All Connections',
        'ingress from every pod of the cluster (entire-cluster): TCP 8080 -> All Connections',
      ],
      JSON.stringify(seen, null, 1),
    );
    const changed = seen.findIndex((r) => r.startsWith('Changed | '));
    const n = Number(/^Changed \| (\d+) connections$/.exec(seen[changed] ?? '')?.[1]);
    assert.ok(n >= 2, JSON.stringify(seen, null, 1));
    assert.equal(seen[changed + 1], `  shop | ${n} connections`, JSON.stringify(seen, null, 1));
    assert.ok(
      seen.some((r) => r.startsWith('      ingress rule 1 of shop/web-tier[NetworkPolicy] changed | ') && r.includes('policies.yaml')),
      JSON.stringify(seen, null, 1),
    );

    const lens = await waitFor('the "~N changed" code lens on web-tier', async () => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', doc.uri)) ?? [];
      return lenses.find((l) => l.command?.title.includes('changed connection'));
    });
    assert.equal(lens.command?.title, `+0 / -0 / ~${n} changed connections (against HEAD)`);
  });

  test('the policy matrix lays the same diff over its cells: "Show changes" marks the pairs between its workloads', async () => {
    const m = await vscode.commands.executeCommand<{ workloads: { id: string }[] } | undefined>('netlens.showMatrix');
    assert.ok(m, 'showMatrix returned no matrix');
    await waitFor('the matrix webview script to report ready', () => api.matrix.webviewReady, {
      timeoutMs: 30_000,
      describe: () => `received ${JSON.stringify(api.matrix.received.map((x) => x.type))}`,
    });
    // the panel sends the Changes view's own answer (no second diff): the edit of the previous test
    const sent = await waitFor(
      'the matrix to get the diff with the edit',
      () => {
        const c = api.matrix.changes;
        return c?.status === 'ready' && c.entries.some((e) => e.destination.id === 'shop/frontend[Deployment]') && c;
      },
      { timeoutMs: 30_000, describe: () => JSON.stringify(api.matrix.changes)?.slice(0, 500) ?? 'nothing sent' },
    );
    assert.deepEqual(
      sent.entries.map((e) => e.ports),
      (await api.changesTree.changes()).entries.map((e) => e.ports),
      'the matrix shows what the Changes view shows',
    );
    const on = await api.matrix.showChanges(true);
    // the pairs between two workloads of the matrix are marked; the rest (IP ranges, DNS names) are counted
    const ids = new Set(api.matrix.data!.workloads.map((w) => w.id));
    const inMatrix = (e: (typeof sent.entries)[number]) =>
      e.source.kind === 'workload' && e.destination.kind === 'workload' && ids.has(e.source.id) && ids.has(e.destination.id);
    const pairs = new Set(sent.entries.filter(inMatrix).map((e) => `${e.source.id}\u0000${e.destination.id}`));
    assert.ok(pairs.has('monitoring/prometheus[Deployment]\u0000shop/frontend[Deployment]'), JSON.stringify([...pairs]));
    assert.deepEqual(on && { ...on, id: undefined }, {
      type: 'overlay',
      id: undefined,
      on: true,
      marked: pairs.size,
      outside: sent.entries.filter((e) => !inMatrix(e)).length,
    });
    const off = await api.matrix.showChanges(false);
    assert.deepEqual(off && { ...off, id: undefined }, { type: 'overlay', on: false, marked: 0, outside: 0, id: undefined });
    // on again: the next test sees it follow the edits
    assert.equal((await api.matrix.showChanges(true))?.on, true);
  });

  test('putting the committed text back empties the view', async () => {
    // the editor may have auto-saved the edit: write HEAD's text back into the buffer and save it
    const doc = await vscode.workspace.openTextDocument(policies);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), committed);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await doc.save();
    let seen: string[] = [];
    await waitFor(
      'the Changes view to be empty again',
      async () => {
        seen = await rows(api);
        return seen.length === 1 && seen[0].startsWith('No connectivity changes');
      },
      {
        timeoutMs: 30_000,
        describe: () =>
          `${JSON.stringify(seen)}; on disk: ${readFileSync(policies.fsPath, 'utf8').includes('  - {}') ? 'edited' : 'as committed'}; open: ${vscode.workspace.textDocuments.some((d) => d.uri.toString() === policies.toString() && d.getText().includes('  - {}'))}`,
      },
    );
    // the matrix follows: nothing left to mark, so its "Show changes" button is disabled and the overlay off
    await waitFor(
      'the matrix overlay to go off with the changes',
      () => {
        const last = api.matrix.received.filter((x) => x.type === 'overlay').pop();
        return api.matrix.changes?.status === 'ready' && api.matrix.changes.entries.length === 0 && last?.on === false;
      },
      { timeoutMs: 30_000, describe: () => JSON.stringify([api.matrix.changes, api.matrix.received.slice(-3)]).slice(0, 800) },
    );
  });
});
