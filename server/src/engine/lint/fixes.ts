// Quick fixes for findings, as text edits by offset. NetLens writes a user's file only through
// one of these, when the user picks it.
import type { Finding, Labels, Model, Workload } from '../model/types';
import { explainPair } from '../reachability/explain';
import { contains } from '../net/ports';
import { NAME_LABEL } from '../model/build';
import { writtenLabels } from '../model/controllerLabels';
import { yamlScalar } from './yamlScalar';

export interface TextEditByOffset {
  uri: string;
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEditByOffset[];
  preferred?: boolean;
}

export interface FixContext {
  model: Model;
  text(uri: string): string | undefined;
}

export function fixesFor(f: Finding, cx: FixContext): Fix[] {
  switch (f.code) {
    case 'unresolvable-name':
      return replaceHost(f);
    case 'dns-egress-blocked':
      return allowDns(f, cx);
    case 'service-port-in-policy':
      return useTargetPort(f, cx);
    case 'namespace-label-unknown':
      return useNameLabel(f, cx);
    case 'blocked-reference':
      return allowReference(f, cx);
    case 'peers-maybe-and':
      return mergePeers(f, cx);
    case 'unknown-field':
      return renameField(f, cx);
    default:
      return [];
  }
}

function replaceHost(f: Finding): Fix[] {
  const replacement = f.data?.replacement;
  // the host is replaced inside a scalar (a URL, host:port): only a DNS name fits there in any quoting
  if (typeof replacement !== 'string' || !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(replacement)) return [];
  return [
    { title: `Use ${replacement}`, preferred: true, edits: [{ uri: f.ref.uri, start: f.ref.start, end: f.ref.end, newText: replacement }] },
  ];
}

/** Appends a YAML document to a file (with the file's line endings). */
function appendDocument(cx: FixContext, uri: string, lines: string[]): TextEditByOffset | undefined {
  if (/\.json$/i.test(uri)) return undefined;
  const text = cx.text(uri);
  if (text === undefined) return undefined;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const lead = text.length === 0 ? '' : text.endsWith('\n') ? '' : eol;
  return { uri, start: text.length, end: text.length, newText: `${lead}---${eol}${lines.join(eol)}${eol}` };
}

/** The first lines of a NetworkPolicy document, up to `spec:`. */
function policyHeader(name: string, ns: string): string[] {
  return [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata:',
    `  name: ${yamlScalar(name)}`,
    `  namespace: ${yamlScalar(ns)}`,
    'spec:',
  ];
}

function uniqueName(model: Model, ns: string, base: string): string {
  const taken = new Set(model.policies.filter((p) => p.namespace === ns).map((p) => p.name));
  let name = base.slice(0, 63).replace(/-+$/, '');
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, 60)}-${i}`;
  return name;
}

function matchLabels(labels: Labels, indent: string): string[] {
  const keys = Object.keys(labels).sort();
  if (keys.length === 0) return [`${indent}{}`];
  return [`${indent}matchLabels:`, ...keys.map((k) => `${indent}  ${yamlScalar(k)}: ${yamlScalar(labels[k]!)}`)];
}

function allowDns(f: Finding, cx: FixContext): Fix[] {
  const ns = f.data?.namespace;
  const policyId = f.data?.policy;
  if (typeof ns !== 'string') return [];
  const policy = cx.model.policies.find((p) => p.id === policyId);
  const uri = policy?.objectRef.uri ?? f.ref.uri;
  const name = uniqueName(cx.model, ns, 'allow-dns');
  const edit = appendDocument(cx, uri, [
    ...policyHeader(name, ns),
    '  podSelector: {}',
    '  policyTypes:',
    '  - Egress',
    '  egress:',
    '  - to:',
    '    - namespaceSelector:',
    '        matchLabels:',
    `          ${NAME_LABEL}: kube-system`,
    '      podSelector:',
    '        matchLabels:',
    '          k8s-app: kube-dns',
    '    ports:',
    '    - protocol: UDP',
    '      port: 53',
    '    - protocol: TCP',
    '      port: 53',
  ]);
  return edit ? [{ title: `Add NetworkPolicy ${ns}/${name} allowing DNS (UDP/TCP 53) to kube-dns`, preferred: true, edits: [edit] }] : [];
}

function useTargetPort(f: Finding, cx: FixContext): Fix[] {
  const target = f.data?.targetPort;
  if (typeof target !== 'number') return [];
  for (const p of cx.model.policies) {
    for (const r of [...p.ingress, ...p.egress]) {
      for (const pp of r.ports ?? []) {
        if (pp.ref.uri !== f.ref.uri || pp.ref.start !== f.ref.start || !pp.portRef) continue;
        return [
          {
            title: `Allow the pods' port ${target} (the Service's targetPort)`,
            preferred: true,
            edits: [{ uri: pp.portRef.uri, start: pp.portRef.start, end: pp.portRef.end, newText: String(target) }],
          },
        ];
      }
    }
  }
  return [];
}

function useNameLabel(f: Finding, cx: FixContext): Fix[] {
  const key = f.data?.key;
  const value = f.data?.value;
  const text = cx.text(f.ref.uri);
  if (typeof key !== 'string' || typeof value !== 'string' || text === undefined) return [];
  const slice = text.slice(f.ref.start, f.ref.end);
  const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const m = new RegExp(`(["']?)${esc(key)}\\1(\\s*:\\s*)(["']?)${esc(value)}\\3`).exec(slice);
  if (!m) return [];
  const start = f.ref.start + m.index;
  return [
    {
      title: `Select namespace ${value} by ${NAME_LABEL}`,
      preferred: true,
      edits: [
        {
          uri: f.ref.uri,
          start,
          end: start + m[0].length,
          newText: `${NAME_LABEL}${m[2]}${m[3] ? `${m[3]}${value}${m[3]}` : yamlScalar(value)}`,
        },
      ],
    },
  ];
}

function allowReference(f: Finding, cx: FixContext): Fix[] {
  const from = cx.model.workloads.find((w) => w.id === f.data?.from);
  const to = cx.model.workloads.find((w) => w.id === f.data?.to);
  const port = f.data?.podPort;
  if (!from || !to || typeof port !== 'number') return [];
  const v = explainPair(cx.model, from, to);
  // Where Calico tiers, the Admin/Baseline tiers or Cilium decide a blocked side, a new NetworkPolicy
  // may change nothing (a higher tier's Deny wins): offer no fix rather than one that does not work.
  const layered = (side: typeof v.egress) => !contains(side.allowed, 'TCP', port) && !!(side.calico || side.admin || side.cilium);
  if (layered(v.egress) || layered(v.ingress)) return [];
  const edits: TextEditByOffset[] = [];
  const titles: string[] = [];
  if (!contains(v.egress.allowed, 'TCP', port) && v.egress.isolatedBy.length && Object.keys(writtenLabels(from)).length) {
    const name = uniqueName(cx.model, from.namespace, `allow-${from.name}-to-${to.name}`);
    const e = appendDocument(cx, v.egress.isolatedBy[0].objectRef.uri, policyDoc(name, from.namespace, from, 'Egress', to, port));
    if (e) {
      edits.push(e);
      titles.push(`egress ${from.namespace}/${name}`);
    }
  }
  if (!contains(v.ingress.allowed, 'TCP', port) && v.ingress.isolatedBy.length && Object.keys(writtenLabels(to)).length) {
    const name = uniqueName(cx.model, to.namespace, `allow-${from.name}-to-${to.name}`);
    const e = appendDocument(cx, v.ingress.isolatedBy[0].objectRef.uri, policyDoc(name, to.namespace, to, 'Ingress', from, port));
    if (e) {
      // two documents appended to one file: keep them in one edit
      const same = edits.find((x) => x.uri === e.uri);
      if (same) same.newText += e.newText.replace(/^(\r?\n)/, '');
      else edits.push(e);
      titles.push(`ingress ${to.namespace}/${name}`);
    }
  }
  return edits.length
    ? [
        {
          title: `Add NetworkPolic${titles.length > 1 ? 'ies' : 'y'} allowing ${from.id} → ${to.id} on TCP ${port} (${titles.join(', ')})`,
          edits,
        },
      ]
    : [];
}

function policyDoc(name: string, ns: string, subject: Workload, dir: 'Ingress' | 'Egress', other: Workload, port: number): string[] {
  const peer = [
    ...(other.namespace !== ns
      ? [
          '    - namespaceSelector:',
          '        matchLabels:',
          `          ${NAME_LABEL}: ${yamlScalar(other.namespace)}`,
          '      podSelector:',
        ]
      : ['    - podSelector:']),
    ...matchLabels(writtenLabels(other), '        '),
  ];
  return [
    ...policyHeader(name, ns),
    '  podSelector:',
    ...matchLabels(writtenLabels(subject), '    '),
    '  policyTypes:',
    `  - ${dir}`,
    `  ${dir === 'Ingress' ? 'ingress' : 'egress'}:`,
    `  - ${dir === 'Ingress' ? 'from' : 'to'}:`,
    ...peer,
    '    ports:',
    '    - protocol: TCP',
    `      port: ${port}`,
  ];
}

function mergePeers(f: Finding, cx: FixContext): Fix[] {
  const text = cx.text(f.ref.uri);
  if (text === undefined) return [];
  // The second peer starts after the first one ends: find its "- " list marker.
  const policy = cx.model.policies.find((p) => p.id === f.data?.policy);
  const rules = f.data?.direction === 'from' ? policy?.ingress : policy?.egress;
  const rule = rules?.find((r) => r.index === f.data?.rule);
  const second = rule?.peers?.[Number(f.data?.first) + 1];
  if (!second) return [];
  let i = second.ref.start - 1;
  while (i >= 0 && text[i] === ' ') i--;
  if (text[i] !== '-') return [];
  const lineStart = text.lastIndexOf('\n', i - 1) + 1;
  if (text.slice(lineStart, i).trim() !== '') return [];
  return [
    { title: 'Make them one peer (namespaceSelector AND podSelector)', edits: [{ uri: f.ref.uri, start: i, end: i + 1, newText: ' ' }] },
  ];
}

/** Renames a misspelt field to the schema's suggestion, keeping the key's quotes. */
function renameField(f: Finding, cx: FixContext): Fix[] {
  const suggestion = f.data?.suggestion;
  const text = cx.text(f.ref.uri);
  if (typeof suggestion !== 'string' || text === undefined) return [];
  const q = text[f.ref.start];
  const quoted = (q === '"' || q === "'") && text[f.ref.end - 1] === q && f.ref.end - f.ref.start >= 2;
  // the text may have changed since the finding: rename only the key it was about
  const key = quoted ? text.slice(f.ref.start + 1, f.ref.end - 1) : text.slice(f.ref.start, f.ref.end);
  if (key !== f.data?.field) return [];
  return [
    {
      title: `Rename to ${suggestion}`,
      preferred: true,
      edits: [
        {
          uri: f.ref.uri,
          start: f.ref.start,
          end: f.ref.end,
          newText: !quoted ? yamlScalar(suggestion) : q === "'" ? `'${suggestion.replace(/'/g, "''")}'` : JSON.stringify(suggestion),
        },
      ],
    },
  ];
}
