// The cluster domain: a Corefile (coredns ConfigMap or a standalone file), else the option, else cluster.local.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dnsFixture } from '../support/dns';

test('a custom domain from the coredns ConfigMap drives search lists and records', () => {
  const f = dnsFixture('domain-configmap');
  assert.equal(f.domain.domain, 'k8s.example.internal');
  assert.equal(f.domain.origin, 'corefile');
  assert.match(f.domain.ref!.uri, /coredns\.yaml$/);
  assert.deepEqual(f.conf('shop/client[Pod]').searches, [
    'shop.svc.k8s.example.internal',
    'svc.k8s.example.internal',
    'k8s.example.internal',
  ]);
  const r = f.resolve('shop/client[Pod]', 'api');
  assert.equal(r.answer?.fqdn, 'api.shop.svc.k8s.example.internal');
  assert.equal(r.answer?.target, 'shop/api[Service]');
  // the default zone is not served here: the name goes upstream
  const old = f.resolve('shop/client[Pod]', 'api.shop.svc.cluster.local.');
  assert.equal(old.answer, null);
  assert.equal(old.external, true);
});

test('a standalone Corefile: a bare kubernetes plugin serves its server block zone', () => {
  const f = dnsFixture('domain-corefile');
  assert.equal(f.domain.domain, 'corp.cluster');
  assert.equal(f.domain.origin, 'corefile');
  assert.equal(f.resolve('shop/client[Pod]', 'api.shop').answer?.fqdn, 'api.shop.svc.corp.cluster');
});

test('the option applies when no Corefile is found, and a Corefile beats it', () => {
  const f = dnsFixture('domain-option', { clusterDomain: 'example.test.' });
  assert.deepEqual([f.domain.domain, f.domain.origin], ['example.test', 'setting']);
  assert.equal(f.resolve('shop/client[Pod]', 'api').answer?.fqdn, 'api.shop.svc.example.test');
  const d = dnsFixture('domain-option');
  assert.deepEqual([d.domain.domain, d.domain.origin], ['cluster.local', 'default']);
  const c = dnsFixture('domain-configmap', { clusterDomain: 'example.test' });
  assert.equal(c.domain.domain, 'k8s.example.internal');
});
