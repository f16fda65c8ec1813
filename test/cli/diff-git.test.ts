// `netlens diff` against real git repositories: each case commits two versions of a small repository
// (real `git init`/`commit`) and checks the entries (category, ends, ports) and their causes (kind,
// version, location) that the change produces.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../support/paths';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'netlens-diff-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const hasGit = spawnSync('git', ['--version']).status === 0;
const skip = hasGit ? false : 'git is not installed: these tests run the real git executable';

function git(dir: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir } });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

let n = 0;
/** A repository with `base` committed, then `head` committed; returns both commits. */
function repo(base: Record<string, string>, head: Record<string, string>): { dir: string; base: string; head: string } {
  const dir = path.join(tmp, `r${n++}`);
  mkdirSync(dir);
  git(dir, 'init', '-q');
  git(dir, 'config', 'user.email', 'test@example.com');
  git(dir, 'config', 'user.name', 'test');
  const write = (files: Record<string, string>) => {
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), text);
    }
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'v');
    return git(dir, 'rev-parse', 'HEAD');
  };
  const b = write(base);
  const h = write(head);
  return { dir, base: b, head: h };
}

interface Cause {
  kind: string;
  change: string;
  id: string;
  text: string;
  version: string;
  location?: { file: string; line: number; col: number };
}
interface Entry {
  category: string;
  source: { id: string; workload?: string };
  destination: { id: string };
  beforeText: string;
  afterText: string;
  causes: Cause[];
}

function diff(
  r: { dir: string; base: string; head: string },
  ...extra: string[]
): { entries: Entry[]; newlyExposed: { workload: string; peer: string }[] } {
  const res = runCli(['diff', '--base', r.base, '--head', r.head, '--format', 'json', ...extra], r.dir);
  assert.equal(res.status, 0, res.stderr);
  return JSON.parse(res.stdout);
}

const deploy = (name: string, labels: string, extra = '') => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: shop}
spec:
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: ${labels}}
    spec:
      containers:
      - name: c
        image: ${name}
        ports: [{containerPort: 8080}]
${extra}`;

const NS = `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: shop}}
`;
const policy = (rules: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: cart-in, namespace: shop}
spec:
  podSelector: {matchLabels: {app: cart}}
  policyTypes: [Ingress]
  ingress:
${rules}`;
const FROM_WEB = `  - from: [{podSelector: {matchLabels: {app: web}}}]
    ports: [{port: 8080}]
`;
const FROM_ADMIN = `  - from: [{podSelector: {matchLabels: {app: admin}}}]
    ports: [{port: 8080}]
`;
const workloads = {
  'k8s/ns.yaml': NS,
  'k8s/web.yaml': deploy('web', '{app: web}'),
  'k8s/cart.yaml': deploy('cart', '{app: cart}'),
  'k8s/admin.yaml': deploy('admin', '{app: admin}'),
};

const one = (entries: Entry[], from: string, to: string) => {
  const e = entries.filter((x) => x.source.id === from && x.destination.id === to);
  assert.equal(
    e.length,
    1,
    `one entry ${from} -> ${to} in ${JSON.stringify(entries.map((x) => [x.category, x.source.id, x.destination.id]))}`,
  );
  return e[0];
};

test('a rule added: an added entry caused by the rule, located in the new version', { skip }, () => {
  const r = repo({ ...workloads, 'k8s/policy.yaml': policy(FROM_WEB) }, { 'k8s/policy.yaml': policy(FROM_WEB + FROM_ADMIN) });
  const { entries } = diff(r);
  const e = one(entries, 'shop/admin[Deployment]', 'shop/cart[Deployment]');
  assert.equal(e.category, 'added');
  assert.equal(e.beforeText, 'No Connections');
  assert.equal(e.afterText, 'TCP 8080');
  const c = e.causes.find((x) => x.kind === 'rule');
  assert.ok(c, JSON.stringify(e.causes));
  assert.equal(c.change, 'added');
  assert.equal(c.version, 'head');
  assert.deepEqual(c.location, { file: 'k8s/policy.yaml', line: 10, col: 5 });
  assert.equal(entries.length, 1, 'nothing else changed');
});

test('a rule removed: a removed entry whose cause points into the old version', { skip }, () => {
  const r = repo({ ...workloads, 'k8s/policy.yaml': policy(FROM_WEB + FROM_ADMIN) }, { 'k8s/policy.yaml': policy(FROM_WEB) });
  const { entries } = diff(r);
  const e = one(entries, 'shop/admin[Deployment]', 'shop/cart[Deployment]');
  assert.equal(e.category, 'removed');
  const c = e.causes.find((x) => x.kind === 'rule')!;
  assert.equal(c.change, 'removed');
  assert.equal(c.version, 'base');
  assert.equal(c.location?.line, 10);
});

test('a port narrowed: a changed entry with the ports before and after', { skip }, () => {
  const wide = FROM_WEB.replace('{port: 8080}', '{port: 8080, endPort: 8090}');
  const r = repo({ ...workloads, 'k8s/policy.yaml': policy(wide) }, { 'k8s/policy.yaml': policy(FROM_WEB) });
  const { entries } = diff(r);
  const e = one(entries, 'shop/web[Deployment]', 'shop/cart[Deployment]');
  assert.equal(e.category, 'changed');
  assert.equal(e.beforeText, 'TCP 8080-8090');
  assert.equal(e.afterText, 'TCP 8080');
  assert.deepEqual(
    e.causes.map((c) => [c.kind, c.change, c.version]),
    [['rule', 'modified', 'head']],
  );
});

test('a namespace label changed: the namespaceSelector peer stops matching, caused by the namespace', { skip }, () => {
  const fromTeam = `  - from: [{namespaceSelector: {matchLabels: {team: shop}}}]
`;
  const r = repo({ ...workloads, 'k8s/policy.yaml': policy(fromTeam) }, { 'k8s/ns.yaml': NS.replace('team: shop', 'team: other') });
  const { entries } = diff(r);
  for (const from of ['shop/web[Deployment]', 'shop/admin[Deployment]']) {
    const e = one(entries, from, 'shop/cart[Deployment]');
    assert.equal(e.category, 'removed');
    const c = e.causes.find((x) => x.kind === 'namespace')!;
    assert.ok(c, JSON.stringify(e.causes));
    assert.equal(c.id, 'shop');
    assert.equal(c.location?.file, 'k8s/ns.yaml');
  }
});

test('a Service targetPort changed: the name the web pod uses now lands on a port the policy does not allow', { skip }, () => {
  const env = `        env: [{name: CART_URL, value: "http://cart.shop.svc.cluster.local:80/api"}]\n`;
  const svc = (target: number) => `apiVersion: v1
kind: Service
metadata: {name: cart, namespace: shop}
spec:
  selector: {app: cart}
  ports: [{port: 80, targetPort: ${target}}]
`;
  const r = repo(
    { ...workloads, 'k8s/web.yaml': deploy('web', '{app: web}', env), 'k8s/svc.yaml': svc(8080), 'k8s/policy.yaml': policy(FROM_WEB) },
    { 'k8s/svc.yaml': svc(9090) },
  );
  const { entries } = diff(r);
  const e = one(entries, 'shop/web[Deployment]', 'cart.shop.svc.cluster.local:80');
  assert.equal(e.category, 'removed');
  const c = e.causes.find((x) => x.kind === 'service')!;
  assert.ok(c, JSON.stringify(e.causes));
  assert.equal(c.id, 'shop/cart[Service]');
  assert.equal(c.version, 'head');
  assert.equal(c.location?.file, 'k8s/svc.yaml');
  assert.equal(entries.length, 1, 'the workload pair itself is unchanged');
});

test('a workload relabelled: its connections the policy matched by label are removed, caused by the labels', { skip }, () => {
  const r = repo(
    { ...workloads, 'k8s/policy.yaml': policy(FROM_WEB) },
    {
      'k8s/web.yaml': deploy('web', '{app: web, tier: front}')
        .replace('labels: {app: web, tier: front}', 'labels: {app: webshop}')
        .replace('matchLabels: {app: web}', 'matchLabels: {app: webshop}'),
    },
  );
  const { entries } = diff(r);
  const e = one(entries, 'shop/web[Deployment]', 'shop/cart[Deployment]');
  assert.equal(e.category, 'removed');
  const c = e.causes.find((x) => x.kind === 'workload')!;
  assert.ok(c, JSON.stringify(e.causes));
  assert.equal(c.text, 'labels of shop/web[Deployment] changed');
  assert.equal(c.location?.file, 'k8s/web.yaml');
});

test('a CoreDNS zone changed: a name the web pod uses stops resolving (a removed entry caused by the DNS configuration)', { skip }, () => {
  const env = `        env: [{name: CART_HOST, value: "cart.shop.svc.cluster.local"}]\n`;
  const coredns = (zone: string) => `apiVersion: v1
kind: ConfigMap
metadata: {name: coredns, namespace: kube-system}
data:
  Corefile: |
    .:53 {
        errors
        kubernetes ${zone} in-addr.arpa ip6.arpa
    }
`;
  const r = repo(
    {
      ...workloads,
      'k8s/web.yaml': deploy('web', '{app: web}', env),
      'k8s/svc.yaml':
        'apiVersion: v1\nkind: Service\nmetadata: {name: cart, namespace: shop}\nspec: {selector: {app: cart}, ports: [{port: 80, targetPort: 8080}]}\n',
      'dns/coredns.yaml': coredns('cluster.local'),
    },
    { 'dns/coredns.yaml': coredns('corp.internal') },
  );
  const { entries } = diff(r);
  const e = one(entries, 'shop/web[Deployment]', 'cart.shop.svc.cluster.local');
  assert.equal(e.category, 'removed');
  const c = e.causes.find((x) => x.kind === 'dns')!;
  assert.ok(c, JSON.stringify(e.causes));
  assert.equal(c.version, 'head');
  assert.equal(c.location?.file, 'dns/coredns.yaml');
});

test('default: HEAD against the working tree; --fail-on sets the exit status; a new workload is marked', { skip }, () => {
  const r = repo({ ...workloads }, {});
  writeFileSync(path.join(r.dir, 'k8s/extra.yaml'), deploy('extra', '{app: extra}'));
  const res = runCli(['diff', '--fail-on', 'added', '--format', 'csv'], r.dir);
  assert.equal(res.status, 1, res.stderr);
  const lines = res.stdout.trim().split('\n');
  assert.equal(lines[0], 'diff-type,source,destination,dir1,dir2,workloads-diff-info');
  assert.ok(
    lines.includes(
      'added,shop/extra[Deployment],shop/cart[Deployment],No Connections,All Connections,workload shop/extra[Deployment] added',
    ),
    lines.join('\n'),
  );
  assert.equal(runCli(['diff', '--fail-on', 'removed'], r.dir).status, 0);
  assert.equal(runCli(['diff', '--fail-on', 'exposure'], r.dir).status, 1, 'extra is open to the whole cluster');
  assert.equal(runCli(['diff', '--fail-on', 'bogus'], r.dir).status, 2);
});

test('two directories compare like two revisions', { skip }, () => {
  const a = path.join(tmp, 'dirA');
  const b = path.join(tmp, 'dirB');
  for (const [d, rules] of [
    [a, FROM_WEB],
    [b, FROM_WEB + FROM_ADMIN],
  ] as const) {
    mkdirSync(d);
    for (const [f, text] of Object.entries({ ...workloads, 'k8s/policy.yaml': policy(rules) })) {
      mkdirSync(path.dirname(path.join(d, f)), { recursive: true });
      writeFileSync(path.join(d, f), text);
    }
  }
  const res = runCli(['diff', '--base', a, '--head', b, '--format', 'json'], tmp);
  assert.equal(res.status, 0, res.stderr);
  const entries = (JSON.parse(res.stdout) as { entries: Entry[] }).entries;
  assert.deepEqual(
    entries.map((e) => [e.category, e.source.id, e.destination.id]),
    [['added', 'shop/admin[Deployment]', 'shop/cart[Deployment]']],
  );
});

// --fail-on exposure: the exposure analysis of `matrix --exposure` on both versions (engine/diff/exposure.ts)
const guarded = (ingress: string, egress: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: cart-guard, namespace: shop}
spec:
  podSelector: {matchLabels: {app: cart}}
  policyTypes: [Ingress, Egress]
  ingress:
${ingress}  egress:
${egress}`;
const TO_DB = `  - to: [{ipBlock: {cidr: 10.0.0.0/8}}]
    ports: [{port: 5432}]
`;
const TO_EVERY_ADDRESS = `  - to: [{ipBlock: {cidr: 0.0.0.0/0}}]
    ports: [{port: 443}]
`;
const FROM_EVERY_NAMESPACE = `  - from: [{namespaceSelector: {}}]
    ports: [{port: 8080}]
`;
const FROM_TEAM_SHOP = `  - from: [{namespaceSelector: {matchLabels: {team: shop}}}]
    ports: [{port: 8080}]
`;

interface Exposed {
  workload: string;
  direction: string;
  peer: string;
  kind: string;
  beforeText: string;
  afterText: string;
  why: string;
}
function exposure(r: { dir: string; base: string; head: string }): { status: number | null; exposed: string[]; raw: Exposed[] } {
  const res = runCli(['diff', '--base', r.base, '--head', r.head, '--format', 'json', '--fail-on', 'exposure'], r.dir);
  assert.notEqual(res.status, 2, res.stderr);
  const raw = (JSON.parse(res.stdout) as { newlyExposed: Exposed[] }).newlyExposed;
  return { status: res.status, raw, exposed: raw.map((x) => `${x.workload} ${x.direction} ${x.peer}: ${x.beforeText} -> ${x.afterText}`) };
}

test('--fail-on exposure: a rule that opens ingress from all namespaces fails', { skip }, () => {
  const r = repo(
    { ...workloads, 'k8s/guard.yaml': guarded(FROM_WEB, TO_DB) },
    { 'k8s/guard.yaml': guarded(FROM_WEB + FROM_EVERY_NAMESPACE, TO_DB) },
  );
  const x = exposure(r);
  assert.equal(x.status, 1);
  // web and admin are open to everyone in both versions: not newly
  assert.deepEqual(x.exposed, ['shop/cart[Deployment] ingress entire-cluster: No Connections -> TCP 8080']);
  assert.equal(x.raw[0].kind, 'entire-cluster');
  assert.match(x.raw[0].why, /^ingress rule 2 of shop\/cart-guard\[NetworkPolicy\] admits every pod of every namespace$/);
  // the same change in the text and SARIF reports
  const text = runCli(['diff', '--base', r.base, '--head', r.head], r.dir).stdout;
  assert.match(
    text,
    /newly exposed: shop\/cart\[Deployment\] ingress from every pod of the cluster \(entire-cluster\): No Connections -> TCP 8080/,
  );
  const sarif = JSON.parse(runCli(['diff', '--base', r.base, '--head', r.head, '--format', 'sarif'], r.dir).stdout);
  const res = sarif.runs[0].results.filter((y: { ruleId: string }) => y.ruleId === 'newly-exposed');
  assert.equal(res.length, 1);
  assert.equal(res[0].locations[0].physicalLocation.artifactLocation.uri, 'k8s/guard.yaml');
});

test('--fail-on exposure: opening ingress to any pod of some namespaces fails too', { skip }, () => {
  const r = repo(
    { ...workloads, 'k8s/guard.yaml': guarded(FROM_WEB, TO_DB) },
    { 'k8s/guard.yaml': guarded(FROM_WEB + FROM_TEAM_SHOP, TO_DB) },
  );
  const x = exposure(r);
  assert.equal(x.status, 1);
  assert.deepEqual(x.exposed, ['shop/cart[Deployment] ingress [namespace with {team=shop}]/[all pods]: No Connections -> TCP 8080']);
});

test('--fail-on exposure: a rule that opens egress to 0.0.0.0/0 fails', { skip }, () => {
  const r = repo(
    { ...workloads, 'k8s/guard.yaml': guarded(FROM_WEB, TO_DB) },
    { 'k8s/guard.yaml': guarded(FROM_WEB, TO_DB + TO_EVERY_ADDRESS) },
  );
  const x = exposure(r);
  assert.equal(x.status, 1);
  assert.deepEqual(x.exposed, [
    'shop/cart[Deployment] egress 0.0.0.0-9.255.255.255: No Connections -> TCP 443',
    'shop/cart[Deployment] egress 10.0.0.0-10.255.255.255: TCP 5432 -> TCP 443,5432',
    'shop/cart[Deployment] egress 11.0.0.0-255.255.255.255: No Connections -> TCP 443',
  ]);
  assert.ok(
    x.raw.every((y) => y.kind === 'ip-range' && /^egress rule 2 of shop\/cart-guard\[NetworkPolicy\] admits 0\.0\.0\.0\/0/.test(y.why)),
    JSON.stringify(x.raw),
  );
});

test('--fail-on exposure: a change that only narrows passes (a broader peer of the base covers the new one)', { skip }, () => {
  const r = repo(
    { ...workloads, 'k8s/guard.yaml': guarded(FROM_EVERY_NAMESPACE, TO_EVERY_ADDRESS) },
    { 'k8s/guard.yaml': guarded(FROM_TEAM_SHOP + FROM_WEB, TO_DB.replace('5432', '443')) },
  );
  const x = exposure(r);
  assert.deepEqual(x.exposed, []);
  assert.equal(x.status, 0);
  // it does close connections: failing on removed still works
  assert.equal(runCli(['diff', '--base', r.base, '--head', r.head, '--fail-on', 'removed'], r.dir).status, 1);
});
