// The stub resolver's search algorithm against the cluster's records.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dnsFixture } from '../support/dns';
import { searchCandidates } from '../../server/src/engine/dns/resolve';

const names = (r: { tried: { name: string }[] }) => r.tried.map((t) => t.name);

test('a short name resolves in the pod namespace through the first search domain', () => {
  const r = dnsFixture('services').resolve('shop/client[Pod]', 'web');
  assert.deepEqual(names(r), ['web.shop.svc.cluster.local']);
  assert.equal(r.rcode, 'NOERROR');
  assert.equal(r.answer?.target, 'shop/web[Service]');
  assert.equal(r.clusterDomain, 'cluster.local');
});

test('cross-namespace short name fails (NXDOMAIN, with a suggestion); svc.ns works', () => {
  const f = dnsFixture('services');
  const short = f.resolve('other/outsider[Pod]', 'web');
  assert.equal(short.rcode, 'NXDOMAIN');
  assert.equal(short.answer, null);
  assert.deepEqual(names(short), ['web.other.svc.cluster.local', 'web.svc.cluster.local', 'web.cluster.local', 'web']);
  assert.ok(short.tried.every((t) => t.rcode === 'NXDOMAIN' && !t.external));
  assert.deepEqual(short.suggestions, ['web.shop.svc.cluster.local']);
  const qualified = f.resolve('other/outsider[Pod]', 'web.shop');
  assert.deepEqual(names(qualified), ['web.shop.other.svc.cluster.local', 'web.shop.svc.cluster.local']);
  assert.equal(qualified.answer?.target, 'shop/web[Service]');
});

test('trailing dot: absolute, tried once, case-insensitive', () => {
  const f = dnsFixture('services');
  const r = f.resolve('other/outsider[Pod]', 'WEB.Shop.SVC.cluster.local.');
  assert.deepEqual(names(r), ['web.shop.svc.cluster.local']);
  assert.equal(r.answer?.target, 'shop/web[Service]');
  const short = f.resolve('shop/client[Pod]', 'web.');
  assert.deepEqual(names(short), ['web']);
  assert.equal(short.rcode, 'NXDOMAIN');
});

test('ndots: a 4-dot FQDN is searched first, a 5-dot name is tried as is first', () => {
  const f = dnsFixture('headless');
  const four = f.resolve('db/client[Pod]', 'nginx.db.svc.cluster.local');
  assert.deepEqual(names(four), [
    'nginx.db.svc.cluster.local.db.svc.cluster.local',
    'nginx.db.svc.cluster.local.svc.cluster.local',
    'nginx.db.svc.cluster.local.cluster.local',
    'nginx.db.svc.cluster.local',
  ]);
  assert.equal(four.answer?.type, 'HeadlessService');
  const five = f.resolve('db/client[Pod]', 'web-1.nginx.db.svc.cluster.local');
  assert.deepEqual(names(five), ['web-1.nginx.db.svc.cluster.local']);
  assert.equal(five.answer?.podName, 'web-1');
  assert.deepEqual(searchCandidates('a.b', { searches: ['s1', 's2'], ndots: 2 }), ['a.b.s1', 'a.b.s2', 'a.b']);
  assert.deepEqual(searchCandidates('a.b', { searches: ['s1', 's2'], ndots: 1 }), ['a.b', 'a.b.s1', 'a.b.s2']);
  assert.deepEqual(searchCandidates('a', { searches: ['s1'], ndots: 0 }), ['a', 'a.s1']);
});

test('ndots:1 via dnsConfig: svc.ns is tried as is first (NXDOMAIN: ns is no TLD), then searched', () => {
  const r = dnsFixture('policies').resolve('app/ndots-one[Pod]', 'web.app');
  assert.deepEqual(
    r.tried.map((t) => [t.name, t.rcode, t.plugin]),
    [
      ['web.app', 'NXDOMAIN', 'upstream'],
      ['web.app.app.svc.cluster.local', 'NXDOMAIN', 'kubernetes'],
      ['web.app.svc.cluster.local', 'NOERROR', 'kubernetes'],
    ],
  );
  assert.equal(r.answer?.target, 'app/web[Service]');
  assert.ok(
    r.notes.some((n) => /musl/.test(n)),
    'musl does not search names with ndots dots',
  );
});

test('names outside the cluster go upstream: answer null, rcode NOERROR, attempts marked external', () => {
  const r = dnsFixture('services').resolve('shop/client[Pod]', 'google.com');
  assert.equal(r.answer, null);
  assert.equal(r.rcode, 'NOERROR');
  assert.equal(r.external, true);
  const last = r.tried.at(-1)!;
  assert.deepEqual(
    [last.name, last.rcode, last.external, last.plugin, last.forwardedTo],
    ['google.com', 'UNKNOWN', true, 'forward', ['/etc/resolv.conf']],
  );
  assert.ok(r.notes.some((n) => /upstream DNS/.test(n)));
});

test('a non-cluster search domain is external; a later cluster name still answers', () => {
  const f = dnsFixture('services');
  const r = f.resolve('other/corp[Pod]', 'web.shop');
  assert.equal(r.answer?.target, 'shop/web[Service]', 'found through svc.cluster.local before corp.example.com');
  const ext = f.resolve('other/corp[Pod]', 'intranet');
  assert.deepEqual(
    ext.tried.map((t) => [t.name, t.rcode]),
    [
      ['intranet.other.svc.cluster.local', 'NXDOMAIN'],
      ['intranet.svc.cluster.local', 'NXDOMAIN'],
      ['intranet.cluster.local', 'NXDOMAIN'],
      ['intranet.corp.example.com', 'UNKNOWN'],
      ['intranet', 'NXDOMAIN'],
    ],
  );
  assert.equal(ext.external, true);
});

test('ExternalName: CNAME answer; a CNAME to a cluster name is followed', () => {
  const f = dnsFixture('services');
  const r = f.resolve('shop/client[Pod]', 'ext');
  assert.deepEqual([r.answer?.type, r.answer?.cname, r.rcode], ['ExternalName', 'api.example.com', 'NOERROR']);
  assert.ok(r.notes.some((n) => /upstream DNS/.test(n)));
  const alias = f.resolve('shop/client[Pod]', 'alias');
  assert.equal(alias.cnameAnswer?.target, 'shop/web[Service]');
});

test('SRV and pod A names resolve through the search list too', () => {
  const f = dnsFixture('services');
  assert.deepEqual(f.resolve('shop/client[Pod]', '_http._tcp.web').answer?.srv, [{ port: 80, target: 'web.shop.svc.cluster.local' }]);
  assert.equal(f.resolve('other/outsider[Pod]', '10-2-0-5.shop.pod').answer?.target, 'shop/lonely[Pod]');
});

test('hostname.subdomain of a headless Service resolves from the namespace', () => {
  const r = dnsFixture('headless').resolve('db/client[Pod]', 'busybox-1.busybox-subdomain');
  assert.equal(r.answer?.target, 'db/busybox1[Pod]');
  const empty = dnsFixture('headless').resolve('db/client[Pod]', 'empty');
  assert.equal(empty.rcode, 'NXDOMAIN');
  assert.ok(empty.notes.some((n) => /no ready endpoints/.test(n)));
});

test('pods that do not use the cluster DNS cannot resolve cluster names', () => {
  const f = dnsFixture('policies');
  for (const id of ['app/node-default[Pod]', 'app/hostnet-cluster-first[Pod]', 'app/none-public[Pod]']) {
    const r = f.resolve(id, 'web.app.svc.cluster.local');
    assert.equal(r.answer, null, id);
    // none-public also searches corp.example.com, which goes upstream
    assert.equal(r.rcode, id.includes('none-public') ? 'NOERROR' : 'NXDOMAIN', id);
    assert.ok(
      r.notes.some((n) => /does not use the cluster DNS/.test(n)),
      id,
    );
  }
  assert.equal(f.resolve('app/hostnet-with-hostnet[Pod]', 'web').answer?.target, 'app/web[Service]');
  assert.equal(f.resolve('app/none-cluster[Pod]', 'web').answer?.target, 'app/web[Service]');
});
