// Interoperability with the reference implementation, Debian's Go `age` CLI, in both directions.
// The CLI is a required judge (CI installs it): if it is missing these tests fail, they never skip.
import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decrypt,
  decryptStream,
  decryptWithPassphrase,
  encrypt,
  encryptStream,
  encryptWithPassphrase,
  generateIdentity,
  identityToRecipient,
  parseIdentityFile,
} from '../../electron/services/crypto/age';
import { collect } from '../../electron/services/crypto/byte-reader';
import { randomishBytes } from '../fixtures/age/builders';

const AGE = '/usr/bin/age';
const AGE_KEYGEN = '/usr/bin/age-keygen';
const SCRIPT = '/usr/bin/script';
const PASSPHRASE = 'fictional interop passphrase';

function requireTools(): void {
  const missing = [AGE, AGE_KEYGEN, SCRIPT].filter((tool) => !existsSync(tool));
  if (missing.length > 0) {
    throw new Error(`The reference age tools are required for this test and are missing: ${missing.join(', ')}. Install them with: apt-get install age util-linux`);
  }
}

let dir: string;
const ours = generateIdentity();
let theirIdentity: string;
let theirRecipient: string;

function path(name: string): string {
  return join(dir, name);
}

function age(args: string[], input?: Uint8Array): Buffer {
  return execFileSync(AGE, args, { input, maxBuffer: 64 * 1024 * 1024, stdio: ['pipe', 'pipe', 'pipe'] });
}

/** age reads passphrases only from a terminal; script(1) gives it one, and stdin stays open until it exits. */
function ageWithTerminal(args: string[], typed: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const command = [AGE, ...args].map((arg) => `'${arg.replaceAll("'", "'\\''")}'`).join(' ');
    const child = spawn(SCRIPT, ['-qec', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (data: Buffer) => (output += data.toString()));
    child.stderr.on('data', (data: Buffer) => (output += data.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`age ${args.join(' ')} exited with ${code}: ${output}`))));
    child.stdin.write(typed.map((line) => `${line}\n`).join(''));
  });
}

beforeAll(() => {
  requireTools();
  dir = mkdtempSync(join(tmpdir(), 'hd-age-interop-'));
  execFileSync(AGE_KEYGEN, ['-o', path('their-key.txt')], { stdio: 'pipe' });
  theirIdentity = parseIdentityFile(readFileSync(path('their-key.txt'), 'utf8'))[0]!;
  theirRecipient = execFileSync(AGE_KEYGEN, ['-y', path('their-key.txt')]).toString().trim();
  writeFileSync(path('our-key.txt'), `# fictional test key\n${ours.identity}\n`, { mode: 0o600 });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the reference tools', () => {
  it('are installed', () => {
    requireTools();
  });

  it('derive the same recipient from an identity as we do', () => {
    expect(execFileSync(AGE_KEYGEN, ['-y', path('our-key.txt')]).toString().trim()).toBe(ours.recipient);
    expect(identityToRecipient(theirIdentity)).toBe(theirRecipient);
  });
});

describe('files we encrypt, the reference decrypts', () => {
  for (const size of [0, 5, 65_536, 200 * 1024]) {
    it(`${size} bytes`, async () => {
      const plaintext = randomishBytes(size, size + 3);
      writeFileSync(path(`ours-${size}.age`), await encrypt(plaintext, [ours.recipient]));
      expect(Buffer.compare(age(['-d', '-i', path('our-key.txt'), path(`ours-${size}.age`)]), plaintext)).toBe(0);
    });
  }

  it('to several recipients, including a key made by age-keygen', async () => {
    const plaintext = randomishBytes(70_000, 1);
    writeFileSync(path('ours-multi.age'), await encrypt(plaintext, [ours.recipient, theirRecipient]));
    expect(Buffer.compare(age(['-d', '-i', path('our-key.txt'), path('ours-multi.age')]), plaintext)).toBe(0);
    expect(Buffer.compare(age(['-d', '-i', path('their-key.txt'), path('ours-multi.age')]), plaintext)).toBe(0);
  });

  it('streamed to a file (3 MiB + 1 byte)', async () => {
    const plaintext = randomishBytes(3 * 1024 * 1024 + 1, 2);
    await pipeline(Readable.from(encryptStream(Readable.from([plaintext]), [theirRecipient])), createWriteStream(path('ours-stream.age')));
    expect(Buffer.compare(age(['-d', '-i', path('their-key.txt'), path('ours-stream.age')]), plaintext)).toBe(0);
  });

  it('with a passphrase', async () => {
    const plaintext = randomishBytes(100_000, 3);
    writeFileSync(path('ours-passphrase.age'), await encryptWithPassphrase(plaintext, PASSPHRASE, { workFactor: 12 }));
    await ageWithTerminal(['-d', '-o', path('ours-passphrase.out'), path('ours-passphrase.age')], [PASSPHRASE]);
    expect(Buffer.compare(readFileSync(path('ours-passphrase.out')), plaintext)).toBe(0);
  });
});

describe('files the reference encrypts, we decrypt', () => {
  for (const size of [0, 5, 65_536, 200 * 1024]) {
    it(`${size} bytes`, async () => {
      const plaintext = randomishBytes(size, size + 4);
      const file = age(['-r', ours.recipient], plaintext);
      expect(Buffer.compare(await decrypt(file, [ours.identity]), plaintext)).toBe(0);
      expect(await decrypt(file, [theirIdentity]).catch((error: { code?: string }) => error.code)).toBe('no-identity-matched');
    });
  }

  it('to several recipients, opened with an age-keygen identity', async () => {
    const plaintext = randomishBytes(70_000, 5);
    const file = age(['-r', theirRecipient, '-r', ours.recipient], plaintext);
    expect(Buffer.compare(await decrypt(file, [theirIdentity]), plaintext)).toBe(0);
    expect(Buffer.compare(await decrypt(file, [ours.identity]), plaintext)).toBe(0);
  });

  it('streamed from a file (3 MiB + 1 byte)', async () => {
    const plaintext = randomishBytes(3 * 1024 * 1024 + 1, 6);
    writeFileSync(path('theirs-stream.in'), plaintext);
    age(['-r', ours.recipient, '-o', path('theirs-stream.age'), path('theirs-stream.in')]);
    const decrypted = await collect(decryptStream(createReadStream(path('theirs-stream.age')), [ours.identity]));
    expect(Buffer.compare(decrypted, plaintext)).toBe(0);
  });

  it('with a passphrase (age -p, work factor 18)', async () => {
    const plaintext = randomishBytes(100_000, 7);
    writeFileSync(path('theirs-passphrase.in'), plaintext);
    await ageWithTerminal(['-p', '-o', path('theirs-passphrase.age'), path('theirs-passphrase.in')], [PASSPHRASE, PASSPHRASE]);
    const file = new Uint8Array(readFileSync(path('theirs-passphrase.age')));
    expect(Buffer.compare(await decryptWithPassphrase(file, PASSPHRASE), plaintext)).toBe(0);
  });
});
