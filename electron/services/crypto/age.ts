// age v1 (https://c2sp.org/age): encryption to X25519 recipients or to a passphrase (scrypt), streaming with
// bounded memory whatever the file size. Interoperates with the reference age tools.
//
// Streaming contract: plaintext is released one authenticated 64 KiB chunk at a time, so a consumer may already
// have received part of a file when a later chunk turns out to be damaged. Treat the output as provisional until
// the iteration ends without throwing (write to a temporary file; commit only afterwards).
import { hkdfSync, randomBytes, scrypt as scryptCallback, type ScryptOptions } from 'node:crypto';
import { AgeError, truncated } from './age-errors';
import {
  AGE_VERSION_LINE,
  FILE_KEY_BYTES,
  buildHeader,
  decodeBase64Strict,
  encodeBase64NoPadding,
  headerMacMatches,
  readHeader,
  type Stanza,
} from './age-header';
import { parseIdentity, parseRecipient } from './age-keys';
import { PAYLOAD_NONCE_BYTES, chachaOpen, chachaSeal, decryptPayload, derivePayloadKey, encryptPayload } from './age-stream';
import { ByteReader, collect, concat, type ByteSource } from './byte-reader';
import { generateX25519Secret, x25519PublicFromSecret, x25519SharedSecret } from './x25519';

export { AgeError, AGE_ERROR_CODES, isAgeError, type AgeErrorCode } from './age-errors';
export {
  generateIdentity,
  identityToRecipient,
  parseIdentity,
  parseRecipient,
  encodeIdentity,
  encodeRecipient,
  isValidRecipient,
  parseIdentityFile,
  x25519RawFromIdentity,
  type AgeKeyPair,
} from './age-keys';
export type { ByteSource } from './byte-reader';
export { CHUNK_SIZE } from './age-stream';

const X25519_LABEL = 'age-encryption.org/v1/X25519';
const SCRYPT_LABEL = 'age-encryption.org/v1/scrypt';
const ZERO_NONCE = new Uint8Array(12);
/** age's own default: about a second and 256 MiB on a laptop. */
export const DEFAULT_SCRYPT_WORK_FACTOR = 18;
/** Refused by default above 2^20 (1 GiB of memory); callers may raise it to the reference implementation's 2^22, never more. */
export const DEFAULT_MAX_SCRYPT_WORK_FACTOR = 20;
const HARD_MAX_SCRYPT_WORK_FACTOR = 22;

export interface AgeStanzaSummary {
  type: string;
  args: readonly string[];
}

/** What an age file says about itself without being decrypted. */
export interface AgeHeaderSummary {
  version: typeof AGE_VERSION_LINE;
  stanzas: readonly AgeStanzaSummary[];
  /** Number of X25519 recipient stanzas (recipients are anonymous: who they are cannot be read from the file). */
  x25519Recipients: number;
  /** Present when the file is protected by a passphrase. */
  scrypt: { workFactor: number } | null;
  /** Header size in bytes (the encrypted payload starts right after). */
  headerBytes: number;
}

export interface OpenedAgeFile {
  header: AgeHeaderSummary;
  /** Single use. Closes the source when it finishes, throws, or the consumer stops early. */
  payload: AsyncGenerator<Uint8Array, void, undefined>;
  /** Releases the source without reading the payload (needed only if the payload is never iterated). */
  close(): Promise<void>;
}

type FileKeyUnwrapper = (stanzas: readonly Stanza[]) => Promise<Uint8Array>;

// --- X25519 recipients --------------------------------------------------------------------------------------

function x25519WrapKey(sharedSecret: Uint8Array, share: Uint8Array, recipientPublic: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', sharedSecret, concat([share, recipientPublic]), X25519_LABEL, 32));
}

/** Low level: the X25519 recipient stanza wrapping this file key (exported for tests that hand-build files). */
export function wrapFileKeyForRecipient(fileKey: Uint8Array, recipient: string): Stanza {
  return wrapForX25519(fileKey, parseRecipient(recipient));
}

function wrapForX25519(fileKey: Uint8Array, recipientPublic: Uint8Array): Stanza {
  const ephemeral = generateX25519Secret();
  const share = x25519PublicFromSecret(ephemeral);
  const shared = x25519SharedSecret(ephemeral, recipientPublic);
  ephemeral.fill(0);
  if (!shared) throw new AgeError('invalid-recipient', 'This age public key is not usable (it is a degenerate key).');
  const wrapKey = x25519WrapKey(shared, share, recipientPublic);
  const body = chachaSeal(fileKey, ZERO_NONCE, wrapKey);
  wrapKey.fill(0);
  return { type: 'X25519', args: [encodeBase64NoPadding(share)], body };
}

function x25519Unwrapper(identities: readonly string[]): FileKeyUnwrapper {
  if (identities.length === 0) throw new AgeError('invalid-identity', 'No secret key was given to open the file with.');
  const keys = identities.map((identity) => {
    const secret = parseIdentity(identity);
    return { secret, publicKey: x25519PublicFromSecret(secret) };
  });
  return async (stanzas) => {
    for (const stanza of stanzas) {
      if (stanza.type !== 'X25519') continue;
      const share = decodeBase64Strict(stanza.args[0]!)!; // shape already checked by readHeader
      for (const key of keys) {
        const shared = x25519SharedSecret(key.secret, share);
        if (!shared) throw new AgeError('header-malformed', "The file's encryption header is damaged or malformed (an X25519 share is a degenerate key).");
        const wrapKey = x25519WrapKey(shared, share, key.publicKey);
        const fileKey = new Uint8Array(FILE_KEY_BYTES);
        const opened = chachaOpen(fileKey, stanza.body, ZERO_NONCE, wrapKey);
        wrapKey.fill(0);
        if (opened) return fileKey;
      }
    }
    const passphraseFile = stanzas.some((stanza) => stanza.type === 'scrypt');
    throw new AgeError(
      'no-identity-matched',
      passphraseFile
        ? 'This file is protected by a passphrase, not addressed to your key.'
        : 'This file is not addressed to you: none of your keys can open it.',
    );
  };
}

// --- passphrase (scrypt) ------------------------------------------------------------------------------------

function scryptKey(passphrase: string, salt: Uint8Array, workFactor: number): Promise<Buffer> {
  const N = 2 ** workFactor;
  // Node refuses scrypt above maxmem (32 MiB by default); 128·N·r bytes are needed, doubled for headroom.
  const options: ScryptOptions = { N, r: 8, p: 1, maxmem: 2 * 128 * N * 8 };
  const labelledSalt = concat([new TextEncoder().encode(SCRYPT_LABEL), salt]);
  return new Promise((resolve, reject) => {
    scryptCallback(Buffer.from(passphrase, 'utf8'), labelledSalt, 32, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

function checkPassphrase(passphrase: string): void {
  if (typeof passphrase !== 'string' || passphrase.length === 0) {
    throw new AgeError('invalid-passphrase', 'A passphrase is required.');
  }
}

function checkWorkFactor(workFactor: number, ceiling: number): void {
  if (!Number.isInteger(workFactor) || workFactor < 1 || workFactor > ceiling) {
    throw new RangeError(`The scrypt work factor must be an integer from 1 to ${ceiling}.`);
  }
}

function passphraseUnwrapper(passphrase: string, maxWorkFactor: number): FileKeyUnwrapper {
  checkPassphrase(passphrase);
  checkWorkFactor(maxWorkFactor, HARD_MAX_SCRYPT_WORK_FACTOR);
  return async (stanzas) => {
    const stanza = stanzas.find((candidate) => candidate.type === 'scrypt'); // readHeader made sure it is alone
    if (!stanza) {
      throw new AgeError('no-identity-matched', 'This file is addressed to keys, not protected by a passphrase.');
    }
    const salt = decodeBase64Strict(stanza.args[0]!)!;
    const workFactor = Number(stanza.args[1]);
    if (workFactor > maxWorkFactor) {
      throw new AgeError(
        'scrypt-too-expensive',
        `This file asks for an unreasonably expensive passphrase check (work factor ${workFactor}, the limit is ${maxWorkFactor}); it was refused to protect this computer.`,
        { workFactor, maxWorkFactor },
      );
    }
    const wrapKey = await scryptKey(passphrase, salt, workFactor);
    const fileKey = new Uint8Array(FILE_KEY_BYTES);
    const opened = chachaOpen(fileKey, stanza.body, ZERO_NONCE, wrapKey);
    wrapKey.fill(0);
    if (!opened) throw new AgeError('wrong-passphrase', 'The passphrase is wrong.');
    return fileKey;
  };
}

// --- files --------------------------------------------------------------------------------------------------

function summarize(stanzas: readonly Stanza[], headerBytes: number): AgeHeaderSummary {
  const scryptStanza = stanzas.find((stanza) => stanza.type === 'scrypt');
  return {
    version: AGE_VERSION_LINE,
    stanzas: stanzas.map((stanza) => ({ type: stanza.type, args: [...stanza.args] })),
    x25519Recipients: stanzas.filter((stanza) => stanza.type === 'X25519').length,
    scrypt: scryptStanza ? { workFactor: Number(scryptStanza.args[1]) } : null,
    headerBytes,
  };
}

async function openWith(source: ByteSource, unwrap: FileKeyUnwrapper): Promise<OpenedAgeFile> {
  const reader = new ByteReader(source);
  try {
    const header = await readHeader(reader);
    const fileKey = await unwrap(header.stanzas);
    const macMatches = headerMacMatches(fileKey, header);
    if (!macMatches) {
      fileKey.fill(0);
      throw new AgeError('header-mac-mismatch', "The file's encryption header has been altered or damaged (its integrity check failed).");
    }
    const nonce = new Uint8Array(PAYLOAD_NONCE_BYTES);
    if ((await reader.readInto(nonce)) !== PAYLOAD_NONCE_BYTES) throw truncated('right after its encryption header');
    const payloadKey = derivePayloadKey(fileKey, nonce);
    fileKey.fill(0);
    const payload = decryptPayload(reader, payloadKey);
    const close = async (): Promise<void> => {
      await payload.return(undefined);
      await reader.close(); // a generator never started skips its finally, so the reader is closed here too
    };
    return { header: summarize(header.stanzas, header.length), payload, close };
  } catch (error) {
    await reader.close();
    throw error;
  }
}

async function* encryptWith(source: ByteSource, makeStanzas: (fileKey: Uint8Array) => Promise<Stanza[]>): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = new ByteReader(source);
  try {
    const fileKey = new Uint8Array(randomBytes(FILE_KEY_BYTES));
    const header = buildHeader(fileKey, await makeStanzas(fileKey));
    const nonce = randomBytes(PAYLOAD_NONCE_BYTES);
    const payloadKey = derivePayloadKey(fileKey, nonce);
    fileKey.fill(0);
    yield concat([header, nonce]);
    yield* encryptPayload(reader, payloadKey);
  } finally {
    await reader.close();
  }
}

/**
 * Reads the header, finds the file key with one of the identities and checks the header MAC; the payload is then
 * decrypted as it is iterated. Header and key problems are thrown here, before any plaintext exists.
 */
export function openAge(source: ByteSource, identities: readonly string[]): Promise<OpenedAgeFile> {
  try {
    return openWith(source, x25519Unwrapper(identities));
  } catch (error) {
    return Promise.reject(error);
  }
}

export function openAgeWithPassphrase(source: ByteSource, passphrase: string, options: { maxWorkFactor?: number } = {}): Promise<OpenedAgeFile> {
  try {
    return openWith(source, passphraseUnwrapper(passphrase, options.maxWorkFactor ?? DEFAULT_MAX_SCRYPT_WORK_FACTOR));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Encrypts to one or more "age1…" recipients. Recipients are checked now; the source is read as the result is iterated. */
export function encryptStream(source: ByteSource, recipients: readonly string[]): AsyncGenerator<Uint8Array, void, undefined> {
  if (recipients.length === 0) throw new AgeError('no-recipients', 'A file must be encrypted to at least one recipient.');
  const publicKeys = recipients.map(parseRecipient);
  return encryptWith(source, async (fileKey) => publicKeys.map((publicKey) => wrapForX25519(fileKey, publicKey)));
}

export function encryptStreamWithPassphrase(
  source: ByteSource,
  passphrase: string,
  options: { workFactor?: number } = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  checkPassphrase(passphrase);
  const workFactor = options.workFactor ?? DEFAULT_SCRYPT_WORK_FACTOR;
  checkWorkFactor(workFactor, HARD_MAX_SCRYPT_WORK_FACTOR);
  return encryptWith(source, async (fileKey) => {
    const salt = randomBytes(16);
    const wrapKey = await scryptKey(passphrase, salt, workFactor);
    const body = chachaSeal(fileKey, ZERO_NONCE, wrapKey);
    wrapKey.fill(0);
    return [{ type: 'scrypt', args: [encodeBase64NoPadding(salt), String(workFactor)], body }];
  });
}

export async function* decryptStream(source: ByteSource, identities: readonly string[]): AsyncGenerator<Uint8Array, void, undefined> {
  yield* (await openAge(source, identities)).payload;
}

export async function* decryptStreamWithPassphrase(
  source: ByteSource,
  passphrase: string,
  options: { maxWorkFactor?: number } = {},
): AsyncGenerator<Uint8Array, void, undefined> {
  yield* (await openAgeWithPassphrase(source, passphrase, options)).payload;
}

// In-memory conveniences, for data known to be small.
export async function encrypt(plaintext: Uint8Array, recipients: readonly string[]): Promise<Uint8Array> {
  return collect(encryptStream(plaintext, recipients));
}
export async function decrypt(file: Uint8Array, identities: readonly string[]): Promise<Uint8Array> {
  return collect(decryptStream(file, identities));
}
export async function encryptWithPassphrase(plaintext: Uint8Array, passphrase: string, options: { workFactor?: number } = {}): Promise<Uint8Array> {
  return collect(encryptStreamWithPassphrase(plaintext, passphrase, options));
}
export async function decryptWithPassphrase(file: Uint8Array, passphrase: string, options: { maxWorkFactor?: number } = {}): Promise<Uint8Array> {
  return collect(decryptStreamWithPassphrase(file, passphrase, options));
}

/**
 * Reads only the header (the first bytes of a file, or a stream that is then closed) and reports what it declares.
 * Checks the header's form, not its MAC: that needs the file key.
 */
export async function inspectHeader(source: ByteSource): Promise<AgeHeaderSummary> {
  const reader = new ByteReader(source);
  try {
    const header = await readHeader(reader);
    return summarize(header.stanzas, header.length);
  } finally {
    await reader.close();
  }
}
