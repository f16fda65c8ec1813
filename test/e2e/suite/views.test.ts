// The Reachability and Policies tree data providers, through the API activate() returns.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { netlensApi, type NetLensApi } from './helpers';

type Node = Awaited<ReturnType<NetLensApi['reachabilityTree']['getChildren']>>[number];

function label(api: NetLensApi, n: Node): string {
  const l = api.reachabilityTree.getTreeItem(n).label;
  return typeof l === 'string' ? l : (l?.label ?? '');
}

suite('views', () => {
  let api: NetLensApi;
  suiteSetup(async () => {
    api = await netlensApi();
  });

  test('Reachability roots are the namespaces (monitoring, payments, shop, ...)', async () => {
    const roots = await api.reachabilityTree.getChildren();
    const names = roots.map((n) => label(api, n));
    for (const ns of ['monitoring', 'payments', 'shop']) assert.ok(names.includes(ns), `roots ${JSON.stringify(names)} lack ${ns}`);
    assert.ok(
      roots.every((n) => n.kind === 'namespace'),
      `roots of kinds ${roots.map((n) => n.kind).join(', ')}`,
    );
    const shop = roots.find((n) => label(api, n) === 'shop')!;
    assert.equal(api.reachabilityTree.getTreeItem(shop).collapsibleState, vscode.TreeItemCollapsibleState.Collapsed);
    assert.match(String(api.reachabilityTree.getTreeItem(shop).description), /3 workloads/);
  });

  test('shop > frontend has "Can reach" (cart, payments-api), "Reachable from" and "Policies selecting it"', async () => {
    const shop = (await api.reachabilityTree.getChildren()).find((n) => label(api, n) === 'shop');
    assert.ok(shop);
    const workloads = await api.reachabilityTree.getChildren(shop);
    assert.deepEqual(workloads.map((n) => label(api, n)).sort(), ['cart', 'frontend', 'redis']);
    const frontend = workloads.find((n) => label(api, n) === 'frontend')!;
    // descriptions fit the default width: the kind only; the isolation is in the tooltip
    const frontendItem = api.reachabilityTree.getTreeItem(frontend);
    assert.equal(frontendItem.description, 'Deployment');
    const tip = frontendItem.tooltip;
    assert.match(typeof tip === 'string' ? tip : (tip?.value ?? ''), /isolated\\?: ingress\\?, egress/i);
    // a click on a namespace expands it (no command that would open its file instead)
    assert.equal(api.reachabilityTree.getTreeItem(shop).command, undefined);
    const sections = await api.reachabilityTree.getChildren(frontend);
    const sectionLabels = sections.map((n) => label(api, n));
    for (const s of ['Can reach', 'Reachable from', 'Policies selecting it'])
      assert.ok(sectionLabels.includes(s), `sections ${JSON.stringify(sectionLabels)} lack ${s}`);
    const canReach = sections.find((n) => label(api, n) === 'Can reach')!;
    const peerNamespaces = await api.reachabilityTree.getChildren(canReach);
    const peers: string[] = [];
    for (const ns of peerNamespaces)
      for (const p of await api.reachabilityTree.getChildren(ns))
        peers.push(`${label(api, ns)}/${label(api, p)} ${api.reachabilityTree.getTreeItem(p).description}`);
    assert.ok(peers.includes('shop/cart TCP 7070'), `Can reach: ${JSON.stringify(peers)}`);
    assert.ok(peers.includes('payments/payments-api TCP 8443'), `Can reach: ${JSON.stringify(peers)}`);
    const policies = (await api.reachabilityTree.getChildren(sections.find((n) => label(api, n) === 'Policies selecting it'))).map((n) =>
      label(api, n),
    );
    assert.ok(
      policies.some((p) => p.includes('web-tier')),
      `Policies selecting it: ${JSON.stringify(policies)}`,
    );
  });

  test('Policies roots are the NetworkPolicies; web-tier selects frontend', async () => {
    const roots = await api.policiesTree.getChildren();
    const item = (n: (typeof roots)[number]) => api.policiesTree.getTreeItem(n);
    const labelOf = (n: (typeof roots)[number]) => {
      const l = item(n).label;
      return typeof l === 'string' ? l : (l?.label ?? '');
    };
    const names = roots.map(labelOf);
    for (const p of ['default-deny', 'allow-dns', 'web-tier', 'backend-tier', 'payments-ingress']) {
      assert.ok(
        names.some((n) => n.includes(p)),
        `policies ${JSON.stringify(names)} lack ${p}`,
      );
    }
    const webTier = roots.find((n) => labelOf(n).includes('web-tier'))!;
    const children = await api.policiesTree.getChildren(webTier);
    const selects = children.find((n) => n.kind === 'selects');
    assert.ok(selects, `web-tier children: ${children.map(labelOf).join(', ')}`);
    const selected = (await api.policiesTree.getChildren(selects)).map(labelOf);
    assert.deepEqual(selected, ['frontend']);
  });
});
