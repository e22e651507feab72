// The age v1 header (C2SP age spec, "Header"): parsing with every canonical-form check of the reference
// implementation, serialisation, and the header MAC.
//
//   age-encryption.org/v1
//   -> X25519 <base64 ephemeral share>
//   <base64 body, 64 columns per line, the last line always shorter than 64 (possibly empty)>
//   --- <base64 HMAC-SHA256>
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { AgeError, headerMalformed, truncated } from './age-errors';
import { ByteReader, concat } from './byte-reader';

export const AGE_VERSION_LINE = 'age-encryption.org/v1';
export const FILE_KEY_BYTES = 16;
export const HEADER_MAC_BYTES = 32;
/** No legitimate header comes near this (one X25519 stanza is ~100 bytes); it bounds what a hostile file can make us hold. */
export const MAX_HEADER_BYTES = 1024 * 1024;

const BODY_COLUMNS = 64;
const X25519_SHARE_BYTES = 32;
const WRAPPED_FILE_KEY_BYTES = FILE_KEY_BYTES + 16;
const SCRYPT_SALT_BYTES = 16;
const ARMOR_PREFIX = '-----BEGIN AGE'; // of "-----BEGIN AGE ENCRYPTED FILE-----", short enough to fit the first read

export interface Stanza {
  type: string;
  args: string[];
  body: Uint8Array;
}

export interface ParsedHeader {
  stanzas: Stanza[];
  mac: Uint8Array;
  /** The header bytes the MAC covers: from the version line through "---" (without the space and MAC after it). */
  macInput: Uint8Array;
  /** Total header length in bytes, including the MAC line. */
  length: number;
}

// --- strict unpadded base64 --------------------------------------------------------------------------------

const BASE64_ALPHABET = /^[A-Za-z0-9+/]*$/;

export function encodeBase64NoPadding(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64').replace(/=+$/, '');
}

/** Standard-alphabet base64 without padding, in its one canonical form only (no padding, no whitespace, zero spare bits). */
export function decodeBase64Strict(text: string): Uint8Array | null {
  if (!BASE64_ALPHABET.test(text) || text.length % 4 === 1) return null;
  const bytes = Buffer.from(text, 'base64');
  // Node's decoder ignores non-zero spare bits; re-encoding exposes them, as Go's Strict() decoder would.
  if (encodeBase64NoPadding(bytes) !== text) return null;
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

// --- parsing ------------------------------------------------------------------------------------------------

function isValidArgument(argument: string): boolean {
  if (argument.length === 0) return false;
  for (let i = 0; i < argument.length; i++) {
    const code = argument.charCodeAt(i);
    if (code < 0x21 || code > 0x7e) return false;
  }
  return true;
}

function asciiText(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

function printable(text: string): string {
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

async function readVersionLine(reader: ByteReader): Promise<void> {
  const expected = `${AGE_VERSION_LINE}\n`;
  const { bytes, endOfSource } = await reader.readLine(expected.length);
  const text = asciiText(bytes);
  if (text === expected) return;
  if (bytes.length === 0) throw new AgeError('not-age-file', 'This file is empty, so it is not an encrypted file.');
  if (endOfSource && expected.startsWith(text)) throw truncated('inside its encryption header');
  if (text.startsWith('age-encryption.org/')) {
    const version = text.slice('age-encryption.org/'.length).replace(/\n$/, '');
    if (!/^[\x21-\x7e]+$/.test(version) || version === 'v1') throw headerMalformed('the version line is malformed');
    throw new AgeError(
      'unsupported-version',
      `This file uses an age format version (${printable(version)}) that this app cannot read.`,
      { version },
    );
  }
  if (text.startsWith(ARMOR_PREFIX)) {
    throw new AgeError('not-age-file', 'This is an ASCII-armoured age file, which Hearing Desk does not accept; use the binary form.');
  }
  throw new AgeError('not-age-file', 'This is not an age-encrypted file.');
}

/** Reads and checks the header from the current position. Leaves the reader at the first payload byte. */
export async function readHeader(reader: ByteReader): Promise<ParsedHeader> {
  await readVersionLine(reader);
  const lines: Uint8Array[] = [new TextEncoder().encode(`${AGE_VERSION_LINE}\n`)];
  let length = lines[0]!.length;
  const stanzas: Stanza[] = [];

  const nextLine = async (maxBytes: number): Promise<string> => {
    const budget = MAX_HEADER_BYTES - length;
    if (budget <= 0) throw headerMalformed('the header is larger than 1 MiB');
    const { bytes, endOfSource, tooLong } = await reader.readLine(Math.min(maxBytes, budget));
    if (endOfSource) throw truncated('inside its encryption header');
    if (tooLong) throw headerMalformed(maxBytes < budget ? 'a header line is too long' : 'the header is larger than 1 MiB');
    lines.push(bytes);
    length += bytes.length;
    return asciiText(bytes).slice(0, -1); // without the newline
  };

  for (;;) {
    const line = await nextLine(MAX_HEADER_BYTES);
    if (line.startsWith('---')) {
      const match = /^--- ([A-Za-z0-9+/]+)$/.exec(line);
      const mac = match ? decodeBase64Strict(match[1]!) : null;
      if (!mac || mac.length !== HEADER_MAC_BYTES) throw headerMalformed('the closing MAC line is malformed');
      if (stanzas.length === 0) throw headerMalformed('the header has no recipient stanza');
      const macInputLength = length - line.length - 1 + 3; // up to and including "---"
      const all = concat(lines, length);
      checkRecipientStanzas(stanzas);
      return { stanzas, mac, macInput: all.subarray(0, macInputLength), length };
    }
    if (!line.startsWith('-> ')) {
      throw headerMalformed(line.startsWith('->') ? 'a stanza line is malformed' : `unexpected line ${printable(line)}`);
    }
    const args = line.slice(3).split(' ');
    if (!args.every(isValidArgument)) throw headerMalformed('a stanza has an empty or invalid argument');
    const bodyParts: Uint8Array[] = [];
    for (;;) {
      const bodyLine = await nextLine(BODY_COLUMNS + 1);
      const decoded = decodeBase64Strict(bodyLine);
      if (!decoded) throw headerMalformed('a stanza body line is not canonical base64');
      bodyParts.push(decoded);
      if (bodyLine.length < BODY_COLUMNS) break; // only the last body line is short, and it always exists
    }
    stanzas.push({ type: args[0]!, args: args.slice(1), body: concat(bodyParts) });
  }
}

/** Checks the stanza types this implementation understands; unknown types are left alone, as the spec requires. */
function checkRecipientStanzas(stanzas: readonly Stanza[]): void {
  for (const stanza of stanzas) {
    if (stanza.type === 'X25519') {
      const share = stanza.args.length === 1 ? decodeBase64Strict(stanza.args[0]!) : null;
      if (!share || share.length !== X25519_SHARE_BYTES || stanza.body.length !== WRAPPED_FILE_KEY_BYTES) {
        throw headerMalformed('an X25519 recipient stanza is malformed');
      }
    } else if (stanza.type === 'scrypt') {
      const salt = stanza.args.length === 2 ? decodeBase64Strict(stanza.args[0]!) : null;
      const workFactor = stanza.args[1];
      if (!salt || salt.length !== SCRYPT_SALT_BYTES || !workFactor || !/^[1-9][0-9]?$/.test(workFactor) || stanza.body.length !== WRAPPED_FILE_KEY_BYTES) {
        throw headerMalformed('the passphrase (scrypt) stanza is malformed');
      }
    }
  }
  if (stanzas.some((stanza) => stanza.type === 'scrypt') && stanzas.length !== 1) {
    throw new AgeError(
      'scrypt-not-alone',
      'This file mixes passphrase protection with other recipients, which age forbids; it may have been tampered with.',
    );
  }
}

// --- serialisation and MAC ----------------------------------------------------------------------------------

export function serializeStanza(stanza: Stanza): string {
  const body = encodeBase64NoPadding(stanza.body);
  let text = `-> ${[stanza.type, ...stanza.args].join(' ')}\n`;
  for (let offset = 0; offset <= body.length; offset += BODY_COLUMNS) {
    text += `${body.slice(offset, offset + BODY_COLUMNS)}\n`; // a body whose length is a multiple of 64 gets a final empty line
  }
  return text;
}

function headerMacKey(fileKey: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', fileKey, new Uint8Array(0), 'header', 32));
}

export function computeHeaderMac(fileKey: Uint8Array, macInput: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', headerMacKey(fileKey)).update(macInput).digest());
}

export function headerMacMatches(fileKey: Uint8Array, header: ParsedHeader): boolean {
  return timingSafeEqual(computeHeaderMac(fileKey, header.macInput), header.mac);
}

/** The complete header for these stanzas, MAC included. */
export function buildHeader(fileKey: Uint8Array, stanzas: readonly Stanza[]): Uint8Array {
  const macInput = Buffer.from(`${AGE_VERSION_LINE}\n${stanzas.map(serializeStanza).join('')}---`, 'latin1');
  const mac = computeHeaderMac(fileKey, macInput);
  return concat([macInput, Buffer.from(` ${encodeBase64NoPadding(mac)}\n`, 'latin1')]);
}
