// age X25519 keys as text: recipients "age1…" (lower-case Bech32) and identities "AGE-SECRET-KEY-1…" (upper-case Bech32).
import { bech32 } from '@scure/base';
import { AgeError } from './age-errors';
import { generateX25519Secret, x25519PublicFromSecret, X25519_KEY_BYTES } from './x25519';

const RECIPIENT_PREFIX = 'age';
const IDENTITY_PREFIX = 'age-secret-key-';

export interface AgeKeyPair {
  /** The secret key, "AGE-SECRET-KEY-1…". Keep it in the vault. */
  identity: string;
  /** The public key others encrypt to, "age1…". */
  recipient: string;
}

/** Bech32 bytes for the given prefix, or null for anything else (wrong prefix, bad checksum, wrong length, mixed case). */
function decodeBech32(text: string, prefix: string): Uint8Array | null {
  if (typeof text !== 'string') return null;
  try {
    const decoded = bech32.decode(text as `${string}1${string}`, false);
    if (decoded.prefix !== prefix) return null;
    const bytes = bech32.fromWords(decoded.words);
    return bytes.length === X25519_KEY_BYTES ? bytes : null;
  } catch {
    return null;
  }
}

export function encodeRecipient(publicKey: Uint8Array): string {
  if (publicKey.length !== X25519_KEY_BYTES) throw new RangeError('An X25519 public key is 32 bytes.');
  return bech32.encode(RECIPIENT_PREFIX, bech32.toWords(publicKey), false);
}

export function encodeIdentity(secret: Uint8Array): string {
  if (secret.length !== X25519_KEY_BYTES) throw new RangeError('An X25519 secret key is 32 bytes.');
  return bech32.encode(IDENTITY_PREFIX, bech32.toWords(secret), false).toUpperCase();
}

/** The 32-byte X25519 public key of an "age1…" recipient. Throws AgeError('invalid-recipient'). */
export function parseRecipient(recipient: string): Uint8Array {
  // age writes recipients in lower case only; an upper-case or mixed-case one is refused like the reference implementation.
  const bytes = typeof recipient === 'string' && recipient === recipient.toLowerCase() ? decodeBech32(recipient, RECIPIENT_PREFIX) : null;
  if (!bytes) {
    throw new AgeError('invalid-recipient', 'This is not a valid age public key (it should start with "age1" and be copied exactly).');
  }
  return bytes;
}

/** The 32-byte X25519 secret of an "AGE-SECRET-KEY-1…" identity. Throws AgeError('invalid-identity'). */
export function parseIdentity(identity: string): Uint8Array {
  const bytes = typeof identity === 'string' && identity === identity.toUpperCase() ? decodeBech32(identity, IDENTITY_PREFIX) : null;
  if (!bytes) {
    throw new AgeError('invalid-identity', 'This is not a valid age secret key (it should start with "AGE-SECRET-KEY-1").');
  }
  return bytes;
}

export function isValidRecipient(recipient: string): boolean {
  try {
    parseRecipient(recipient);
    return true;
  } catch {
    return false;
  }
}

export function generateIdentity(): AgeKeyPair {
  const secret = generateX25519Secret();
  const pair = { identity: encodeIdentity(secret), recipient: encodeRecipient(x25519PublicFromSecret(secret)) };
  secret.fill(0);
  return pair;
}

export function identityToRecipient(identity: string): string {
  return encodeRecipient(x25519PublicFromSecret(parseIdentity(identity)));
}

/** Raw key bytes for callers that need them (for example to derive a fingerprint). */
export function x25519RawFromIdentity(identity: string): { secret: Uint8Array; publicKey: Uint8Array } {
  const secret = parseIdentity(identity);
  return { secret, publicKey: x25519PublicFromSecret(secret) };
}

/** The identities in an age key file ("# comment" lines and blank lines ignored), as written by age-keygen. */
export function parseIdentityFile(text: string): string[] {
  const identities: string[] = [];
  for (const rawLine of text.split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    parseIdentity(line);
    identities.push(line);
  }
  if (identities.length === 0) throw new AgeError('invalid-identity', 'The key file contains no age secret key.');
  return identities;
}
