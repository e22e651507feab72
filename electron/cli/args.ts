// A small, strict argument parser: known flags only, repeatable where declared, and no secret ever taken
// from a flag (passphrases come from a prompt or an environment variable).

export interface FlagSpec {
  name: string; // long name without dashes, e.g. "output"
  short?: string; // e.g. "o"
  takesValue: boolean;
  /** What the value is called in help, e.g. "FILE" (default VALUE). */
  valueName?: string;
  repeatable?: boolean;
  description: string;
}

export interface ParsedArgs {
  flags: Map<string, string[]>;
  booleans: Set<string>;
  positionals: string[];
}

export class UsageError extends Error {
  readonly code = 'usage';
}

export function parseArgs(argv: string[], specs: FlagSpec[]): ParsedArgs {
  const byLong = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const flags = new Map<string, string[]>();
  const booleans = new Set<string>();
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    let spec: FlagSpec | undefined;
    let inlineValue: string | undefined;
    if (arg.startsWith('--')) {
      const [name, value] = arg.slice(2).split(/=(.*)/s, 2);
      spec = byLong.get(name!);
      inlineValue = value;
      if (!spec) throw new UsageError(`unknown option --${name}`);
    } else if (arg.startsWith('-') && arg.length > 1) {
      spec = byShort.get(arg.slice(1));
      if (!spec) throw new UsageError(`unknown option ${arg}`);
    } else {
      positionals.push(arg);
      continue;
    }
    if (!spec.takesValue) {
      if (inlineValue !== undefined) throw new UsageError(`--${spec.name} takes no value`);
      booleans.add(spec.name);
      continue;
    }
    const value = inlineValue ?? argv[++i];
    if (value === undefined) throw new UsageError(`--${spec.name} needs a value`);
    const list = flags.get(spec.name) ?? [];
    if (list.length > 0 && !spec.repeatable) throw new UsageError(`--${spec.name} may be given only once`);
    list.push(value);
    flags.set(spec.name, list);
  }
  return { flags, booleans, positionals };
}

export function formatFlags(specs: FlagSpec[]): string {
  return specs
    .map((s) => {
      const names = `${s.short ? `-${s.short}, ` : '    '}--${s.name}${s.takesValue ? ` ${s.valueName ?? 'VALUE'}` : ''}`;
      return `  ${names.padEnd(28)} ${s.description}${s.repeatable ? ' (repeatable)' : ''}`;
    })
    .join('\n');
}
