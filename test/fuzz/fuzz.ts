// A seeded robustness fuzzer for the language server (dist/server.js over stdio).
//
// The workspace folder the server indexes holds hostile shapes (fuzzWorkspace: a link to /, a FIFO, a
// corrupt persisted index, names with newlines, bidi overrides, backticks, "::" and HTML).
// It opens several manifests (some inside the workspace folder the server indexes, some outside it,
// one untitled), then applies thousands of random edits to them — typed characters and YAML tokens,
// deletions of ranges, pastes of other manifests and fragments of them, undo of earlier edits,
// whole-file replacements, closing and reopening — while requesting hovers at random positions, pull
// diagnostics, code actions on the diagnostics' ranges, code lenses and the custom netlens/* requests.
//
// Checks: the process stays alive; no response is an InternalError (-32603) or a "Request ... failed"
// (an exception escaping a handler) and no handler failure is logged; every request is answered within
// `latencyLimitMs`; and the server's RSS (VmRSS) after closing every document and idling is within
// max(128 MiB, 50%) of the baseline taken after indexing (see `marginMiB`). Every problem is written to a reproducer file
// (seed, step, the request, the open documents' texts at that moment and the edits that led there).
//
// The sequence of edits and requests depends only on the seed: choices that depend on what the server
// answered (a diagnostic's range, a workload id) come from a per-step generator, so that timing
// (which snapshot answered) cannot shift the main sequence.
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Position, Range, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { CancellationTokenSource } from 'vscode-languageserver-protocol/node';
import { LspSession } from '../support/lsp';
import { repoRoot } from '../support/paths';
import { int, mulberry32, pick, type Rng } from '../support/random';
import {
  ExplainAtRequest,
  MatrixRequest,
  NamespacesRequest,
  PoliciesRequest,
  QueryRequest,
  ResolveRequest,
  StatusRequest,
  WorkloadRequest,
} from '../../protocol/messages';

// ---------------------------------------------------------------------------------------------
// Randomness

/** The seed of step `step`'s own generator (for the choices that depend on the server's answers). */
function mix(seed: number, step: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (step + 0x7f4a7c15), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** 1 + a geometric-ish number: mostly small, sometimes large. */
const small = (rng: Rng, max: number): number => Math.min(max, 1 + Math.floor(-Math.log(1 - rng() * 0.999999) * (max / 6)));
function weighted<T extends string>(rng: Rng, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((n, [, w]) => n + w, 0);
  let x = rng() * total;
  for (const [v, w] of table) if ((x -= w) < 0) return v;
  return table[table.length - 1][0];
}

// ---------------------------------------------------------------------------------------------
// What gets typed and pasted

const YAML_TOKENS = [
  ': ',
  ':',
  '- ',
  '-',
  '---\n',
  '...\n',
  '\n---\n',
  '&a ',
  '*a',
  '&anchor ',
  '*anchor',
  '<<: *a\n',
  '!!str ',
  '!!int ',
  '!!map ',
  '!!binary ',
  '!custom ',
  '{',
  '}',
  '[',
  ']',
  '{}',
  '[]',
  ', ',
  '|',
  '|-\n',
  '>',
  '>+\n',
  '"',
  "'",
  '""',
  "''",
  '# comment',
  ' #',
  '? ',
  '%YAML 1.2\n',
  '%TAG ! tag:x,2000:\n',
  '@',
  '`',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '  ',
  '    ',
  '\n  ',
  '\n    - ',
  'null',
  '~',
  'true',
  'false',
  'yes',
  'on',
  '0x1F',
  '0o17',
  '1e3',
  '.inf',
  '-.nan',
  '"\\u00e9"',
  '"\\x00"',
  '"\\',
  "'it''s'",
  'key: value\n',
  'a: {b: [c, {d: e}]}',
  '- [a, b]\n',
  '? [a]\n: b\n',
];

const K8S_TOKENS = [
  'apiVersion: v1\n',
  'apiVersion: networking.k8s.io/v1\n',
  'apiVersion: apps/v1\n',
  'kind: NetworkPolicy\n',
  'kind: Pod\n',
  'kind: Service\n',
  'kind: Deployment\n',
  'kind: Namespace\n',
  'kind: ConfigMap\n',
  'kind: List\n',
  'kind: DaemonSet\n',
  'kind: CronJob\n',
  'metadata:\n',
  'metadata: {}\n',
  'name: ',
  'namespace: ',
  'namespace: default\n',
  'labels:\n',
  'labels: {app: web}\n',
  'app: web',
  'app: ',
  'spec:\n',
  'spec: {}\n',
  'spec: null\n',
  'podSelector: {}\n',
  'podSelector:\n',
  'matchLabels:\n',
  'matchLabels: {}\n',
  'matchLabels: null\n',
  'matchExpressions:\n',
  'matchExpressions: [{key: app, operator: In, values: [a, b]}]\n',
  'matchExpressions: [{key: app, operator: NotIn}]\n',
  'matchExpressions: [{key: app, operator: Exists, values: [x]}]\n',
  'matchExpressions: [{operator: DoesNotExist}]\n',
  'namespaceSelector: {}\n',
  'namespaceSelector:\n',
  'kubernetes.io/metadata.name: ',
  'policyTypes: [Ingress, Egress]\n',
  'policyTypes: [Sideways]\n',
  'policyTypes: []\n',
  'ingress:\n',
  'egress:\n',
  'ingress: [{}]\n',
  'egress: [{}]\n',
  'ingress: []\n',
  'egress: null\n',
  '- from:\n',
  '- to:\n',
  'from: []\n',
  'to: [{}]\n',
  'ports:\n',
  '- port: 80\n',
  '- port: 53\n  protocol: UDP\n',
  'port: 8080',
  'port: http',
  'port: -1',
  'port: 0',
  'port: 65536',
  'port: 1e309',
  'port: 99999999999999999999',
  'port: 80.5',
  'port: "80"',
  'port: ""',
  'endPort: 65535',
  'endPort: 10',
  'endPort: -5',
  'protocol: TCP',
  'protocol: SCTP',
  'protocol: ICMP',
  'protocol: udp',
  'targetPort: http',
  'targetPort: 0',
  'containerPort: 8080',
  'containerPort: x',
  'name: http',
  'ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}\n',
  'ipBlock: {cidr: 0.0.0.0/0}\n',
  'ipBlock: {cidr: "::/0", except: ["::1/128"]}\n',
  'ipBlock: {cidr: 999.1.1.1/33}\n',
  'ipBlock: {cidr: 10.0.0.0/8, except: [192.168.0.0/16, 10.0.0.0/4]}\n',
  'ipBlock: {cidr: fe80::/200}\n',
  'ipBlock: {}\n',
  'hostNetwork: true\n',
  'hostNetwork: "yes"\n',
  'dnsPolicy: None\n',
  'dnsPolicy: ClusterFirstWithHostNet\n',
  'dnsPolicy: Default\n',
  'dnsConfig: {searches: [a.b, c], options: [{name: ndots, value: "1"}]}\n',
  'dnsConfig: {nameservers: [8.8.8.8], options: [{name: ndots, value: x}]}\n',
  'subdomain: db\n',
  'hostname: db-0\n',
  'serviceName: db\n',
  'clusterIP: None\n',
  'type: ExternalName\n',
  'externalName: example.com\n',
  'externalName: ""\n',
  'selector: {app: web}\n',
  'selector: {}\n',
  'selector: null\n',
  'containers:\n',
  '- name: c\n  image: nginx\n',
  'env:\n',
  '- name: URL\n  value: ',
  'value: http://api:8080/x',
  'value: api.backend.svc.cluster.local:80',
  'value: postgres://db.shop:5432',
  'value: 10.0.0.1:53',
  'value: "[::1]:8080"',
  'value: http://',
  'value: ://',
  'value: http://a..b:99999',
  'value: redis://:@:/',
  'template:\n',
  'replicas: 3\n',
  'jobTemplate:\n',
  'data:\n',
  'Corefile: |\n  .:53 {\n    kubernetes cluster.local in-addr.arpa\n    forward . /etc/resolv.conf\n  }\n',
  'Corefile: |\n  .:53 { kubernetes {\n',
  'items:\n',
  '- apiVersion: v1\n  kind: Pod\n  metadata: {name: p}\n',
];

const UNICODE = [
  'é',
  'ü',
  'ß',
  '中',
  '文',
  '😀',
  '🚀',
  '\u200b',
  '\ufeff',
  '\u0000',
  '\u0007',
  '\u2028',
  '\u2029',
  '\u00a0',
  '\ud800',
  '\udc00',
  '\u0301',
  'İ',
  'ﬁ',
];
const ASCII = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=+';
const INDICATORS = ':-{}[],&*#?|>\'"%@`!';

function aliasBomb(): string {
  const lines = [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: bomb',
    '  labels:',
    '    a: &a ["x","x","x","x","x","x","x","x","x"]',
  ];
  let prev = 'a';
  for (const n of ['b', 'c', 'd', 'e', 'f', 'g']) {
    lines.push(`    ${n}: &${n} [${Array(9).fill(`*${prev}`).join(',')}]`);
    prev = n;
  }
  return `${lines.join('\n')}\n`;
}

/** Rare, adversarial inputs: deep nesting, long lines, many documents, alias expansion. */
const NASTY: (() => string)[] = [
  () => '['.repeat(3000),
  () => '{a: '.repeat(800),
  () => `${Array.from({ length: 400 }, (_, i) => `${' '.repeat(i * 2)}k${i}:`).join('\n')}\n`,
  () => 'x'.repeat(20_000),
  () => '---\n'.repeat(600),
  () => aliasBomb(),
  () => 'a: &a [*a]\n',
  () => `labels:\n${Array.from({ length: 500 }, (_, i) => `  l${i}: v${i}`).join('\n')}\n`,
  () => `ports:\n${Array.from({ length: 300 }, (_, i) => `- port: ${i + 1}\n  endPort: ${65535 - i}`).join('\n')}\n`,
  () => `except: [${Array.from({ length: 200 }, (_, i) => `10.${i}.0.0/16`).join(', ')}]\n`,
  () => `value: ${'a.'.repeat(200)}svc.cluster.local\n`,
  () => '\r\n'.repeat(100),
  () => '"' + '\\'.repeat(1001),
];

function randomChars(rng: Rng): string {
  const n = small(rng, 12);
  let s = '';
  for (let i = 0; i < n; i++) {
    const k = rng();
    if (k < 0.55) s += ASCII[Math.floor(rng() * ASCII.length)];
    else if (k < 0.72) s += pick(rng, [' ', ' ', ' ', '\t', '\n', '\r\n', '\r']);
    else if (k < 0.88) s += INDICATORS[Math.floor(rng() * INDICATORS.length)];
    else s += pick(rng, UNICODE);
  }
  return s;
}

// ---------------------------------------------------------------------------------------------
// Corpus

export interface CorpusFile {
  /** path relative to the repository */
  rel: string;
  abs: string;
  text: string;
  /** inside the workspace folder the server indexes */
  inFolder: boolean;
}

// Manifests whose names a hover, a tree label, a quick fix or a report must escape: backticks that close
// Markdown code spans, HTML and remote images, newlines that inject YAML, bidi overrides, "::" and
// YAML words (yes, on, null) that a quick fix must quote.
const HOSTILE_MANIFESTS = `apiVersion: v1
kind: Namespace
metadata: {name: "hostile::ns", labels: {"a\`b": "<img src=https://example.invalid/x.png>"}}
---
apiVersion: v1
kind: Pod
metadata:
  name: "evil\`) [x](command:workbench.action.terminal.new) \`"
  namespace: "hostile::ns"
  labels: {app: "<script>alert(1)</script>", "role": "line\\nbreak\\n- injected: true", tier: "\u202egnp.exe"}
spec: {containers: [{name: "c\`", image: c, ports: [{name: "yes", containerPort: 80}, {name: "on", containerPort: 81}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: "null", namespace: "hostile::ns"}
spec: {selector: {app: "<script>alert(1)</script>"}, ports: [{port: 80, targetPort: "yes"}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: "1e3\nkind: Secret", namespace: "hostile::ns"}
spec:
  podSelector: {matchLabels: {tier: "\u202egnp.exe"}}
  ingress: [{from: [{podSelector: {matchLabels: {app: "no\\nsuch"}}}], ports: [{port: "on"}, {port: "abc"}]}]
  egress: [{to: [{namespaceSelector: {matchLabels: {"a\`b": "<img src=https://example.invalid/x.png>"}}}]}]
`;

// A persisted index.json that is not one (truncated, with a number JSON cannot hold): discarded at start.
const CORRUPT_INDEX = '{"version":1,"engine":"x","defaultNamespace":"default","files":{"file:///a.yaml":{"hash":1e400,"file":[';

let prepared: { folder: string; storage: string } | undefined;

/**
 * The workspace the fuzzer's server indexes, built afresh once per process under test-results/ (a fixed
 * path, so that reproducers replay): the LSP fixture's manifests plus hostile shapes: a link to /, a FIFO
 * named like a manifest, hostile names (in a file whose own name holds a newline, a backtick and a bidi
 * override) and a storage folder whose persisted index is corrupt.
 */
export function fuzzWorkspace(): { folder: string; storage: string } {
  if (prepared) return prepared;
  const base = path.join(repoRoot(), 'test-results', 'fuzz-workspace');
  const folder = path.join(base, 'ws');
  const storage = path.join(base, 'storage');
  rmSync(base, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  mkdirSync(storage, { recursive: true });
  const fixture = path.join(repoRoot(), 'test', 'fixtures', 'lsp', 'workspace');
  for (const n of readdirSync(fixture)) if (n.endsWith('.yaml')) copyFileSync(path.join(fixture, n), path.join(folder, n));
  writeFileSync(path.join(folder, 'hostile \u202e`name\n<b>x.yaml'), HOSTILE_MANIFESTS);
  symlinkSync('/', path.join(folder, 'root-link'));
  try {
    execFileSync('mkfifo', [path.join(folder, 'pipe.yaml')]);
  } catch {
    // no mkfifo: the other shapes still run
  }
  writeFileSync(path.join(storage, 'index.json'), CORRUPT_INDEX);
  prepared = { folder, storage };
  return prepared;
}

export function workspaceFolder(): string {
  return fuzzWorkspace().folder;
}

export function loadCorpus(): CorpusFile[] {
  const root = repoRoot();
  const folder = workspaceFolder();
  const files: string[] = [];
  // (regular files only: the FIFO would block the read)
  for (const n of readdirSync(folder).sort())
    if (n.endsWith('.yaml') && lstatSync(path.join(folder, n)).isFile()) files.push(path.join(folder, n));
  const policy = path.join(root, 'test', 'fixtures', 'policy');
  for (const d of readdirSync(policy).sort()) {
    const f = path.join(policy, d, 'manifests.yaml');
    if (existsSync(f)) files.push(f);
  }
  const walk = (dir: string) => {
    for (const n of readdirSync(dir).sort()) {
      const p = path.join(dir, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(n)) files.push(p);
    }
  };
  walk(path.join(root, 'examples', 'shop'));
  return files.map((abs) => ({
    abs,
    rel: path.relative(root, abs),
    text: readFileSync(abs, 'utf8'),
    inFolder: path.dirname(abs) === folder,
  }));
}

/** A fragment of a manifest: some whole lines (possibly re-indented) or an arbitrary slice. */
function fragment(rng: Rng, text: string): string {
  if (rng() < 0.65) {
    const lines = text.split('\n');
    const a = int(rng, 0, lines.length - 1);
    const b = Math.min(lines.length, a + small(rng, 40));
    let out = lines.slice(a, b);
    if (rng() < 0.3) {
      const pad = ' '.repeat(pick(rng, [2, 4, 6, 1, 3]));
      out = out.map((l) => pad + l);
    } else if (rng() < 0.15) out = out.map((l) => l.replace(/^ {1,2}/, ''));
    return `${out.join('\n')}\n`;
  }
  const a = int(rng, 0, text.length);
  return text.slice(a, a + small(rng, 400));
}

// ---------------------------------------------------------------------------------------------
// Options and results

export interface FuzzOptions {
  seed: number;
  /** stop after this long (default 60 s unless `edits` or `untilStep` is given) */
  durationMs?: number;
  /** stop after this many edits */
  edits?: number;
  /** stop at this step (to replay the sequence up to a reproducer's step) */
  untilStep?: number;
  /** documents open at a time (default 6) */
  documents?: number;
  /** a slower answer is reported (default 2000 ms) */
  latencyLimitMs?: number;
  /** an unanswered request after this long is a hang and ends the run (default 15000 ms) */
  hangMs?: number;
  /** where reproducers are written (default test-results/fuzz) */
  reproDir?: string;
  /** at most this many reproducer files per run (default 20) */
  maxReproducers?: number;
  /** progress and problems as they happen */
  log?: (line: string) => void;
  /** a progress line this often (default: never) */
  progressEveryMs?: number;
  /**
   * Memory margin: the RSS after closing every document may exceed the baseline by max(marginMiB,
   * marginRatio * baseline); default max(128 MiB, 50%). V8 keeps the heap pages it grew to (the young
   * generation's semi-spaces, old-space pages not yet released by a full GC) while idle, so RSS settles
   * near the run's peak heap, not its live data: seed 12 ends at 134 MiB from a 60 MiB baseline with
   * 17 MiB of heap in use (and at 98 MiB, 9.6 MiB used, when the server is made to GC every second).
   * A leak of documents, parses or snapshots grows by hundreds of MiB a minute under the fuzzer.
   */
  marginMiB?: number;
  marginRatio?: number;
  /** idle time after closing every document before the end RSS is sampled (default 2000 ms) */
  endIdleMs?: number;
}

export interface MethodStats {
  count: number;
  /** error responses of any kind (including the expected ones, e.g. ContentModified) */
  errors: number;
  maxMs: number;
  p99Ms: number;
  meanMs: number;
}

export type IssueKind = 'crash' | 'error-response' | 'handler-failure' | 'slow' | 'hang' | 'memory';

export interface FuzzIssue {
  kind: IssueKind;
  step: number;
  message: string;
  method?: string;
  params?: unknown;
  code?: number;
  latencyMs?: number;
  reproducer?: string;
}

export interface FuzzResult {
  seed: number;
  steps: number;
  edits: number;
  editsByKind: Record<string, number>;
  requests: number;
  byMethod: Record<string, MethodStats>;
  maxLatency: { ms: number; method: string };
  memory: { baselineKiB: number; peakKiB: number; endKiB: number; limitKiB: number };
  issues: FuzzIssue[];
  /** error responses that are not failures (RequestFailed for an unknown workload, ContentModified...), by "method code" */
  otherErrors: Record<string, number>;
  durationMs: number;
  alive: boolean;
  /** hash of the operations sent; the same seed and step count give the same digest */
  opsDigest: string;
}

/** Codes a server may legitimately answer with; anything else (InternalError above all) is a failure. */
const ACCEPTABLE_CODES = new Set([
  -32602 /* InvalidParams */, -32800 /* RequestCancelled */, -32801 /* ContentModified */, -32802 /* ServerCancelled */,
  -32803 /* RequestFailed */,
]);

export function isFailureResponse(code: number | undefined, message: string): boolean {
  return code === -32603 || !ACCEPTABLE_CODES.has(code ?? 0) || /Request .* failed (with message|unexpectedly)/.test(message);
}

// ---------------------------------------------------------------------------------------------
// The engine

interface OpenDoc {
  uri: string;
  source: string;
  inFolder: boolean;
  doc: TextDocument;
  /** inverse edits, most recent last */
  undo: TextDocumentContentChangeEvent[][];
  /** where the "cursor" is: edits cluster around it */
  cursor: number;
  /** the last diagnostics pulled for this document */
  diagnostics: Diagnostic[];
}

interface OpRecord {
  step: number;
  op: string;
  uri: string;
  version?: number;
  changes?: TextDocumentContentChangeEvent[];
}

const RECENT_OPS = 400;

function readRssKiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export class Fuzzer {
  private readonly rng: Rng;
  private readonly corpus: CorpusFile[];
  private readonly docs: OpenDoc[] = [];
  private session!: LspSession;
  private pid = 0;
  private step = 0;
  private edits = 0;
  private readonly editsByKind: Record<string, number> = {};
  private readonly latencies = new Map<string, number[]>();
  private readonly errorCounts = new Map<string, number>();
  private readonly otherErrors: Record<string, number> = {};
  private readonly issues: FuzzIssue[] = [];
  private readonly recent: OpRecord[] = [];
  private reproducers = 0;
  private workloads: { id: string; name: string; namespace: string }[] = [];
  private names: string[] = [];
  private untitled = 0;
  /** FNV-1a over every edit, open, close and settings change: equal for equal seeds (the determinism check) */
  private digest = 0x811c9dc5;
  /** what the client answers to workspace/configuration (changed now and then) */
  private settings: { netlens: Record<string, unknown>; files: Record<string, unknown> } = { netlens: {}, files: {} };
  private exited: string | undefined;
  private exitPromise: Promise<'exit'> = new Promise(() => undefined);
  private stopped = false;
  private peakKiB = 0;
  private readonly opts: Required<Omit<FuzzOptions, 'edits' | 'untilStep' | 'log' | 'durationMs'>> &
    Pick<FuzzOptions, 'edits' | 'untilStep' | 'log' | 'durationMs'>;

  constructor(options: FuzzOptions) {
    this.opts = {
      documents: 6,
      latencyLimitMs: 2000,
      hangMs: 15_000,
      reproDir: path.join(repoRoot(), 'test-results', 'fuzz'),
      maxReproducers: 20,
      progressEveryMs: 0,
      marginMiB: 128,
      marginRatio: 0.5,
      endIdleMs: Number(process.env.NETLENS_FUZZ_IDLE_MS ?? 2000),
      ...options,
    };
    this.rng = mulberry32(options.seed);
    this.corpus = loadCorpus();
    // names to query and resolve: from the corpus (deterministic), completed by the server's answers
    const names = new Set<string>();
    for (const f of this.corpus) for (const m of f.text.matchAll(/^\s*name:\s*([a-z0-9][a-z0-9.-]*)\s*$/gm)) names.add(m[1]);
    this.names = [...names].sort();
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  async run(): Promise<FuzzResult> {
    const t0 = performance.now();
    const { seed } = this.opts;
    const until = this.opts.durationMs ?? (this.opts.edits === undefined && this.opts.untilStep === undefined ? 60_000 : Infinity);
    // the client's settings change now and then (changeSettings): answered from this.settings
    this.session = LspSession.spawn({
      configuration: (section) => (section === 'netlens' ? this.settings.netlens : section === 'files' ? this.settings.files : {}),
    });
    const ws = fuzzWorkspace();
    await this.session.initialize(ws.folder, undefined, { storagePath: ws.storage });
    const proc = this.session.proc;
    this.pid = proc.pid ?? 0;
    this.exitPromise = new Promise((r) =>
      proc.on('exit', (code, signal) => {
        if (!this.stopped) this.exited = `server exited (code ${code}, signal ${signal})`;
        r('exit');
      }),
    );
    this.session.onNotification<{ type: number; message: string }>('window/logMessage', (p) => {
      if (p.type === 1 && !this.stopped) this.issue({ kind: 'handler-failure', step: this.step, message: p.message });
    });
    this.session.onNotification<{ type: number; message: string }>('window/showMessage', (p) => {
      if (p.type === 1 && !this.stopped) this.issue({ kind: 'handler-failure', step: this.step, message: `showMessage: ${p.message}` });
    });

    await this.waitIndexed();
    const n = Math.max(1, this.opts.documents);
    const inFolder = this.corpus.filter((f) => f.inFolder);
    const outside = this.corpus.filter((f) => !f.inFolder);
    const initial: CorpusFile[] = [];
    for (let i = 0; i < n - 1; i++) initial.push(i % 2 === 0 ? pick(this.rng, inFolder) : pick(this.rng, outside));
    for (const f of initial) if (!this.docs.some((d) => d.uri === pathToFileURL(f.abs).toString())) await this.openFile(f);
    await this.openUntitled(pick(this.rng, this.corpus).text);
    // warm up what requests compute lazily, so that the baseline is the steady state after indexing
    await sleep(300);
    for (const m of [StatusRequest.method, NamespacesRequest.method, MatrixRequest.method]) await this.request(m, {});
    for (const d of this.docs) await this.request('textDocument/diagnostic', { textDocument: { uri: d.uri } });
    const baselineKiB = readRssKiB(this.pid);
    this.peakKiB = baselineKiB;
    this.log(
      `fuzz seed=${seed}: ${this.docs.length} documents open (${this.docs.map((d) => d.source).join(', ')}), baseline RSS ${mib(baselineKiB)}`,
    );

    const sampler = setInterval(() => {
      this.peakKiB = Math.max(this.peakKiB, readRssKiB(this.pid));
    }, 250);
    let nextProgress = this.opts.progressEveryMs ? t0 + this.opts.progressEveryMs : Infinity;
    try {
      while (!this.exited && !this.issues.some((i) => i.kind === 'hang')) {
        const elapsed = performance.now() - t0;
        if (elapsed >= until) break;
        if (this.opts.edits !== undefined && this.edits >= this.opts.edits) break;
        if (this.opts.untilStep !== undefined && this.step >= this.opts.untilStep) break;
        if (performance.now() >= nextProgress) {
          nextProgress += this.opts.progressEveryMs;
          this.log(
            `  ${Math.round(elapsed / 1000)}s step ${this.step} edits ${this.edits} requests ${this.requestCount()} max ${this.maxLatency().ms.toFixed(0)}ms (${this.maxLatency().method}) rss ${mib(readRssKiB(this.pid))} issues ${this.issues.length}`,
          );
        }
        this.step++;
        await this.act();
      }
      // let the last rebuild happen, then ask everything once more
      if (!this.exited) {
        await sleep(300);
        this.step++;
        await this.requestBatch([
          StatusRequest.method,
          NamespacesRequest.method,
          MatrixRequest.method,
          'textDocument/diagnostic',
          'textDocument/codeLens',
        ]);
      }
    } finally {
      clearInterval(sampler);
    }

    // close everything, idle, and see where memory settles
    let endKiB = 0;
    if (!this.exited) {
      for (const d of [...this.docs]) await this.close(d);
      await sleep(500);
      await this.request(StatusRequest.method, {});
      await sleep(this.opts.endIdleMs);
      const samples: number[] = [];
      for (let i = 0; i < 4; i++) {
        samples.push(readRssKiB(this.pid));
        await sleep(250);
      }
      endKiB = Math.min(...samples);
    }
    const alive = !this.exited && this.session.proc.exitCode === null;
    if (this.exited)
      this.issue({ kind: 'crash', step: this.step, message: `${this.exited}; stderr: ${this.session.stderr.join('').slice(-4000)}` });
    const limitKiB = baselineKiB + Math.max(this.opts.marginMiB * 1024, Math.round(baselineKiB * this.opts.marginRatio));
    if (alive && endKiB > limitKiB) {
      this.issue({
        kind: 'memory',
        step: this.step,
        message: `RSS after closing every document ${mib(endKiB)} > baseline ${mib(baselineKiB)} + margin (limit ${mib(limitKiB)})`,
      });
    }
    this.stopped = true;
    await this.session.stop();

    const byMethod: Record<string, MethodStats> = {};
    for (const [m, xs] of [...this.latencies].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const sorted = [...xs].sort((a, b) => a - b);
      byMethod[m] = {
        count: xs.length,
        errors: this.errorCounts.get(m) ?? 0,
        maxMs: round(sorted[sorted.length - 1] ?? 0),
        p99Ms: round(percentile(sorted, 99)),
        meanMs: round(xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)),
      };
    }
    return {
      seed,
      steps: this.step,
      edits: this.edits,
      editsByKind: { ...this.editsByKind },
      requests: this.requestCount(),
      byMethod,
      maxLatency: this.maxLatency(),
      memory: { baselineKiB, peakKiB: this.peakKiB, endKiB, limitKiB },
      issues: this.issues,
      otherErrors: this.otherErrors,
      durationMs: Math.round(performance.now() - t0),
      alive,
      opsDigest: (this.digest >>> 0).toString(16).padStart(8, '0'),
    };
  }

  private requestCount(): number {
    let n = 0;
    for (const xs of this.latencies.values()) n += xs.length;
    return n;
  }

  private maxLatency(): { ms: number; method: string } {
    let best = { ms: 0, method: '' };
    for (const [m, xs] of this.latencies) for (const x of xs) if (x > best.ms) best = { ms: round(x), method: m };
    return best;
  }

  private async waitIndexed(): Promise<void> {
    const st = await this.session.indexed(30_000);
    if (st.indexing || !st.lastIndex) throw new Error('the server did not finish indexing within 30 s');
  }

  // -- documents -------------------------------------------------------------------------------

  private record(op: OpRecord): void {
    this.digest = fnv1a(this.digest, JSON.stringify(op));
    this.recent.push(op);
    if (this.recent.length > RECENT_OPS) this.recent.splice(0, this.recent.length - RECENT_OPS);
  }

  private async openFile(f: CorpusFile): Promise<void> {
    const uri = pathToFileURL(f.abs).toString();
    await this.openDoc(uri, f.rel, f.inFolder, f.text);
  }

  private async openUntitled(text: string): Promise<void> {
    await this.openDoc(`untitled:Untitled-${++this.untitled}`, 'untitled', false, text);
  }

  private async openDoc(uri: string, source: string, inFolder: boolean, text: string): Promise<void> {
    const doc = TextDocument.create(uri, 'yaml', 1, text);
    this.docs.push({ uri, source, inFolder, doc, undo: [], cursor: Math.floor(this.rng() * (text.length + 1)), diagnostics: [] });
    this.record({ step: this.step, op: 'open', uri, version: 1, changes: [{ text }] });
    await this.session.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  }

  private async close(d: OpenDoc): Promise<void> {
    this.docs.splice(this.docs.indexOf(d), 1);
    this.record({ step: this.step, op: 'close', uri: d.uri });
    await this.session.notify('textDocument/didClose', { textDocument: { uri: d.uri } });
  }

  /** Applies `changes` (in order) to the mirror and sends them; remembers how to undo them. */
  private async change(d: OpenDoc, kind: string, changes: TextDocumentContentChangeEvent[], isUndo = false): Promise<void> {
    const inverse: TextDocumentContentChangeEvent[] = [];
    let doc = d.doc;
    for (const c of changes) {
      const before = doc.getText();
      let start = 0;
      let end = before.length;
      if ('range' in c) {
        start = doc.offsetAt(c.range.start);
        end = doc.offsetAt(c.range.end);
      }
      doc = TextDocument.update(doc, [c], doc.version);
      const after = doc.getText();
      const removed = before.slice(start, end);
      // undo of this change: a ranged edit when the offsets map back to themselves, else the whole text
      const a = doc.positionAt(start);
      const b = doc.positionAt(start + ('range' in c ? c.text.length : after.length));
      if (
        'range' in c &&
        doc.offsetAt(a) === start &&
        doc.offsetAt(b) === start + c.text.length &&
        after === before.slice(0, start) + c.text + before.slice(end)
      ) {
        inverse.unshift({ range: { start: a, end: b }, text: removed });
      } else inverse.unshift({ text: before });
      d.cursor = Math.min(after.length, start + ('range' in c ? c.text.length : 0));
    }
    const version = d.doc.version + 1;
    d.doc = TextDocument.create(d.uri, 'yaml', version, doc.getText());
    if (!isUndo) {
      d.undo.push(inverse);
      if (d.undo.length > 200) d.undo.shift();
    }
    this.edits++;
    this.editsByKind[kind] = (this.editsByKind[kind] ?? 0) + 1;
    this.record({ step: this.step, op: kind, uri: d.uri, version, changes });
    await this.session.notify('textDocument/didChange', { textDocument: { uri: d.uri, version }, contentChanges: changes });
  }

  private offsetNear(d: OpenDoc): number {
    const len = d.doc.getText().length;
    const r = this.rng();
    if (r < 0.55) return Math.max(0, Math.min(len, d.cursor + int(this.rng, -40, 40)));
    if (r < 0.75) {
      // a line start or end
      const line = int(this.rng, 0, Math.max(0, d.doc.lineCount - 1));
      const off = d.doc.offsetAt({ line, character: 0 });
      return this.rng() < 0.5 ? off : d.doc.offsetAt({ line, character: 1 << 20 });
    }
    if (r < 0.85) {
      // right after a "key:" (where values are typed)
      const text = d.doc.getText();
      const colons: number[] = [];
      for (let i = text.indexOf(':'); i >= 0 && colons.length < 2000; i = text.indexOf(':', i + 1)) colons.push(i + 1);
      if (colons.length) return pick(this.rng, colons);
    }
    return int(this.rng, 0, len);
  }

  private rangeOf(d: OpenDoc, start: number, end: number): Range {
    return { start: d.doc.positionAt(start), end: d.doc.positionAt(end) };
  }

  private async edit(d: OpenDoc): Promise<void> {
    const rng = this.rng;
    const text = d.doc.getText();
    if (text.length > 200_000) {
      // keep documents in a realistic size range
      return this.change(d, 'replace-file', [{ text: pick(rng, this.corpus).text }]);
    }
    const kind = weighted(rng, [
      ['type', 24],
      ['token', 22],
      ['delete', 18],
      ['paste', 10],
      ['undo', 12],
      ['overtype', 5],
      ['newline', 5],
      ['multi', 3],
      ['replace-file', 1.5],
      ['nasty', 0.5],
    ] as const);
    switch (kind) {
      case 'type':
      case 'token':
      case 'nasty': {
        const at = this.offsetNear(d);
        const s =
          kind === 'type'
            ? randomChars(rng)
            : kind === 'nasty'
              ? pick(rng, NASTY)()
              : rng() < 0.5
                ? pick(rng, YAML_TOKENS)
                : pick(rng, K8S_TOKENS);
        return this.change(d, kind, [{ range: this.rangeOf(d, at, at), text: s }]);
      }
      case 'newline': {
        const at = this.offsetNear(d);
        const line = d.doc.positionAt(at).line;
        const indent = /^[ \t]*/.exec(text.slice(d.doc.offsetAt({ line, character: 0 })))![0];
        return this.change(d, kind, [
          { range: this.rangeOf(d, at, at), text: `\n${indent}${rng() < 0.3 ? '  ' : ''}${rng() < 0.3 ? '- ' : ''}` },
        ]);
      }
      case 'delete': {
        const at = this.offsetNear(d);
        const r = rng();
        const len = r < 0.6 ? small(rng, 8) : r < 0.9 ? small(rng, 300) : small(rng, text.length + 1);
        return this.change(d, kind, [{ range: this.rangeOf(d, at, Math.min(text.length, at + len)), text: '' }]);
      }
      case 'overtype': {
        const at = this.offsetNear(d);
        const len = small(rng, 30);
        return this.change(d, kind, [
          { range: this.rangeOf(d, at, Math.min(text.length, at + len)), text: rng() < 0.5 ? randomChars(rng) : pick(rng, K8S_TOKENS) },
        ]);
      }
      case 'paste': {
        const src = pick(rng, this.corpus).text;
        const s = rng() < 0.25 ? (rng() < 0.5 ? `---\n${src}` : src) : fragment(rng, src);
        const at = this.offsetNear(d);
        const replace = rng() < 0.2 ? small(rng, 200) : 0;
        return this.change(d, kind, [{ range: this.rangeOf(d, at, Math.min(text.length, at + replace)), text: s }]);
      }
      case 'undo': {
        const inv = d.undo.pop();
        if (!inv) return this.change(d, 'type', [{ range: this.rangeOf(d, d.cursor, d.cursor), text: randomChars(rng) }]);
        return this.change(d, kind, inv, true);
      }
      case 'multi': {
        // several changes in one notification, as multi-cursor edits send them (applied in order)
        const n = int(rng, 2, 4);
        const changes: TextDocumentContentChangeEvent[] = [];
        let mirror = d.doc;
        for (let i = 0; i < n; i++) {
          const len = mirror.getText().length;
          const at = int(rng, 0, len);
          const del = rng() < 0.4 ? Math.min(len - at, small(rng, 10)) : 0;
          const c = {
            range: { start: mirror.positionAt(at), end: mirror.positionAt(at + del) },
            text: rng() < 0.5 ? randomChars(rng) : pick(rng, YAML_TOKENS),
          };
          changes.push(c);
          mirror = TextDocument.update(TextDocument.create(d.uri, 'yaml', 0, mirror.getText()), [c], 0);
        }
        return this.change(d, kind, changes);
      }
      case 'replace-file': {
        const r = rng();
        let s: string;
        if (r < 0.15) s = '';
        else if (r < 0.55) s = pick(rng, this.corpus).text;
        else if (r < 0.8) s = Array.from({ length: int(rng, 2, 4) }, () => pick(rng, this.corpus).text).join('\n---\n');
        else s = fragment(rng, pick(rng, this.corpus).text);
        // as a full-text change or as one edit replacing everything
        if (rng() < 0.5) return this.change(d, kind, [{ text: s }]);
        return this.change(d, kind, [{ range: this.rangeOf(d, 0, text.length), text: s }]);
      }
    }
  }

  // -- actions ---------------------------------------------------------------------------------

  private active = 0;

  private async act(): Promise<void> {
    const rng = this.rng;
    const a = weighted(rng, [
      ['edit', 62],
      ['requests', 28],
      ['pause', 5],
      ['switch', 3.5],
      ['reopen', 1.5],
      ['settings', 0.4],
    ] as const);
    if (a === 'switch' || this.active >= this.docs.length) this.active = Math.floor(rng() * this.docs.length);
    const d = this.docs[this.active];
    if (a === 'edit') {
      // a burst of typing in the active document
      const n = small(rng, 10);
      for (let i = 0; i < n; i++) await this.edit(d);
      if (rng() < 0.3) await this.requestBatch(['textDocument/hover']);
    } else if (a === 'requests') {
      const n = small(rng, 5);
      const methods = Array.from({ length: n }, () =>
        weighted(rng, [
          ['textDocument/hover', 22],
          ['textDocument/diagnostic', 18],
          ['textDocument/codeAction', 14],
          ['textDocument/codeLens', 10],
          [ExplainAtRequest.method, 8],
          [StatusRequest.method, 5],
          [NamespacesRequest.method, 6],
          [QueryRequest.method, 7],
          [ResolveRequest.method, 5],
          [MatrixRequest.method, 3],
          [WorkloadRequest.method, 1],
          [PoliciesRequest.method, 1],
        ] as const),
      );
      await this.requestBatch(methods);
    } else if (a === 'pause') {
      // long enough for the debounced rebuild to happen
      await sleep(int(rng, 130, 400));
    } else if (a === 'settings') {
      await this.changeSettings();
    } else if (a === 'reopen') {
      await this.close(d);
      const r = rng();
      if (r < 0.2) await this.openUntitled(pick(rng, this.corpus).text);
      else {
        const free = this.corpus.filter((f) => !this.docs.some((x) => x.uri === pathToFileURL(f.abs).toString()));
        await this.openFile(pick(rng, free.length ? free : this.corpus));
      }
      this.active = this.docs.length - 1;
    }
  }

  /** New settings (mostly valid, sometimes of the wrong type, as settings.json allows) and didChangeConfiguration. */
  private async changeSettings(): Promise<void> {
    const rng = this.rng;
    const netlens: Record<string, unknown> = {};
    const choices: Record<string, readonly unknown[]> = {
      clusterDomain: [
        '',
        'cluster.local',
        'example.org',
        'CLUSTER.LOCAL.',
        'corp.internal',
        ' ',
        'a..b',
        '.',
        'x'.repeat(300),
        5,
        null,
        ['x'],
        {},
      ],
      hostNetwork: ['node', 'pod', 'pod', 'sometimes', true, null],
      defaultNamespace: ['default', 'default', 'shop', 'kube-system', '', 'Not_A_Namespace', 'x'.repeat(100), 7, null, ['a']],
      cni: ['', 'calico', 'cilium', 'flannel', 'weave', 'unknown-cni', 3, null],
      files: [
        { exclude: ['**/remote.yaml'] },
        { exclude: [] },
        { maxSizeKB: 1 },
        { maxSizeKB: 0 },
        { exclude: 'x' },
        { maxSizeKB: 'big' },
        null,
      ],
      rules: [
        {},
        { 'blocked-reference': 'off' },
        { 'unresolvable-name': 'error', 'dns-egress-blocked': 'hint' },
        { 'yaml-syntax': 'bogus' },
        'off',
        null,
        [],
      ],
      hoverMaxItems: [10, 0, 1, 3, -1, 1e9, 2.5, '5', null],
      codeLens: [true, false, 'no', null],
    };
    for (const [key, values] of Object.entries(choices)) if (rng() < 0.5) netlens[key] = pick(rng, values);
    const files =
      rng() < 0.8
        ? {}
        : pick(rng, [
            { exclude: { '**/backend.yaml': true } },
            { exclude: { '**/*.yaml': false } },
            { exclude: 'x' },
            { exclude: null },
          ] as Record<string, unknown>[]);
    this.settings = { netlens, files };
    this.record({ step: this.step, op: 'settings', uri: '', changes: [{ text: JSON.stringify(this.settings) }] });
    await this.session.notify('workspace/didChangeConfiguration', { settings: null });
  }

  /** Sends the requests together (as an editor does) and waits for all of them. */
  private async requestBatch(methods: readonly string[]): Promise<void> {
    const srng = mulberry32(mix(this.opts.seed, this.step)); // for choices that depend on the server's answers
    const d = this.docs[this.active] ?? this.docs[0];
    const jobs: Promise<unknown>[] = [];
    for (const m of methods) {
      const r = this.rng();
      // mostly the active document, sometimes another open one, sometimes a workspace file as it is on disk
      const target =
        r < 0.75 || !this.docs.length
          ? d
          : r < 0.95
            ? pick(this.rng, this.docs)
            : this.onDisk(
                pick(
                  this.rng,
                  this.corpus.filter((f) => f.inFolder),
                ),
              );
      const uri = target ? target.uri : 'untitled:none';
      const params = this.paramsFor(m, target, uri, srng);
      // as editors do when the user moves on: cancel some requests right after sending them
      const cancelAfter = this.rng() < 0.08 ? int(this.rng, 0, 20) : undefined;
      const job = this.request(m, params, cancelAfter).then((r) => this.absorb(m, target, r));
      jobs.push(job);
    }
    await Promise.all(jobs);
  }

  /** A workspace file that may not be open: requests about it are answered from the indexed disk content. */
  private onDisk(f: CorpusFile): OpenDoc {
    const uri = pathToFileURL(f.abs).toString();
    return (
      this.docs.find((x) => x.uri === uri) ?? {
        uri,
        source: f.rel,
        inFolder: true,
        doc: TextDocument.create(uri, 'yaml', 0, f.text),
        undo: [],
        cursor: 0,
        diagnostics: [],
      }
    );
  }

  private randomPosition(d: OpenDoc | undefined, rng: Rng = this.rng): Position {
    if (!d) return { line: 0, character: 0 };
    const r = rng();
    const lines = d.doc.lineCount;
    // mostly inside the text; sometimes past the end of a line or of the document (stale positions)
    const line = r < 0.93 ? int(rng, 0, lines - 1) : int(rng, lines, lines + 5);
    const lineText = d.doc.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } }).replace(/\r?\n$/, '');
    const character = r < 0.85 ? int(rng, 0, lineText.length) : int(rng, lineText.length, lineText.length + 20);
    return { line, character };
  }

  private workloadRef(srng: Rng, mode: number): string {
    if (mode < 0.85 && this.workloads.length) return pick(srng, this.workloads).id;
    if (mode < 0.95)
      return this.workloads.length && srng() < 0.5 ? pick(srng, this.workloads).name : pick(srng, this.names.length ? this.names : ['web']);
    return pick(srng, ['', ' ', 'nope', 'default/nope[Pod]', '[Pod]', 'a/b/c[Deployment]', 'x'.repeat(300), '😀/😀[Pod]']);
  }

  private target(srng: Rng): string {
    const r = srng();
    const w = this.workloads.length ? pick(srng, this.workloads) : undefined;
    const name = pick(srng, this.names.length ? this.names : ['web']);
    const ns = w?.namespace ?? 'default';
    if (r < 0.3 && w) return w.id;
    if (r < 0.45) return name;
    if (r < 0.6) return `${name}.${ns}`;
    if (r < 0.7) return `${name}.${ns}.svc.cluster.local`;
    if (r < 0.75) return `${name}.${ns}.svc.cluster.local.`;
    if (r < 0.8)
      return pick(srng, ['10.0.0.1', '192.168.1.10', '8.8.8.8', '::1', 'fe80::1', '0.0.0.0', '255.255.255.255', '10.0.0.0/8', '1.2.3']);
    if (r < 0.85) return `db-0.${name}.${ns}.svc.cluster.local`;
    if (r < 0.9) return pick(srng, ['kubernetes', 'kubernetes.default', 'kube-dns.kube-system', 'example.com', 'localhost']);
    return pick(srng, [
      '',
      '.',
      '..',
      'a..b',
      '-a-',
      '*',
      '_srv._tcp.x',
      'x'.repeat(300),
      `${'a.'.repeat(130)}b`,
      'ÄÖÜ.de',
      'a b',
      'http://web:80/x',
      'web:80',
    ]);
  }

  private paramsFor(m: string, d: OpenDoc | undefined, uri: string, srng: Rng): unknown {
    const rng = this.rng;
    switch (m) {
      case 'textDocument/hover':
        return { textDocument: { uri }, position: this.randomPosition(d) };
      case 'textDocument/diagnostic':
      case 'textDocument/codeLens':
        return { textDocument: { uri: rng() < 0.97 ? uri : 'file:///nowhere/closed.yaml' } };
      case 'textDocument/codeAction': {
        const useDiag = rng() < 0.8;
        const diags = d?.diagnostics ?? [];
        if (useDiag && diags.length) {
          const diag = pick(srng, diags);
          return { textDocument: { uri }, range: diag.range, context: { diagnostics: [diag] } };
        }
        // (whether this branch runs depends on the server's answers: only the per-step generator here)
        const a = this.randomPosition(d, srng);
        const b = this.randomPosition(d, srng);
        const [start, end] = a.line < b.line || (a.line === b.line && a.character <= b.character) ? [a, b] : [b, a];
        return { textDocument: { uri }, range: { start, end }, context: { diagnostics: diags.filter(() => srng() < 0.3) } };
      }
      case ExplainAtRequest.method:
        return { uri, position: this.randomPosition(d) };
      case QueryRequest.method: {
        const mode = rng();
        const portMode = rng();
        const port =
          portMode < 0.5
            ? pick(srng, [80, 443, 53, 8080, 5432, 6379, 9090])
            : portMode < 0.8
              ? undefined
              : pick<unknown>(srng, [0, 1, 65535, 65536, -1, 1.5, 2 ** 31, 1e21, 'abc', '80', null]);
        return {
          from: this.workloadRef(srng, mode),
          to: this.target(srng),
          ...(port !== undefined ? { port } : {}),
          ...(rng() < 0.3 ? { protocol: pick(rng, ['TCP', 'UDP', 'SCTP', 'ICMP', 'tcp'] as const) } : {}),
        };
      }
      case ResolveRequest.method:
        return { from: this.workloadRef(srng, rng()), name: this.target(srng) };
      case WorkloadRequest.method:
        return { id: this.workloadRef(srng, rng()) };
      default:
        return {};
    }
  }

  /** Keeps what later requests need from an answer. */
  private absorb(m: string, d: OpenDoc | undefined, r: unknown): void {
    if (r === undefined || r === null) return;
    if (m === 'textDocument/diagnostic' && d) d.diagnostics = ((r as { items?: Diagnostic[] }).items ?? []).slice(0, 200);
    if (m === NamespacesRequest.method) {
      const ns = (r as { namespaces?: { workloads: { id: string; name: string; namespace: string }[] }[] }).namespaces ?? [];
      this.workloads = ns.flatMap((n) => n.workloads.map((w) => ({ id: w.id, name: w.name, namespace: w.namespace })));
    }
  }

  private async request(method: string, params: unknown, cancelAfterMs?: number): Promise<unknown> {
    if (this.exited) return undefined;
    const t = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const hang = new Promise<'hang'>((r) => (timer = setTimeout(() => r('hang'), this.opts.hangMs)));
    let result: unknown;
    let outcome: 'ok' | 'error' | 'hang' | 'exit' = 'ok';
    let err: { code?: number; message?: string } | undefined;
    let cts: CancellationTokenSource | undefined;
    if (cancelAfterMs !== undefined) {
      cts = new CancellationTokenSource();
      const c = cts;
      setTimeout(() => c.cancel(), cancelAfterMs);
    }
    const sent = this.session.send(method, params, cts?.token).then(
      (v) => {
        result = v;
        return 'ok' as const;
      },
      (e: { code?: number; message?: string }) => {
        err = e;
        return 'error' as const;
      },
    );
    outcome = await Promise.race([sent, hang, this.exitPromise]);
    clearTimeout(timer);
    const ms = performance.now() - t;
    if (outcome === 'exit') return undefined;
    if (outcome === 'hang') {
      this.issue({
        kind: 'hang',
        step: this.step,
        method,
        params,
        latencyMs: ms,
        message: `${method} not answered within ${this.opts.hangMs} ms`,
      });
      return undefined;
    }
    let list = this.latencies.get(method);
    if (!list) this.latencies.set(method, (list = []));
    list.push(ms);
    if (outcome === 'error') {
      this.errorCounts.set(method, (this.errorCounts.get(method) ?? 0) + 1);
      const message = String(err?.message ?? err);
      if (isFailureResponse(err?.code, message))
        this.issue({ kind: 'error-response', step: this.step, method, params, code: err?.code, message });
      else {
        const key = `${method} ${err?.code}`;
        this.otherErrors[key] = (this.otherErrors[key] ?? 0) + 1;
      }
    }
    if (ms > this.opts.latencyLimitMs)
      this.issue({
        kind: 'slow',
        step: this.step,
        method,
        params,
        latencyMs: round(ms),
        message: `${method} answered after ${round(ms)} ms`,
      });
    return result;
  }

  private issue(i: FuzzIssue): void {
    // one reproducer per distinct problem (kind + method + first line of the message, numbers elided)
    const key = `${i.kind} ${i.method ?? ''} ${i.message.split('\n')[0].replace(/\d+/g, 'N').slice(0, 200)}`;
    const seen = this.issues.some(
      (x) => `${x.kind} ${x.method ?? ''} ${x.message.split('\n')[0].replace(/\d+/g, 'N').slice(0, 200)}` === key,
    );
    if (!seen && this.reproducers < this.opts.maxReproducers) {
      this.reproducers++;
      i.reproducer = this.writeReproducer(i);
    }
    this.issues.push(i);
    this.log(
      `  ! step ${i.step} ${i.kind}${i.method ? ` ${i.method}` : ''}: ${i.message.split('\n')[0].slice(0, 300)}${i.reproducer ? ` -> ${i.reproducer}` : ''}`,
    );
  }

  private writeReproducer(i: FuzzIssue): string {
    mkdirSync(this.opts.reproDir, { recursive: true });
    const file = path.join(this.opts.reproDir, `repro-seed${this.opts.seed}-step${i.step}-${i.kind}.json`);
    const repro: Reproducer = {
      seed: this.opts.seed,
      step: i.step,
      documentsOption: this.opts.documents,
      issue: i,
      request: i.method ? { method: i.method, params: i.params } : undefined,
      workspaceFolder: path.relative(repoRoot(), workspaceFolder()),
      settings: this.settings,
      documents: this.docs.map((d) => ({ uri: d.uri, source: d.source, version: d.doc.version, text: d.doc.getText() })),
      recentOps: this.recent,
      stderr: this.session.stderr.join('').slice(-8000),
      replay: [
        `node out/tools/fuzz/long.js --replay ${path.relative(repoRoot(), file)}   # open these documents and send the request`,
        `node out/tools/fuzz/long.js --seed ${this.opts.seed} --documents ${this.opts.documents} --until-step ${i.step}   # the same edit sequence up to this step`,
      ],
    };
    writeFileSync(file, `${JSON.stringify(repro, null, 1)}\n`);
    return path.relative(repoRoot(), file);
  }
}

export interface Reproducer {
  seed: number;
  step: number;
  documentsOption: number;
  issue: FuzzIssue;
  request?: { method: string; params: unknown };
  workspaceFolder: string;
  /** what the client answered to workspace/configuration at that moment */
  settings?: { netlens: Record<string, unknown>; files: Record<string, unknown> };
  documents: { uri: string; source: string; version: number; text: string }[];
  recentOps: OpRecord[];
  stderr: string;
  replay: string[];
}

function fnv1a(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const round = (x: number) => Math.round(x * 10) / 10;
export const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;

export async function runFuzz(options: FuzzOptions): Promise<FuzzResult> {
  return new Fuzzer(options).run();
}

/** One line: edits, requests by method, latency, memory, problems. */
export function summaryLine(r: FuzzResult): string {
  const methods = Object.entries(r.byMethod)
    .map(([m, s]) => `${m.replace(/^(textDocument|netlens)\//, '')}=${s.count}`)
    .join(' ');
  const kinds = r.issues.reduce<Record<string, number>>((acc, i) => ((acc[i.kind] = (acc[i.kind] ?? 0) + 1), acc), {});
  return [
    `fuzz seed=${r.seed} ${(r.durationMs / 1000).toFixed(0)}s steps=${r.steps} edits=${r.edits} requests=${r.requests} (${methods})`,
    `max latency ${r.maxLatency.ms}ms (${r.maxLatency.method})`,
    `memory baseline/peak/end ${mib(r.memory.baselineKiB)}/${mib(r.memory.peakKiB)}/${mib(r.memory.endKiB)} (limit ${mib(r.memory.limitKiB)})`,
    `ops ${r.opsDigest}`,
    `errors ${r.issues.length}${r.issues.length ? ` ${JSON.stringify(kinds)}` : ''}${r.alive ? '' : ' SERVER DEAD'}`,
  ].join(' · ');
}

/** The latency table, one method a line. */
export function latencyTable(r: FuzzResult): string {
  const rows = Object.entries(r.byMethod).map(
    ([m, s]) =>
      `  ${m.padEnd(26)} n=${String(s.count).padStart(6)}  mean ${s.meanMs.toFixed(1).padStart(7)}ms  p99 ${s.p99Ms.toFixed(1).padStart(7)}ms  max ${s.maxMs.toFixed(1).padStart(7)}ms  errors ${s.errors}`,
  );
  const other = Object.entries(r.otherErrors)
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  return [...rows, `  edits by kind: ${JSON.stringify(r.editsByKind)}`, ...(other ? [`  expected error responses: ${other}`] : [])].join(
    '\n',
  );
}

/** Opens a reproducer's documents in a fresh server and sends its request. */
export async function replay(
  file: string,
  log: (s: string) => void = console.log,
): Promise<{ ok: boolean; result?: unknown; error?: unknown }> {
  const r = JSON.parse(readFileSync(file, 'utf8')) as Reproducer;
  const s = LspSession.spawn({
    configuration: (section) =>
      section === 'netlens' ? (r.settings?.netlens ?? {}) : section === 'files' ? (r.settings?.files ?? {}) : {},
  });
  await s.initialize(path.join(repoRoot(), r.workspaceFolder), undefined, { storagePath: fuzzWorkspace().storage });
  await s.notify('workspace/didChangeConfiguration', { settings: null });
  try {
    await s.indexed(30_000);
    for (const d of r.documents)
      await s.notify('textDocument/didOpen', {
        textDocument: { uri: d.uri, languageId: 'yaml', version: d.version, text: d.text },
      });
    await sleep(400); // the debounced rebuild
    if (!r.request) {
      log(`no request in ${file} (issue: ${r.issue.kind}: ${r.issue.message})`);
      return { ok: true };
    }
    const t = performance.now();
    try {
      const result = await s.request(r.request.method, r.request.params);
      log(`${r.request.method} answered in ${(performance.now() - t).toFixed(1)} ms: ${JSON.stringify(result).slice(0, 2000)}`);
      return { ok: s.proc.exitCode === null, result };
    } catch (error) {
      log(`${r.request.method} failed after ${(performance.now() - t).toFixed(1)} ms: ${JSON.stringify(error)}`);
      return { ok: false, error };
    }
  } finally {
    await s.stop();
  }
}
