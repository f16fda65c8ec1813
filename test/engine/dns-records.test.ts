// The cluster's records (kubernetes/dns docs/specification.md) and Service endpoints.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dnsFixture } from '../support/dns';
import { serviceEndpoints, targetPortFor } from '../../server/src/engine/dns/endpoints';
import { buildDnsIndex } from '../../server/src/engine/dns/records';
import { analyze } from '../../server/src/engine';

const ids = (ws: readonly { id: string }[]) => ws.map((w) => w.id).sort();

test('ClusterIP Service: A record with the selected workloads as endpoints; scaled-to-zero ones have none', () => {
  const { index } = dnsFixture('services');
  const a = index.lookup('web.shop.svc.cluster.local')!;
  assert.equal(a.type, 'Service');
  assert.equal(a.target, 'shop/web[Service]');
  assert.deepEqual(a.endpoints, ['shop/web-a[Deployment]', 'shop/web-b[Deployment]']);
  assert.equal(index.serviceByFqdn('WEB.shop.svc.cluster.local.')?.id, 'shop/web[Service]', 'case-insensitive, trailing dot allowed');
  assert.equal(index.serviceById('shop/web[Service]')?.name, 'web');
  const ghost = index.lookup('ghost.shop.svc.cluster.local')!;
  assert.deepEqual([ghost.type, ghost.endpoints], ['Service', []]);
});

test('named targetPort resolves per pod; numbers pass through; protocol must match', () => {
  const { model, index } = dnsFixture('services');
  const svc = index.serviceById('shop/web[Service]')!;
  const [http, metrics, dns] = svc.ports;
  const byName = Object.fromEntries(serviceEndpoints(model, svc).map((w) => [w.name, w]));
  assert.equal(targetPortFor(http, byName['web-a']), 8080);
  assert.equal(targetPortFor(http, byName['web-b']), 8081);
  assert.equal(targetPortFor(metrics, byName['web-a']), 9100);
  assert.equal(targetPortFor(dns, byName['web-b']), 53, 'unnamed port: targetPort defaults to port');
  assert.equal(targetPortFor({ ...http, targetPort: 'dns' }, byName['web-a']), undefined, 'dns is a UDP port, the Service port is TCP');
  assert.equal(targetPortFor({ ...http, targetPort: 'dns', protocol: 'UDP' }, byName['web-a']), 53);
  assert.equal(targetPortFor({ ...http, targetPort: 'missing' }, byName['web-a']), undefined);
});

test('SRV records for named ports only', () => {
  const { index } = dnsFixture('services');
  const srv = index.lookup('_http._tcp.web.shop.svc.cluster.local')!;
  assert.equal(srv.type, 'Service');
  assert.deepEqual(srv.srv, [{ port: 80, target: 'web.shop.svc.cluster.local' }]);
  assert.deepEqual(index.lookup('_metrics._tcp.web.shop.svc.cluster.local')?.srv, [{ port: 9090, target: 'web.shop.svc.cluster.local' }]);
  assert.equal(index.lookup('_http._udp.web.shop.svc.cluster.local'), undefined);
});

test('ExternalName: a CNAME without endpoints', () => {
  const { index } = dnsFixture('services');
  const a = index.lookup('ext.shop.svc.cluster.local')!;
  assert.deepEqual([a.type, a.cname, a.endpoints], ['ExternalName', 'api.example.com', []]);
});

test('Service without selector: Endpoints addresses map to workloads by pod IP; others stay addresses', () => {
  const { model, index } = dnsFixture('services');
  const a = index.lookup('legacy-db.shop.svc.cluster.local')!;
  assert.deepEqual(a.endpoints, ['shop/lonely[Pod]']);
  assert.deepEqual(a.addresses, ['192.0.2.10']);
  assert.deepEqual(ids(serviceEndpoints(model, index.serviceById('shop/legacy-db[Service]')!)), ['shop/lonely[Pod]']);
});

test('Service without selector: EndpointSlice addresses map by targetRef, then by IP', () => {
  const { index } = dnsFixture('services');
  const a = index.lookup('sliced.shop.svc.cluster.local')!;
  assert.deepEqual(a.endpoints, ['shop/dual[Pod]', 'shop/lonely[Pod]']);
  assert.equal(a.addresses, undefined);
});

test('pod A records: a-b-c-d.ns.pod.zone, IPv6 with dashes in any spelling', () => {
  const { index } = dnsFixture('services');
  assert.equal(index.lookup('10-2-0-5.shop.pod.cluster.local')?.target, 'shop/lonely[Pod]');
  assert.equal(index.lookup('10-2-0-5.shop.pod.cluster.local')?.type, 'Pod');
  assert.equal(index.lookup('fd00--6.shop.pod.cluster.local')?.target, 'shop/dual[Pod]');
  assert.equal(index.lookup('fd00-0-0-0-0-0-0-6.shop.pod.cluster.local')?.target, 'shop/dual[Pod]');
  assert.equal(index.lookup('10-2-0-5.other.pod.cluster.local'), undefined, 'another namespace');
  assert.equal(index.lookup('10-2-0-99.shop.pod.cluster.local'), undefined, 'no pod has that IP');
});

test('headless Service: answers per backing pod; hostname.subdomain records for pods it selects', () => {
  const { index } = dnsFixture('headless');
  const a = index.lookup('busybox-subdomain.db.svc.cluster.local')!;
  assert.equal(a.type, 'HeadlessService');
  assert.deepEqual(a.endpoints, ['db/busybox1[Pod]', 'db/busybox2[Pod]', 'db/busybox3[Pod]']);
  const one = index.lookup('busybox-1.busybox-subdomain.db.svc.cluster.local')!;
  assert.deepEqual([one.type, one.target, one.service?.id], ['Pod', 'db/busybox1[Pod]', 'db/busybox-subdomain[Service]']);
  assert.equal(index.lookup('busybox-2.busybox-subdomain.db.svc.cluster.local')?.target, 'db/busybox2[Pod]');
  assert.equal(index.lookup('busybox-3.busybox-subdomain.db.svc.cluster.local'), undefined, 'its subdomain is another name');
  assert.equal(
    index.lookup('10-1-0-13.busybox-subdomain.db.svc.cluster.local')?.target,
    'db/busybox3[Pod]',
    'endpoints without hostname are named by IP',
  );
  assert.equal(index.lookup('stray.busybox-subdomain.db.svc.cluster.local'), undefined, 'not selected by the Service');
  assert.deepEqual(
    index.lookup('_foo._tcp.busybox-subdomain.db.svc.cluster.local')?.srv?.map((s) => s.target),
    [
      'busybox-1.busybox-subdomain.db.svc.cluster.local',
      'busybox-2.busybox-subdomain.db.svc.cluster.local',
      '10-1-0-13.busybox-subdomain.db.svc.cluster.local',
    ],
  );
});

test('StatefulSet pods: name-N.serviceName for N < replicas (default 1) when serviceName is a headless Service', () => {
  const { index } = dnsFixture('headless');
  for (const n of [0, 1, 2]) {
    const a = index.lookup(`web-${n}.nginx.db.svc.cluster.local`)!;
    assert.deepEqual([a.type, a.target, a.podName], ['Pod', 'db/web[StatefulSet]', `web-${n}`]);
  }
  assert.equal(index.lookup('web-3.nginx.db.svc.cluster.local'), undefined);
  assert.equal(index.lookup('cache-0.cache-hl.db.svc.cluster.local')?.target, 'db/cache[StatefulSet]');
  assert.equal(index.lookup('cache-1.cache-hl.db.svc.cluster.local'), undefined);
  assert.equal(index.lookup('orphan-0.missing.db.svc.cluster.local'), undefined);
  // headless SRV: one per endpoint, with the pod's port behind the named targetPort
  assert.deepEqual(
    index.lookup('_web._tcp.nginx.db.svc.cluster.local')?.srv,
    [0, 1, 2].map((n) => ({ port: 8080, target: `web-${n}.nginx.db.svc.cluster.local` })),
  );
});

test('a headless Service without endpoints has no record, and says why', () => {
  const { index } = dnsFixture('headless');
  assert.equal(index.lookup('empty.db.svc.cluster.local'), undefined);
  assert.match(index.whyMissing('empty.db.svc.cluster.local')!, /no ready endpoints/);
});

test('a namespace spelt with capitals: its Services and pods answer under the lower-case name, as one namespace with the other spelling', () => {
  const svc = (name: string, ns: string) =>
    `apiVersion: v1\nkind: Service\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n  selector: { app: ${name} }\n  ports: [{ name: http, port: 80 }]\n`;
  const deploy = (name: string, ns: string) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: ${name}, namespace: ${ns} }\nspec:\n  selector: { matchLabels: { app: ${name} } }\n  template:\n    metadata: { labels: { app: ${name} } }\n    spec: { containers: [{ name: c, image: x }] }\n`;
  const model = analyze([
    { uri: 'a.yaml', text: svc('web', 'Shop') },
    { uri: 'b.yaml', text: deploy('web', 'Shop') },
    { uri: 'c.yaml', text: svc('api', 'shop') },
    { uri: 'd.yaml', text: svc('db', 'other') },
  ]);
  const index = buildDnsIndex(model, 'cluster.local');
  assert.equal(index.lookup('web.shop.svc.cluster.local')?.target, 'Shop/web[Service]');
  assert.deepEqual(index.lookup('web.shop.svc.cluster.local')?.endpoints, ['Shop/web[Deployment]']);
  assert.equal(index.lookup('api.shop.svc.cluster.local')?.target, 'shop/api[Service]');
  assert.equal(index.lookup('db.other.svc.cluster.local')?.target, 'other/db[Service]');
  assert.deepEqual(
    index.servicesNamed('WEB').map((s) => s.id),
    ['Shop/web[Service]'],
  );
});
