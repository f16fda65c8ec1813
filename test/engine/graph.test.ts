// buildGraph: workloads as nodes grouped by namespace, allowed connections as labelled edges,
// external ranges and external DNS names as nodes; filters; aggregation by namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyze } from '../../server/src/engine';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { buildGraph, type Graph } from '../../server/src/engine/reachability/graph';
import { buildDnsIndex } from '../../server/src/engine/dns/records';
import { clusterDomainOf } from '../../server/src/engine/dns/clusterDomain';
import { explainPair } from '../../server/src/engine/reachability/explain';
import { pairVerdictText, portsInWords, queryVerdictText, verdictText } from '../../server/src/engine/report/pairVerdict';
import { runQuery } from '../../server/src/engine/reachability/query';
import { ALL_PORTS, NO_PORTS, portSetOf, union } from '../../server/src/engine/net/ports';

const deploy = (ns: string, name: string, port: number, env = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ${ns}}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: ${port}}]${env}}]}
`;

const policy = (ns: string, name: string, spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ${name}, namespace: ${ns}}
spec:
${spec}`;

const shop = [
  deploy('shop', 'web', 8080, ', env: [{name: PAY_URL, value: "https://pay.example.com:443/x"}, {name: API, value: "http://api:7070"}]'),
  deploy('shop', 'api', 7070),
  deploy('shop', 'db', 5432),
  deploy('ops', 'probe', 9000),
  `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 7070}]}
`,
  // every shop pod is isolated both ways; web may reach api on 7070 and the outside on 443
  policy('shop', 'deny', '  podSelector: {}\n  policyTypes: [Ingress, Egress]\n'),
  policy(
    'shop',
    'web-out',
    `  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
  - to: [{podSelector: {matchLabels: {app: api}}}]
    ports: [{port: 7070}]
  - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
    ports: [{port: 443}]
  - to: [{namespaceSelector: {}, podSelector: {matchLabels: {k8s-app: kube-dns}}}]
    ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
`,
  ),
  policy(
    'shop',
    'api-in',
    `  podSelector: {matchLabels: {app: api}}
  policyTypes: [Ingress]
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 7070}]}]
`,
  ),
].join('---\n');

function graphOf(text: string, options: Partial<Parameters<typeof buildGraph>[3]> = {}): Graph {
  const model = analyze([{ uri: 'file:///ws/all.yaml', text }]);
  const dns = buildDnsIndex(model, clusterDomainOf(model).domain);
  return buildGraph(model, computeMatrix(model), dns, { aggregateAbove: 100, ...options });
}

const edge = (g: Graph, from: string, to: string) => g.edges.find((e) => e.from === from && e.to === to);

test('graph: workloads grouped by namespace, allowed connections labelled with their ports and verdict', () => {
  const g = graphOf(shop);
  assert.equal(g.aggregated, false);
  assert.deepEqual(g.namespaces, ['ops', 'shop']);
  const web = g.nodes.find((n) => n.id === 'shop/web[Deployment]');
  assert.deepEqual(web, { id: 'shop/web[Deployment]', kind: 'workload', label: 'web', namespace: 'shop', workloadKind: 'Deployment' });
  const e = edge(g, 'shop/web[Deployment]', 'shop/api[Deployment]');
  assert.ok(e, JSON.stringify(g.edges));
  assert.equal(e.label, 'TCP 7070');
  assert.equal(e.verdict, 'allowed on TCP 7070 only');
  assert.equal(e.all, false);
  // db is isolated both ways: no edge touches it, but it is still a node
  assert.ok(g.nodes.some((n) => n.id === 'shop/db[Deployment]'));
  assert.ok(!g.edges.some((x) => x.from === 'shop/db[Deployment]' || x.to === 'shop/db[Deployment]'));
  // the unisolated probe reaches everything it is not refused by, on all ports
  const probe = edge(g, 'ops/probe[Deployment]', 'shop/api[Deployment]');
  assert.equal(probe, undefined, 'api only admits web');
  assert.equal(edge(g, 'shop/web[Deployment]', 'ops/probe[Deployment]'), undefined, 'web egress is limited');
});

const ipv4 = (a: string) => a.split('.').reduce((n, b) => n * 256 + Number(b), 0);

test('graph: external ranges and external DNS names are nodes of their own', () => {
  const g = graphOf(shop);
  const ranges = g.edges.filter((e) => e.from === 'shop/web[Deployment]' && e.to.startsWith('external:'));
  assert.ok(ranges.length > 0, JSON.stringify(g.edges));
  assert.ok(ranges.every((e) => e.label === 'TCP 443'));
  for (const r of ranges) assert.equal(g.nodes.find((n) => n.id === r.to)?.kind, 'external');
  // a range is explained by a query to one of its addresses
  for (const r of ranges) {
    assert.equal(r.example?.from, 'shop/web[Deployment]');
    const [start, end] = r.to.slice('external:'.length).split('-');
    assert.ok(r.example && ipv4(start) < ipv4(r.example.to) && ipv4(r.example.to) <= ipv4(end), JSON.stringify(r));
  }
  // edges between workloads are queries as they are
  assert.ok(g.edges.filter((e) => !e.to.startsWith('external:') && !e.from.startsWith('external:')).every((e) => !e.example));
  const dnsEdge = edge(g, 'shop/web[Deployment]', 'dns:pay.example.com');
  assert.ok(dnsEdge, JSON.stringify(g.edges));
  assert.equal(dnsEdge.label, 'TCP 443');
  assert.equal(dnsEdge.port, 443);
  assert.deepEqual(
    g.nodes.find((n) => n.id === 'dns:pay.example.com'),
    { id: 'dns:pay.example.com', kind: 'dns', label: 'pay.example.com' },
  );
  // the in-cluster name (api) is an edge between workloads, not a DNS node
  assert.ok(!g.nodes.some((n) => n.id === 'dns:api'));
});

test('graph: a DNS name whose egress (or whose DNS lookup) is blocked has no edge', () => {
  const blocked = shop.replace('ports: [{port: 443}]', 'ports: [{port: 8443}]');
  assert.equal(edge(graphOf(blocked), 'shop/web[Deployment]', 'dns:pay.example.com'), undefined);
  const noDns = shop.replace('k8s-app: kube-dns', 'k8s-app: nothing');
  assert.equal(edge(graphOf(noDns), 'shop/web[Deployment]', 'dns:pay.example.com'), undefined);
});

test('graph: filtered to a workload, only it and its peers', () => {
  const g = graphOf(shop, { workload: 'shop/api[Deployment]' });
  assert.deepEqual(g.nodes.map((n) => n.id).sort(), ['shop/api[Deployment]', 'shop/web[Deployment]']);
  assert.equal(g.edges.length, 1);
});

test('graph: filtered to a namespace, its workloads and their peers', () => {
  const g = graphOf(shop, { namespace: 'ops' });
  assert.ok(g.nodes.some((n) => n.id === 'ops/probe[Deployment]'));
  assert.ok(!g.nodes.some((n) => n.id === 'shop/db[Deployment]'), 'db neither is in ops nor talks to it');
  assert.ok(g.edges.every((e) => e.from === 'ops/probe[Deployment]' || e.to === 'ops/probe[Deployment]'));
});

test('graph: above the threshold, one node per namespace with merged ports and pair counts', () => {
  const many: string[] = [];
  for (let i = 0; i < 30; i++) many.push(deploy(`team-${i % 3}`, `svc-${i}`, 8000 + i));
  const g = graphOf(many.join('---\n'), { aggregateAbove: 10 });
  assert.equal(g.aggregated, true);
  assert.equal(g.workloadCount, 30);
  const ns = g.nodes.filter((n) => n.kind === 'namespace');
  assert.deepEqual(
    ns.map((n) => [n.label, n.workloads, n.internal]),
    [
      ['team-0', 10, 90],
      ['team-1', 10, 90],
      ['team-2', 10, 90],
    ],
  );
  const e = edge(g, 'namespace:team-0', 'namespace:team-1');
  assert.ok(e);
  assert.equal(e.pairs, 100);
  assert.equal(e.label, 'all ports');
  assert.equal(e.verdict, 'allowed on all ports');
  // explained by one of the pairs it stands for
  assert.match(e.example?.from ?? '', /^team-0\/svc-\d+\[Deployment\]$/);
  assert.match(e.example?.to ?? '', /^team-1\/svc-\d+\[Deployment\]$/);
  // the same workspace under the threshold stays per workload
  assert.equal(graphOf(many.join('---\n'), { aggregateAbove: 30 }).aggregated, false);
});

test('graph: an empty or broken workspace gives an empty graph', () => {
  for (const text of ['', 'kind: [', '---\n---\n'])
    assert.deepEqual(graphOf(text), { nodes: [], edges: [], aggregated: false, workloadCount: 0, namespaces: [] });
});

test('verdict wording: ports in words, allowed only on them, or blocked with who blocks', () => {
  const tcp = portSetOf('TCP', [
    [80, 80],
    [8080, 8090],
  ]);
  assert.equal(portsInWords(tcp), 'TCP 80, 8080-8090');
  assert.equal(portsInWords(union(tcp, portSetOf('UDP', [[53, 53]]))), 'TCP 80, 8080-8090 and UDP 53');
  assert.equal(portsInWords(portSetOf('UDP', [[1, 65535]])), 'all UDP ports');
  assert.equal(verdictText(portSetOf('TCP', [[7070, 7070]])), 'allowed on TCP 7070 only');
  assert.equal(verdictText(ALL_PORTS), 'allowed on all ports');
  assert.equal(verdictText(NO_PORTS), 'blocked: no rule allows it');
  const model = analyze([{ uri: 'file:///ws/all.yaml', text: shop }]);
  const w = (n: string) => model.workloads.find((x) => x.name === n)!;
  assert.equal(pairVerdictText(explainPair(model, w('web'), w('api'))), 'allowed on TCP 7070 only');
  assert.equal(
    pairVerdictText(explainPair(model, w('probe'), w('db'))),
    'blocked: no rule allows it at the ingress of shop/db[Deployment] (isolated by shop/deny)',
  );
});

test('query verdict wording: one sentence for each outcome', () => {
  const model = analyze([{ uri: 'file:///ws/all.yaml', text: shop }]);
  const dns = buildDnsIndex(model, clusterDomainOf(model).domain);
  const w = (n: string) => model.workloads.find((x) => x.name === n)!;
  const q = (from: string, to: string, port?: number) =>
    queryVerdictText(runQuery(model, dns, { from: w(from), to, protocol: 'TCP', ...(port !== undefined ? { port } : {}) }));
  assert.equal(q('web', 'api', 7070), 'allowed on TCP 7070');
  assert.equal(q('web', 'shop/api[Deployment]'), 'allowed on TCP 7070 only');
  assert.equal(q('web', 'shop/api[Deployment]', 80), 'blocked on TCP 80: allowed on TCP 7070 only');
  assert.match(q('web', 'api', 80), /^blocked: /);
  assert.equal(
    q('probe', 'shop/db[Deployment]', 5432),
    'blocked: no rule allows it at the ingress of shop/db[Deployment] (isolated by shop/deny)',
  );
  assert.equal(q('probe', 'nothing-here', 80), 'blocked: nothing-here does not resolve from namespace ops');
});
