// The command-line framework: a flat list of commands, each named by its words ("age encrypt"), with its own
// flags, help text and run function. Groups ("age", "bundle") exist only as the shared first word.
//
// Exit codes: 0 success; 1 the command failed (a plain message, never a stack trace); 2 the command line itself
// was wrong (unknown command or option, missing argument), with a one-line hint.
import type { Readable, Writable } from 'node:stream';
import { systemErrorWords } from '../../shared/system-errors';
import { isAppError } from '../../shared/errors';
import { formatFlags, parseArgs, UsageError, type FlagSpec, type ParsedArgs } from './args';

export const PROGRAM = 'hearing-desk';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/** Everything a command may touch of the outside world, so it can be run in-process by tests as well. */
export interface CliIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: NodeJS.ProcessEnv;
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
}

export interface CommandContext {
  io: CliIo;
  args: ParsedArgs;
  positionals: readonly string[];
  /** The single value of a flag, or undefined. */
  value(name: string): string | undefined;
  /** Every value of a repeatable flag, in order. */
  values(name: string): string[];
  /** Whether a boolean flag was given. */
  has(name: string): boolean;
  /** Writes a line to stderr (progress, warnings): stdout is reserved for the command's output. */
  note(line: string): void;
  /** Throws a usage error (exit 2) mentioning this command's --help. */
  usageError(message: string): never;
}

export interface Command {
  /** The words after the program name, e.g. ['age', 'encrypt']. */
  words: readonly string[];
  /** One line for listings. */
  summary: string;
  /** Synopsis after the command words, e.g. "[-r RECIPIENT]... [-o OUTPUT] [INPUT]". */
  usage: string;
  /** Further paragraphs for --help. */
  details?: string;
  flags: readonly FlagSpec[];
  /** How many positional arguments are accepted, and what to call them in messages. */
  positionals: { min: number; max: number; name: string };
  run(context: CommandContext): Promise<void>;
}

export interface CommandGroup {
  word: string;
  summary: string;
}

export interface CommandRegistry {
  description: string;
  version: string;
  groups: readonly CommandGroup[];
  commands: readonly Command[];
}

/** Identity function that checks a command's shape where it is written. */
export function defineCommand(command: Command): Command {
  return command;
}

const HELP_FLAG: FlagSpec = { name: 'help', short: 'h', takesValue: false, description: 'show this help' };

/**
 * Flags that would carry a secret. None exists, on purpose: a secret in argv lands in shell history and in the
 * process list. They are refused with the way to give the secret instead, rather than as merely "unknown".
 */
const SECRET_FLAG_NAMES = new Set([
  'passphrase', 'password', 'pass', 'passwd', 'pw', 'secret', 'pin', 'key', 'secret-key', 'private-key', 'identity-key', 'age-secret-key',
]);
const SECRET_KEY_MARKER = 'AGE-SECRET-KEY-';

function refuseSecretsInArgv(argv: readonly string[]): void {
  for (const arg of argv) {
    if (arg === '--') break;
    if (!arg.startsWith('--')) continue;
    const name = arg.slice(2).split('=', 1)[0]!.toLowerCase();
    if (SECRET_FLAG_NAMES.has(name)) {
      throw new UsageError(
        `secrets are never taken from the command line (--${name}): they would be kept in shell history and shown in the process list. Set HEARING_DESK_PASSPHRASE or type it when asked.`,
      );
    }
  }
  // A key pasted in place of a key file: say so without repeating the key in the message.
  if (argv.some((arg) => arg.toUpperCase().includes(SECRET_KEY_MARKER))) {
    throw new UsageError('an age secret key was given on the command line; put it in a file (mode 0600) and give the file with -i.');
  }
}

// --- help ---------------------------------------------------------------------------------------------------

function commandName(words: readonly string[]): string {
  return [PROGRAM, ...words].join(' ');
}

function listing(entries: { name: string; summary: string }[]): string {
  const width = Math.max(...entries.map((entry) => entry.name.length)) + 2;
  return entries.map((entry) => `  ${entry.name.padEnd(width)}${entry.summary}`).join('\n');
}

export function commandHelp(command: Command): string {
  const lines = [`${command.summary}`, '', `Usage: ${commandName(command.words)} ${command.usage}`.trimEnd(), '', 'Options:', formatFlags([...command.flags, HELP_FLAG])];
  if (command.details) lines.push('', command.details.trim());
  return `${lines.join('\n')}\n`;
}

function groupHelp(registry: CommandRegistry, group: CommandGroup): string {
  const commands = registry.commands.filter((command) => command.words[0] === group.word);
  return [
    group.summary,
    '',
    `Usage: ${PROGRAM} ${group.word} <command> [options]`,
    '',
    'Commands:',
    listing(commands.map((command) => ({ name: command.words.slice(1).join(' '), summary: command.summary }))),
    '',
    `Run '${PROGRAM} ${group.word} <command> --help' for a command's options.`,
    '',
  ].join('\n');
}

export function programHelp(registry: CommandRegistry): string {
  return [
    `${PROGRAM} ${registry.version}: ${registry.description}`,
    '',
    `Usage: ${PROGRAM} <command> [options]`,
    '',
    'Commands:',
    listing(registry.commands.map((command) => ({ name: command.words.join(' '), summary: command.summary }))),
    '',
    `Run '${PROGRAM} <command> --help' for a command's options, '${PROGRAM} --version' for the version.`,
    `Passphrases are read from ${'HEARING_DESK_PASSPHRASE'} or asked for on the terminal, never from an option.`,
    '',
  ].join('\n');
}

// --- running ------------------------------------------------------------------------------------------------

class HelpRequest {
  constructor(readonly text: string) {}
}

function wantsHelp(argv: readonly string[]): boolean {
  for (const arg of argv) {
    if (arg === '--') return false;
    if (arg === '--help' || arg === '-h') return true;
  }
  return false;
}

/** Works out which command the words at the front of argv name; throws UsageError or HelpRequest otherwise. */
function resolve(registry: CommandRegistry, argv: readonly string[]): { command: Command; rest: string[] } {
  const [first, ...afterFirst] = argv;
  if (first === undefined) throw new UsageError('no command given');
  if (first === '--help' || first === '-h') throw new HelpRequest(programHelp(registry));
  if (first === 'help') {
    const words = afterFirst.filter((word) => !word.startsWith('-'));
    return resolve(registry, [...words, '--help']);
  }
  const candidates = registry.commands.filter((command) => command.words[0] === first);
  const group = registry.groups.find((candidate) => candidate.word === first);
  if (candidates.length === 0) {
    throw new UsageError(first.startsWith('-') ? `unknown option ${first}` : `unknown command '${first}'`);
  }
  // Longest match first, so a group may hold both "x" and "x y".
  const sorted = [...candidates].sort((a, b) => b.words.length - a.words.length);
  for (const command of sorted) {
    if (command.words.every((word, i) => argv[i] === word)) return { command, rest: argv.slice(command.words.length) };
  }
  const next = afterFirst[0];
  if (group && (next === undefined || next.startsWith('-'))) {
    if (wantsHelp(afterFirst)) throw new HelpRequest(groupHelp(registry, group));
    const names = candidates.map((command) => command.words.slice(1).join(' ')).join(', ');
    throw Object.assign(new UsageError(`'${first}' needs a command: ${names}`), { helpFor: first });
  }
  throw Object.assign(new UsageError(`unknown command '${[first, next].join(' ')}'`), { helpFor: first });
}

function contextFor(command: Command, args: ParsedArgs, io: CliIo): CommandContext {
  return {
    io,
    args,
    positionals: args.positionals,
    value: (name) => args.flags.get(name)?.[0],
    values: (name) => args.flags.get(name) ?? [],
    has: (name) => args.booleans.has(name),
    note: (line) => void io.stderr.write(`${line}\n`),
    usageError: (message) => {
      throw new UsageError(message);
    },
  };
}

function checkPositionals(command: Command, positionals: readonly string[]): void {
  const { min, max, name } = command.positionals;
  if (positionals.length < min) throw new UsageError(`missing ${name}`);
  if (positionals.length > max) {
    const extra = positionals[max]!;
    throw new UsageError(max === 0 ? `unexpected argument '${extra}'` : `too many arguments: only ${max === 1 ? 'one' : max} ${name} (unexpected '${extra}')`);
  }
}

export { systemErrorWords } from '../../shared/system-errors';

/** A failure as one plain line: AppError messages as written, system errors in words, anything else briefly. */
export function describeFailure(error: unknown): string {
  if (isAppError(error)) return error.message;
  const words = systemErrorWords(error);
  if (words) {
    const path = (error as NodeJS.ErrnoException).path;
    return `${path ? `${path}: ` : ''}${words}.`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return `unexpected internal error: ${message.split('\n', 1)[0]}`;
}

function isBrokenPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE';
}

/** Runs one command line and resolves to the exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo, registry: CommandRegistry): Promise<number> {
  let command: Command | null = null;
  const hintFor = (words: string): string => `Run '${PROGRAM}${words ? ` ${words}` : ''} --help' for usage.`;
  try {
    if (argv[0] === '--version' || argv[0] === '-V') {
      io.stdout.write(`${PROGRAM} ${registry.version}\n`);
      return EXIT_OK;
    }
    if (argv.length === 0) {
      io.stderr.write(programHelp(registry));
      return EXIT_USAGE;
    }
    let resolved: { command: Command; rest: string[] };
    try {
      resolved = resolve(registry, argv);
    } catch (error) {
      if (!(error instanceof HelpRequest)) refuseSecretsInArgv(argv); // "unknown option --passphrase" would not say why
      throw error;
    }
    command = resolved.command;
    if (wantsHelp(resolved.rest)) {
      io.stdout.write(commandHelp(command));
      return EXIT_OK;
    }
    refuseSecretsInArgv(resolved.rest);
    const args = parseArgs(resolved.rest, [...command.flags]);
    checkPositionals(command, args.positionals);
    await command.run(contextFor(command, args, io));
    return EXIT_OK;
  } catch (error) {
    if (error instanceof HelpRequest) {
      io.stdout.write(error.text);
      return EXIT_OK;
    }
    if (error instanceof UsageError) {
      const helpWords = command ? command.words.join(' ') : ((error as UsageError & { helpFor?: string }).helpFor ?? '');
      io.stderr.write(`${commandName(command ? command.words : [])}: ${error.message}\n${hintFor(helpWords)}\n`);
      return EXIT_USAGE;
    }
    if (isBrokenPipe(error)) return EXIT_FAILURE; // the reader went away (`| head`): nothing useful to say
    io.stderr.write(`${PROGRAM}: error: ${describeFailure(error)}\n`);
    if (io.env.HEARING_DESK_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT_FAILURE;
  }
}
