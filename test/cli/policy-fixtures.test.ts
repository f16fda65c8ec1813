// Semantic NetworkPolicy fixtures: every folder under test/fixtures/policy/ holds manifests
// and an expected.json with the exact workloads and connections that
// `netlens matrix --format json` must report for them (see test/fixtures/policy/README.md).
//
// Both sides are normalized (connections keyed by "from -> to", port ranges sorted and merged,
// protocols in the order TCP, UDP, SCTP) so that only ordering differences are tolerated.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixturePath, repoRoot } from '../support/paths';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;
type Protocol = (typeof PROTOCOLS)[number];
type Range = [number, number];
interface ProtocolPorts {
  protocol: Protocol;
  ports: Range[];
}
/** "from -> to" -> allowed protocols/ports, normalized. */
type ConnectionMap = Record<string, ProtocolPorts[]>;

interface Expected {
  hostNetwork: 'node' | 'pod' | undefined;
  workloads: string[];
  connections: ConnectionMap;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isProtocol(v: unknown): v is Protocol {
  return typeof v === 'string' && (PROTOCOLS as readonly string[]).includes(v);
}

function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}

/** Sorts and merges overlapping or adjacent inclusive ranges. */
function mergeRanges(ranges: Range[]): Range[] {
  const sorted = ranges.map((r): Range => [r[0], r[1]]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Range[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

/**
 * Validates one `allowed` array and returns it normalized (protocol order TCP, UDP, SCTP;
 * ranges sorted and merged). Duplicate protocols, empty port lists and malformed ranges are
 * errors, not something to normalize away.
 */
function normalizeAllowed(allowed: unknown, where: string): ProtocolPorts[] {
  assert.ok(Array.isArray(allowed), `${where}: "allowed" must be an array`);
  assert.ok(allowed.length > 0, `${where}: a pair with nothing allowed must be omitted, not listed with "allowed": []`);
  const byProtocol = new Map<Protocol, Range[]>();
  for (const entry of allowed) {
    assert.ok(isObject(entry), `${where}: allowed entry must be an object`);
    const protocol = entry['protocol'];
    assert.ok(isProtocol(protocol), `${where}: unknown protocol ${JSON.stringify(protocol)}`);
    assert.ok(!byProtocol.has(protocol), `${where}: protocol ${protocol} listed twice`);
    const ports = entry['ports'];
    assert.ok(Array.isArray(ports) && ports.length > 0, `${where}: ${protocol} needs a non-empty "ports" array`);
    const ranges: Range[] = [];
    for (const r of ports) {
      assert.ok(
        Array.isArray(r) && r.length === 2 && isPort(r[0]) && isPort(r[1]) && r[0] <= r[1],
        `${where}: ${protocol} port range ${JSON.stringify(r)} is not [lo, hi] with 1 <= lo <= hi <= 65535`,
      );
      ranges.push([r[0], r[1]]);
    }
    byProtocol.set(protocol, mergeRanges(ranges));
  }
  const out: ProtocolPorts[] = [];
  for (const protocol of PROTOCOLS) {
    const ports = byProtocol.get(protocol);
    if (ports !== undefined) out.push({ protocol, ports });
  }
  return out;
}

/** Validates a `connections` array against the workload ids and returns it keyed by "from -> to". */
function normalizeConnections(connections: unknown, workloads: readonly string[], where: string): ConnectionMap {
  assert.ok(Array.isArray(connections), `${where}: "connections" must be an array`);
  const known = new Set(workloads);
  const entries: Array<[string, ProtocolPorts[]]> = [];
  const seen = new Set<string>();
  for (const c of connections) {
    assert.ok(isObject(c), `${where}: connection must be an object`);
    const from = c['from'];
    const to = c['to'];
    assert.ok(typeof from === 'string' && typeof to === 'string', `${where}: connection needs string "from" and "to"`);
    const key = `${from} -> ${to}`;
    assert.ok(from !== to, `${where}: self pair ${key} must be omitted`);
    assert.ok(known.has(from), `${where}: ${key}: "from" is not a listed workload`);
    assert.ok(known.has(to), `${where}: ${key}: "to" is not a listed workload`);
    assert.ok(!seen.has(key), `${where}: pair ${key} listed twice`);
    seen.add(key);
    entries.push([key, normalizeAllowed(c['allowed'], `${where}: ${key}`)]);
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return Object.fromEntries(entries);
}

function sortedUnique(ids: string[], where: string): string[] {
  const sorted = [...ids].sort();
  for (let i = 1; i < sorted.length; i++) {
    assert.notEqual(sorted[i], sorted[i - 1], `${where}: workload ${sorted[i]} listed twice`);
  }
  return sorted;
}

/** Reads expected.json and checks that it is itself well-formed and already canonical. */
function readExpected(file: string): Expected {
  const where = path.relative(root, file);
  const raw: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  assert.ok(isObject(raw), `${where}: must hold an object`);
  for (const key of Object.keys(raw)) {
    assert.ok(['options', 'workloads', 'connections'].includes(key), `${where}: unexpected key "${key}"`);
  }
  let hostNetwork: 'node' | 'pod' | undefined;
  const options = raw['options'];
  if (options !== undefined) {
    assert.ok(isObject(options), `${where}: "options" must be an object`);
    for (const key of Object.keys(options)) {
      assert.ok(key === 'hostNetwork', `${where}: unknown option "${key}"`);
    }
    const hn = options['hostNetwork'];
    assert.ok(hn === undefined || hn === 'node' || hn === 'pod', `${where}: options.hostNetwork must be "node" or "pod"`);
    hostNetwork = hn;
  }
  const workloads = raw['workloads'];
  assert.ok(
    Array.isArray(workloads) && workloads.every((w): w is string => typeof w === 'string'),
    `${where}: "workloads" must be an array of workload ids`,
  );
  for (const id of workloads) {
    assert.match(id, /^[^/\s]+\/[^/\s[\]]+\[[A-Za-z]+\]$/, `${where}: "${id}" is not <namespace>/<name>[<Kind>]`);
  }
  const sortedIds = sortedUnique(workloads, where);
  const connections = normalizeConnections(raw['connections'], sortedIds, where);
  // The fixture must already be written in canonical form, so that it reads as the contract says.
  const rawConnections = raw['connections'] as Array<Record<string, unknown>>;
  for (const c of rawConnections) {
    const key = `${String(c['from'])} -> ${String(c['to'])}`;
    assert.deepEqual(c['allowed'], connections[key], `${where}: ${key}: "allowed" is not in canonical form`);
  }
  return { hostNetwork, workloads: sortedIds, connections };
}

interface Actual {
  workloads: string[];
  connections: ConnectionMap;
}

function runMatrix(caseDir: string, hostNetwork: 'node' | 'pod' | undefined): Actual {
  const cli = path.join(root, 'dist', 'cli.js');
  assert.ok(fs.existsSync(cli), `${cli} does not exist: build the project first (npm run build)`);
  const args = [cli];
  if (hostNetwork !== undefined) args.push('--host-network', hostNetwork);
  args.push('matrix', '--format', 'json', path.relative(root, caseDir));
  const res = spawnSync(process.execPath, args, {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  const cmd = `node ${args.map((a) => path.relative(root, a) || a).join(' ')}`;
  assert.ifError(res.error);
  assert.equal(res.status, 0, `${cmd} exited with ${String(res.status)} (signal ${String(res.signal)}):\n${res.stderr}`);
  let out: unknown;
  try {
    out = JSON.parse(res.stdout);
  } catch (err) {
    assert.fail(`${cmd} did not print JSON (${String(err)}):\n${res.stdout.slice(0, 2000)}`);
  }
  assert.ok(isObject(out), `${cmd}: output must be a JSON object`);
  const workloads = out['workloads'];
  assert.ok(Array.isArray(workloads), `${cmd}: "workloads" must be an array`);
  const ids: string[] = [];
  for (const w of workloads) {
    assert.ok(isObject(w) && typeof w['id'] === 'string', `${cmd}: each workload must be an object with a string "id"`);
    ids.push(w['id']);
  }
  const sortedIds = sortedUnique(ids, cmd);
  return { workloads: sortedIds, connections: normalizeConnections(out['connections'], sortedIds, cmd) };
}

function formatAllowed(allowed: ProtocolPorts[] | undefined): string {
  if (allowed === undefined) return '(nothing)';
  return allowed.map((p) => `${p.protocol} ${p.ports.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(',')}`).join('; ');
}

/** One line per pair whose allowed set differs, for readable failures. */
function describeDiff(actual: ConnectionMap, expected: ConnectionMap): string {
  const keys = [...new Set([...Object.keys(actual), ...Object.keys(expected)])].sort();
  const lines: string[] = [];
  for (const key of keys) {
    const a = formatAllowed(actual[key]);
    const e = formatAllowed(expected[key]);
    if (a !== e) lines.push(`  ${key}: actual ${a} | expected ${e}`);
  }
  return lines.join('\n');
}

const root = repoRoot();
const fixturesDir = fixturePath('policy');
const cases = fs
  .readdirSync(fixturesDir, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

test('policy fixtures are present', () => {
  assert.ok(cases.length > 0, `no case folders under ${fixturesDir}`);
});

for (const name of cases) {
  test(name, () => {
    const caseDir = path.join(fixturesDir, name);
    const expectedFile = path.join(caseDir, 'expected.json');
    assert.ok(fs.existsSync(expectedFile), `${name}: missing expected.json`);
    const expected = readExpected(expectedFile);
    const actual = runMatrix(caseDir, expected.hostNetwork);
    assert.deepEqual(actual.workloads, expected.workloads, `${name}: workload ids differ`);
    assert.deepEqual(
      actual.connections,
      expected.connections,
      `${name}: connections differ:\n${describeDiff(actual.connections, expected.connections)}`,
    );
  });
}
