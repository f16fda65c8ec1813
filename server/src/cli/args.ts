// Argument parsing for the CLI: global options before the subcommand (or among its own: extractOptions),
// then the subcommand's own.
export class UsageError extends Error {}

export interface OptionSpec {
  /** takes a value */
  value?: boolean;
  /** allowed values */
  choices?: readonly string[];
  /** may repeat */
  multiple?: boolean;
}

export interface Parsed {
  options: Map<string, string[]>;
  positionals: string[];
}

export function parseArgs(
  argv: readonly string[],
  spec: Record<string, OptionSpec>,
  stopAtPositional = false,
): Parsed & { rest: string[] } {
  const options = new Map<string, string[]>();
  const positionals: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      i = argv.length;
      break;
    }
    if (a.startsWith('--') || (a.startsWith('-') && a.length === 2)) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      const s = spec[name];
      if (!s) throw new UsageError(`unknown option ${name}; options here: ${Object.keys(spec).join(', ') || 'none'}`);
      let v = 'true';
      if (s.value) {
        if (eq > 0) v = a.slice(eq + 1);
        else if (i + 1 < argv.length) v = argv[++i];
        else throw new UsageError(`${name} needs a value`);
        if (s.choices && !s.choices.includes(v)) throw new UsageError(`${name} must be one of ${s.choices.join('|')}, not "${v}"`);
      }
      const prev = options.get(name);
      if (prev && !s.multiple) throw new UsageError(`${name} is given twice`);
      options.set(name, [...(prev ?? []), v]);
      continue;
    }
    if (stopAtPositional) break;
    positionals.push(a);
  }
  return { options, positionals, rest: argv.slice(i) };
}

export function opt(p: Parsed, name: string): string | undefined {
  return p.options.get(name)?.[0];
}

/**
 * Takes the options of `spec` out of a subcommand's arguments (`lint --scope dev .` as well as
 * `--scope dev lint .`): returns them and the arguments left for the subcommand. Stops at `--`.
 * The subcommands' own options never share a name with the global ones (test/cli/exit-codes.test.ts).
 */
export function extractOptions(
  argv: readonly string[],
  spec: Record<string, OptionSpec>,
): { options: Map<string, string[]>; remaining: string[] } {
  const taken: string[] = [];
  const remaining: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      remaining.push(...argv.slice(i));
      break;
    }
    const eq = a.indexOf('=');
    const s = a.startsWith('--') ? spec[eq > 0 ? a.slice(0, eq) : a] : undefined;
    if (!s) {
      remaining.push(a);
      continue;
    }
    taken.push(a);
    if (s.value && eq < 0 && i + 1 < argv.length) taken.push(argv[++i]);
  }
  return { options: parseArgs(taken, spec).options, remaining };
}

/** `a`'s options with `b`'s added; an option given in both that may not repeat is a usage error. */
export function mergeOptions(a: Map<string, string[]>, b: Map<string, string[]>, spec: Record<string, OptionSpec>): Map<string, string[]> {
  const merged = new Map(a);
  for (const [name, values] of b) {
    const prev = merged.get(name);
    if (prev && !spec[name]?.multiple) throw new UsageError(`${name} is given twice`);
    merged.set(name, [...(prev ?? []), ...values]);
  }
  return merged;
}
