// Reads the plugins of a Corefile server block that decide where a name goes (rewrite, hosts,
// kubernetes, forward), in CoreDNS's execution order; other plugins are carried and ignored.
import type { SourceRef } from '../model/types';
import type { CorefileDirective, CorefileServerBlock, CorefileProblem } from './corefileSyntax';
import { canonicalIp } from './names';

/**
 * CoreDNS runs a server block's plugins in the order of its plugin.cfg (compiled in), not the order
 * they are written: "Directives are registered in the order they should be executed" (coredns/coredns
 * plugin.cfg, commit f03a9a78). This is that list; plugins missing from it are ignored.
 */
const PLUGIN_ORDER = [
  'metadata',
  'cancel',
  'tls',
  'reload',
  'nsid',
  'bufsize',
  'root',
  'bind',
  'debug',
  'trace',
  'ready',
  'health',
  'pprof',
  'prometheus',
  'errors',
  'log',
  'dnstap',
  'local',
  'dns64',
  'acl',
  'any',
  'chaos',
  'loadbalance',
  'cache',
  'rewrite',
  'dnssec',
  'autopath',
  'minimal-responses',
  'template',
  'transfer',
  'hosts',
  'route53',
  'azure',
  'clouddns',
  'k8s_external',
  'kubernetes',
  'file',
  'auto',
  'secondary',
  'etcd',
  'loop',
  'forward',
  'grpc',
  'erratic',
  'whoami',
  'on',
  'sign',
] as const;

export type PodsMode = 'disabled' | 'insecure' | 'verified';

export interface KubernetesPlugin {
  name: 'kubernetes';
  /** its zones (the server block's when none are written), lower-case, without trailing dot */
  zones: string[];
  pods: PodsMode;
  /** only these namespaces are served; undefined: all */
  namespaces?: string[];
  endpointPodNames: boolean;
  /** zones whose NXDOMAIN falls through to the next plugin; [] with `fallthrough` alone: all of its zones */
  fallthrough?: string[];
  /** not written in the workspace: NetLens's stand-in for a missing Corefile */
  assumed?: boolean;
  ref: SourceRef;
}

export type RewriteMatch = 'exact' | 'prefix' | 'suffix' | 'substring' | 'regex';

export interface RewriteRule {
  match: RewriteMatch;
  from: string;
  to: string;
  /** `continue`: the next rule also applies; `stop` (the default): this is the last one */
  mode: 'stop' | 'continue';
  /** `answer auto` / `answer name ...`: the response carries the original name again */
  answer?: string;
  ref: SourceRef;
}

export interface RewritePlugin {
  name: 'rewrite';
  rules: RewriteRule[];
  ref: SourceRef;
}

export interface HostsPlugin {
  name: 'hosts';
  zones: string[];
  /** inline entries: name -> addresses */
  entries: Map<string, string[]>;
  /** the hosts file read besides the inline entries (its content is not in the workspace) */
  file: string;
  fallthrough?: string[];
  ref: SourceRef;
}

export interface ForwardPlugin {
  name: 'forward';
  from: string;
  to: string[];
  except: string[];
  ref: SourceRef;
}

export interface OtherPlugin {
  name: string;
  other: true;
  ref: SourceRef;
}

export type ChainPlugin = KubernetesPlugin | RewritePlugin | HostsPlugin | ForwardPlugin | OtherPlugin;

/** The plugins of a server block in execution order (several rewrite or forward lines keep their written order). */
export function pluginChain(block: CorefileServerBlock, problems: CorefileProblem[]): ChainPlugin[] {
  const blockZones = block.keys.map((k) => k.zone);
  const rank = (name: string) => {
    const at = (PLUGIN_ORDER as readonly string[]).indexOf(name);
    return at < 0 ? PLUGIN_ORDER.length : at;
  };
  const sorted = block.directives.map((d, i) => ({ d, i })).sort((a, b) => rank(a.d.name) - rank(b.d.name) || a.i - b.i);
  const out: ChainPlugin[] = [];
  let rewrite: RewritePlugin | undefined;
  for (const { d } of sorted) {
    if (d.name === 'kubernetes') out.push(readKubernetes(d, blockZones, problems));
    else if (d.name === 'hosts') out.push(readHosts(d, blockZones, problems));
    else if (d.name === 'forward') {
      const f = readForward(d, problems);
      if (f) out.push(f);
    } else if (d.name === 'rewrite') {
      const rules = readRewrite(d, problems);
      if (!rewrite) out.push((rewrite = { name: 'rewrite', rules: [], ref: d.ref }));
      rewrite.rules.push(...rules);
    } else out.push({ name: d.name, other: true, ref: d.ref });
  }
  return out;
}

export function normalizeZone(z: string): string {
  return (
    z
      .replace(/^[a-z0-9]+:\/\//i, '')
      .replace(/:\d+$/, '')
      .replace(/\.$/, '')
      .toLowerCase() || '.'
  );
}

function readKubernetes(d: CorefileDirective, blockZones: string[], problems: CorefileProblem[]): KubernetesPlugin {
  const zones = d.args.length ? d.args.map((a) => normalizeZone(a.text)) : blockZones;
  const k: KubernetesPlugin = { name: 'kubernetes', zones, pods: 'disabled', endpointPodNames: false, ref: d.ref };
  for (const o of d.block ?? []) {
    const args = o.args.map((a) => a.text);
    if (o.name === 'pods') {
      const mode = args[0]?.toLowerCase();
      if (mode === 'disabled' || mode === 'insecure' || mode === 'verified') k.pods = mode;
      else problems.push({ message: `kubernetes: pods takes disabled, insecure or verified, not "${args.join(' ')}"`, ref: o.ref });
    } else if (o.name === 'namespaces') {
      if (args.length) k.namespaces = [...(k.namespaces ?? []), ...args.map((a) => a.toLowerCase())];
      else problems.push({ message: 'kubernetes: namespaces needs at least one namespace', ref: o.ref });
    } else if (o.name === 'endpoint_pod_names') k.endpointPodNames = true;
    else if (o.name === 'fallthrough') k.fallthrough = args.map(normalizeZone);
  }
  return k;
}

function readHosts(d: CorefileDirective, blockZones: string[], problems: CorefileProblem[]): HostsPlugin {
  const [file, ...zones] = d.args.map((a) => a.text);
  const h: HostsPlugin = {
    name: 'hosts',
    zones: zones.length ? zones.map(normalizeZone) : blockZones,
    entries: new Map(),
    file: file ?? '/etc/hosts',
    ref: d.ref,
  };
  for (const line of d.block ?? []) {
    if (line.name === 'fallthrough') h.fallthrough = line.args.map((a) => normalizeZone(a.text));
    else if (['ttl', 'no_reverse', 'reload', 'fallthrough_unsupported'].includes(line.name)) continue;
    else {
      // an inline hosts(5) line: IP then names (the directive name is the IP here)
      const ip = canonicalIp(line.name);
      if (!ip || !line.args.length) {
        problems.push({
          message: `hosts: "${[line.name, ...line.args.map((a) => a.text)].join(' ')}" is not an "IP name..." entry`,
          ref: line.ref,
        });
        continue;
      }
      for (const a of line.args) {
        const name = a.text.toLowerCase().replace(/\.$/, '');
        const list = h.entries.get(name) ?? [];
        if (!list.includes(ip)) list.push(ip);
        h.entries.set(name, list);
      }
    }
  }
  return h;
}

function readForward(d: CorefileDirective, problems: CorefileProblem[]): ForwardPlugin | undefined {
  const [from, ...to] = d.args.map((a) => a.text);
  if (!from || !to.length) {
    problems.push({ message: 'forward needs FROM and at least one TO (forward . 10.0.0.10)', ref: d.ref });
    return undefined;
  }
  const except = (d.block ?? []).filter((o) => o.name === 'except').flatMap((o) => o.args.map((a) => normalizeZone(a.text)));
  return { name: 'forward', from: normalizeZone(from), to, except, ref: d.ref };
}

const MATCHES = new Set(['exact', 'prefix', 'suffix', 'substring', 'regex']);

/** `rewrite [continue|stop] name [MATCH] FROM TO [answer auto|answer name FROM TO]`, or the block form. */
function readRewrite(d: CorefileDirective, problems: CorefileProblem[]): RewriteRule[] {
  let args = d.args.map((a) => a.text);
  let mode: 'stop' | 'continue' = 'stop';
  if (args[0] === 'continue' || args[0] === 'stop') {
    mode = args[0];
    args = args.slice(1);
  }
  const lines = args.length
    ? [{ args, ref: d.ref }]
    : (d.block ?? []).map((o) => ({ args: [o.name, ...o.args.map((a) => a.text)], ref: o.ref }));
  const out: RewriteRule[] = [];
  for (const line of lines) {
    const [field, ...rest] = line.args;
    if (field === 'answer') {
      // the block form's second line: belongs to the name rule before it
      const prev = out[out.length - 1];
      if (prev) prev.answer = rest.join(' ');
      continue;
    }
    if (field !== 'name') continue; // type, class, edns0, ttl: do not change which name is looked up
    let match: RewriteMatch = 'exact';
    let tail = rest;
    if (MATCHES.has(tail[0] ?? '') && tail.length >= 3) {
      match = tail[0] as RewriteMatch;
      tail = tail.slice(1);
    }
    const [from, to, ...more] = tail;
    if (from === undefined || to === undefined) {
      problems.push({ message: 'rewrite name needs FROM and TO', ref: line.ref });
      continue;
    }
    const rule: RewriteRule = { match, from, to, mode, ref: line.ref };
    if (more[0] === 'answer') rule.answer = more.slice(1).join(' ');
    if (match === 'regex' && !safeRegex(from)) {
      problems.push({ message: `rewrite: "${from}" is not a regular expression NetLens can read`, ref: line.ref });
      continue;
    }
    out.push(rule);
  }
  return out;
}

export function safeRegex(source: string): RegExp | undefined {
  try {
    return new RegExp(source, 'i');
  } catch {
    return undefined;
  }
}
