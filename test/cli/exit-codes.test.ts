// The CLI's exit status as the README documents it: 0 ok (query: allowed), 1 lint found an error,
// 2 usage or input error (one line on stderr naming the problem), 3 query not allowed.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fixturePath, runCli, type CliResult } from '../support/paths';

const dir = mkdtempSync(path.join(os.tmpdir(), 'netlens-cli-exit-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// shop: client -> api allowed; web is isolated for ingress; Service "empty" selects nothing.
const shop = path.join(dir, 'shop');
mkdirSync(shop);
writeFileSync(
  path.join(shop, 'shop.yaml'),
  `
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec: {containers: [{name: c, image: c}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, image: c, ports: [{containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
spec: {containers: [{name: c, image: c, ports: [{containerPort: 9090}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: empty, namespace: shop}
spec: {selector: {app: nothing}, ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
`,
);
// invalid: a policy the API server would reject
const invalid = path.join(dir, 'invalid');
mkdirSync(invalid);
writeFileSync(path.join(invalid, 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: {app: p}}\n');
writeFileSync(
  path.join(invalid, 'policy.yaml'),
  'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: bad}\nspec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: 70000\n',
);
mkdirSync(path.join(dir, 'twice'));
writeFileSync(path.join(dir, 'twice', 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: other}\n');
const missing = path.join(dir, 'no-such-dir');

/** exit 2, nothing on stdout, and one line on stderr matching `message` */
function usageError(args: string[], message: RegExp): CliResult {
  const r = runCli(args);
  assert.equal(r.status, 2, `${args.join(' ')}: exit 2\n${r.stderr}`);
  assert.equal(r.stdout, '', `${args.join(' ')}: nothing on stdout`);
  assertOneLine(r.stderr, message);
  return r;
}

function assertOneLine(stderr: string, message: RegExp): void {
  assert.ok(stderr.endsWith('\n'), `stderr ends its line: ${JSON.stringify(stderr)}`);
  assert.equal(stderr.trimEnd().split('\n').length, 1, `one line on stderr: ${JSON.stringify(stderr)}`);
  assert.match(stderr, /^netlens: /);
  assert.match(stderr, message);
}

test('usage errors: unknown command, unknown option, bad option value (exit 2, one line on stderr)', () => {
  usageError([], /no command given; commands: matrix, query, resolve, lint/);
  usageError(['frob', shop], /unknown command "frob"; commands: matrix, query, resolve, lint/);
  usageError(['--frob', 'matrix', shop], /unknown option --frob; options here: .*--cluster-domain/);
  usageError(['matrix', '--frob', shop], /unknown option --frob; options here: --format/);
  usageError(['lint', '--fix', shop], /unknown option --fix; options here: --format/);
  usageError(['matrix', '--format', 'xml', shop], /--format must be one of json\|text\|.*, not "xml"/);
  usageError(['--host-network', 'maybe', 'matrix', shop], /--host-network must be one of node\|pod, not "maybe"/);
  usageError(['matrix', '--format'], /--format needs a value/);
  usageError(['query', '--from'], /--from needs a value/);
});

test('missing PATH and nonexistent paths (exit 2, the path named)', () => {
  usageError(['matrix'], /no PATH given/);
  usageError(['lint'], /no PATH given/);
  usageError(['query', '--from', 'client', '--to', 'web'], /no PATH given/);
  usageError(['resolve', '--from', 'client', 'web'], /no PATH given/);
  const r = usageError(['matrix', shop, missing], /no such file or directory: /);
  assert.ok(r.stderr.includes(missing), 'names the missing path');
  assert.ok(!r.stderr.includes(`${shop},`), 'and only it');
  usageError(['lint', missing], new RegExp(`no such file or directory: ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
});

test('unknown --from workload: exit 2, naming it and the workloads that exist', () => {
  usageError(['query', '--from', 'nobody', '--to', 'web', shop], /no workload "nobody"; workloads: .*shop\/client\[Pod\]/);
  usageError(['resolve', '--from', 'shop/nobody[Pod]', 'web', shop], /no workload "shop\/nobody\[Pod\]"; workloads: .*shop\/api\[Pod\]/);
  // a name that several workloads share
  usageError(
    ['query', '--from', 'p', '--to', 'web', invalid, path.join(dir, 'twice')],
    /"p" names 2 workloads \(default\/p\[Pod\], other\/p\[Pod\]\); give its id/,
  );
});

test('bad --port: exit 2, naming the value', () => {
  for (const port of ['abc', '0', '65536', '1.5', '', '-1', '80x']) {
    usageError(
      ['query', '--from', 'client', '--to', 'web', '--port', port, shop],
      new RegExp(`--port must be a number from 1 to 65535, not "${port.replace('.', '\\.')}"`),
    );
  }
  usageError(['query', '--from', 'client', '--to', 'web', '--port', '80', '--port', '81', shop], /--port is given twice/);
  usageError(['query', '--from', 'client', shop], /query needs --from SRC and --to DST/);
  usageError(['resolve', '--from', 'client'], /resolve needs a NAME/);
});

test('--help for every command: exit 0, usage on stdout, nothing on stderr', () => {
  for (const args of [
    ['--help'],
    ['-h'],
    ['--verbose', '--help'],
    ...['matrix', 'query', 'resolve', 'lint'].flatMap((c) => [
      [c, '--help'],
      [c, '-h'],
      [c, shop, '--help'],
    ]),
  ]) {
    const r = runCli(args);
    assert.equal(r.status, 0, args.join(' '));
    assert.match(r.stdout, /^usage: netlens /, args.join(' '));
    assert.equal(r.stderr, '', args.join(' '));
  }
  const v = runCli(['--version']);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^\S+\n$/);
});

test('lint: exit 1 when a finding is an error (an invalid policy), 0 when none is', () => {
  const bad = runCli(['lint', invalid]);
  assert.equal(bad.status, 1, bad.stderr);
  assert.match(bad.stdout, /policy\.yaml:8:\d+: error: .*70000 is out of range.*\[invalid-value\]/);
  assert.match(bad.stdout, /error: NetworkPolicy default\/bad is invalid.*\[policy-rejected\]/);
  for (const format of ['json', 'sarif']) assert.equal(runCli(['lint', '--format', format, invalid]).status, 1, format);

  const warningsOnly = runCli(['lint', shop]);
  assert.equal(warningsOnly.status, 0, warningsOnly.stdout);
  assert.match(warningsOnly.stdout, /warning: .*\[service-no-pods\]/);

  assert.equal(runCli(['lint', fixturePath('bad', 'wrong-types')]).status, 1);
});

test('query: exit 0 when allowed, 3 when blocked, nxdomain or no-endpoints', () => {
  const q = (...args: string[]) => runCli(['query', '--from', 'shop/client[Pod]', ...args, shop]);
  const cases: [string[], number, string][] = [
    [['--to', 'shop/api[Pod]'], 0, 'allowed'],
    [['--to', 'api.shop', '--port', '9090'], 3, 'nxdomain'], // no Service named api
    [['--to', 'shop/web[Pod]', '--port', '8080'], 3, 'blocked'],
    [['--to', 'web', '--port', '80'], 3, 'blocked'],
    [['--to', 'nothing-here'], 3, 'nxdomain'],
    [['--to', 'empty', '--port', '80'], 3, 'no-endpoints'],
  ];
  for (const [args, status, outcome] of cases) {
    const r = q(...args, '--format', 'json');
    assert.equal(r.status, status, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal(JSON.parse(r.stdout).outcome, outcome, args.join(' '));
    assert.equal(r.stderr, '', 'nothing on stderr for an answered query');
  }
  const text = q('--to', 'web', '--port', '80');
  assert.equal(text.status, 3);
  assert.match(text.stdout, /Outcome: BLOCKED\n$/);
  // a note between DNS steps (a Service whose selector matches nothing) must not open a second DNS heading
  const empty = q('--to', 'empty', '--port', '80');
  assert.match(empty.stdout, /matches no workload/);
  assert.equal(empty.stdout.match(/^DNS:$/gm)?.length, 1, empty.stdout);
  assert.match(empty.stdout, /^DNS:\n( {2}.*\n)+Notes:\n/m);
});

test('resolve: exit 0 with an answer, 3 for NXDOMAIN', () => {
  assert.equal(runCli(['resolve', '--from', 'client', 'web', shop]).status, 0);
  assert.equal(runCli(['resolve', '--from', 'client', 'web.shop.svc.cluster.local', shop]).status, 0);
  const nx = runCli(['resolve', '--from', 'client', '--format', 'json', 'nothing-here', shop]);
  assert.equal(nx.status, 3);
  assert.equal(JSON.parse(nx.stdout).rcode, 'NXDOMAIN');
});

test('matrix: exit 0 with JSON on stdout', () => {
  const r = runCli(['matrix', shop]);
  assert.equal(r.status, 0, r.stderr);
  const m = JSON.parse(r.stdout) as { workloads: { id: string }[]; connections: { from: string; to: string }[] };
  assert.deepEqual(m.workloads.map((w) => w.id).sort(), ['shop/api[Pod]', 'shop/client[Pod]', 'shop/web[Pod]']);
  assert.ok(m.connections.some((c) => c.from === 'shop/client[Pod]' && c.to === 'shop/api[Pod]'));
  assert.ok(!m.connections.some((c) => c.to === 'shop/web[Pod]'), 'web is isolated');
});

test('query and resolve: exit 3 when DNS traffic is blocked (dns-blocked); --no-assume-dns skips the check', () => {
  const f = fixturePath('dns', 'traffic-assumed');
  const q = (...args: string[]) => runCli([...args, f]);
  const blocked = q('query', '--from', 'restricted/client[Pod]', '--to', 'web', '--port', '80', '--format', 'json');
  assert.equal(blocked.status, 3, blocked.stdout + blocked.stderr);
  const json = JSON.parse(blocked.stdout);
  assert.equal(json.outcome, 'dns-blocked');
  assert.equal(json.dns.dnsTraffic.status, 'blocked');
  assert.deepEqual(json.dns.dnsTraffic.policies, ['restricted/lockdown[NetworkPolicy]']);
  assert.ok(
    json.explanation.some(
      (s: { text: string; source?: { file: string; line: number } }) =>
        /restricted\/lockdown/.test(s.text) && /lab\.yaml$/.test(s.source?.file ?? ''),
    ),
  );
  const text = q('query', '--from', 'restricted/client[Pod]', '--to', 'web', '--port', '80');
  assert.match(text.stdout, /Outcome: DNS-BLOCKED\n$/);
  assert.match(text.stdout, /assumed/);
  assert.equal(text.stdout.match(/^DNS:$/gm)?.length, 1);

  const resolved = q('resolve', '--from', 'restricted/client[Pod]', '--format', 'json', 'web');
  assert.equal(resolved.status, 3);
  assert.equal(JSON.parse(resolved.stdout).outcome, 'dns-blocked');
  assert.equal(q('resolve', '--from', 'open/free[Pod]', 'web.restricted').status, 0);

  const off = runCli([
    '--no-assume-dns',
    'query',
    '--from',
    'restricted/client[Pod]',
    '--to',
    'web',
    '--port',
    '80',
    '--format',
    'json',
    f,
  ]);
  assert.equal(off.status, 3);
  assert.equal(JSON.parse(off.stdout).outcome, 'blocked');
  assert.equal(runCli(['--no-assume-dns', 'resolve', '--from', 'restricted/client[Pod]', 'web', f]).status, 0);
});

test('query explains which install evidence decides enforcement (text and JSON)', () => {
  const f = fixturePath('cni', 'installs', 'weave-without-npc');
  const text = runCli(['query', '--from', 'app/a[Pod]', '--to', 'app/b[Pod]', '--port', '80', f]);
  assert.equal(text.status, 3);
  assert.match(
    text.stdout,
    /network plugin weave does not enforce NetworkPolicy: weave-net DaemonSet without the weave-npc container \(kube-system\/weave-net\); .* \(\S*weave-without-npc\/install\.yaml:\d+:\d+\)\n/,
  );
  const json = JSON.parse(runCli(['query', '--from', 'app/a[Pod]', '--to', 'app/b[Pod]', '--port', '80', '--format', 'json', f]).stdout);
  const step = json.explanation.find((s: { text: string }) => /network plugin weave/.test(s.text));
  assert.ok(step?.source?.line > 0, JSON.stringify(json.explanation));
});
