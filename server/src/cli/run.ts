// The netlens CLI's commands, options and exit statuses (main.ts is the program that runs it): matrix | query | resolve | lint | diff | scopes | render (docs/cli.md is the contract). Exit status: 0 ok,
// 1 lint found errors, 2 usage or input error, 3 query blocked / nxdomain / no endpoints / dns-blocked,
// 4 internal error (a bug in NetLens, or out of memory: not the input's fault).
import { extractOptions, mergeOptions, parseArgs, opt, UsageError } from './args';
import { runMatrix, matrixHelp } from './commands/matrix';
import { runLint, lintHelp } from './commands/lint';
import { runQueryCommand, queryHelp } from './commands/query';
import { runResolve, resolveHelp } from './commands/resolve';
import { runDiff, diffHelp } from './commands/diff';
import { runRender, renderHelp, runScopes, scopesHelp } from './commands/scopes';
import type { CommandContext } from './context';
import { guardOutput } from '../engine/report/escape';
import type { ModelOptions } from '../engine/model/types';
import { findHelm } from '../render/helmBinary';
import { MAX_FILE_BYTES } from '../workspace/readRegular';

const COMMANDS: Record<string, { run: (argv: string[], cx: CommandContext) => Promise<number>; help: string }> = {
  matrix: { run: runMatrix, help: matrixHelp },
  query: { run: runQueryCommand, help: queryHelp },
  resolve: { run: runResolve, help: resolveHelp },
  lint: { run: runLint, help: lintHelp },
  diff: { run: runDiff, help: diffHelp },
  scopes: { run: runScopes, help: scopesHelp },
  render: { run: runRender, help: renderHelp },
};

const GLOBAL_HELP = `usage: netlens [global options] <command> [options] PATH...

NetLens reads Kubernetes manifests (files or directories; *.yaml, *.yml, *.json, Corefile,
CNI *.conf/*.conflist) and reports the effective NetworkPolicy connectivity and DNS resolution.

commands:
  matrix    who can reach whom, on which ports
  query     can SRC reach DST (a workload, a DNS name or an IP) on a port, and why
  resolve   resolve a DNS name as a pod would
  lint      diagnostics, as the editor shows them
  diff      what a change opens or closes: connectivity of two versions (git or folders) compared
  scopes    the analysis scopes (Kustomize overlays, Helm charts x values files, loose files) as JSON
  render    a scope's objects as multi-document YAML (as kubectl kustomize prints them)

global options (before the command, or after it among its own):
  --cluster-domain D        cluster DNS domain when no Corefile is found (default cluster.local)
  --host-network node|pod   hostNetwork pods: node traffic ignored by selectors (default), or ordinary pods
  --namespace NS            namespace of objects that name none (default "default")
  --cni PLUGIN              the CNI plugin, overriding detection (e.g. calico, cilium, flannel)
  --no-assume-dns           without CoreDNS pods in the inputs, do not assume the standard ones
                            (kube-system, k8s-app=kube-dns): names resolve by records only and
                            the DNS traffic check is skipped
  --threads N               threads that read and parse large inputs (default 0: one per core, at
                            most 4; 1: no worker threads)
  --max-size-kb N           skip files larger than N KB (default 51200, the most; files that are not
                            regular files, such as FIFOs and devices, are never read)
  --scope ID                the analysis scope (see "netlens scopes"): a Kustomize overlay, a Helm
                            chart with a values file, or loose; default: the only one, else an
                            error listing them
  --helm PATH               the helm executable that renders Helm charts (default: helm on PATH)
  --verbose                 list skipped files and documents on stderr
  --help                    this help; "netlens <command> --help" for a command

exit status: 0 ok, 1 lint found errors (diff: --fail-on matched), 2 usage or input error, 3 query not allowed
(blocked, nxdomain, no-endpoints or dns-blocked), 4 internal error.`;

const GLOBAL_SPEC = {
  '--cluster-domain': { value: true },
  '--host-network': { value: true, choices: ['node', 'pod'] },
  '--namespace': { value: true },
  '--cni': { value: true },
  '--no-assume-dns': {},
  '--threads': { value: true },
  '--max-size-kb': { value: true },
  '--helm': { value: true },
  '--scope': { value: true },
  '--verbose': {},
  '--help': {},
  '-h': {},
  '--version': {},
};

/** The global options that may also come after the command (not --help/--version: those are the command's there). */
const LATE_GLOBAL_SPEC = Object.fromEntries(Object.entries(GLOBAL_SPEC).filter(([k]) => !['--help', '-h', '--version'].includes(k)));

// Control and bidi characters from manifests (a name written "\e[2J") must not reach a terminal, nor
// a line starting with "::" a CI log: engine/report/escape.ts guardOutput.
const printable = guardOutput;

const MAX_THREADS = 16;
const MAX_SIZE_KB = MAX_FILE_BYTES / 1024;
/** Exit status of an internal error, told apart from bad input (2). */
const INTERNAL_ERROR = 4;

export async function main(
  argv: string[],
  rawOut = (s: string) => process.stdout.write(s),
  rawErr = (s: string) => process.stderr.write(s),
): Promise<number> {
  const out = (s: string) => rawOut(printable(s));
  const err = (s: string) => rawErr(printable(s));
  try {
    const g = parseArgs(argv, GLOBAL_SPEC, true);
    if (g.options.has('--version')) {
      out(`${typeof NETLENS_VERSION === 'string' ? NETLENS_VERSION : 'dev'}\n`);
      return 0;
    }
    const [name, ...afterName] = g.rest;
    if (g.options.has('--help') || g.options.has('-h')) {
      out(`${GLOBAL_HELP}\n`);
      return 0;
    }
    if (!name) throw new UsageError(`no command given; commands: ${Object.keys(COMMANDS).join(', ')} ("netlens --help" for usage)`);
    const cmd = COMMANDS[name];
    if (!cmd) throw new UsageError(`unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}`);
    if (afterName.includes('--help') || afterName.includes('-h')) {
      out(`${cmd.help}\n`);
      return 0;
    }
    // global options may also follow the command (`netlens lint --scope dev .`)
    const late = extractOptions(afterName, LATE_GLOBAL_SPEC);
    g.options = mergeOptions(g.options, late.options, GLOBAL_SPEC);
    const rest = late.remaining;
    const options: Partial<ModelOptions> = {};
    const cd = opt(g, '--cluster-domain');
    if (cd) options.clusterDomain = cd;
    const hn = opt(g, '--host-network');
    if (hn) options.hostNetwork = hn as 'node' | 'pod';
    const ns = opt(g, '--namespace');
    if (ns) options.defaultNamespace = ns;
    const cni = opt(g, '--cni');
    if (cni) options.cni = cni;
    if (g.options.has('--no-assume-dns')) options.assumeClusterDns = false;
    const threadsText = opt(g, '--threads') ?? '0';
    const threads = /^\d{1,3}$/.test(threadsText) ? Number(threadsText) : NaN;
    if (!(threads >= 0 && threads <= MAX_THREADS))
      throw new UsageError(`--threads must be a number from 0 (one per core, at most 4) to ${MAX_THREADS}, not "${threadsText}"`);
    const sizeText = opt(g, '--max-size-kb') ?? String(MAX_SIZE_KB);
    const sizeKB = /^\d{1,6}$/.test(sizeText) ? Number(sizeText) : NaN;
    if (!(sizeKB >= 1 && sizeKB <= MAX_SIZE_KB))
      throw new UsageError(`--max-size-kb must be a number from 1 to ${MAX_SIZE_KB}, not "${sizeText}"`);
    const helmPath = opt(g, '--helm');
    if (helmPath !== undefined) {
      // named on the command line, so a typo is an error now, not a chart silently left unrendered later
      const helm = findHelm(helmPath);
      if (!helm.ok) throw new UsageError(`--helm: ${helm.message}`);
    }
    const verbose = g.options.has('--verbose');
    const scope = opt(g, '--scope');
    const cx: CommandContext = {
      options,
      threads,
      maxFileBytes: sizeKB * 1024,
      ...(helmPath ? { helmPath } : {}),
      ...(scope !== undefined ? { scope } : {}),
      verbose,
      out,
      err,
      reportSkips(model, locator) {
        if (model.skipped.length === 0) return;
        if (verbose) for (const s of model.skipped) err(`${s.ref ? locator.format(s.ref) : s.uri}: skipped: ${s.reason}\n`);
        else
          err(
            `netlens: skipped ${model.skipped.length} file(s)/document(s) that are not Kubernetes objects or could not be read (--verbose lists them)\n`,
          );
      },
    };
    return await cmd.run(rest, cx);
  } catch (e) {
    if (e instanceof UsageError) {
      err(`netlens: ${e.message}\n`);
      return 2;
    }
    err(`netlens: internal error: ${(e as Error).stack ?? e}\n`);
    return INTERNAL_ERROR;
  }
}

declare const NETLENS_VERSION: string | undefined;
