// The Corefile as CoreDNS reads it: server blocks, plugin options, the plugin chain's order, and
// resolution through rewrite, hosts, kubernetes and forward; kube-dns and NodeLocal DNSCache
// ConfigMaps; bad input. Corefiles and names are ours, modelled on the plugins' READMEs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import type { Workload } from '../../server/src/engine/model/types';
import { clusterDomainOf } from '../../server/src/engine/dns/clusterDomain';
import { buildDnsIndex } from '../../server/src/engine/dns/records';
import { resolveName } from '../../server/src/engine/dns/resolve';
import { attemptText, resolveText } from '../../server/src/engine/report/resolveReport';
import { parseCorefile } from '../../server/src/engine/dns/corefileSyntax';
import { pluginChain } from '../../server/src/engine/dns/corefilePlugins';
import { dnsServerConfig } from '../../server/src/engine/dns/dnsServer';
import { lcg31 } from '../support/random';

// A namespace `web` with a client pod, a ClusterIP Service `api`, a headless Service `db` whose
// endpoint is a bare Pod without hostname, and a pod with a known IP in `tools`.
const WORKLOADS = `
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: web}
spec: {containers: [{name: c, image: busybox}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: web}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: c, image: nginx}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: web}
spec: {selector: {app: api}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Pod
metadata: {name: store-a, namespace: web, labels: {app: store}}
spec: {containers: [{name: c, image: postgres}]}
status: {podIP: 10.8.0.7}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: web}
spec: {clusterIP: None, selector: {app: store}, ports: [{name: pg, port: 5432}]}
---
apiVersion: v1
kind: Pod
metadata: {name: toolbox, namespace: tools}
spec: {containers: [{name: c, image: busybox}]}
status: {podIP: 10.8.1.9}
`;

function coreDnsConfigMap(corefile: string, name = 'coredns', extra = ''): string {
  const body = corefile
    .split('\n')
    .map((l) => (l ? `    ${l}` : l))
    .join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: kube-system}\ndata:\n  Corefile: |\n${body}\n${extra}`;
}

function world(sources: { uri: string; text: string }[]) {
  const model = analyze([{ uri: 'app.yaml', text: WORKLOADS }, ...sources]);
  const domain = clusterDomainOf(model);
  const index = buildDnsIndex(model, domain.domain);
  const w = (id: string): Workload => model.workloads.find((x) => x.id === id) ?? assert.fail(`no ${id}`);
  const resolve = (query: string, from = 'web/client[Pod]') => resolveName(model, index, w(from), query);
  /** `name -> what happened` for each name tried */
  const lines = (query: string, from?: string) => resolve(query, from).tried.map((t) => `${t.name} -> ${attemptText(t)}`);
  return { model, resolve, lines };
}

const withCorefile = (corefile: string) => world([{ uri: 'dns/Corefile', text: corefile }]);

// coredns/coredns plugin.cfg (server blocks and their keys); Corefile syntax as in plugin/forward/README.md's
// examples with several server blocks (`.:5301 { ... }`) and plugin/kubernetes/README.md's `kubernetes cluster.local in-addr.arpa ip6.arpa`.
test('parse: several server blocks with zones and ports, plugin arguments and sub-blocks with ranges', () => {
  const text = [
    '# the cluster',
    'kube.test in-addr.arpa ip6.arpa:53 {',
    '    kubernetes kube.test {',
    '        pods verified',
    '    }',
    '}',
    'corp.example:1053, dns://lab.example {',
    '    forward . 10.4.0.2 "10.4.0.3"',
    '}',
    '(common) {',
    '    log',
    '}',
    'import extra/*.server',
  ].join('\n');
  const c = parseCorefile(text, 'Corefile');
  assert.deepEqual(c.problems, []);
  assert.deepEqual(
    c.blocks.map((b) => b.keys.map((k) => `${k.scheme}:${k.zone}:${k.port}`)),
    [
      ['dns:kube.test:53', 'dns:in-addr.arpa:53', 'dns:ip6.arpa:53'],
      ['dns:corp.example:1053', 'dns:lab.example:53'],
    ],
  );
  const k8s = c.blocks[0].directives[0];
  assert.equal(k8s.name, 'kubernetes');
  assert.deepEqual(
    k8s.args.map((a) => a.text),
    ['kube.test'],
  );
  const pods = k8s.block![0];
  assert.equal(text.slice(pods.ref.start, pods.ref.end), 'pods verified');
  const fwd = c.blocks[1].directives[0];
  assert.deepEqual(
    fwd.args.map((a) => a.text),
    ['.', '10.4.0.2', '10.4.0.3'],
  );
  assert.equal(text.slice(fwd.args[2].ref.start, fwd.args[2].ref.end), '"10.4.0.3"');
  assert.deepEqual(
    c.notAnalysed.map((n) => n.what),
    ['snippet (common)', 'import extra/*.server'],
  );
});

// coredns/coredns plugin/kubernetes/README.md ("kubernetes cluster.local { namespaces test staging }" without braces around a single block).
test('parse: a single server block may leave out its braces', () => {
  const c = parseCorefile('.\nkubernetes kube.test\nforward . 10.9.0.1\n', 'Corefile');
  assert.deepEqual(c.problems, []);
  assert.deepEqual(
    c.blocks[0].directives.map((d) => d.name),
    ['kubernetes', 'forward'],
  );
});

// Bad input never throws: syntax errors are problems with ranges (coredns/coredns plugin.cfg notes nothing here; our own cases).
test('parse: bad input becomes problems with ranges, never an exception', () => {
  const cases: [string, RegExp][] = [
    ['.:53 {\n  kubernetes cluster.local {\n    pods insecure\n', /never closed/],
    ['.:53 {\n  log\n}\n}\n', /expected a server block|unexpected/],
    ['.:99999 {\n  log\n}\n', /bad port/],
    ['.:53 {\n  forward . "10.0.0.1\n}\n', /never closed/],
    ['{\n  log\n}\n', /expected a server block/],
    ['a.example {\n  log\n}\nb.example\n', /has no/],
  ];
  for (const [text, re] of cases) {
    const c = parseCorefile(text, 'Corefile');
    assert.ok(
      c.problems.some((p) => re.test(p.message)),
      `${JSON.stringify(text)}: ${c.problems.map((p) => p.message).join('; ')}`,
    );
    for (const p of c.problems) assert.ok(p.ref.start >= 0 && p.ref.end <= text.length && p.ref.start <= p.ref.end);
  }
  // random garbage: no exception, whatever comes out
  const next = lcg31(7);
  const rnd = () => next() / 2147483648;
  const alphabet = ['{', '}', '"', '`', '#', '\n', ' ', '.', ':53', 'kubernetes', 'forward', 'rewrite', 'hosts', '(', ')', ',', 'a'];
  for (let n = 0; n < 300; n++) {
    let t = '';
    for (let i = 0; i < 40; i++) t += alphabet[Math.floor(rnd() * alphabet.length)];
    const c = parseCorefile(t, 'Corefile');
    for (const b of c.blocks) pluginChain(b, []);
  }
});

test('a ConfigMap Corefile with a syntax error gives a corefile-syntax finding on the exact text', () => {
  const yaml = coreDnsConfigMap('.:53 {\n    kubernetes cluster.local\n    forward . 10.0.0.9\n}\n}');
  const model = analyze([{ uri: 'coredns.yaml', text: yaml }]);
  const f = model.findings.find((x) => x.code === 'corefile-syntax');
  assert.ok(f, 'a finding');
  assert.equal(yaml.slice(f.ref.start, f.ref.end), '}');
  assert.equal(yaml.slice(f.ref.start - 6, f.ref.start), '}\n    ', 'the second closing brace, not the first');
});

// coredns/coredns plugin.cfg: plugins run in its order, not as written (rewrite < hosts < kubernetes < forward).
test('plugin order: plugin.cfg order, whatever order the Corefile writes them in', () => {
  const c = parseCorefile(
    '.:53 {\n forward . 10.0.0.1\n kubernetes cluster.local\n hosts {\n  fallthrough\n }\n whoami\n rewrite name exact a.test b.test\n}\n',
    'Corefile',
  );
  assert.deepEqual(
    pluginChain(c.blocks[0], []).map((p) => p.name),
    ['rewrite', 'hosts', 'kubernetes', 'forward', 'whoami'],
  );
  // forward written first still comes after kubernetes: cluster names answer
  const { lines } = withCorefile('.:53 {\n forward . 10.0.0.1\n kubernetes cluster.local\n}\n');
  assert.deepEqual(lines('api.web.svc.cluster.local.'), ['api.web.svc.cluster.local -> NOERROR (kubernetes)']);
  assert.deepEqual(lines('example.org.'), ['example.org -> forwarded to 10.0.0.1 (forward)']);
});

// coredns/coredns plugin/kubernetes/README.md: `pods POD-MODE` (disabled is the default, insecure answers any IP, verified needs a pod with that IP in the namespace).
test('kubernetes pods disabled | insecure | verified', () => {
  const mode = (m: string) => withCorefile(`.:53 {\n kubernetes cluster.local {\n${m ? `  pods ${m}\n` : ''} }\n}\n`);
  const known = '10-8-1-9.tools.pod.cluster.local.';
  const unknown = '10-8-1-200.tools.pod.cluster.local.';
  for (const m of ['', 'disabled']) {
    const r = mode(m).resolve(known);
    assert.equal(r.rcode, 'NXDOMAIN', `pods ${m || '(default)'}`);
    assert.ok(r.notes.some((n) => /pods disabled/.test(n)));
  }
  const insecure = mode('insecure');
  assert.equal(insecure.resolve(known).answer?.target, 'tools/toolbox[Pod]');
  const any = insecure.resolve(unknown).answer;
  assert.deepEqual([any?.type, any?.target, any?.workloads.length], ['Address', '10.8.1.200', 0]);
  assert.equal(insecure.resolve('not-an-ip.tools.pod.cluster.local.').rcode, 'NXDOMAIN');
  const verified = mode('verified');
  assert.equal(verified.resolve(known).answer?.target, 'tools/toolbox[Pod]');
  assert.equal(verified.resolve(unknown).rcode, 'NXDOMAIN');
  assert.equal(verified.resolve('10-8-1-9.web.pod.cluster.local.').rcode, 'NXDOMAIN', 'the pod is in tools, not web');
});

// coredns/coredns plugin/kubernetes/README.md: `namespaces NAMESPACE...` exposes only those namespaces.
test('kubernetes namespaces: only the listed namespaces are served', () => {
  const { resolve } = withCorefile('.:53 {\n kubernetes cluster.local {\n  namespaces tools\n  pods verified\n }\n}\n');
  assert.equal(resolve('api.web.svc.cluster.local.').rcode, 'NXDOMAIN');
  assert.ok(resolve('api.web.svc.cluster.local.').notes.some((n) => /namespace web is not among/.test(n)));
  assert.equal(resolve('10-8-1-9.tools.pod.cluster.local.').answer?.target, 'tools/toolbox[Pod]');
});

// coredns/coredns plugin/kubernetes/README.md: `endpoint_pod_names` names an endpoint without hostname by its pod's name.
test('kubernetes endpoint_pod_names: a headless endpoint by its pod name', () => {
  const plain = withCorefile('.:53 {\n kubernetes cluster.local\n}\n');
  assert.equal(plain.resolve('store-a.db.web.svc.cluster.local.').rcode, 'NXDOMAIN');
  assert.equal(plain.resolve('10-8-0-7.db.web.svc.cluster.local.').answer?.target, 'web/store-a[Pod]');
  const named = withCorefile('.:53 {\n kubernetes cluster.local {\n  endpoint_pod_names\n }\n}\n');
  const a = named.resolve('store-a.db.web.svc.cluster.local.').answer;
  assert.deepEqual([a?.type, a?.target, a?.podName], ['Pod', 'web/store-a[Pod]', 'store-a']);
});

// coredns/coredns plugin/kubernetes/README.md: `fallthrough [ZONES...]` passes NXDOMAIN down the chain, only for those zones when listed.
test('kubernetes fallthrough [zones]: NXDOMAIN goes on to the next plugin', () => {
  const all = withCorefile('.:53 {\n kubernetes cluster.local {\n  fallthrough\n }\n forward . 10.7.0.1\n}\n');
  assert.deepEqual(all.lines('ghost.web.svc.cluster.local.'), [
    'ghost.web.svc.cluster.local -> NXDOMAIN, falls through (kubernetes) -> forwarded to 10.7.0.1 (forward)',
  ]);
  assert.equal(all.resolve('ghost.web.svc.cluster.local.').external, true);
  const some = withCorefile('.:53 {\n kubernetes cluster.local other.local {\n  fallthrough other.local\n }\n forward . 10.7.0.1\n}\n');
  assert.deepEqual(some.lines('ghost.web.svc.cluster.local.'), ['ghost.web.svc.cluster.local -> NXDOMAIN (kubernetes)']);
  assert.deepEqual(some.lines('ghost.web.svc.other.local.'), [
    'ghost.web.svc.other.local -> NXDOMAIN, falls through (kubernetes) -> forwarded to 10.7.0.1 (forward)',
  ]);
  // the plugin's second zone has the same records
  assert.equal(some.resolve('api.web.svc.other.local.').answer?.fqdn, 'api.web.svc.other.local');
});

// coredns/coredns plugin/rewrite/README.md: `rewrite [continue|stop] name exact|prefix|suffix|substring|regex FROM TO`; stop is the default; `answer name`.
test('rewrite: exact, prefix, suffix, substring and regex name rules, then the rewritten name is looked up', () => {
  const { lines, resolve } = withCorefile(
    [
      '.:53 {',
      '  kubernetes cluster.local',
      '  rewrite name exact legacy-api.test api.web.svc.cluster.local',
      '  rewrite name suffix .internal.test .web.svc.cluster.local',
      '  rewrite name prefix old- new-',
      '  rewrite name substring .corp-dns. .web.svc.',
      '  rewrite stop name regex ^(.+)\\.v1\\.test\\.$ {1}.web.svc.cluster.local answer name (.+)\\.web\\.svc\\.cluster\\.local {1}.v1.test',
      '  forward . 10.0.0.53',
      '}',
    ].join('\n'),
  );
  assert.deepEqual(lines('legacy-api.test.'), [
    'legacy-api.test -> rewritten to api.web.svc.cluster.local (rewrite) -> NOERROR (kubernetes)',
  ]);
  assert.equal(resolve('legacy-api.test.').answer?.target, 'web/api[Service]');
  assert.deepEqual(lines('api.internal.test.'), [
    'api.internal.test -> rewritten to api.web.svc.cluster.local (rewrite) -> NOERROR (kubernetes)',
  ]);
  assert.deepEqual(lines('old-site.example.'), [
    'old-site.example -> rewritten to new-site.example (rewrite) -> forwarded to 10.0.0.53 (forward)',
  ]);
  assert.deepEqual(lines('api.corp-dns.cluster.local.'), [
    'api.corp-dns.cluster.local -> rewritten to api.web.svc.cluster.local (rewrite) -> NOERROR (kubernetes)',
  ]);
  assert.deepEqual(lines('api.v1.test.'), ['api.v1.test -> rewritten to api.web.svc.cluster.local (rewrite) -> NOERROR (kubernetes)']);
  // without an answer rewrite the response names the new name: said in a note; with one, not
  assert.ok(resolve('legacy-api.test.').notes.some((n) => /without "answer auto"/.test(n)));
  assert.ok(!resolve('api.v1.test.').notes.some((n) => /without "answer auto"/.test(n)));
});

// coredns/coredns plugin/rewrite/README.md: `continue` applies the next rule too; `stop` (the default) ends the rules.
test('rewrite continue and stop', () => {
  const chain = (mode: string) =>
    withCorefile(
      `.:53 {\n kubernetes cluster.local\n rewrite ${mode} name exact a.test b.test\n rewrite name exact b.test api.web.svc.cluster.local\n forward . 10.0.0.53\n}\n`,
    );
  assert.deepEqual(chain('continue').lines('a.test.'), [
    'a.test -> rewritten to api.web.svc.cluster.local (rewrite) -> NOERROR (kubernetes)',
  ]);
  assert.deepEqual(chain('stop').lines('a.test.'), ['a.test -> rewritten to b.test (rewrite) -> forwarded to 10.0.0.53 (forward)']);
});

// coredns/coredns plugin/hosts/README.md: inline entries, `fallthrough`; without it a miss in its zones is NXDOMAIN; `*.` matches one label.
test('hosts: inline entries answer before kubernetes; fallthrough or NXDOMAIN', () => {
  const through = withCorefile(
    '.:53 {\n kubernetes cluster.local\n hosts {\n  10.30.0.5 legacy.lan.example\n  10.30.0.6 *.apps.lan.example\n  10.8.1.9 toolbox.lan.example\n  fallthrough\n }\n forward . 10.0.0.53\n}\n',
  );
  assert.deepEqual(through.lines('legacy.lan.example.'), ['legacy.lan.example -> 10.30.0.5 (hosts)']);
  assert.deepEqual(through.lines('shop.apps.lan.example.'), ['shop.apps.lan.example -> 10.30.0.6 (hosts)']);
  assert.deepEqual(through.lines('a.b.apps.lan.example.'), ['a.b.apps.lan.example -> forwarded to 10.0.0.53 (forward)'], 'one label only');
  assert.deepEqual(through.lines('api.web.svc.cluster.local.'), ['api.web.svc.cluster.local -> NOERROR (kubernetes)']);
  const a = through.resolve('toolbox.lan.example.').answer;
  assert.deepEqual([a?.type, a?.addresses, a?.endpoints], ['Address', ['10.8.1.9'], ['tools/toolbox[Pod]']]);
  const closed = withCorefile('.:53 {\n hosts /etc/hosts lan.example {\n  10.30.0.5 legacy.lan.example\n }\n forward . 10.0.0.53\n}\n');
  assert.deepEqual(closed.lines('other.lan.example.'), ['other.lan.example -> NXDOMAIN (hosts)']);
  assert.deepEqual(closed.lines('example.org.'), ['example.org -> forwarded to 10.0.0.53 (forward)'], 'outside its zones');
});

// coredns/coredns plugin/forward/README.md: `forward FROM TO...`, several forwards in written order, `except`, and a server block per zone (stub zones).
test('forward and stub zones: the most specific server block, then the forward that matches', () => {
  const { lines, resolve } = withCorefile(
    [
      'corp.example:53 {',
      '  forward . 10.20.0.1 10.20.0.2',
      '}',
      'lab.corp.example {',
      '  forward . 10.21.0.1',
      '}',
      '.:53 {',
      '  kubernetes cluster.local',
      '  forward partner.example 192.0.2.10',
      '  forward . 8.8.8.8 {',
      '    except blocked.example',
      '  }',
      '}',
      '.:5353 {',
      '  forward . 10.99.0.1',
      '}',
    ].join('\n'),
  );
  assert.deepEqual(lines('wiki.corp.example.'), ['wiki.corp.example -> forwarded to 10.20.0.1 10.20.0.2 (forward)']);
  assert.deepEqual(lines('db.lab.corp.example.'), ['db.lab.corp.example -> forwarded to 10.21.0.1 (forward)']);
  assert.deepEqual(lines('www.partner.example.'), ['www.partner.example -> forwarded to 192.0.2.10 (forward)']);
  assert.deepEqual(lines('www.example.net.'), ['www.example.net -> forwarded to 8.8.8.8 (forward)']);
  assert.deepEqual(lines('x.blocked.example.'), ['x.blocked.example -> SERVFAIL (no plugin of the server block answers)']);
  const r = resolve('www.example.net.');
  assert.deepEqual([r.rcode, r.external, r.tried[0].forwardedTo], ['NOERROR', true, ['8.8.8.8']]);
  assert.ok(r.notes.some((n) => /forwarded to 8\.8\.8\.8/.test(n)));
});

test('no server block for the zone: REFUSED, and the search stops there', () => {
  const { resolve } = withCorefile('cluster.local:53 {\n  kubernetes cluster.local\n}\n');
  const r = resolve('www.example.net');
  assert.equal(r.rcode, 'REFUSED');
  assert.equal(r.tried.at(-1)?.rcode, 'REFUSED');
  assert.equal(resolve('api.web').answer?.target, 'web/api[Service]', 'cluster names still answer');
});

// kubernetes.io "Customizing DNS Service" (stubDomains, upstreamNameservers of the kube-dns ConfigMap) and
// coredns/coredns plugin/kubernetes/README.md ("stubDomains and upstreamNameservers").
test('legacy kube-dns ConfigMap: stub domains and upstream nameservers', () => {
  const cm = (data: string) => ({
    uri: 'kube-dns.yaml',
    text: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kube-dns, namespace: kube-system}\ndata:\n${data}`,
  });
  const { lines, resolve } = world([
    cm('  stubDomains: |\n    {"acme.internal": ["10.150.0.1"]}\n  upstreamNameservers: |\n    ["172.16.0.1", "172.16.0.2"]\n'),
  ]);
  assert.deepEqual(lines('git.acme.internal.'), ['git.acme.internal -> forwarded to 10.150.0.1 (forward)']);
  assert.deepEqual(lines('example.org.'), ['example.org -> forwarded to 172.16.0.1 172.16.0.2 (forward)']);
  assert.equal(resolve('api.web').answer?.target, 'web/api[Service]');
  assert.equal(resolve('example.org.').dnsConfig?.origin, 'kube-dns');
  // a Corefile wins; the kube-dns ConfigMap is then noted as not used
  const both = world([
    cm('  stubDomains: |\n    {"acme.internal": ["10.150.0.1"]}\n'),
    { uri: 'Corefile', text: '.:53 {\n kubernetes cluster.local\n forward . 9.9.9.9\n}\n' },
  ]);
  assert.deepEqual(both.lines('git.acme.internal.'), ['git.acme.internal -> forwarded to 9.9.9.9 (forward)']);
  assert.ok(both.resolve('git.acme.internal.').notes.some((n) => /legacy kube-dns configuration/.test(n)));
  // bad JSON: a finding, never an exception
  const bad = analyze([cm('  stubDomains: |\n    {"acme.internal": "10.150.0.1"\n')]);
  assert.ok(bad.findings.some((f) => f.code === 'corefile-syntax' && /stubDomains/.test(f.message)));
});

// NodeLocal DNSCache (kubernetes.io "Using NodeLocal DNSCache in Kubernetes Clusters"): its Corefile sends the cluster zone to
// the cluster DNS (__PILLAR__CLUSTER__DNS__) and other names upstream directly (__PILLAR__UPSTREAM__SERVERS__).
test('NodeLocal DNSCache: cluster names go on to CoreDNS, others upstream from the node cache', () => {
  const nodeLocal = coreDnsConfigMap(
    [
      '__PILLAR__DNS__DOMAIN__:53 {',
      '    cache 30',
      '    bind __PILLAR__LOCAL__DNS__ __PILLAR__DNS__SERVER__',
      '    forward . __PILLAR__CLUSTER__DNS__ {',
      '        force_tcp',
      '    }',
      '}',
      '.:53 {',
      '    bind __PILLAR__LOCAL__DNS__ __PILLAR__DNS__SERVER__',
      '    forward . __PILLAR__UPSTREAM__SERVERS__',
      '}',
    ].join('\n'),
    'node-local-dns',
  );
  const coredns = coreDnsConfigMap('.:53 {\n    kubernetes cluster.local\n    forward . 10.55.0.1\n}');
  const { lines, resolve, model } = world([
    { uri: 'nodelocal.yaml', text: nodeLocal },
    { uri: 'coredns.yaml', text: coredns },
  ]);
  assert.deepEqual(lines('api.web.svc.cluster.local.'), [
    'api.web.svc.cluster.local -> forwarded to __PILLAR__CLUSTER__DNS__ (node-local-dns forward) -> NOERROR (kubernetes)',
  ]);
  assert.deepEqual(lines('example.org.'), ['example.org -> forwarded to __PILLAR__UPSTREAM__SERVERS__ (node-local-dns forward)']);
  const r = resolve('example.org.');
  assert.equal(r.dnsConfig?.nodeLocal?.name, 'kube-system/node-local-dns[ConfigMap]');
  assert.ok(r.notes.some((n) => /__PILLAR__ placeholders/.test(n)));
  assert.equal(clusterDomainOf(model).domain, 'cluster.local', 'the node cache does not set the cluster domain');
  assert.equal(dnsServerConfig(model, 'cluster.local').source?.name, 'kube-system/coredns[ConfigMap]');
});

test('the report names the deciding plugin; without a Corefile the kubeadm default is assumed', () => {
  const { resolve, model } = world([]);
  const r = resolve('api.web');
  assert.deepEqual(
    r.tried.map((t) => attemptText(t)),
    ['NXDOMAIN (kubernetes)', 'NOERROR (kubernetes)'],
  );
  const text = resolveText(r, clusterDomainOf(model), (ref) => `${ref.uri}:${ref.start}`);
  assert.match(
    text,
    /\n {2}try api\.web\.web\.svc\.cluster\.local -> NXDOMAIN \(kubernetes\)\n {2}try api\.web\.svc\.cluster\.local -> NOERROR \(kubernetes\)\n/,
  );
  assert.doesNotMatch(text, /DNS server:/, 'no Corefile line for the assumed default');
  const ext = resolve('example.org.');
  assert.deepEqual(
    ext.tried.map((t) => attemptText(t)),
    ['forwarded to /etc/resolv.conf (forward)'],
  );
  assert.ok(
    ext.notes.some((n) => /outside cluster\.local: resolved by upstream DNS/.test(n)),
    'the wording it always had',
  );
});

test('unknown plugins are carried and ignored', () => {
  const { lines } = withCorefile(
    '.:53 {\n  frobnicate all the things {\n    deeply nested\n  }\n  kubernetes cluster.local\n  forward . 10.0.0.53\n}\n',
  );
  assert.deepEqual(lines('api.web.svc.cluster.local.'), ['api.web.svc.cluster.local -> NOERROR (kubernetes)']);
});
