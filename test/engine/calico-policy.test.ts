// Calico (projectcalico.org/v3) policies in the layered engine: tiers, order, actions, selectors,
// ports, profiles, network sets, K8s NetworkPolicies in the default tier, CNI gating, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze } from '../../server/src/engine';
import { computeMatrix } from '../../server/src/engine/reachability/matrix';
import { runQuery } from '../../server/src/engine/reachability/query';
import { buildDnsIndex } from '../../server/src/engine/dns/records';
import { describe } from '../../server/src/engine/net/ports';
import { lintModel } from '../../server/src/engine/lint';
import type { Model, Protocol } from '../../server/src/engine/model/types';
import { fixturePath } from '../support/paths';

const pods = readFileSync(fixturePath('calico', 'pods.yaml'), 'utf8');

function model(policies: string, opts: Parameters<typeof analyze>[1] = {}): Model {
  return analyze(
    [
      { uri: 'pods.yaml', text: pods },
      { uri: 'policies.yaml', text: policies },
    ],
    opts,
  );
}

function w(m: Model, name: string) {
  const x = m.workloads.find((v) => v.name === name);
  assert.ok(x, `no workload ${name}`);
  return x;
}

/** The ports allowed from one pod to another, as text. */
function ports(m: Model, from: string, to: string): string {
  return describe(computeMatrix(m).ports(w(m, from), w(m, to)));
}

function query(m: Model, from: string, to: string, port: number, protocol: Protocol = 'TCP') {
  const r = runQuery(m, buildDnsIndex(m, 'cluster.local'), { from: w(m, from), to: w(m, to).id, port, protocol });
  const text = r.steps
    .filter((s) => s.kind === 'egress' || s.kind === 'ingress')
    .map((s) => s.text)
    .join('\n');
  return { outcome: r.outcome, text };
}

const NONE = describe({ TCP: [], UDP: [], SCTP: [] });
const ALL = describe({ TCP: [[1, 65535]], UDP: [[1, 65535]], SCTP: [[1, 65535]] });

test('order: the first matching rule decides, lower order first, missing order last, ties by name', () => {
  const m = model(`
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: b-allow-web, namespace: shop}
spec:
  order: 100
  selector: app == 'db'
  ingress: [{action: Allow, source: {selector: app == 'web'}}]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: a-deny-web, namespace: shop}
spec:
  order: 100
  selector: app == 'db'
  ingress: [{action: Deny, source: {selector: app == 'web'}}]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: allow-all-last, namespace: shop}
spec:
  selector: app == 'db'
  ingress: [{action: Allow}]
`);
  assert.equal(ports(m, 'web', 'db'), NONE, 'a-deny-web sorts before b-allow-web at the same order');
  assert.equal(ports(m, 'api', 'db'), ALL, 'the policy without order still decides what the others leave');
  const q = query(m, 'web', 'db', 5432);
  assert.equal(q.outcome, 'blocked');
  assert.match(q.text, /denied by Calico NetworkPolicy shop\/a-deny-web \(tier default, order 100\) ingress rule 1 \(Deny\)/);
});

test('tiers: a tier that selects the pod and matches nothing applies its defaultAction (Deny, or Pass)', () => {
  const tier = (action: string) => `
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100${action ? `, defaultAction: ${action}` : ''}}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.db}
spec:
  tier: security
  order: 1
  selector: app == 'db'
  types: [Ingress]
  ingress: [{action: Allow, protocol: TCP, source: {selector: app == 'api'}, destination: {ports: [5432]}}]
`;
  const deny = model(tier(''));
  assert.equal(ports(deny, 'api', 'db'), 'TCP 5432');
  assert.equal(ports(deny, 'web', 'db'), NONE, 'end of tier: Deny');
  assert.match(query(deny, 'web', 'db', 5432).text, /no rule of tier security matched: its default action Deny/);
  assert.equal(ports(deny, 'web', 'api'), ALL, 'api is not selected by the tier: its profile allows');
  const pass = model(tier('Pass'));
  assert.equal(ports(pass, 'web', 'db'), ALL, 'Pass: on to the default tier (nothing) and the kns profile (allow)');
});

test('Pass jumps to the next tier; Log goes on to the next rule', () => {
  const m = model(`
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: platform}
spec: {order: 10}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: platform.shop}
spec:
  tier: platform
  selector: projectcalico.org/namespace == 'shop'
  ingress:
  - action: Log
  - action: Pass
    source: {namespaceSelector: team == 'shop'}
  - action: Deny
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: db-from-api, namespace: shop}
spec:
  selector: app == 'db'
  ingress: [{action: Allow, source: {selector: app == 'api'}}]
`);
  assert.equal(ports(m, 'scraper', 'web'), NONE, 'other namespaces: denied in the platform tier');
  assert.equal(ports(m, 'web', 'api'), ALL, 'passed on; no default tier policy selects api: profile allows');
  assert.equal(ports(m, 'api', 'db'), ALL, 'passed on, then allowed by db-from-api');
  assert.equal(ports(m, 'web', 'db'), NONE, 'passed on, then the default tier denies at its end');
  const q = query(m, 'api', 'db', 5432).text;
  assert.match(q, /allowed by Calico NetworkPolicy shop\/db-from-api \(tier default, order no order: last\) ingress rule 1 \(Allow\)/);
  assert.match(q, /passed on by Calico GlobalNetworkPolicy platform.shop \(tier platform, order no order: last\) ingress rule 2 \(Pass\)/);
});

test('Kubernetes NetworkPolicies sit in the default tier at order 1000, between Calico policies', () => {
  const m = model(`
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-from-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: deny-web-first, namespace: shop}
spec:
  order: 500
  selector: app == 'db'
  ingress: [{action: Deny, protocol: TCP, source: {selector: app == 'web'}, destination: {ports: ['5000:5500']}}]
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: allow-api-after, namespace: shop}
spec:
  order: 2000
  selector: app == 'db'
  ingress: [{action: Allow, source: {selector: app == 'api'}}]
`);
  assert.equal(ports(m, 'web', 'db'), 'SCTP 1-65535,TCP 1-4999,5501-65535,UDP 1-65535');
  assert.equal(ports(m, 'api', 'db'), ALL, 'the Calico policy at order 2000 still runs after the K8s one');
  assert.match(query(m, 'web', 'db', 80).text, /allowed by Kubernetes NetworkPolicy shop\/db-from-web \(tier default, order 1000/);
  assert.equal(ports(m, 'scraper', 'db'), NONE);
});

test('profiles: a declared kns profile decides what no tier does', () => {
  const m = model(`
apiVersion: projectcalico.org/v3
kind: Profile
metadata: {name: kns.shop}
spec:
  ingress: [{action: Allow, source: {selector: has(app)}, protocol: TCP}]
  egress: [{action: Allow}]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: scraper-only}
spec:
  selector: app == 'scraper'
  types: [Egress]
  egress: [{action: Allow}]
`);
  assert.equal(ports(m, 'web', 'db'), 'TCP 1-65535', 'the profile allows TCP from pods with app, nothing else');
  assert.equal(ports(m, 'db', 'scraper'), ALL, 'monitoring has no declared profile: allow');
  assert.match(query(m, 'web', 'db', 53, 'UDP').text, /denied by Calico Profile kns.shop/);
});

test('notSelector, notNets, notPorts, named ports, protocol and notProtocol', () => {
  const m = model(`
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  selector: app == 'db'
  ingress:
  - action: Allow
    protocol: TCP
    source: {notSelector: app == 'web'}
    destination: {ports: [pg, 6000], notPorts: [6000]}
  - action: Allow
    notProtocol: TCP
    source: {notNets: [10.9.0.0/16]}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: web-egress}
spec:
  selector: app == 'web'
  egress: [{action: Allow, protocol: UDP}, {action: Deny}]
`);
  assert.equal(ports(m, 'api', 'db'), 'SCTP 1-65535,TCP 5432,UDP 1-65535', 'named port pg is 5432; 6000 removed by notPorts');
  assert.equal(ports(m, 'web', 'db'), 'UDP 1-65535', 'notSelector excludes web from the TCP rule; web egress is UDP only');
  assert.equal(ports(m, 'scraper', 'db'), NONE, 'scraper is in another namespace (notSelector scopes to shop) and in 10.9/16');
});

test('namespaceSelector with global(), serviceAccountSelector and serviceAccounts, NetworkSets', () => {
  const m = model(`
apiVersion: projectcalico.org/v3
kind: GlobalNetworkSet
metadata: {name: ops-net, labels: {zone: ops}}
spec: {nets: [10.9.0.0/16]}
---
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  selector: app == 'db'
  ingress:
  - action: Allow
    source: {namespaceSelector: global(), selector: zone == 'ops'}
  - action: Allow
    source: {serviceAccounts: {selector: role == 'backend'}}
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: backend-sa}
spec:
  serviceAccountSelector: role == 'backend'
  types: [Ingress]
  ingress: [{action: Allow, source: {namespaceSelector: projectcalico.org/name == 'shop'}}]
`);
  assert.equal(ports(m, 'scraper', 'db'), ALL, 'scraper (10.9.0.7) is in the global network set ops-net');
  assert.equal(ports(m, 'api', 'db'), ALL, 'api runs as api-sa, labelled role=backend');
  assert.equal(ports(m, 'web', 'db'), NONE);
  assert.equal(ports(m, 'web', 'api'), ALL, 'backend-sa selects api by its service account and admits shop');
  assert.equal(ports(m, 'scraper', 'api'), NONE);
  assert.equal(ports(m, 'scraper', 'web'), ALL, 'web runs as default: not selected');
});

test('the Admin tier runs before the Calico default tier, the Baseline tier after it', () => {
  const m = model(`
apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-scraper}
spec:
  priority: 5
  subject: {namespaces: {matchLabels: {team: shop}}}
  ingress: [{name: no-scraper, action: Deny, from: [{namespaces: {matchLabels: {team: ops}}}]}]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: allow-all-to-web}
spec:
  selector: app == 'web'
  ingress: [{action: Allow}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {}}
  ingress: [{name: deny-rest, action: Deny, from: [{namespaces: {}}]}]
`);
  assert.equal(ports(m, 'scraper', 'web'), NONE, 'the ANP denies before the Calico allow');
  assert.equal(ports(m, 'api', 'web'), ALL, 'the Calico policy allows before the baseline');
  assert.equal(ports(m, 'web', 'db'), NONE, 'no Calico policy for db: the baseline denies');
  assert.match(
    query(m, 'scraper', 'web', 80).text,
    /denied by AdminNetworkPolicy deny-scraper \(priority 5\) \(tier adminnetworkpolicy \(Admin tier\)\)/,
  );
});

test('a non-Calico CNI leaves Calico policies out, with a warning on their kind line', () => {
  const deny = `
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: deny-all}
spec:
  selector: all()
  types: [Ingress, Egress]
`;
  const calico = model(deny);
  assert.equal(ports(calico, 'web', 'db'), NONE, 'no CNI detected: the Calico resources say Calico runs');
  assert.equal(ports(model(deny, { cni: 'calico' }), 'web', 'db'), NONE);
  const cilium = model(deny, { cni: 'cilium' });
  assert.equal(ports(cilium, 'web', 'db'), ALL);
  const f = lintModel(cilium).filter((x) => x.code === 'calico-policy-not-enforced');
  assert.equal(f.length, 1);
  assert.equal(f[0].ref.uri, 'policies.yaml');
});

test('bad input: invalid selectors are findings at the character, the policy is left out, nothing throws', () => {
  const text = `
apiVersion: projectcalico.org/v3
kind: NetworkPolicy
metadata: {name: bad, namespace: shop}
spec:
  selector: "app == 'db' &&"
  order: high
  ingress: [{action: Maybe, protocol: ICMP, destination: {ports: [80]}}, 7, {action: Allow, source: {nets: [not-a-cidr]}}]
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: odd}
spec: [1, 2]
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: t}
spec: {defaultAction: Allow}
`;
  const m = model(text);
  const codes = m.findings.filter((f) => f.ref.uri === 'policies.yaml').map((f) => f.code);
  assert.ok(codes.includes('calico-selector-invalid'));
  assert.ok(codes.includes('policy-rejected'));
  const sel = m.findings.find((f) => f.code === 'calico-selector-invalid')!;
  assert.equal(text.slice(sel.ref.start, sel.ref.end), '&&', 'the && without a right operand, inside the quoted value');
  assert.equal(sel.ref.start, text.indexOf(`&&"`));
  assert.equal(ports(m, 'web', 'db'), ALL, 'the rejected policies are left out');
  assert.doesNotThrow(() => lintModel(m));
});

test('hovers on Calico selectors list the workloads: the policy selector applies to, a rule entity matches', async () => {
  const { nodeAt } = await import('../../server/src/engine/report/nodeAt');
  const { hoverMarkdown } = await import('../../server/src/engine/report/hovers');
  const { mdCode, mdText } = await import('../../protocol/markdown');
  const policies = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: back-in}
spec:
  order: 50
  selector: tier == 'back'
  types: [Ingress]
  ingress:
  - action: Allow
    source: {selector: app == 'web' || app == 'scraper'}
  - action: Allow
    source: {namespaceSelector: team == 'ops', selector: has(app)}
`;
  const m = model(policies);
  const hover = (needle: string, nth = 0) => {
    let at = -1;
    for (let i = 0; i <= nth; i++) at = policies.indexOf(needle, at + 1);
    const hit = nodeAt(m, 'policies.yaml', at + 1);
    assert.ok(hit, `no node at ${needle}`);
    const md = hoverMarkdown(hit, {
      model: m,
      get matrix() {
        return computeMatrix(m);
      },
      dns: buildDnsIndex(m, 'cluster.local'),
      link: (label) => label,
      code: mdCode,
      text: mdText,
    });
    return { kind: hit.kind, plain: (md ?? '').replace(/\\(.)/g, '$1') };
  };
  const own = hover("tier == 'back'");
  assert.equal(own.kind, 'calicoPolicySelector');
  assert.match(
    own.plain,
    /selector `tier == 'back'` of Calico GlobalNetworkPolicy back-in \(tier default, order 50\) selects 2 workloads in every namespace/,
  );
  assert.match(own.plain, /- shop\/api\[Pod\]\n- shop\/db\[Pod\]/);
  // a global policy's rule selector without namespaceSelector matches in every namespace
  const src = hover("app == 'web'");
  assert.equal(src.kind, 'calicoEntitySelector');
  assert.match(
    src.plain,
    /source selector `app == 'web' \|\| app == 'scraper'` .* ingress rule 1 \(Allow\): the source matches 2 workloads in every namespace/,
  );
  assert.match(src.plain, /- shop\/web\[Pod\]/);
  assert.match(src.plain, /- monitoring\/scraper\[Pod\]/);
  // with a namespaceSelector, the entity's fields AND: only pods with an app label in team=ops namespaces
  const scoped = hover('has(app)');
  assert.match(scoped.plain, /ingress rule 2 \(Allow\): the source matches 1 workload in the namespaces its namespaceSelector matches/);
  assert.match(scoped.plain, /- monitoring\/scraper\[Pod\]/);
  const ns = hover("team == 'ops'");
  assert.equal(ns.kind, 'calicoEntitySelector');
  assert.match(ns.plain, /source namespaceSelector `team == 'ops'`/);
});

test('blocked-reference where a Calico tier decides: found although no NetworkPolicy isolates, named by the deciding rule, no NetworkPolicy fix', async () => {
  const { fixesFor } = await import('../../server/src/engine/lint/fixes');
  const shop = `apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 80, targetPort: 9090}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: front, namespace: shop}
spec:
  selector: {matchLabels: {app: front}}
  template:
    metadata: {labels: {app: front, tier: front}}
    spec:
      containers:
      - name: front
        image: front
        env: [{name: API_URL, value: "http://api:80"}]
`;
  const deny = `apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: security.no-front-to-back}
spec:
  tier: security
  order: 10
  selector: tier == 'back'
  types: [Ingress]
  ingress:
  - action: Deny
    source: {selector: tier == 'front'}
  - action: Pass
---
apiVersion: projectcalico.org/v3
kind: Tier
metadata: {name: security}
spec: {order: 100}
`;
  const m = analyze(
    [
      { uri: 'pods.yaml', text: pods },
      { uri: 'shop.yaml', text: shop },
      { uri: 'policies.yaml', text: deny },
    ],
    { cni: 'calico' },
  );
  assert.deepEqual(
    m.policies.map((p) => p.id),
    [],
    'no Kubernetes NetworkPolicy',
  );
  const f = lintModel(m).filter((x) => x.code === 'blocked-reference');
  assert.equal(f.length, 1, JSON.stringify(f.map((x) => x.message)));
  assert.match(
    f[0]!.message,
    /^shop\/front\[Deployment\] cannot reach api:80: ingress of shop\/api\[Pod\]: denied by Calico GlobalNetworkPolicy security\.no-front-to-back \(tier security, order 10\) ingress rule 1 \(Deny\)/,
  );
  assert.deepEqual(fixesFor(f[0]!, { model: m, text: (u) => (u === 'shop.yaml' ? shop : u === 'policies.yaml' ? deny : pods) }), []);
});

test('a query to an address outside the pods under Calico says that Calico tiers were not evaluated for it', () => {
  const m = model(`apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata: {name: no-metadata}
spec:
  selector: all()
  types: [Egress]
  egress:
  - action: Deny
    destination: {nets: [169.254.169.254/32]}
  - action: Allow
`);
  const r = runQuery(m, buildDnsIndex(m, 'cluster.local'), { from: w(m, 'web'), to: '169.254.169.254', port: 80, protocol: 'TCP' });
  assert.ok(
    r.steps.some(
      (s) => s.kind === 'note' && /Calico policies are not evaluated for destinations outside the workspace's pods/.test(s.text),
    ),
    r.steps.map((s) => s.text).join('\n'),
  );
  const inside = runQuery(m, buildDnsIndex(m, 'cluster.local'), { from: w(m, 'web'), to: w(m, 'api').id, port: 9090, protocol: 'TCP' });
  assert.ok(!inside.steps.some((s) => /not evaluated for destinations outside/.test(s.text)));
});
