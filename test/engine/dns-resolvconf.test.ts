// A pod's resolv.conf per dnsPolicy and dnsConfig, as kubelet writes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dnsFixture } from '../support/dns';
import { optionText } from '../../server/src/engine/report/resolveReport';

const CLUSTER_SEARCH = ['app.svc.cluster.local', 'svc.cluster.local', 'cluster.local'];

test('ClusterFirst: cluster DNS, namespace search list, ndots:5', () => {
  const c = dnsFixture('policies').conf('app/cluster-first[Pod]');
  assert.deepEqual(c.nameservers, ['<cluster-dns>']);
  assert.deepEqual(c.searches, CLUSTER_SEARCH);
  assert.deepEqual(c.options.map(optionText), ['ndots:5']);
  assert.equal(c.ndots, 5);
  assert.equal(c.usesClusterDns, true);
  assert.equal(c.effectivePolicy, 'ClusterFirst');
  assert.ok(
    c.notes.some((n) => /node's own search domains/.test(n)),
    'says the host search domains are unknown',
  );
});

test('hostNetwork with ClusterFirst falls back to Default (the node resolv.conf)', () => {
  const c = dnsFixture('policies').conf('app/hostnet-cluster-first[Pod]');
  assert.equal(c.effectivePolicy, 'Default');
  assert.equal(c.usesClusterDns, false);
  assert.deepEqual(c.nameservers, ['<node-dns>']);
  assert.deepEqual(c.searches, []);
  assert.ok(c.notes.some((n) => /falls back to Default/.test(n) && /ClusterFirstWithHostNet/.test(n)));
});

test('ClusterFirstWithHostNet on hostNetwork uses the cluster DNS', () => {
  const c = dnsFixture('policies').conf('app/hostnet-with-hostnet[Pod]');
  assert.equal(c.usesClusterDns, true);
  assert.deepEqual(c.searches, CLUSTER_SEARCH);
  assert.equal(c.ndots, 5);
});

test('Default: the node resolv.conf, unknown statically', () => {
  const c = dnsFixture('policies').conf('app/node-default[Pod]');
  assert.equal(c.usesClusterDns, false);
  assert.equal(c.ndots, 1, 'the resolver default');
  assert.ok(c.notes.some((n) => /unknown to a static analysis/.test(n)));
});

test('None: only dnsConfig; a public nameserver is not the cluster DNS', () => {
  const c = dnsFixture('policies').conf('app/none-public[Pod]');
  assert.deepEqual(c.nameservers, ['1.1.1.1']);
  assert.deepEqual(c.searches, ['corp.example.com']);
  assert.deepEqual(c.options.map(optionText), ['ndots:2', 'edns0']);
  assert.equal(c.ndots, 2);
  assert.equal(c.usesClusterDns, false);
});

test('None with a well-known cluster DNS address is taken to use the cluster DNS', () => {
  const c = dnsFixture('policies').conf('app/none-cluster[Pod]');
  assert.equal(c.usesClusterDns, true);
  assert.equal(c.ndots, 1, 'no ndots option: the resolver default');
  assert.ok(c.notes.some((n) => /taken to be the cluster DNS/.test(n)));
});

test('dnsConfig merges into ClusterFirst: appended, deduplicated, options overridden by name', () => {
  const c = dnsFixture('policies').conf('app/cluster-first-config[Pod]');
  assert.deepEqual(c.nameservers, ['<cluster-dns>', '8.8.8.8']);
  assert.deepEqual(c.searches, [...CLUSTER_SEARCH, 'corp.example.com']);
  assert.deepEqual(c.options.map(optionText), ['ndots:2', 'single-request-reopen']);
  assert.equal(c.ndots, 2);
  assert.equal(c.usesClusterDns, true);
});

test('kubelet limits: 3 nameservers, 32 search domains', () => {
  const c = dnsFixture('limits').conf('app/many[Pod]');
  assert.deepEqual(c.nameservers, ['<cluster-dns>', '1.1.1.1', '8.8.8.8']);
  assert.equal(c.searches.length, 32);
  assert.equal(c.searches[0], 'app.svc.cluster.local');
  assert.equal(c.searches[31], 'd28.example.com');
  assert.ok(c.notes.some((n) => /drops 9\.9\.9\.9/.test(n)));
  assert.ok(c.notes.some((n) => /first 32 search domains/.test(n)));
});

test('the kube-dns Service ClusterIP is the nameserver when the workspace has it', () => {
  const f = dnsFixture('kube-dns-ip');
  assert.deepEqual(f.conf('default/client[Pod]').nameservers, ['10.32.0.10']);
  assert.equal(f.conf('default/custom-none[Pod]').usesClusterDns, true);
  // 10.96.0.10 is a common default, but this cluster's DNS is 10.32.0.10
  assert.equal(f.conf('default/wrong-none[Pod]').usesClusterDns, false);
  // CoreDNS itself runs with dnsPolicy Default
  assert.equal(f.conf('kube-system/coredns[Deployment]').usesClusterDns, false);
});
