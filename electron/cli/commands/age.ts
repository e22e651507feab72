// `hearing-desk age …`: age v1 files, with the flags of the reference `age` and `age-keygen` tools, so an auditor
// can check anything Hearing Desk makes with tools it did not write. Everything streams: memory stays bounded
// whatever the file size.
import { readFile } from 'node:fs/promises';
import { AppError } from '../../../shared/errors';
import {
  AgeError,
  encryptStream,
  encryptStreamWithPassphrase,
  generateIdentity,
  identityToRecipient,
  inspectHeader,
  isAgeError,
  openAge,
  openAgeWithPassphrase,
  parseIdentityFile,
  parseRecipient,
  type AgeHeaderSummary,
  type ByteSource,
} from '../../services/crypto/age';
import { MAX_HEADER_BYTES } from '../../services/crypto/age-header';
import { concat } from '../../services/crypto/byte-reader';
import { defineCommand, type CommandContext } from '../framework';
import { isStandardStream, openInput, openOutput, writeAllTo, writeNewPrivateFile, writeText, type Input } from '../io';
import { PROFILE_FLAG, profileDirectoryOf, withUnlockedProfile } from '../profile';
import { PASSPHRASE_ENV, readNewSecret, readSecret } from '../secrets';

/** Key and recipient files are a few lines; anything larger is not one. */
const MAX_KEY_FILE_BYTES = 1024 * 1024;

async function readKeyFile(path: string, what: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new AppError('input-unreadable', `Cannot read the ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message}.`);
  }
  if (bytes.length > MAX_KEY_FILE_BYTES) throw new AppError('input-unreadable', `${path} is too large to be a ${what}.`);
  return bytes.toString('utf8');
}

// --- encrypt ------------------------------------------------------------------------------------------------

function checkedRecipient(text: string, where: string): string {
  if (/^(ssh-|ecdsa-)/.test(text)) {
    throw new AgeError('invalid-recipient', `${where}: SSH keys are not supported as recipients; use an age key ("age1…").`);
  }
  try {
    parseRecipient(text);
  } catch (error) {
    throw isAgeError(error) ? new AgeError('invalid-recipient', `${where}: ${error.message}`) : error;
  }
  return text;
}

/** Recipient files as age reads them: one key per line, blank lines and "#" comments ignored. */
async function recipientsFromFile(path: string): Promise<string[]> {
  const text = await readKeyFile(path, 'recipients file');
  const recipients: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    recipients.push(checkedRecipient(line, `${path}, line ${index + 1}`));
  });
  if (recipients.length === 0) throw new AgeError('no-recipients', `The recipients file ${path} lists no recipients.`);
  return recipients;
}

const BINARY_TO_TERMINAL =
  'Refusing to write encrypted (binary) output to the terminal: give -o FILE or redirect the output to a file.';

export const ageEncrypt = defineCommand({
  words: ['age', 'encrypt'],
  summary: 'Encrypt a file to age recipients or with a passphrase (like age -e)',
  usage: '(-r RECIPIENT | -R RECIPIENTS_FILE)... [-o OUTPUT] [INPUT]\n       hearing-desk age encrypt -p [-o OUTPUT] [INPUT]',
  flags: [
    { name: 'recipient', short: 'r', takesValue: true, valueName: 'RECIPIENT', repeatable: true, description: 'encrypt to this age public key ("age1…")' },
    { name: 'recipients-file', short: 'R', takesValue: true, valueName: 'FILE', repeatable: true, description: 'encrypt to every key listed in this file' },
    { name: 'with-passphrase', short: 'p', takesValue: false, description: `encrypt with a passphrase (from ${PASSPHRASE_ENV} or asked for twice)` },
    { name: 'output', short: 'o', takesValue: true, valueName: 'OUTPUT', description: 'write to this file (default: standard output)' },
  ],
  positionals: { min: 0, max: 1, name: 'INPUT file' },
  details: `INPUT defaults to standard input and OUTPUT to standard output; "-" means either. The output file is
written beside OUTPUT and renamed into place only when encryption has finished. The result opens with the
reference tool: age -d -i KEY_FILE, or age -d for a passphrase file. Passphrases are never options: give -p and
set ${PASSPHRASE_ENV}, or type it when asked.`,
  async run(context) {
    const recipients = context.values('recipient').map((recipient) => checkedRecipient(recipient, `-r ${JSON.stringify(recipient)}`));
    for (const file of context.values('recipients-file')) recipients.push(...(await recipientsFromFile(file)));
    const withPassphrase = context.has('with-passphrase');
    if (withPassphrase && recipients.length > 0) context.usageError('-p cannot be combined with -r or -R');
    if (!withPassphrase && recipients.length === 0) context.usageError('missing recipients: give -r RECIPIENT, -R RECIPIENTS_FILE or -p');

    const output = await openOutput(context.io, context.value('output'), { mode: 0o666, refuseTerminal: BINARY_TO_TERMINAL });
    let input: Input | null = null;
    try {
      input = await openInput(context.io, context.positionals[0]);
      const chunks = withPassphrase
        ? encryptStreamWithPassphrase(input.source, await readNewSecret('Passphrase: ', 'Confirm passphrase: ', PASSPHRASE_ENV, context.io.env))
        : encryptStream(input.source, [...new Set(recipients)]);
      await writeAllTo(output, chunks);
    } catch (error) {
      await output.abandon();
      throw error;
    } finally {
      await input?.close();
    }
  },
});

// --- decrypt ------------------------------------------------------------------------------------------------

async function identitiesFromFile(path: string): Promise<string[]> {
  const text = await readKeyFile(path, 'identity file');
  if (text.startsWith('age-encryption.org/')) {
    throw new AgeError('invalid-identity', `${path} is itself an encrypted age file; passphrase-protected identity files are not supported: decrypt it first.`);
  }
  try {
    return parseIdentityFile(text);
  } catch (error) {
    throw isAgeError(error) ? new AgeError('invalid-identity', `${path}: ${error.message}`) : error;
  }
}

/**
 * Reads just enough of a stream to parse the age header (to learn whether the file wants a passphrase), and
 * returns a stream that replays those bytes followed by the rest: stdin cannot be rewound.
 */
export async function readHeaderAhead(source: AsyncIterable<Uint8Array>): Promise<{ header: AgeHeaderSummary; source: ByteSource }> {
  const iterator = source[Symbol.asyncIterator]();
  const buffered: Uint8Array[] = [];
  let total = 0;
  let ended = false;
  let header: AgeHeaderSummary | null = null;
  try {
    while (!header) {
      if (!ended && total <= MAX_HEADER_BYTES) {
        const next = await iterator.next();
        if (next.done) ended = true;
        else {
          buffered.push(next.value);
          total += next.value.length;
        }
      }
      const reachedLimit = ended || total > MAX_HEADER_BYTES;
      try {
        // A header that parses from a prefix is the header: it ends at its MAC line whatever follows.
        header = await inspectHeader(concat(buffered, total));
      } catch (error) {
        if (reachedLimit) throw error;
      }
    }
  } catch (error) {
    await iterator.return?.();
    throw error;
  }
  async function* replay(): AsyncGenerator<Uint8Array> {
    try {
      yield* buffered;
      buffered.length = 0;
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  return { header, source: ended ? buffered : replay() };
}

export const ageDecrypt = defineCommand({
  words: ['age', 'decrypt'],
  summary: 'Decrypt an age file with key files, your profile, or a passphrase (like age -d)',
  usage: '[-i IDENTITY_FILE]... [--profile DIR] [-o OUTPUT] [INPUT]',
  flags: [
    { name: 'identity', short: 'i', takesValue: true, valueName: 'FILE', repeatable: true, description: 'use the secret keys in this file (as written by age-keygen)' },
    PROFILE_FLAG,
    { name: 'output', short: 'o', takesValue: true, valueName: 'OUTPUT', description: 'write to this file (default: standard output)' },
  ],
  positionals: { min: 0, max: 1, name: 'INPUT file' },
  details: `With neither -i nor --profile, a passphrase file (made with age -p) is detected and its passphrase
read from ${PASSPHRASE_ENV} or asked for. --profile uses your Hearing Desk identity (the profile's passphrase
then comes from ${PASSPHRASE_ENV} or the prompt). OUTPUT is written beside its final name, readable only by you,
and appears only once the whole file has decrypted and authenticated: a damaged or truncated file leaves
nothing behind. On standard output, data is released chunk by chunk as it authenticates; a later failure
then still exits 1.`,
  async run(context) {
    const identities: string[] = [];
    for (const file of context.values('identity')) identities.push(...(await identitiesFromFile(file)));
    if (context.value(PROFILE_FLAG.name) !== undefined) {
      // The vault is open only long enough to read the key; decryption runs after it is locked again.
      identities.push(await withUnlockedProfile(context.io, profileDirectoryOf(context), async ({ identity }) => identity.ageIdentity));
    }
    const inputPath = context.positionals[0];
    if (isStandardStream(inputPath) && context.io.stdinIsTTY) context.usageError('give the file to decrypt, or pipe it in');
    const input = await openInput(context.io, inputPath);
    try {
      const output = await openOutput(context.io, context.value('output'), { mode: 0o600 });
      try {
        const opened = identities.length > 0 ? await openAge(input.source, identities) : await openWithPassphrase(context, input);
        await writeAllTo(output, opened.payload);
      } catch (error) {
        await output.abandon();
        throw error;
      }
    } finally {
      await input.close();
    }
  },
});

async function openWithPassphrase(context: CommandContext, input: Input) {
  const ahead = await readHeaderAhead(input.source);
  if (!ahead.header.scrypt) {
    const count = ahead.header.x25519Recipients;
    throw new AppError(
      'identity-required',
      `${input.name} is encrypted to ${count === 1 ? 'an age key' : `${count} age keys`}, not with a passphrase: give your key file with -i, or your profile with --profile.`,
    );
  }
  const passphrase = await readSecret('Passphrase: ', PASSPHRASE_ENV, context.io.env);
  return openAgeWithPassphrase(ahead.source, passphrase);
}

// --- keygen -------------------------------------------------------------------------------------------------

function rfc3339Now(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const ageKeygen = defineCommand({
  words: ['age', 'keygen'],
  summary: 'Make a new age key pair, or print the public keys of a key file (like age-keygen)',
  usage: '[-o OUTPUT]\n       hearing-desk age keygen -y [-o OUTPUT] [INPUT]',
  flags: [
    { name: 'output', short: 'o', takesValue: true, valueName: 'OUTPUT', description: 'write the key to this new file (mode 0600; never overwritten)' },
    { name: 'to-public', short: 'y', takesValue: false, description: 'print the public keys ("age1…") of the key file INPUT instead' },
  ],
  positionals: { min: 0, max: 1, name: 'INPUT key file' },
  details: `The key file has the age-keygen format: "# created", "# public key: age1…", then the secret key
"AGE-SECRET-KEY-1…". When it goes to a file or a pipe, the public key is also printed on standard error.`,
  async run(context) {
    const outputPath = context.value('output');
    if (context.has('to-public')) {
      const input = context.positionals[0];
      const text = isStandardStream(input) ? await readAllText(context) : await readKeyFile(input, 'identity file');
      let identities: string[];
      try {
        identities = parseIdentityFile(text);
      } catch (error) {
        throw isAgeError(error) ? new AgeError('invalid-identity', `${input ?? 'standard input'}: ${error.message}`) : error;
      }
      await writeText(context.io, outputPath, identities.map((identity) => `${identityToRecipient(identity)}\n`).join(''), 0o666);
      return;
    }
    if (context.positionals.length > 0) context.usageError(`unexpected argument '${context.positionals[0]}' (INPUT is for -y)`);
    const { identity, recipient } = generateIdentity();
    const text = `# created: ${rfc3339Now()}\n# public key: ${recipient}\n${identity}\n`;
    if (isStandardStream(outputPath)) {
      await writeText(context.io, undefined, text, 0o600);
      if (!context.io.stdoutIsTTY) context.note(`Public key: ${recipient}`);
    } else {
      await writeNewPrivateFile(outputPath, text);
      context.note(`Public key: ${recipient}`);
    }
  },
});

async function readAllText(context: CommandContext): Promise<string> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of context.io.stdin as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > MAX_KEY_FILE_BYTES) throw new AppError('input-unreadable', 'Standard input is too large to be a key file.');
    parts.push(chunk);
  }
  return Buffer.from(concat(parts, total)).toString('utf8');
}

export const ageCommands = [ageEncrypt, ageDecrypt, ageKeygen];
