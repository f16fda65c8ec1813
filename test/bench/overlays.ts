// The benchmark workspace laid out as one Kustomize base and three overlays (dev, staging, prod), for
// issue 15's and 19's "L as a base + 3 overlays" measurements (`npm run bench -- --layout overlays`).
//
//   base/                     the flat workspace of generate.ts, unchanged, and a kustomization.yaml listing
//                             every manifest (the Calico conflist is not a manifest: it stays a loose file)
//   overlays/dev/             namePrefix dev-, commonLabels stage: dev, replicas; a strategic-merge patch that
//                             deletes namespace 0's and 1's default-deny (both open up), a JSON 6902 patch on a
//                             workload (one replica, a debug label)
//   overlays/staging/         commonLabels stage: staging; a configMapGenerator that replaces the CoreDNS
//                             Corefile (a stub domain, a rewrite); a strategic-merge patch that lets every pod
//                             of the namespace into namespace 0's web tier; a JSON 6902 patch that moves
//                             namespace 1's first web workload to the api tier
//   overlays/prod/            commonLabels stage: prod, replicas; a strategic-merge patch of namespace 0's
//                             web-ingress policy (the LSP benchmark edits its `tier: web`); a JSON 6902 patch
//                             that drops namespace 1's DNS-over-TCP egress port
//
// Each overlay is its own scope (kustomize:overlays/NAME), and they differ in what reaches what.
// Deterministic: the same size and seed give byte-identical files.
//
// CLI: node out/tools/bench/generate.js --size S|M|L --layout overlays [--seed N] [--out DIR]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { corefile, fileWriter, type CharEdit, type Generated } from './generate';

export const OVERLAYS = ['dev', 'staging', 'prod'] as const;
export type OverlayName = (typeof OVERLAYS)[number];

export interface OverlaysLayout {
  /** the workspace root (base/ and overlays/ are in it) */
  dir: string;
  base: Generated;
  /** every file written here, the base's included */
  files: string[];
  bytes: number;
  /** scope ids, as `netlens scopes` names them */
  scopes: Record<OverlayName, string>;
  /** prod's strategic-merge patch of namespace 0's web-ingress policy */
  patchFile: string;
  /** toggles `tier: web` in that patch: the prod policy then selects nothing */
  patchEdit: CharEdit;
  /** a second version of a patch, for `netlens diff`: staging's web-ingress patch admits another namespace's pods */
  diffChange: { file: string; from: string; to: string; what: string };
}

interface Facts {
  ns0: string;
  ns1: string;
  /** namespace 0's first web Deployment */
  web0: string;
  /** namespace 1's first web Deployment (or its first Deployment) */
  web1: string;
  /** a few Deployments (name, namespace) for `replicas` */
  deployments: { name: string; ns: string }[];
  team0: string;
}

function facts(g: Generated): Facts {
  const ns0 = path.basename(path.dirname(g.policyFile));
  const dirs = [...new Set(g.files.map((f) => path.basename(path.dirname(f))))].filter((d) => d !== 'kube-system');
  const ns1 = dirs.find((d) => d !== ns0) ?? ns0;
  const deployments: { name: string; ns: string; web: boolean }[] = [];
  for (const f of g.files) {
    const ns = path.basename(path.dirname(f));
    if (ns !== ns0 && ns !== ns1) continue;
    const text = readFileSync(f, 'utf8');
    const m = /^kind: Deployment\nmetadata:\n {2}name: (\S+)\n/m.exec(text);
    if (m) deployments.push({ name: m[1], ns, web: /^ {8}tier: web$/m.test(text) });
  }
  const web0 = path.basename(g.workloadFile, '.yaml');
  const web1 = (deployments.find((d) => d.ns === ns1 && d.web) ?? deployments.find((d) => d.ns === ns1))!.name;
  const team0 = /^ {4}team: (\S+)$/m.exec(readFileSync(path.join(path.dirname(g.policyFile), 'namespace.yaml'), 'utf8'))?.[1] ?? 'team-0';
  return { ns0, ns1, web0, web1, deployments: deployments.slice(0, 4).map(({ name, ns }) => ({ name, ns })), team0 };
}

const KUSTOMIZATION_HEAD = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n';

/** The staging Corefile: the base's, plus a stub domain and a rewrite (so names resolve differently there). */
const STAGING_COREFILE = corefile({
  rewrite: 'name exact db.staging.internal postgres.data.svc.cluster.local',
  servers: 'corp.example:53 {\n    errors\n    cache 30\n    forward . 10.20.0.10\n}\n',
});

/** The patch staging's web-ingress of namespace 0 gets; `extra` is the diff's second version. */
function stagingWebIngress(f: Facts, extra: string): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-ingress
  namespace: ${f.ns0}
spec:
  ingress:
  - from:
    - podSelector: {}${extra}
`;
}

function overlayFiles(f: Facts): Record<OverlayName, Record<string, string>> {
  const replicas = (count: number) => `replicas:\n${f.deployments.map((d) => `- name: ${d.name}\n  count: ${count}\n`).join('')}`;
  return {
    dev: {
      'kustomization.yaml': `${KUSTOMIZATION_HEAD}resources:
- ../../base
namePrefix: dev-
commonLabels:
  stage: dev
${replicas(1)}patches:
- path: open-${f.ns0}.yaml
- path: open-${f.ns1}.yaml
- path: ${f.web0}-debug.yaml
  target:
    kind: Deployment
    name: ${f.web0}
    namespace: ${f.ns0}
`,
      [`open-${f.ns0}.yaml`]: `$patch: delete
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ${f.ns0}
`,
      [`open-${f.ns1}.yaml`]: `$patch: delete
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: ${f.ns1}
`,
      [`${f.web0}-debug.yaml`]: `- op: replace
  path: /spec/replicas
  value: 1
- op: add
  path: /spec/template/metadata/labels/debug
  value: "true"
`,
    },
    staging: {
      'kustomization.yaml': `${KUSTOMIZATION_HEAD}resources:
- ../../base
commonLabels:
  stage: staging
configMapGenerator:
- name: coredns
  namespace: kube-system
  behavior: replace
  files:
  - Corefile
patches:
- path: web-ingress-${f.ns0}.yaml
- path: ${f.web1}-to-api.yaml
  target:
    group: apps
    version: v1
    kind: Deployment
    name: ${f.web1}
    namespace: ${f.ns1}
`,
      Corefile: STAGING_COREFILE,
      [`web-ingress-${f.ns0}.yaml`]: stagingWebIngress(f, ''),
      [`${f.web1}-to-api.yaml`]: `- op: replace
  path: /spec/template/metadata/labels/tier
  value: api
`,
    },
    prod: {
      'kustomization.yaml': `${KUSTOMIZATION_HEAD}resources:
- ../../base
commonLabels:
  stage: prod
${replicas(6)}patches:
- path: web-ingress-${f.ns0}.yaml
- path: dns-${f.ns1}.yaml
  target:
    kind: NetworkPolicy
    name: allow-dns
    namespace: ${f.ns1}
`,
      [`web-ingress-${f.ns0}.yaml`]: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-ingress
  namespace: ${f.ns0}
spec:
  podSelector:
    matchLabels:
      tier: web
      team: ${f.team0}
`,
      [`dns-${f.ns1}.yaml`]: `- op: remove
  path: /spec/egress/0/ports/1
`,
    },
  };
}

/**
 * Writes the base (generate.ts's workspace, already at `<dir>/base`) its kustomization and the three
 * overlays. `g` is what generate() returned for `<dir>/base`.
 */
export function layOutOverlays(g: Generated, dir: string): OverlaysLayout {
  const baseDir = path.join(dir, 'base');
  if (path.resolve(g.dir) !== path.resolve(baseDir)) throw new Error(`layOutOverlays: the base must be generated in ${baseDir}`);
  const out = fileWriter(dir, [...g.files], g.bytes);
  const write = out.write;
  const manifests = g.files
    .map((f) => path.relative(baseDir, f).split(path.sep).join('/'))
    .filter((r) => /\.ya?ml$/.test(r))
    .sort();
  write(path.join('base', 'kustomization.yaml'), `${KUSTOMIZATION_HEAD}resources:\n${manifests.map((r) => `- ${r}\n`).join('')}`);
  const f = facts(g);
  const all = overlayFiles(f);
  for (const o of OVERLAYS) for (const [name, text] of Object.entries(all[o])) write(path.join('overlays', o, name), text);
  const patchFile = path.join(dir, 'overlays', 'prod', `web-ingress-${f.ns0}.yaml`);
  const patchText = all.prod[`web-ingress-${f.ns0}.yaml`];
  const at = patchText.indexOf('tier: web');
  const diffFile = path.join(dir, 'overlays', 'staging', `web-ingress-${f.ns0}.yaml`);
  return {
    dir,
    base: g,
    files: out.files,
    bytes: out.bytes,
    scopes: { dev: 'kustomize:overlays/dev', staging: 'kustomize:overlays/staging', prod: 'kustomize:overlays/prod' },
    patchFile,
    patchEdit: {
      file: patchFile,
      offset: at + 'tier: we'.length,
      from: 'b',
      to: 'x',
      what: `prod's patch of ${f.ns0}/web-ingress: podSelector tier: web <-> tier: wex (the policy selects nothing: selector-matches-nothing appears)`,
    },
    diffChange: {
      file: diffFile,
      from: stagingWebIngress(f, ''),
      to: stagingWebIngress(f, `\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: ${f.ns1}`),
      what: `staging's patch of ${f.ns0}/web-ingress also admits every pod of ${f.ns1}`,
    },
  };
}
