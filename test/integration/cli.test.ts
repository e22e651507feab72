// The built `hearing-desk` command, run as a child process exactly as a user would run it, judged by the reference
// Go `age` and `age-keygen` (required: these tests fail, never skip, without them). Prompts need a terminal:
// script(1) gives the child one; everything else runs detached from any terminal, so a prompt fails fast instead
// of waiting on the developer's keyboard.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliInto } from '../helpers/cli-build';
import { registry } from '../../electron/cli/commands';
import { decrypt, encrypt, generateIdentity, identityToRecipient, inspectHeader, parseIdentityFile } from '../../electron/services/crypto/age';
import { generateEd25519Seed } from '../../electron/services/crypto/ed25519';
import { sealEnvelopeBytes } from '../../electron/services/crypto/envelope';
import { fingerprintOf } from '../../electron/services/identities';
import { Session } from '../../electron/services/session';
import { fixture, pattern, randomishBytes } from '../fixtures/age/builders';
import { tempDir, TEST_SCRYPT } from '../helpers/temp';

const AGE = '/usr/bin/age';
const AGE_KEYGEN = '/usr/bin/age-keygen';
const SCRIPT = '/usr/bin/script';
const FIXTURE_PASSPHRASE = 'fixture passphrase, protects nothing'; // test/fixtures/age/README.md
const FILE_PASSPHRASE = 'fictional cli passphrase';
const PROFILE_PASSPHRASE = 'harbour violet canyon pebble';

// Built here with the options scripts/build.mjs uses for dist/cli/hearing-desk.cjs, into a location of this test's
// own: always from the current sources, and independent of the rest of the tree building.
const CLI = join(process.cwd(), 'dist/test/cli/hearing-desk.cjs');

let dir: ReturnType<typeof tempDir>;
let savedUmask: number;
let theirKeyFile: string;
let theirRecipient: string;

function path(name: string): string {
  return join(dir.path, name);
}

interface CliResult {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Runs the CLI without a terminal, with only the environment given (no ambient HEARING_DESK_PASSPHRASE). */
function hearingDesk(args: string[], options: { input?: Uint8Array; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: dir.path,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir.path, XDG_CONFIG_HOME: path('xdg'), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true, // a new session: no controlling terminal
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString() }));
    child.stdin.on('error', () => undefined); // the CLI may exit before reading its input
    child.stdin.end(options.input);
  });
}

function shellQuote(args: string[]): string {
  return args.map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
}

/**
 * Runs a command on a pseudo-terminal and answers its prompts as a person would: each reply is typed only once
 * its prompt has appeared. Resolves to the exit code and everything the terminal showed.
 */
function inTerminal(command: string[], replies: { after: string; type: string }[], env: Record<string, string> = {}): Promise<{ code: number | null; screen: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(SCRIPT, ['-qec', shellQuote(command), '/dev/null'], {
      cwd: dir.path,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir.path, TERM: 'dumb', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let screen = '';
    let searchFrom = 0;
    const pending = [...replies];
    const onOutput = (data: Buffer) => {
      screen += data.toString();
      const next = pending[0];
      if (!next) return;
      const at = screen.indexOf(next.after, searchFrom);
      if (at === -1) return;
      searchFrom = at + next.after.length;
      pending.shift();
      child.stdin.write(`${next.type}\r`);
    };
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, screen }));
  });
}

function age(args: string[], input?: Uint8Array): Buffer {
  return execFileSync(AGE, args, { input, cwd: dir.path, maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** Files left in the working directory by a failed write: temporary ".partial" siblings. */
function leftovers(): string[] {
  return readdirSync(dir.path).filter((name) => name.endsWith('.partial'));
}

function expectSame(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.compare(Buffer.from(actual), Buffer.from(expected))).toBe(0);
}

beforeAll(async () => {
  const missing = [AGE, AGE_KEYGEN, SCRIPT].filter((tool) => !existsSync(tool));
  if (missing.length > 0) throw new Error(`The reference tools are required and missing: ${missing.join(', ')}. Install them with: apt-get install age util-linux`);
  await buildCliInto(CLI);
  // With no umask, a file is exactly as private as the CLI made it: the 0600 checks below cannot pass by accident.
  savedUmask = process.umask(0);
  dir = tempDir('hd-cli-');
  theirKeyFile = path('their-key.txt');
  execFileSync(AGE_KEYGEN, ['-o', theirKeyFile], { stdio: 'pipe' });
  theirRecipient = execFileSync(AGE_KEYGEN, ['-y', theirKeyFile]).toString().trim();
});

afterAll(() => {
  if (savedUmask !== undefined) process.umask(savedUmask);
  dir?.cleanup();
});

describe('help and usage', () => {
  it('prints the program help listing every command', async () => {
    const result = await hearingDesk(['--help']);
    expect(result.code).toBe(0);
    for (const command of registry.commands) expect(result.stdout.toString()).toContain(command.words.join(' '));
  });

  it('prints help for every group and command', async () => {
    const groups = new Set(registry.commands.map((command) => command.words[0]!));
    for (const group of groups) {
      const result = await hearingDesk([group, '--help']);
      expect(result.code, group).toBe(0);
      expect(result.stdout.toString()).toContain(`Usage: hearing-desk ${group} <command>`);
    }
    for (const command of registry.commands) {
      const result = await hearingDesk([...command.words, '-h']);
      expect(result.code, command.words.join(' ')).toBe(0);
      expect(result.stdout.toString()).toContain(`Usage: hearing-desk ${command.words.join(' ')}`);
    }
  });

  it('gives a usage error with a one-line hint for an unknown command or option', async () => {
    const unknownCommand = await hearingDesk(['age', 'scramble']);
    expect(unknownCommand.code).toBe(2);
    expect(unknownCommand.stderr).toBe("hearing-desk: unknown command 'age scramble'\nRun 'hearing-desk age --help' for usage.\n");
    const unknownFlag = await hearingDesk(['age', 'encrypt', '--armor', '-r', theirRecipient]);
    expect(unknownFlag.code).toBe(2);
    expect(unknownFlag.stderr).toBe("hearing-desk age encrypt: unknown option --armor\nRun 'hearing-desk age encrypt --help' for usage.\n");
    const noRecipient = await hearingDesk(['age', 'encrypt'], { input: Buffer.from('x') });
    expect(noRecipient.code).toBe(2);
    expect(noRecipient.stderr).toContain('missing recipients');
  });

  it('refuses a passphrase given as an option, without echoing it', async () => {
    for (const args of [
      ['age', 'decrypt', '--passphrase', 'hunter2', 'file.age'],
      ['age', 'encrypt', '--passphrase=hunter2', 'file'],
      ['profile', 'export-identity', '--password', 'hunter2'],
    ]) {
      const result = await hearingDesk(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toContain('secrets are never taken from the command line');
      expect(result.stderr).not.toContain('hunter2');
    }
  });
});

describe('age encrypt: the reference age decrypts what we encrypt', () => {
  for (const size of [0, 65_536, 200 * 1024 + 3]) {
    it(`${size} bytes, file to file`, async () => {
      const plaintext = randomishBytes(size, size + 11);
      writeFileSync(path(`plain-${size}`), plaintext);
      const result = await hearingDesk(['age', 'encrypt', '-r', theirRecipient, '-o', `ours-${size}.age`, `plain-${size}`]);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.length).toBe(0);
      expectSame(age(['-d', '-i', theirKeyFile, path(`ours-${size}.age`)]), plaintext);
    });
  }

  it('stdin to stdout, to every key in a recipients file', async () => {
    const ours = generateIdentity();
    writeFileSync(path('our-key.txt'), `${ours.identity}\n`, { mode: 0o600 });
    writeFileSync(path('recipients.txt'), `# the panel (fictional)\n\n${theirRecipient}\n  ${ours.recipient}  \n`);
    const plaintext = randomishBytes(70_000, 5);
    const result = await hearingDesk(['age', 'encrypt', '-R', 'recipients.txt'], { input: plaintext });
    expect(result.code, result.stderr).toBe(0);
    expect((await inspectHeader(result.stdout)).x25519Recipients).toBe(2);
    expectSame(age(['-d', '-i', theirKeyFile], result.stdout), plaintext);
    expectSame(age(['-d', '-i', path('our-key.txt')], result.stdout), plaintext);
  });

  it('with a passphrase from HEARING_DESK_PASSPHRASE, opened by age -d at its prompt', async () => {
    const plaintext = randomishBytes(100_000, 6);
    writeFileSync(path('plain-p'), plaintext);
    const result = await hearingDesk(['age', 'encrypt', '-p', '-o', 'ours-p.age', 'plain-p'], { env: { HEARING_DESK_PASSPHRASE: FILE_PASSPHRASE } });
    expect(result.code, result.stderr).toBe(0);
    const reference = await inTerminal([AGE, '-d', '-o', path('ours-p.out'), path('ours-p.age')], [{ after: 'passphrase', type: FILE_PASSPHRASE }]);
    expect(reference.code, reference.screen).toBe(0);
    expectSame(readFileSync(path('ours-p.out')), plaintext);
  });

  it('with a passphrase typed twice at the prompt, never echoed', async () => {
    const typed = 'typed at the fictional prompt';
    writeFileSync(path('plain-typed'), 'typed content');
    const terminal = await inTerminal(
      [process.execPath, CLI, 'age', 'encrypt', '-p', '-o', path('ours-typed.age'), path('plain-typed')],
      [{ after: 'Passphrase:', type: typed }, { after: 'Confirm passphrase:', type: typed }],
    );
    expect(terminal.code, terminal.screen).toBe(0);
    expect(terminal.screen).not.toContain(typed);
    const reference = await inTerminal([AGE, '-d', '-o', path('ours-typed.out'), path('ours-typed.age')], [{ after: 'passphrase', type: typed }]);
    expect(reference.code, reference.screen).toBe(0);
    expect(readFileSync(path('ours-typed.out'), 'utf8')).toBe('typed content');
  });

  it('refuses two different passphrases at the prompt and writes nothing', async () => {
    writeFileSync(path('plain-mismatch'), 'content');
    const terminal = await inTerminal(
      [process.execPath, CLI, 'age', 'encrypt', '-p', '-o', path('mismatch.age'), path('plain-mismatch')],
      [{ after: 'Passphrase:', type: 'one fictional passphrase' }, { after: 'Confirm passphrase:', type: 'another one' }],
    );
    expect(terminal.code).toBe(1);
    expect(terminal.screen).toContain('do not match');
    expect(existsSync(path('mismatch.age'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('refuses to write binary to a terminal, as age does', async () => {
    const terminal = await inTerminal([process.execPath, CLI, 'age', 'encrypt', '-r', theirRecipient], []);
    expect(terminal.code).toBe(1);
    expect(terminal.screen).toContain('Refusing to write encrypted (binary) output to the terminal');
  });

  it('names the bad recipient and its line', async () => {
    const bad = await hearingDesk(['age', 'encrypt', '-r', 'age1notakey', '-o', 'never.age'], { input: Buffer.from('x') });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('-r "age1notakey": This is not a valid age public key');
    writeFileSync(path('bad-recipients.txt'), `${theirRecipient}\nssh-ed25519 AAAAC3fictional\n`);
    const badFile = await hearingDesk(['age', 'encrypt', '-R', 'bad-recipients.txt', '-o', 'never.age'], { input: Buffer.from('x') });
    expect(badFile.code).toBe(1);
    expect(badFile.stderr).toContain('bad-recipients.txt, line 2: SSH keys are not supported');
    expect(existsSync(path('never.age'))).toBe(false);
  });
});

describe('age decrypt: we decrypt what the reference age encrypts', () => {
  it('file to file, with an identity file from age-keygen', async () => {
    const plaintext = randomishBytes(300_000, 7);
    writeFileSync(path('theirs.in'), plaintext);
    age(['-r', theirRecipient, '-o', path('theirs.age'), path('theirs.in')]);
    const result = await hearingDesk(['age', 'decrypt', '-i', theirKeyFile, '-o', 'theirs.out', 'theirs.age']);
    expect(result.code, result.stderr).toBe(0);
    expectSame(readFileSync(path('theirs.out')), plaintext);
    expect(statSync(path('theirs.out')).mode & 0o777).toBe(0o600);
  });

  it('stdin to stdout, trying every identity given', async () => {
    const plaintext = randomishBytes(65_536 * 2, 8);
    const file = age(['-r', theirRecipient], plaintext);
    const unrelated = generateIdentity();
    writeFileSync(path('unrelated-key.txt'), `${unrelated.identity}\n`, { mode: 0o600 });
    const result = await hearingDesk(['age', 'decrypt', '-i', 'unrelated-key.txt', '-i', theirKeyFile], { input: file });
    expect(result.code, result.stderr).toBe(0);
    expectSame(result.stdout, plaintext);
  });

  it('detects a passphrase file made by age -p and reads HEARING_DESK_PASSPHRASE', async () => {
    const plaintext = randomishBytes(5_000, 9);
    writeFileSync(path('theirs-p.in'), plaintext);
    const made = await inTerminal(
      [AGE, '-p', '-o', path('theirs-p.age'), path('theirs-p.in')],
      [{ after: 'Enter passphrase', type: FILE_PASSPHRASE }, { after: 'Confirm passphrase', type: FILE_PASSPHRASE }],
    );
    expect(made.code, made.screen).toBe(0);
    const result = await hearingDesk(['age', 'decrypt', '-o', 'theirs-p.out', 'theirs-p.age'], { env: { HEARING_DESK_PASSPHRASE: FILE_PASSPHRASE } });
    expect(result.code, result.stderr).toBe(0);
    expectSame(readFileSync(path('theirs-p.out')), plaintext);
  });

  it('decrypts the reference passphrase fixture from stdin', async () => {
    const result = await hearingDesk(['age', 'decrypt'], { input: fixture('passphrase-pattern-100.age'), env: { HEARING_DESK_PASSPHRASE: FIXTURE_PASSPHRASE } });
    expect(result.code, result.stderr).toBe(0);
    expectSame(result.stdout, pattern(100));
  });

  it('refuses a wrong passphrase, and a passphrase file when no passphrase can be had', async () => {
    const wrong = await hearingDesk(['age', 'decrypt', '-o', 'fixture.out', join(process.cwd(), 'test/fixtures/age/passphrase-pattern-100.age')], {
      env: { HEARING_DESK_PASSPHRASE: 'not the fixture passphrase' },
    });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe('hearing-desk: error: The passphrase is wrong.\n');
    const none = await hearingDesk(['age', 'decrypt', '-o', 'fixture.out'], { input: fixture('passphrase-pattern-100.age') });
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('set HEARING_DESK_PASSPHRASE');
    expect(existsSync(path('fixture.out'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('asks for a key file when a keyed file is given no identity', async () => {
    const result = await hearingDesk(['age', 'decrypt', '-o', 'nokey.out'], { input: age(['-r', theirRecipient], Buffer.from('x')) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is encrypted to an age key, not with a passphrase: give your key file with -i');
    expect(existsSync(path('nokey.out'))).toBe(false);
  });
});

describe('age decrypt: failures leave no output behind', () => {
  const plaintext = randomishBytes(3 * 65_536 + 100, 10);
  let file: Buffer;
  beforeAll(() => {
    file = age(['-r', theirRecipient], plaintext);
  });

  it('wrong identity: exit 1, a specific message, no output file, an existing file untouched', async () => {
    const stranger = generateIdentity();
    writeFileSync(path('stranger-key.txt'), `${stranger.identity}\n`, { mode: 0o600 });
    writeFileSync(path('wrong.age'), file);
    const fresh = await hearingDesk(['age', 'decrypt', '-i', 'stranger-key.txt', '-o', 'wrong.out', 'wrong.age']);
    expect(fresh.code).toBe(1);
    expect(fresh.stderr).toBe('hearing-desk: error: This file is not addressed to you: none of your keys can open it.\n');
    expect(existsSync(path('wrong.out'))).toBe(false);
    writeFileSync(path('kept.out'), 'earlier content');
    const over = await hearingDesk(['age', 'decrypt', '-i', 'stranger-key.txt', '-o', 'kept.out', 'wrong.age']);
    expect(over.code).toBe(1);
    expect(readFileSync(path('kept.out'), 'utf8')).toBe('earlier content');
    expect(leftovers()).toEqual([]);
  });

  it('file cut at a chunk boundary, after plaintext was already decrypted: exit 1, no output file', async () => {
    const header = await inspectHeader(file);
    const cut = header.headerBytes + 16 + 2 * (65_536 + 16); // two whole chunks, the rest missing
    writeFileSync(path('cut.age'), file.subarray(0, cut));
    const result = await hearingDesk(['age', 'decrypt', '-i', theirKeyFile, '-o', 'cut.out', 'cut.age']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('The file is incomplete');
    expect(existsSync(path('cut.out'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('file cut inside a chunk: exit 1, no output file', async () => {
    writeFileSync(path('cut-inside.age'), file.subarray(0, file.length - 50));
    const result = await hearingDesk(['age', 'decrypt', '-i', theirKeyFile, '-o', 'cut-inside.out', 'cut-inside.age']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^hearing-desk: error: The file (is incomplete|is damaged, incomplete or has been altered)/);
    expect(existsSync(path('cut-inside.out'))).toBe(false);
    expect(leftovers()).toEqual([]);
  });

  it('a file that is not age at all, and a missing input', async () => {
    writeFileSync(path('not-age.txt'), 'plain words, not an encrypted file\n');
    const notAge = await hearingDesk(['age', 'decrypt', '-i', theirKeyFile, '-o', 'not-age.out', 'not-age.txt']);
    expect(notAge.code).toBe(1);
    expect(notAge.stderr).not.toContain('    at ');
    expect(existsSync(path('not-age.out'))).toBe(false);
    const missing = await hearingDesk(['age', 'decrypt', '-i', theirKeyFile, 'no-such-file.age']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe('hearing-desk: error: Cannot read no-such-file.age: no such file or directory.\n');
  });
});

describe('age keygen', () => {
  it('writes a key file age-keygen agrees with, mode 0600, and prints the public key', async () => {
    const result = await hearingDesk(['age', 'keygen', '-o', 'made-key.txt']);
    expect(result.code, result.stderr).toBe(0);
    const printed = /^Public key: (age1[a-z0-9]+)$/m.exec(result.stderr)?.[1];
    expect(printed).toBeDefined();
    expect(statSync(path('made-key.txt')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path('made-key.txt'), 'utf8')).toContain(`# public key: ${printed}\n`);
    expect(execFileSync(AGE_KEYGEN, ['-y', path('made-key.txt')]).toString().trim()).toBe(printed);
    const converted = await hearingDesk(['age', 'keygen', '-y', 'made-key.txt']);
    expect(converted.stdout.toString()).toBe(`${printed}\n`);
  });

  it('never overwrites an existing key file', async () => {
    writeFileSync(path('existing-key.txt'), 'precious');
    const result = await hearingDesk(['age', 'keygen', '-o', 'existing-key.txt']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('already exists');
    expect(readFileSync(path('existing-key.txt'), 'utf8')).toBe('precious');
  });
});

describe('bundle inspect', () => {
  it('summarises a sealed envelope without a key, consistent with its decrypted size', async () => {
    const readers = [generateIdentity(), generateIdentity(), generateIdentity()];
    const author = generateIdentity();
    const sealed = await sealEnvelopeBytes({
      type: 'hearing-desk/bundle@1',
      payload: randomishBytes(150_000, 12),
      author: { signingSeed: generateEd25519Seed(), ageRecipient: author.recipient },
      recipients: readers.map((reader) => reader.recipient),
    });
    writeFileSync(path('case.hdbundle'), sealed);
    const json = await hearingDesk(['bundle', 'inspect', '--json', 'case.hdbundle']);
    expect(json.code, json.stderr).toBe(0);
    const summary = JSON.parse(json.stdout.toString());
    const sealedContent = await decrypt(sealed, [readers[1]!.identity]);
    expect(summary).toMatchObject({
      file: 'case.hdbundle',
      sizeBytes: sealed.length,
      format: 'age-encryption.org/v1',
      stanzaTypes: ['X25519', 'X25519', 'X25519'],
      x25519Recipients: 3,
      scrypt: null,
      headerBytes: (await inspectHeader(sealed)).headerBytes,
      sealedContentBytes: sealedContent.length,
      chunks: Math.ceil(sealedContent.length / 65_536),
      problem: null,
    });
    const plain = await hearingDesk(['bundle', 'inspect', 'case.hdbundle']);
    expect(plain.code).toBe(0);
    expect(plain.stdout.toString()).toContain('3 age keys');
    expect(plain.stdout.toString()).toContain(`${sealed.length.toLocaleString('en-GB')} bytes`);
  });

  it('reports a passphrase file, a truncated file, and a file that is not age', async () => {
    writeFileSync(path('fixture-p.age'), fixture('passphrase-pattern-100.age'));
    const passphrase = JSON.parse((await hearingDesk(['bundle', 'inspect', '--json', 'fixture-p.age'])).stdout.toString());
    expect(passphrase).toMatchObject({ scrypt: { workFactor: 18 }, x25519Recipients: 0, sealedContentBytes: 100 });
    const full = await encrypt(randomishBytes(10, 1), [theirRecipient]);
    writeFileSync(path('header-only.age'), full.subarray(0, (await inspectHeader(full)).headerBytes + 16));
    const cut = JSON.parse((await hearingDesk(['bundle', 'inspect', '--json', 'header-only.age'])).stdout.toString());
    expect(cut.sealedContentBytes).toBeNull();
    expect(cut.problem).toContain('truncated');
    writeFileSync(path('plain.txt'), 'not sealed');
    const notAge = await hearingDesk(['bundle', 'inspect', 'plain.txt']);
    expect(notAge.code).toBe(1);
    expect(notAge.stderr).toMatch(/^hearing-desk: error: .+\n$/);
  });
});

describe('with a profile', () => {
  let profileDir: string;
  let recipient: string;
  let fingerprint: string;
  const env = { HEARING_DESK_PASSPHRASE: PROFILE_PASSPHRASE };

  beforeAll(async () => {
    profileDir = path('profile');
    const session = new Session({ profileDirectory: profileDir, scrypt: TEST_SCRYPT, dialogs: { saveFile: async () => null } });
    await session.createProfile({ name: 'Rowan Ashdown', role: 'panellist', passphrase: PROFILE_PASSPHRASE });
    ({ fingerprint } = session.myCard());
    recipient = session.myCard().card.ageRecipient;
    session.lock();
  });

  it('exports the identity, mode 0600 with a warning, and the reference age opens what was sealed to the profile', async () => {
    const result = await hearingDesk(['profile', 'export-identity', '--profile', profileDir, '-o', 'exported-key.txt'], { env });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('warning: this is your secret key');
    expect(statSync(path('exported-key.txt')).mode & 0o777).toBe(0o600);
    const [identity] = parseIdentityFile(readFileSync(path('exported-key.txt'), 'utf8'));
    expect(identityToRecipient(identity!)).toBe(recipient);
    expect(execFileSync(AGE_KEYGEN, ['-y', path('exported-key.txt')]).toString().trim()).toBe(recipient);
    const plaintext = randomishBytes(80_000, 13);
    writeFileSync(path('for-rowan'), plaintext);
    const sealed = await hearingDesk(['age', 'encrypt', '-r', recipient, '-o', 'for-rowan.age', 'for-rowan']);
    expect(sealed.code, sealed.stderr).toBe(0);
    expectSame(age(['-d', '-i', path('exported-key.txt'), path('for-rowan.age')]), plaintext);
    const again = await hearingDesk(['profile', 'export-identity', '--profile', profileDir, '-o', 'exported-key.txt'], { env });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('already exists');
  });

  it('decrypts with the profile identity', async () => {
    const plaintext = randomishBytes(1_000, 14);
    const file = age(['-r', recipient], plaintext);
    const result = await hearingDesk(['age', 'decrypt', '--profile', profileDir], { input: file, env });
    expect(result.code, result.stderr).toBe(0);
    expectSame(result.stdout, plaintext);
  });

  it('refuses a wrong profile passphrase, a missing one, and a directory with no profile', async () => {
    const wrong = await hearingDesk(['profile', 'export-identity', '--profile', profileDir, '-o', 'never-key.txt'], { env: { HEARING_DESK_PASSPHRASE: 'not it at all' } });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain('That passphrase is not correct');
    const missing = await hearingDesk(['profile', 'export-identity', '--profile', profileDir, '-o', 'never-key.txt']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('set HEARING_DESK_PASSPHRASE');
    const empty = await hearingDesk(['profile', 'export-identity', '--profile', path('nobody'), '-o', 'never-key.txt'], { env });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('There is no Hearing Desk profile in');
    expect(existsSync(path('never-key.txt'))).toBe(false);
  });

  it('exports the card, which card show verifies; an altered card is refused', async () => {
    const exported = await hearingDesk(['card', 'export', '--profile', profileDir, '-o', 'rowan.hdcard'], { env });
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stderr).toContain(`Fingerprint: ${fingerprint}`);
    const shown = await hearingDesk(['card', 'show', 'rowan.hdcard']);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout.toString()).toContain('Rowan Ashdown');
    expect(shown.stdout.toString()).toContain(fingerprint);
    expect(shown.stdout.toString()).toContain(recipient);
    const json = JSON.parse((await hearingDesk(['card', 'show', '--json', 'rowan.hdcard'])).stdout.toString());
    expect(json.fingerprint).toBe(fingerprintOf(json.signingKey, json.ageRecipient));
    writeFileSync(path('altered.hdcard'), readFileSync(path('rowan.hdcard'), 'utf8').replace('Rowan Ashdown', 'Rowan Ashdowne'));
    const altered = await hearingDesk(['card', 'show', 'altered.hdcard']);
    expect(altered.code).toBe(1);
    expect(altered.stderr).toContain('has been altered');
  });
});
