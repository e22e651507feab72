// The sealed envelope (docs/envelope.md): Hearing Desk's one format for every file that leaves a laptop.
// An age v1 file to exactly the intended recipients, whose plaintext is a magic line, a canonical JSON header,
// the payload, and the author's Ed25519 signature over both. Streams: a 1 GB payload is never held in memory.
//
// Opening contract: the header and payload bytes handed out before the payload iteration ends are NOT yet
// authenticated by the author's signature. Write them somewhere provisional, and commit (rename into place, import,
// act on) only after the iteration has completed without throwing, when `verified` is true.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { encryptStream, identityToRecipient, isValidRecipient, openAge, type OpenedAgeFile } from './age';
import { ByteReader, collect, concat, type ByteSource } from './byte-reader';
import { ED25519_SIGNATURE_BYTES, ed25519PublicFromSeed, ed25519Sign, ed25519Verify } from './ed25519';

export const ENVELOPE_VERSION = 'hearing-desk/envelope@1';
const MAGIC = new TextEncoder().encode(`${ENVELOPE_VERSION}\n`);
const MAGIC_FAMILY = 'hearing-desk/envelope@';
export const MAX_ENVELOPE_HEADER_BYTES = 64 * 1024;
export const MAX_ENVELOPE_RECIPIENTS = 256;
const SHA256_BYTES = 32;

/**
 * Every kind of payload that travels in an envelope, with how messages name it.
 * Add a type here when a new kind of file starts travelling; bump its @version when its content format changes.
 */
export const PAYLOAD_TYPES = {
  'hearing-desk/bundle@1': 'a hearing bundle',
  'hearing-desk/annotations@1': 'a set of shared annotations',
  'hearing-desk/decision@1': 'a panel decision',
  'hearing-desk/declaration@1': "a participant's conflict declaration and training record",
  'hearing-desk/outcome@1': 'an outcome record',
  'hearing-desk/for-signature@1': 'an outcome record sent for signature',
  'hearing-desk/signature@1': 'a signature on an outcome record',
} as const;
export type PayloadType = keyof typeof PAYLOAD_TYPES;

export function isPayloadType(value: unknown): value is PayloadType {
  return typeof value === 'string' && Object.hasOwn(PAYLOAD_TYPES, value);
}

export const ENVELOPE_ERROR_CODES = [
  'not-an-envelope',
  'unsupported-envelope-version',
  'header-malformed',
  'unknown-payload-type',
  'unexpected-payload-type',
  'declared-size-absurd',
  'not-listed-recipient',
  'recipients-mismatch',
  'unexpected-author',
  'length-mismatch',
  'signature-invalid',
  'invalid-argument',
] as const;
export type EnvelopeErrorCode = (typeof ENVELOPE_ERROR_CODES)[number];

export class EnvelopeError extends AppError {
  declare readonly code: EnvelopeErrorCode;
  constructor(code: EnvelopeErrorCode, message: string, details?: unknown) {
    super(code, message, details);
    this.name = 'EnvelopeError';
  }
}

// --- header -------------------------------------------------------------------------------------------------

const ageRecipient = z.string().refine(isValidRecipient);
const base64Ed25519Key = z.string().regex(/^[A-Za-z0-9+/]{43}=$/).refine((text) => Buffer.from(text, 'base64').length === 32);
const isoUtcMillis = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  .refine((text) => !Number.isNaN(Date.parse(text)) && new Date(text).toISOString() === text);

const EnvelopeHeaderSchema = z.strictObject({
  author: z.strictObject({ ageRecipient, signingKey: base64Ed25519Key }),
  createdAt: isoUtcMillis,
  payloadLength: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  // Any printable ASCII here; whether the type is known is a separate, more helpful error.
  payloadType: z.string().regex(/^[\x21-\x7e]{1,128}$/),
  recipients: z.array(ageRecipient).min(1).max(MAX_ENVELOPE_RECIPIENTS),
});

export interface EnvelopeHeader {
  author: { ageRecipient: string; /** Ed25519 public key, base64 (padded). */ signingKey: string };
  /** ISO 8601 UTC with milliseconds, e.g. 2026-11-22T10:15:00.000Z. Stated by the author, not proven. */
  createdAt: string;
  payloadLength: number;
  payloadType: string;
  /** The intended recipients, sorted and unique. */
  recipients: string[];
}

/** The one canonical serialisation: keys in lexicographic order, no whitespace. All values are plain ASCII. */
export function serializeEnvelopeHeader(header: EnvelopeHeader): string {
  return JSON.stringify({
    author: { ageRecipient: header.author.ageRecipient, signingKey: header.author.signingKey },
    createdAt: header.createdAt,
    payloadLength: header.payloadLength,
    payloadType: header.payloadType,
    recipients: header.recipients,
  });
}

function headerMalformed(reason: string): EnvelopeError {
  return new EnvelopeError('header-malformed', `This sealed file's header is malformed (${reason}).`, { reason });
}

function parseHeader(bytes: Uint8Array): EnvelopeHeader {
  const text = Buffer.from(bytes).toString('latin1');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw headerMalformed('not valid JSON');
  }
  const parsed = EnvelopeHeaderSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw headerMalformed(`${issue?.path.join('.') || 'header'} is invalid`);
  }
  const header: EnvelopeHeader = parsed.data;
  if (serializeEnvelopeHeader(header) !== text) throw headerMalformed('not in canonical form');
  const sorted = [...new Set(header.recipients)].sort();
  if (sorted.length !== header.recipients.length || sorted.some((recipient, i) => recipient !== header.recipients[i])) {
    throw headerMalformed('recipients are not sorted and unique');
  }
  return header;
}

/**
 * What the author signs: a DSSE-style pre-authentication encoding that binds the envelope version, the payload type
 * and the digest of header || payload (the header is self-delimiting JSON and declares the payload length).
 *   "hearing-desk/envelope@1" SP LEN(type) SP type SP "32" SP SHA-256(header || payload)
 */
export function envelopeSigningMessage(payloadType: string, digest: Uint8Array): Uint8Array {
  if (digest.length !== SHA256_BYTES) throw new RangeError('The digest is a 32-byte SHA-256.');
  const type = Buffer.from(payloadType, 'utf8');
  return concat([Buffer.from(`${ENVELOPE_VERSION} ${type.length} `, 'latin1'), type, Buffer.from(` ${SHA256_BYTES} `, 'latin1'), digest]);
}

// --- sealing ------------------------------------------------------------------------------------------------

export interface SealEnvelopeOptions {
  type: PayloadType;
  /** The payload: bytes, or a stream of chunks (then payloadLength is required). */
  payload: ByteSource;
  /** Exact payload length in bytes; for a Uint8Array payload it defaults to (and must equal) its length. */
  payloadLength?: number;
  author: { /** 32-byte Ed25519 seed. */ signingSeed: Uint8Array; ageRecipient: string };
  /** Exactly who may open it, as "age1…" keys. Include the author's own key if the author must be able to reopen it. */
  recipients: readonly string[];
  createdAt?: Date;
}

function invalidArgument(message: string): EnvelopeError {
  return new EnvelopeError('invalid-argument', message);
}

function lengthMismatch(message: string): EnvelopeError {
  return new EnvelopeError('length-mismatch', message);
}

async function* envelopePlaintext(
  headerBytes: Uint8Array,
  header: EnvelopeHeader,
  payload: ByteSource,
  signingSeed: Uint8Array,
): AsyncGenerator<Uint8Array, void, undefined> {
  const digest = createHash('sha256').update(headerBytes);
  yield concat([MAGIC, headerBytes, new Uint8Array([0x0a])]);
  const reader = new ByteReader(payload);
  try {
    let seen = 0;
    for (let part = await reader.readUpTo(1 << 20); part; part = await reader.readUpTo(1 << 20)) {
      seen += part.length;
      if (seen > header.payloadLength) throw lengthMismatch(`The payload is longer than the declared ${header.payloadLength} bytes.`);
      digest.update(part);
      yield part;
    }
    if (seen !== header.payloadLength) throw lengthMismatch(`The payload has ${seen} bytes, not the declared ${header.payloadLength}.`);
  } finally {
    await reader.close();
  }
  yield ed25519Sign(signingSeed, envelopeSigningMessage(header.payloadType, digest.digest()));
}

/**
 * Seals a payload for the given recipients; the result is the envelope file's bytes, streamed.
 * If the iteration throws (for example a payload longer or shorter than declared), discard what was written:
 * it lacks its final age chunk and can never be opened as complete.
 */
export function sealEnvelope(options: SealEnvelopeOptions): AsyncGenerator<Uint8Array, void, undefined> {
  if (!isPayloadType(options.type)) throw invalidArgument(`"${String(options.type)}" is not a known payload type.`);
  const payloadLength = options.payloadLength ?? (options.payload instanceof Uint8Array ? options.payload.length : undefined);
  if (payloadLength === undefined || !Number.isSafeInteger(payloadLength) || payloadLength < 0) {
    throw invalidArgument('The payload length must be given as a whole number of bytes.');
  }
  if (options.payload instanceof Uint8Array && options.payload.length !== payloadLength) {
    throw lengthMismatch(`The payload has ${options.payload.length} bytes, not the declared ${payloadLength}.`);
  }
  const recipients = [...new Set(options.recipients)].sort();
  if (recipients.length === 0 || recipients.length > MAX_ENVELOPE_RECIPIENTS) {
    throw invalidArgument(`An envelope needs between 1 and ${MAX_ENVELOPE_RECIPIENTS} recipients.`);
  }
  const badRecipient = [options.author.ageRecipient, ...recipients].find((recipient) => !isValidRecipient(recipient));
  if (badRecipient !== undefined) throw invalidArgument(`"${badRecipient}" is not a valid age public key.`);
  if (!(options.author.signingSeed instanceof Uint8Array) || options.author.signingSeed.length !== 32) {
    throw invalidArgument('The author signing key must be a 32-byte Ed25519 seed.');
  }
  const createdAt = options.createdAt ?? new Date();
  if (Number.isNaN(createdAt.getTime()) || createdAt.getUTCFullYear() > 9999 || createdAt.getUTCFullYear() < 0) {
    throw invalidArgument('The creation time is not a valid date.');
  }
  const header: EnvelopeHeader = {
    author: {
      ageRecipient: options.author.ageRecipient,
      signingKey: Buffer.from(ed25519PublicFromSeed(options.author.signingSeed)).toString('base64'),
    },
    createdAt: createdAt.toISOString(),
    payloadLength,
    payloadType: options.type,
    recipients,
  };
  const headerBytes = new TextEncoder().encode(serializeEnvelopeHeader(header));
  return encryptStream(envelopePlaintext(headerBytes, header, options.payload, options.author.signingSeed), recipients);
}

export function sealEnvelopeBytes(options: Omit<SealEnvelopeOptions, 'payload' | 'payloadLength'> & { payload: Uint8Array }): Promise<Uint8Array> {
  return collect(sealEnvelope(options));
}

// --- opening ------------------------------------------------------------------------------------------------

export interface OpenEnvelopeOptions {
  /** The reader's own "AGE-SECRET-KEY-1…". */
  identity: string;
  /** The payload types this caller is prepared to receive (at least one). */
  expectedTypes: readonly PayloadType[];
  /** Refuse before reading any payload if the header declares more than this. */
  maxPayloadBytes: number;
  /** When given, the author's Ed25519 key (base64) must be one of these. */
  expectedAuthors?: readonly string[];
}

export interface OpenedEnvelope {
  /** Parsed and checked for form, but NOT authenticated until `verified` is true. */
  header: EnvelopeHeader;
  /**
   * The payload, streamed. Single use. Completes only after the author's signature has been verified;
   * throws EnvelopeError or AgeError otherwise. Nothing read from it may be committed before it completes.
   */
  payload: AsyncGenerator<Uint8Array, void, undefined>;
  /** True once the whole payload has been read and the signature verified. */
  readonly verified: boolean;
  /** Releases the source without reading the payload (needed only if the payload is never iterated). */
  close(): Promise<void>;
}

function payloadTypeLabel(type: string): string {
  return isPayloadType(type) ? PAYLOAD_TYPES[type] : JSON.stringify(type);
}

async function readPreamble(reader: ByteReader): Promise<Uint8Array> {
  const magic = new Uint8Array(MAGIC.length);
  const magicLength = await reader.readInto(magic);
  if (magicLength !== MAGIC.length || Buffer.compare(magic, MAGIC) !== 0) {
    if (Buffer.from(magic.subarray(0, magicLength)).toString('latin1').startsWith(MAGIC_FAMILY) && magicLength > MAGIC_FAMILY.length) {
      throw new EnvelopeError('unsupported-envelope-version', 'This sealed file was made by a newer version of Hearing Desk; update the app to open it.');
    }
    throw new EnvelopeError('not-an-envelope', 'This encrypted file is not a Hearing Desk sealed file.');
  }
  const line = await reader.readLine(MAX_ENVELOPE_HEADER_BYTES + 1);
  if (line.tooLong) throw headerMalformed('the header is too large');
  if (line.endOfSource) throw headerMalformed('the header is incomplete');
  return line.bytes.subarray(0, -1);
}

function checkHeaderAgainst(header: EnvelopeHeader, age: OpenedAgeFile, options: OpenEnvelopeOptions, ownRecipient: string): void {
  if (!options.expectedTypes.includes(header.payloadType as PayloadType)) {
    if (!isPayloadType(header.payloadType)) {
      throw new EnvelopeError(
        'unknown-payload-type',
        `This sealed file holds a kind of content this version of Hearing Desk does not know (${JSON.stringify(header.payloadType)}).`,
        { payloadType: header.payloadType },
      );
    }
    const expected = options.expectedTypes.map(payloadTypeLabel).join(' or ');
    throw new EnvelopeError(
      'unexpected-payload-type',
      `This sealed file holds ${payloadTypeLabel(header.payloadType)}, but ${expected} was expected here.`,
      { payloadType: header.payloadType },
    );
  }
  if (header.payloadLength > options.maxPayloadBytes) {
    throw new EnvelopeError(
      'declared-size-absurd',
      `This sealed file declares ${header.payloadLength} bytes of content, more than the ${options.maxPayloadBytes} allowed here.`,
      { payloadLength: header.payloadLength, maxPayloadBytes: options.maxPayloadBytes },
    );
  }
  if (!header.recipients.includes(ownRecipient)) {
    throw new EnvelopeError(
      'not-listed-recipient',
      'This sealed file was not meant for you: your key is not among the recipients its author listed. It may have been passed on.',
    );
  }
  // Recipients are anonymous in age, so only the count can be compared; a difference means it was re-encrypted.
  const stanzas = age.header.stanzas;
  if (stanzas.length !== header.recipients.length || stanzas.some((stanza) => stanza.type !== 'X25519')) {
    throw new EnvelopeError(
      'recipients-mismatch',
      `This sealed file is encrypted to ${stanzas.length} keys, but its author listed ${header.recipients.length}; it has been re-encrypted by someone.`,
    );
  }
  if (options.expectedAuthors && !options.expectedAuthors.includes(header.author.signingKey)) {
    throw new EnvelopeError('unexpected-author', 'This sealed file was not made by any of the people it was expected from.');
  }
}

export async function openEnvelope(source: ByteSource, options: OpenEnvelopeOptions): Promise<OpenedEnvelope> {
  if (options.expectedTypes.length === 0) throw invalidArgument('At least one expected payload type is required.');
  if (!Number.isSafeInteger(options.maxPayloadBytes) || options.maxPayloadBytes < 0) {
    throw invalidArgument('The maximum payload size must be a whole number of bytes.');
  }
  const ownRecipient = identityToRecipient(options.identity);
  const age = await openAge(source, [options.identity]);
  const reader = new ByteReader(age.payload);
  let header: EnvelopeHeader;
  let headerBytes: Uint8Array;
  try {
    headerBytes = await readPreamble(reader);
    header = parseHeader(headerBytes);
    checkHeaderAgainst(header, age, options, ownRecipient);
  } catch (error) {
    await age.close();
    throw error;
  }

  let verified = false;
  async function* verifiedPayload(): AsyncGenerator<Uint8Array, void, undefined> {
    try {
      const digest = createHash('sha256').update(headerBytes);
      let remaining = header.payloadLength;
      while (remaining > 0) {
        const part = await reader.readUpTo(remaining);
        if (!part) throw lengthMismatch('This sealed file is shorter than its header declares; it may have been altered.');
        digest.update(part);
        remaining -= part.length;
        yield part;
      }
      const signature = new Uint8Array(ED25519_SIGNATURE_BYTES);
      if ((await reader.readInto(signature)) !== ED25519_SIGNATURE_BYTES) {
        throw lengthMismatch('This sealed file ends before its signature; it may have been altered.');
      }
      // Reading to the end also makes the age layer authenticate its final chunk.
      if (!(await reader.atEnd())) throw lengthMismatch('This sealed file has extra data after its signature; it may have been altered.');
      const authorKey = new Uint8Array(Buffer.from(header.author.signingKey, 'base64'));
      if (!ed25519Verify(authorKey, envelopeSigningMessage(header.payloadType, digest.digest()), signature)) {
        throw new EnvelopeError(
          'signature-invalid',
          "This sealed file's signature does not match its content or its stated author: it has been altered or forged.",
        );
      }
      verified = true;
    } finally {
      await age.close();
    }
  }

  return {
    header,
    payload: verifiedPayload(),
    get verified() {
      return verified;
    },
    close: () => age.close(),
  };
}

/** Opens a small envelope entirely in memory; returns only once the signature has been verified. */
export async function openEnvelopeBytes(file: Uint8Array, options: OpenEnvelopeOptions): Promise<{ header: EnvelopeHeader; payload: Uint8Array }> {
  const opened = await openEnvelope(file, options);
  const payload = await collect(opened.payload);
  if (!opened.verified) throw new Error('envelope payload finished without verification'); // unreachable: the stream throws first
  return { header: opened.header, payload };
}
