// Seeded generator of realistic Kubernetes workspaces for the benchmark (npm run bench).
// One folder per namespace (namespace.yaml, one file per workload with its Services, and
// network-policies.yaml), plus a kube-system folder with CoreDNS (Deployment, Service and the
// coredns ConfigMap), the ingress and monitoring namespaces, and a Calico CNI config.
// The mix: Deployments, StatefulSets with headless Services, DaemonSets (some hostNetwork) and
// CronJobs; Services with named targetPorts; per-namespace default-deny, DNS-allow egress, tier-to-tier
// rules (podSelectors, matchExpressions In/NotIn/Exists, namespaceSelectors on team labels, ipBlock
// with except, endPort ranges, named ports); env vars naming Services in the same and other
// namespaces (short names, svc.ns, FQDNs, and about one in ten wrong).
// The same seed and size always give byte-identical files.
//
// With `calico`, a Calico layer is added in kube-system/calico-policies.yaml: a `security` Tier before the
// Kubernetes policies (GlobalNetworkPolicies with Deny and Pass rules over every pod) and one default-tier
// GlobalNetworkPolicy, so every pair goes through Calico's tiers.
//
// `namespaces` (CLI --namespaces N) keeps a size's structure (workloads per namespace, the policies per
// namespace, teams as a fifth of the namespaces) over N namespaces: a small variant of XL for tests.
//
// CLI: node out/tools/bench/generate.js [--size S|M|L|XL] [--seed N] [--out DIR] [--calico] [--namespaces N]
//      [--layout flat|overlays]   (`--layout overlays`: the same workspace as a Kustomize base + dev/staging/prod
//      overlays, see overlays.ts)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mulberry32, pick } from '../support/random';
import { layOutOverlays } from './overlays';

export type SizeName = 'S' | 'M' | 'L' | 'XL';
/** namespaces x workloads per namespace; XL is L's structure five times over (50,000 workloads, ~20,000 policies) */
export const SIZES: Record<SizeName, { namespaces: number; workloads: number }> = {
  S: { namespaces: 20, workloads: 10 },
  M: { namespaces: 100, workloads: 20 },
  L: { namespaces: 400, workloads: 25 },
  XL: { namespaces: 2000, workloads: 25 },
};

/** A one-character edit: replace the character at `offset` (`from`) by `to`, and back. */
export interface CharEdit {
  file: string;
  offset: number;
  from: string;
  to: string;
  /** what the edit changes, for the report */
  what: string;
}

export interface Generated {
  size: SizeName;
  seed: number;
  dir: string;
  files: string[];
  bytes: number;
  namespaces: number;
  /** workloads including the platform ones (CoreDNS, ingress controller, Prometheus) */
  workloads: number;
  policies: number;
  services: number;
  /** namespace 0's policy file: it holds a deliberate mistake, so its first pull is non-empty */
  policyFile: string;
  /** namespace 0's first web workload (Deployment + Service, about 2 KB) */
  workloadFile: string;
  /** toggles `tier: web` in the web-ingress policy's podSelector: the policy then selects nothing */
  policyEdit: CharEdit;
  /** toggles the workload's `tier: web` label: its egress to the API it names becomes blocked */
  workloadEdit: CharEdit;
  /** offsets of podSelector values (top-level and in peers) in several policy files */
  hoverTargets: { file: string; offset: number }[];
  /** a query the tree view / command palette would send */
  query: { from: string; to: string; port: number };
}

type Tier = 'web' | 'api' | 'worker' | 'data' | 'cache' | 'agent' | 'batch';

interface Port {
  name: string;
  port: number;
  protocol?: 'UDP';
}

interface Plan {
  ns: string;
  index: number;
  team: string;
  env: 'prod' | 'staging' | 'dev';
  workloads: WorkloadPlan[];
  mistakes: boolean;
  ingressOnlyDeny: boolean;
}

interface WorkloadPlan {
  name: string;
  tier: Tier;
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'CronJob';
  ports: Port[];
  /** the Service in front of it (headless for StatefulSets), if any */
  service?: { name: string; headless: boolean; ports: { name: string; port: number; targetPort: string; protocol?: 'UDP' }[] };
  hostNetwork: boolean;
  version: string;
}

const STEMS = [
  'shop',
  'cart',
  'orders',
  'payments',
  'billing',
  'search',
  'catalog',
  'identity',
  'users',
  'inventory',
  'shipping',
  'notify',
  'analytics',
  'reports',
  'ledger',
  'media',
  'reviews',
  'pricing',
  'promo',
  'gateway',
  'fraud',
  'loyalty',
  'chat',
  'maps',
];
const NAMES: Record<Tier, string[]> = {
  web: ['frontend', 'web', 'portal', 'admin-ui', 'storefront'],
  api: ['api', 'orders', 'catalog', 'users', 'auth', 'billing', 'search', 'inventory', 'pricing', 'checkout', 'accounts', 'profile'],
  worker: ['worker', 'consumer', 'indexer', 'mailer', 'processor', 'sync'],
  data: ['postgres', 'mysql', 'mongo', 'cassandra', 'kafka', 'elasticsearch'],
  cache: ['redis', 'memcached'],
  agent: ['log-agent', 'node-exporter', 'fluent-bit'],
  batch: ['report', 'cleanup', 'backup'],
};
const DATA_PORTS: Record<string, Port> = {
  postgres: { name: 'postgres', port: 5432 },
  mysql: { name: 'mysql', port: 3306 },
  mongo: { name: 'mongo', port: 27017 },
  cassandra: { name: 'cql', port: 9042 },
  kafka: { name: 'kafka', port: 9092 },
  elasticsearch: { name: 'http', port: 9200 },
  redis: { name: 'redis', port: 6379 },
  memcached: { name: 'memcache', port: 11211 },
};
const TIER_WEIGHTS: [Tier, number][] = [
  ['web', 10],
  ['api', 35],
  ['worker', 20],
  ['data', 15],
  ['cache', 5],
  ['agent', 8],
  ['batch', 7],
];

function weighted(rnd: () => number): Tier {
  const total = TIER_WEIGHTS.reduce((s, [, w]) => s + w, 0);
  let x = rnd() * total;
  for (const [t, w] of TIER_WEIGHTS) {
    if (x < w) return t;
    x -= w;
  }
  return 'api';
}

/** The shape of a workspace: a size, or its structure over fewer namespaces (`namespaces` overrides the size's). */
export interface Shape {
  namespaces: number;
  workloads: number;
}

export function shapeOf(size: SizeName, namespaces?: number): Shape {
  const s = SIZES[size];
  if (namespaces === undefined) return s;
  if (!Number.isInteger(namespaces) || namespaces < 2) throw new Error('--namespaces must be an integer of at least 2');
  return { namespaces, workloads: s.workloads };
}

function plan(shape: Shape, seed: number): Plan[] {
  const { namespaces, workloads } = shape;
  const rnd = mulberry32(seed);
  const teams = Math.max(3, Math.round(namespaces / 5));
  const out: Plan[] = [];
  for (let i = 0; i < namespaces; i++) {
    const ns = `${STEMS[i % STEMS.length]}-${String(i).padStart(3, '0')}`;
    const used = new Map<string, number>();
    const uniq = (base: string) => {
      const n = used.get(base) ?? 0;
      used.set(base, n + 1);
      return n === 0 ? base : `${base}-${n + 1}`;
    };
    const ws: WorkloadPlan[] = [];
    for (let j = 0; j < workloads; j++) {
      const tier: Tier = j === 0 ? 'web' : j === 1 ? 'api' : j === 2 ? 'data' : j === 3 ? 'worker' : weighted(rnd);
      const base = pick(rnd, NAMES[tier]);
      const name = uniq(base);
      const version = `v${1 + Math.floor(rnd() * 3)}`;
      let w: WorkloadPlan;
      switch (tier) {
        case 'web':
          w = {
            name,
            tier,
            kind: 'Deployment',
            version,
            hostNetwork: false,
            ports: [
              { name: 'http', port: 8080 },
              { name: 'metrics', port: 9090 },
            ],
          };
          w.service = { name, headless: false, ports: [{ name: 'http', port: 80, targetPort: 'http' }] };
          break;
        case 'api':
          w = {
            name,
            tier,
            kind: 'Deployment',
            version,
            hostNetwork: false,
            ports: [
              { name: 'http', port: 8080 },
              { name: 'grpc', port: 9000 },
              { name: 'metrics', port: 9090 },
            ],
          };
          w.service = {
            name,
            headless: false,
            ports: [
              { name: 'http', port: 80, targetPort: 'http' },
              { name: 'grpc', port: 9000, targetPort: 'grpc' },
            ],
          };
          break;
        case 'worker':
          w = { name, tier, kind: 'Deployment', version, hostNetwork: false, ports: [{ name: 'metrics', port: 9090 }] };
          break;
        case 'data':
        case 'cache': {
          const p = DATA_PORTS[base];
          w = {
            name,
            tier,
            kind: 'StatefulSet',
            version,
            hostNetwork: false,
            ports: [p, { name: 'peer', port: 7000 }, { name: 'metrics', port: 9187 }],
          };
          w.service = {
            name,
            headless: true,
            ports: [
              { name: p.name, port: p.port, targetPort: p.name },
              { name: 'peer', port: 7000, targetPort: 'peer' },
            ],
          };
          break;
        }
        case 'agent':
          w = { name, tier, kind: 'DaemonSet', version, hostNetwork: rnd() < 0.34, ports: [{ name: 'metrics', port: 9100 }] };
          break;
        case 'batch':
          w = { name, tier, kind: 'CronJob', version, hostNetwork: false, ports: [] };
          break;
      }
      ws.push(w);
    }
    out.push({
      ns,
      index: i,
      team: `team-${i % teams}`,
      env: i % 7 === 6 ? 'dev' : i % 3 === 2 ? 'staging' : 'prod',
      workloads: ws,
      mistakes: i % 10 === 0,
      ingressOnlyDeny: i % 5 === 4,
    });
  }
  return out;
}

const yamlList = (xs: readonly string[]) => `[${xs.join(', ')}]`;

function namespaceYaml(p: Plan): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${p.ns}
  labels:
    team: ${p.team}
    env: ${p.env}
    istio-injection: disabled
`;
}

interface EnvVar {
  name: string;
  value?: string;
  configMapRef?: { name: string; key: string };
}

function envVars(rnd: () => number, p: Plan, w: WorkloadPlan, all: Plan[]): EnvVar[] {
  const out: EnvVar[] = [{ name: 'LOG_LEVEL', value: pick(rnd, ['info', 'debug', 'warn']) }];
  const same = (t: Tier) => p.workloads.filter((x) => x.tier === t && x.service && x !== w);
  const apis = same('api');
  const data = [...same('data'), ...same('cache')];
  const up = (s: string) => s.toUpperCase().replace(/-/g, '_');
  const dataTier = w.tier === 'data' || w.tier === 'cache';
  // the same namespace, by short name (the first one is always right: the workload edit relies on it)
  if (apis.length && !dataTier) {
    const a = apis[0];
    out.push({ name: `${up(a.name)}_URL`, value: `http://${a.name}:80` });
  }
  if (data.length && (w.tier === 'api' || w.tier === 'worker' || w.tier === 'batch')) {
    const d = pick(rnd, data);
    const port = d.service!.ports[0].port;
    const form = rnd();
    if (form < 0.4) out.push({ name: 'DB_HOST', value: d.name });
    else if (form < 0.7) out.push({ name: 'DB_ADDR', value: `${d.name}-0.${d.name}.${p.ns}.svc.cluster.local:${port}` });
    else out.push({ name: 'DATABASE_URL', value: `${d.name === 'postgres' ? 'postgres' : 'tcp'}://app@${d.name}.${p.ns}.svc:${port}/app` });
  }
  // other namespaces, svc.ns and FQDNs: mostly the partner team's (which the policies allow), now
  // and then any namespace, and about one in five of them wrong
  const teams = [...new Set(all.map((x) => x.team))];
  const partner = teams[(teams.indexOf(p.team) + 1) % teams.length];
  const partners = all.filter((x) => x.team === partner);
  const refs = w.tier === 'api' ? 2 : w.tier === 'worker' || w.tier === 'batch' ? 1 : w.tier === 'web' && rnd() < 0.1 ? 1 : 0;
  for (let k = 0; k < refs; k++) {
    const other = rnd() < 0.8 && partners.length ? pick(rnd, partners) : all[Math.floor(rnd() * all.length)];
    if (other === p) continue;
    const target = other.workloads.find((x) => x.tier === 'api' && x.service)!;
    const form = rnd();
    const v = `${up(other.ns)}_${up(target.name)}`;
    if (form < 0.45) out.push({ name: `${v}_URL`, value: `http://${target.name}.${other.ns}:80/v1` });
    else if (form < 0.8) out.push({ name: `${v}_ENDPOINT`, value: `${target.name}.${other.ns}.svc.cluster.local:9000` });
    else if (form < 0.9)
      out.push({ name: `${v}_URL`, value: `http://${target.name}:80` }); // wrong: a short name from another namespace
    else if (form < 0.95)
      out.push({ name: `${v}_HOST`, value: `${target.name}-svc.${other.ns}` }); // wrong: no such Service
    else out.push({ name: `${v}_URL`, value: `grpc://${target.name}.${other.ns}.svc.cluster.local:9090` }); // a port the Service does not expose
  }
  if (rnd() < 0.3) out.push({ name: 'JAVA_OPTS', value: '-Xms256m -Xmx512m -XX:+UseG1GC' });
  if (rnd() < 0.3) out.push({ name: 'FEATURE_FLAGS', configMapRef: { name: `${p.ns}-config`, key: 'flags' } });
  out.push({ name: 'OTEL_EXPORTER_OTLP_ENDPOINT', value: 'http://otel-collector.monitoring.svc.cluster.local:4317' });
  return out;
}

function workloadYaml(rnd: () => number, p: Plan, w: WorkloadPlan, all: Plan[]): string {
  const labels = [`app: ${w.name}`, `tier: ${w.tier}`, `team: ${p.team}`, `version: ${w.version}`];
  if (w.tier === 'api' && rnd() < 0.3) labels.push('exposed: "true"');
  const ind = (n: number, s: string) =>
    s
      .split('\n')
      .map((l) => (l ? ' '.repeat(n) + l : l))
      .join('\n');
  const container = (): string => {
    let c = `- name: ${w.name}
  image: registry.example.com/${p.ns}/${w.name}:${w.version}.${Math.floor(rnd() * 20)}.${Math.floor(rnd() * 10)}
  imagePullPolicy: IfNotPresent
`;
    if (w.ports.length) {
      c += '  ports:\n';
      for (const port of w.ports)
        c += `  - name: ${port.name}\n    containerPort: ${port.port}\n${port.protocol ? `    protocol: ${port.protocol}\n` : ''}`;
    }
    const env = w.tier === 'agent' ? [] : envVars(rnd, p, w, all);
    if (env.length) {
      c += '  env:\n';
      for (const e of env) {
        if (e.configMapRef)
          c += `  - name: ${e.name}\n    valueFrom:\n      configMapKeyRef:\n        name: ${e.configMapRef.name}\n        key: ${e.configMapRef.key}\n`;
        else c += `  - name: ${e.name}\n    value: ${JSON.stringify(e.value)}\n`;
      }
    }
    c += `  resources:
    requests:
      cpu: ${50 * (1 + Math.floor(rnd() * 8))}m
      memory: ${64 * (1 + Math.floor(rnd() * 8))}Mi
    limits:
      memory: ${128 * (1 + Math.floor(rnd() * 8))}Mi
`;
    if (w.ports.some((x) => x.name === 'http')) {
      c += `  readinessProbe:
    httpGet:
      path: /healthz
      port: http
    periodSeconds: 10
`;
    }
    return c;
  };
  const podSpec = () => {
    let s = '';
    if (w.hostNetwork) s += 'hostNetwork: true\ndnsPolicy: ClusterFirstWithHostNet\n';
    if (w.kind === 'CronJob') s += 'restartPolicy: OnFailure\n';
    s += `serviceAccountName: ${w.name}\ncontainers:\n${container()}`;
    return s;
  };
  const template = `metadata:
  labels:
${ind(4, labels.join('\n'))}
spec:
${ind(2, podSpec())}`;
  let doc = `apiVersion: ${w.kind === 'CronJob' ? 'batch/v1' : 'apps/v1'}
kind: ${w.kind}
metadata:
  name: ${w.name}
  namespace: ${p.ns}
  labels:
    app: ${w.name}
    team: ${p.team}
spec:
`;
  if (w.kind === 'CronJob') {
    doc += `  schedule: "${Math.floor(rnd() * 60)} ${Math.floor(rnd() * 24)} * * *"
  jobTemplate:
    spec:
      template:
${ind(8, template)}`;
  } else {
    if (w.kind === 'Deployment') doc += `  replicas: ${1 + Math.floor(rnd() * 4)}\n`;
    if (w.kind === 'StatefulSet') doc += `  serviceName: ${w.service!.name}\n  replicas: 3\n`;
    doc += `  selector:
    matchLabels:
      app: ${w.name}
  template:
${ind(4, template)}`;
  }
  if (w.service) {
    const s = w.service;
    doc += `---
apiVersion: v1
kind: Service
metadata:
  name: ${s.name}
  namespace: ${p.ns}
  labels:
    app: ${w.name}
spec:
${s.headless ? '  clusterIP: None\n' : ''}  selector:
    app: ${w.name}
  ports:
${s.ports.map((x) => `  - name: ${x.name}\n    port: ${x.port}\n    targetPort: ${x.targetPort}\n${x.protocol ? `    protocol: ${x.protocol}\n` : ''}`).join('')}`;
  }
  return doc;
}

function policiesYaml(p: Plan, teams: string[]): string {
  const ns = p.ns;
  const partner = teams[(teams.indexOf(p.team) + 1) % teams.length];
  const previous = teams[(teams.indexOf(p.team) + teams.length - 1) % teams.length];
  const docs: string[] = [];
  const pol = (name: string, body: string) =>
    docs.push(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${ns}
spec:
${body}`);
  pol(
    'default-deny',
    `  podSelector: {}
  policyTypes: ${p.ingressOnlyDeny ? '[Ingress]' : '[Ingress, Egress]'}
`,
  );
  pol(
    'allow-dns',
    `  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: kube-system
      podSelector:
        matchLabels:
          k8s-app: kube-dns
    ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
`,
  );
  pol(
    'web-ingress',
    `  podSelector:
    matchLabels:
      tier: web
  policyTypes: [Ingress]
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: ingress-nginx
      podSelector:
        matchLabels:
          app.kubernetes.io/name: ingress-nginx
    ports:
    - port: http
`,
  );
  pol(
    'web-to-api',
    `  podSelector:
    matchLabels:
      tier: web
  policyTypes: [Egress]
  egress:
  - to:
    - podSelector:
        matchLabels:
          tier: api
    ports:
    - port: http
    - port: grpc
`,
  );
  pol(
    'api-ingress',
    `  podSelector:
    matchExpressions:
    - key: tier
      operator: In
      values: [api]
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector:
        matchExpressions:
        - key: tier
          operator: In
          values: [web, api, worker, batch]
    ports:
    - port: http
    - port: grpc
  - from:
    - namespaceSelector:
        matchExpressions:
        - key: team
          operator: In
          values: ${yamlList([...new Set([previous, p.team, partner])])}
        - key: env
          operator: NotIn
          values: [dev]
      podSelector:
        matchExpressions:
        - key: tier
          operator: In
          values: [api, worker]
    ports:
    - protocol: TCP
      port: 8080
    - port: grpc
`,
  );
  pol(
    'api-egress',
    `  podSelector:
    matchLabels:
      tier: api
  policyTypes: [Egress]
  egress:
  - to:
    - podSelector:
        matchExpressions:
        - key: tier
          operator: In
          values: [data, cache, api]
  - to:
    - namespaceSelector:
        matchLabels:
          team: ${partner}
      podSelector:
        matchLabels:
          tier: api
    ports:
    - protocol: TCP
      port: 8080
    - protocol: TCP
      port: 9000
  - to:
    - ipBlock:
        cidr: 10.0.0.0/8
        except:
        - 10.96.0.0/12
        - 10.244.0.0/16
    ports:
    - protocol: TCP
      port: 5432
  - to:
    - ipBlock:
        cidr: 0.0.0.0/0
        except:
        - 10.0.0.0/8
        - 169.254.169.254/32
    ports:
    - protocol: TCP
      port: 443
`,
  );
  pol(
    'data-ingress',
    `  podSelector:
    matchExpressions:
    - key: tier
      operator: In
      values: [data, cache]
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector:
        matchExpressions:
        - key: tier
          operator: In
          values: [api, worker, batch]
        - key: app
          operator: Exists
  - from:
    - podSelector:
        matchLabels:
          tier: data
    ports:
    - protocol: TCP
      port: 7000
      endPort: 7100
`,
  );
  pol(
    'worker-egress',
    `  podSelector:
    matchExpressions:
    - key: tier
      operator: NotIn
      values: [web, data, cache, api]
    - key: app
      operator: Exists
  policyTypes: [Egress]
  egress:
  - to:
    - podSelector:
        matchExpressions:
        - key: tier
          operator: In
          values: [api, data, cache]
  - to:
    - namespaceSelector:
        matchExpressions:
        - key: team
          operator: Exists
        - key: env
          operator: In
          values: [${p.env}]
      podSelector:
        matchLabels:
          tier: api
    ports:
    - protocol: TCP
      port: 8080
      endPort: 8090
`,
  );
  pol(
    'allow-monitoring',
    `  podSelector: {}
  policyTypes: [Ingress]
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          team: platform
      podSelector:
        matchLabels:
          app: prometheus
    ports:
    - port: metrics
    - protocol: TCP
      port: 9187
`,
  );
  pol(
    'allow-otel',
    `  podSelector:
    matchExpressions:
    - key: tier
      operator: Exists
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: monitoring
    ports:
    - protocol: TCP
      port: 4317
`,
  );
  if (p.mistakes) {
    // the mistakes real repositories carry: a renamed tier, a misspelt team, a misspelt named port
    pol(
      'legacy-frontend',
      `  podSelector:
    matchLabels:
      tier: frontend
  policyTypes: [Ingress]
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          team: platfrom
    ports:
    - port: htpp
`,
    );
  }
  return docs.join('---\n');
}

/**
 * A CoreDNS Corefile: the cluster's default one, or with a `rewrite` line and extra server blocks (the
 * staging overlay's replacement, overlays.ts). The base's ConfigMap and the overlay's generator share it.
 */
export function corefile(extra: { rewrite?: string; servers?: string } = {}): string {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
${extra.rewrite ? `    rewrite ${extra.rewrite}\n` : ''}    kubernetes cluster.local in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
${extra.servers ?? ''}`;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text.replace(/^(?=.)/gm, pad);
}

function platformFiles(): Record<string, string> {
  return {
    'namespaces.yaml': `apiVersion: v1
kind: Namespace
metadata:
  name: kube-system
---
apiVersion: v1
kind: Namespace
metadata:
  name: monitoring
  labels:
    team: platform
---
apiVersion: v1
kind: Namespace
metadata:
  name: ingress-nginx
  labels:
    team: platform
`,
    'coredns.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: coredns
  namespace: kube-system
data:
  Corefile: |
${indent(corefile(), 4)}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: coredns
  namespace: kube-system
spec:
  replicas: 2
  selector:
    matchLabels:
      k8s-app: kube-dns
  template:
    metadata:
      labels:
        k8s-app: kube-dns
    spec:
      dnsPolicy: Default
      containers:
      - name: coredns
        image: registry.k8s.io/coredns/coredns:v1.11.1
        ports:
        - name: dns
          containerPort: 53
          protocol: UDP
        - name: dns-tcp
          containerPort: 53
        - name: metrics
          containerPort: 9153
---
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
spec:
  clusterIP: 10.96.0.10
  selector:
    k8s-app: kube-dns
  ports:
  - name: dns
    port: 53
    protocol: UDP
    targetPort: dns
  - name: dns-tcp
    port: 53
    targetPort: dns-tcp
`,
    '10-calico.conflist': `{
  "name": "k8s-pod-network",
  "cniVersion": "0.3.1",
  "plugins": [
    { "type": "calico", "datastore_type": "kubernetes", "ipam": { "type": "calico-ipam" }, "policy": { "type": "k8s" } },
    { "type": "portmap", "snat": true, "capabilities": { "portMappings": true } }
  ]
}
`,
    'monitoring.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: prometheus
  namespace: monitoring
spec:
  selector:
    matchLabels:
      app: prometheus
  template:
    metadata:
      labels:
        app: prometheus
    spec:
      containers:
      - name: prometheus
        image: prom/prometheus:v2.53.0
        ports:
        - name: web
          containerPort: 9090
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: otel-collector
  namespace: monitoring
spec:
  selector:
    matchLabels:
      app: otel-collector
  template:
    metadata:
      labels:
        app: otel-collector
    spec:
      containers:
      - name: otel-collector
        image: otel/opentelemetry-collector:0.104.0
        ports:
        - name: otlp-grpc
          containerPort: 4317
---
apiVersion: v1
kind: Service
metadata:
  name: otel-collector
  namespace: monitoring
spec:
  selector:
    app: otel-collector
  ports:
  - name: otlp-grpc
    port: 4317
    targetPort: otlp-grpc
`,
    'ingress-nginx.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingress-nginx-controller
  namespace: ingress-nginx
spec:
  selector:
    matchLabels:
      app.kubernetes.io/name: ingress-nginx
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ingress-nginx
        app.kubernetes.io/component: controller
    spec:
      containers:
      - name: controller
        image: registry.k8s.io/ingress-nginx/controller:v1.11.1
        ports:
        - name: http
          containerPort: 80
        - name: https
          containerPort: 443
`,
  };
}

/** The default output folder for a size: under the OS temp dir, never in the repository. */
export function defaultDir(size: SizeName, seed: number, calico = false): string {
  return path.join(os.tmpdir(), `netlens-bench-${size}-${seed}${calico ? '-calico' : ''}`);
}

/** The Calico layer (see the header): evaluated for every pair, in front of the Kubernetes policies. */
export const CALICO_LAYER = `apiVersion: projectcalico.org/v3
kind: Tier
metadata:
  name: security
spec:
  order: 100
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: security.block-metadata
spec:
  tier: security
  order: 10
  selector: all()
  types: [Egress]
  egress:
  - action: Deny
    destination:
      nets: [169.254.169.254/32]
  - action: Pass
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: security.protect-data
spec:
  tier: security
  order: 20
  selector: tier == 'data'
  types: [Ingress]
  ingress:
  - action: Deny
    source:
      selector: tier in {'web', 'batch'}
  - action: Pass
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: security.quarantine
spec:
  tier: security
  order: 30
  selector: has(quarantine)
  types: [Ingress, Egress]
  ingress:
  - action: Deny
  egress:
  - action: Deny
---
apiVersion: projectcalico.org/v3
kind: GlobalNetworkPolicy
metadata:
  name: allow-cluster-dns
spec:
  order: 500
  selector: all()
  types: [Egress]
  egress:
  - action: Allow
    protocol: UDP
    destination:
      namespaceSelector: projectcalico.org/name == 'kube-system'
      selector: k8s-app == 'kube-dns'
      ports: [53]
`;

/** Platform workloads outside the generated namespaces: CoreDNS, Prometheus, the OTel collector, the ingress controller. */
const PLATFORM_WORKLOADS = 4;
/** kube-system, monitoring, ingress-nginx */
const PLATFORM_NAMESPACES = 3;

/**
 * What `generate` will write for this shape and seed, computed from the plan without writing (the
 * policies are rendered in memory and counted): namespaces, workloads and NetworkPolicies.
 */
export function plannedCounts(shape: Shape, seed = 42): { namespaces: number; workloads: number; policies: number } {
  const plans = plan(shape, seed);
  const teams = [...new Set(plans.map((p) => p.team))];
  let policies = 0;
  for (const p of plans) policies += (policiesYaml(p, teams).match(/^kind: NetworkPolicy$/gm) ?? []).length;
  return {
    namespaces: plans.length + PLATFORM_NAMESPACES,
    workloads: plans.reduce((n, p) => n + p.workloads.length, 0) + PLATFORM_WORKLOADS,
    policies,
  };
}

/** Writes files under `dir` (folders made as needed), noting their paths and bytes; `seen` sees each text. */
export function fileWriter(dir: string, files: string[], bytes: number, seen: (text: string) => void = () => undefined) {
  const w = {
    files,
    bytes,
    write(rel: string, text: string): { path: string; text: string } {
      const p = path.join(dir, rel);
      mkdirSync(path.dirname(p), { recursive: true });
      writeFileSync(p, text);
      files.push(p);
      w.bytes += Buffer.byteLength(text);
      seen(text);
      return { path: p, text };
    },
  };
  return w;
}

/** Writes the workspace for `size` to `dir` (emptied first) and says where the benchmark's targets are. */
export function generate(
  size: SizeName,
  seed = 42,
  dir = defaultDir(size, seed),
  opts: { calico?: boolean; namespaces?: number } = {},
): Generated {
  const plans = plan(shapeOf(size, opts.namespaces), seed);
  const teams = [...new Set(plans.map((p) => p.team))];
  const rnd = mulberry32(seed ^ 0x9e3779b9);
  rmSync(dir, { recursive: true, force: true });
  let workloads = 0;
  let policies = 0;
  let services = 0;
  const out = fileWriter(dir, [], 0, (text) => {
    workloads += (text.match(/^kind: (Deployment|StatefulSet|DaemonSet|CronJob)$/gm) ?? []).length;
    policies += (text.match(/^kind: NetworkPolicy$/gm) ?? []).length;
    services += (text.match(/^kind: Service$/gm) ?? []).length;
  });
  const write = out.write;
  const files = out.files;
  for (const [name, text] of Object.entries(platformFiles())) write(path.join('kube-system', name), text);
  if (opts.calico) {
    write(path.join('kube-system', 'calico-policies.yaml'), CALICO_LAYER);
    policies += (CALICO_LAYER.match(/^kind: GlobalNetworkPolicy$/gm) ?? []).length;
  }
  let policyFile: { path: string; text: string } | undefined;
  let workloadFile: { path: string; text: string } | undefined;
  for (const p of plans) {
    write(path.join(p.ns, 'namespace.yaml'), namespaceYaml(p));
    write(
      path.join(p.ns, `${p.ns}-config.yaml`),
      `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${p.ns}-config
  namespace: ${p.ns}
data:
  flags: "checkout-v2,fast-search"
  UPSTREAM_URL: "http://${p.workloads[1].name}.${p.ns}:80"
`,
    );
    for (const w of p.workloads) {
      const f = write(path.join(p.ns, `${w.name}.yaml`), workloadYaml(rnd, p, w, plans));
      if (p.index === 0 && w.tier === 'web' && !workloadFile) workloadFile = f;
    }
    const pf = write(path.join(p.ns, 'network-policies.yaml'), policiesYaml(p, teams));
    if (p.index === 0) policyFile = pf;
  }
  const tierEdit = (f: { path: string; text: string }, after: string, what: string): CharEdit => {
    const at = f.text.indexOf('tier: web', f.text.indexOf(after));
    if (at < 0) throw new Error(`generator: no "tier: web" after "${after}" in ${f.path}`);
    return { file: f.path, offset: at + 'tier: we'.length, from: 'b', to: 'x', what };
  };
  const hoverTargets: { file: string; offset: number }[] = [];
  for (const p of plans.slice(0, 10)) {
    const file = path.join(dir, p.ns, 'network-policies.yaml');
    const text = policiesYaml(p, teams);
    for (let i = text.indexOf('podSelector:'); i >= 0; i = text.indexOf('podSelector:', i + 1)) {
      let v = i + 'podSelector:'.length;
      while (/\s/.test(text[v])) v++;
      hoverTargets.push({ file, offset: v });
    }
  }
  const p0 = plans[0];
  const other = plans[plans.length > 1 ? 1 : 0];
  return {
    size,
    seed,
    dir,
    files,
    bytes: out.bytes,
    namespaces: plans.length + PLATFORM_NAMESPACES,
    workloads,
    policies,
    services,
    policyFile: policyFile!.path,
    workloadFile: workloadFile!.path,
    policyEdit: tierEdit(
      policyFile!,
      'name: web-ingress',
      'web-ingress podSelector tier: web <-> tier: wex (the policy selects nothing: selector-matches-nothing appears)',
    ),
    workloadEdit: tierEdit(
      workloadFile!,
      'template:',
      'pod label tier: web <-> tier: wex (its egress to the API it names is no longer allowed: blocked-reference appears)',
    ),
    hoverTargets,
    query: { from: `${p0.ns}/${p0.workloads[0].name}[Deployment]`, to: `${other.workloads[1].name}.${other.ns}`, port: 80 },
  };
}

function main(argv: string[]): void {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const size = (arg('--size') ?? 'S').toUpperCase() as SizeName;
  if (!SIZES[size]) throw new Error(`--size must be one of ${Object.keys(SIZES).join(', ')}`);
  const seed = Number(arg('--seed') ?? 42);
  const calico = argv.includes('--calico');
  const ns = arg('--namespaces');
  const namespaces = ns === undefined ? undefined : Number(ns);
  const layout = arg('--layout') ?? 'flat';
  if (layout === 'overlays') {
    const dir = arg('--out') ?? `${defaultDir(size, seed, calico)}-overlays`;
    rmSync(dir, { recursive: true, force: true });
    const l = layOutOverlays(generate(size, seed, path.join(dir, 'base'), { calico, namespaces }), dir);
    const { files, base, ...rest } = l;
    console.log(JSON.stringify({ ...rest, files: files.length, workloads: base.workloads, policies: base.policies }, null, 2));
    return;
  }
  if (layout !== 'flat') throw new Error('--layout must be flat or overlays');
  const out =
    arg('--out') ?? (namespaces === undefined ? defaultDir(size, seed, calico) : `${defaultDir(size, seed, calico)}-ns${namespaces}`);
  const g = generate(size, seed, out, { calico, namespaces });
  const { files, ...rest } = g;
  console.log(JSON.stringify({ ...rest, files: files.length }, null, 2));
}

// Only as its own script (run.js bundles this module too).
if (require.main === module && /generate\.js$/.test(process.argv[1] ?? '')) main(process.argv.slice(2));
