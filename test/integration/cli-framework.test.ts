// The command-line framework in-process: resolution, help, usage errors, exit codes and the refusal of secrets
// in argv, on a small registry of its own (the real commands are run as a child process in cli.test.ts).
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { parseArgs, UsageError } from '../../electron/cli/args';
import { defineCommand, runCli, type CliIo, type CommandRegistry } from '../../electron/cli/framework';
import { registry as realRegistry } from '../../electron/cli/commands';

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  calls: string[];
}

const calls: string[] = [];

const registry: CommandRegistry = {
  description: 'test tool',
  version: '9.9.9',
  groups: [{ word: 'thing', summary: 'Things' }],
  commands: [
    defineCommand({
      words: ['thing', 'make'],
      summary: 'Make a thing',
      usage: '[-n NAME]... [--loud] FILE',
      flags: [
        { name: 'name', short: 'n', takesValue: true, repeatable: true, valueName: 'NAME', description: 'a name' },
        { name: 'loud', takesValue: false, description: 'be loud' },
      ],
      positionals: { min: 1, max: 1, name: 'FILE' },
      async run(context) {
        calls.push(`make ${context.positionals[0]} names=${context.values('name').join(',')} loud=${context.has('loud')}`);
        context.io.stdout.write('made\n');
      },
    }),
    defineCommand({
      words: ['thing', 'fail'],
      summary: 'Fail plainly',
      usage: '',
      flags: [],
      positionals: { min: 0, max: 0, name: 'argument' },
      async run() {
        throw new AppError('thing-broken', 'The thing is broken: try another one.');
      },
    }),
    defineCommand({
      words: ['thing', 'crash'],
      summary: 'Fail unexpectedly',
      usage: '',
      flags: [],
      positionals: { min: 0, max: 0, name: 'argument' },
      async run() {
        throw new TypeError('cannot read properties of undefined\n    at somewhere (file.ts:1:1)');
      },
    }),
    defineCommand({
      words: ['thing', 'missing'],
      summary: 'Open a missing file',
      usage: '',
      flags: [],
      positionals: { min: 0, max: 0, name: 'argument' },
      async run() {
        const { readFile } = await import('node:fs/promises');
        await readFile('/nonexistent/hearing-desk-test-file');
      },
    }),
  ],
};

async function run(argv: string[], target: CommandRegistry = registry): Promise<Ran> {
  calls.length = 0;
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const io: CliIo = { stdin: new PassThrough(), stdout, stderr, env: {}, stdinIsTTY: false, stdoutIsTTY: false };
  const code = await runCli(argv, io, target);
  return { code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), calls: [...calls] };
}

describe('the command-line framework', () => {
  it('runs a command with its flags and positionals', async () => {
    const ran = await run(['thing', 'make', '-n', 'a', '--name=b', '--loud', 'file.txt']);
    expect(ran).toMatchObject({ code: 0, stdout: 'made\n', stderr: '' });
    expect(ran.calls).toEqual(['make file.txt names=a,b loud=true']);
  });

  it('prints help for the program, a group and a command, on stdout with exit 0', async () => {
    const program = await run(['--help']);
    expect(program.code).toBe(0);
    expect(program.stdout).toContain('thing make');
    expect(program.stdout).toContain('thing fail');
    const group = await run(['thing', '--help']);
    expect(group.code).toBe(0);
    expect(group.stdout).toContain('Usage: hearing-desk thing <command>');
    const command = await run(['thing', 'make', '--help']);
    expect(command.code).toBe(0);
    expect(command.stdout).toContain('Usage: hearing-desk thing make [-n NAME]... [--loud] FILE');
    expect(command.stdout).toContain('-n, --name NAME');
    expect(command.calls).toEqual([]);
    expect((await run(['help', 'thing', 'make'])).stdout).toBe(command.stdout);
    expect((await run(['--version'])).stdout).toBe('hearing-desk 9.9.9\n');
  });

  const usageCases: [string, string[], string, string][] = [
    ['no arguments', [], 'Usage: hearing-desk <command>', ''],
    ['an unknown command', ['nothing'], "unknown command 'nothing'", "Run 'hearing-desk --help' for usage."],
    ['an unknown subcommand', ['thing', 'melt'], "unknown command 'thing melt'", "Run 'hearing-desk thing --help' for usage."],
    ['a group without subcommand', ['thing'], "'thing' needs a command: make, fail, crash, missing", "Run 'hearing-desk thing --help' for usage."],
    ['an unknown flag', ['thing', 'make', '--quiet', 'f'], 'unknown option --quiet', "Run 'hearing-desk thing make --help' for usage."],
    ['a missing value', ['thing', 'make', 'f', '-n'], '--name needs a value', "Run 'hearing-desk thing make --help' for usage."],
    ['a missing positional', ['thing', 'make'], 'missing FILE', "Run 'hearing-desk thing make --help' for usage."],
    ['an extra positional', ['thing', 'make', 'a', 'b'], "unexpected 'b'", "Run 'hearing-desk thing make --help' for usage."],
    ['a value given to a boolean', ['thing', 'make', '--loud=yes', 'f'], '--loud takes no value', "Run 'hearing-desk thing make --help' for usage."],
  ];
  for (const [label, argv, message, hint] of usageCases) {
    it(`gives a usage error (exit 2) for ${label}`, async () => {
      const ran = await run(argv);
      expect(ran.code).toBe(2);
      expect(ran.stdout).toBe('');
      expect(ran.stderr).toContain(message);
      if (hint) expect(ran.stderr.trimEnd().split('\n').at(-1)).toBe(hint);
      expect(ran.calls).toEqual([]);
    });
  }

  it('reports an AppError as its plain message with exit 1', async () => {
    const ran = await run(['thing', 'fail']);
    expect(ran).toMatchObject({ code: 1, stdout: '', stderr: 'hearing-desk: error: The thing is broken: try another one.\n' });
  });

  it('reports an unexpected error in one line, without a stack trace', async () => {
    const ran = await run(['thing', 'crash']);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toBe('hearing-desk: error: unexpected internal error: cannot read properties of undefined\n');
  });

  it('reports a system error in words', async () => {
    const ran = await run(['thing', 'missing']);
    expect(ran.code).toBe(1);
    expect(ran.stderr).toBe('hearing-desk: error: /nonexistent/hearing-desk-test-file: no such file or directory.\n');
  });

  for (const argv of [
    ['thing', 'make', '--passphrase', 'hunter2', 'f'],
    ['thing', 'make', '--password=hunter2', 'f'],
    ['--secret', 'hunter2', 'thing', 'make', 'f'],
    ['nothing', '--passphrase', 'hunter2'],
  ]) {
    it(`refuses a secret on the command line: ${argv.join(' ')}`, async () => {
      const ran = await run(argv);
      expect(ran.code).toBe(2);
      expect(ran.stderr).toContain('secrets are never taken from the command line');
      expect(ran.stderr).toContain('HEARING_DESK_PASSPHRASE');
      expect(ran.stderr).not.toContain('hunter2');
      expect(ran.calls).toEqual([]);
    });
  }

  it('refuses an age secret key pasted into argv, without repeating it', async () => {
    const key = 'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ';
    const ran = await run(['thing', 'make', '-n', key, 'f']);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('put it in a file');
    expect(ran.stderr).not.toContain(key);
  });

  it('leaves everything after -- to the command as positionals', () => {
    expect(parseArgs(['--', '--loud'], [{ name: 'loud', takesValue: false, description: '' }]).positionals).toEqual(['--loud']);
    expect(() => parseArgs(['--loud'], [])).toThrow(UsageError);
  });
});

describe('the real command list', () => {
  it('has help for every command, every option of which has a description', async () => {
    for (const command of realRegistry.commands) {
      const ran = await run([...command.words, '--help'], realRegistry);
      expect(ran.code, command.words.join(' ')).toBe(0);
      expect(ran.stdout).toContain(`Usage: hearing-desk ${command.words.join(' ')}`);
      for (const flag of command.flags) {
        expect(flag.description.length).toBeGreaterThan(0);
        expect(ran.stdout).toContain(`--${flag.name}`);
      }
    }
  });

  it('has no option whose value could be a secret', () => {
    const names = realRegistry.commands.flatMap((command) => command.flags.filter((flag) => flag.takesValue).map((flag) => flag.name));
    expect(names.filter((name) => /pass(word|phrase)?$|secret|^key$|^pin$/.test(name))).toEqual([]);
  });
});
