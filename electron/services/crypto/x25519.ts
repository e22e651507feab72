// X25519 through libsodium (sodium-native: N-API, identical in Node and Electron), from and to raw 32-byte keys.
// libsodium rather than node:crypto's KeyObjects: no DER framing per call, several times faster per file opened.
import { randomBytes } from 'node:crypto';
import sodium from 'sodium-native';

export const X25519_KEY_BYTES = 32;

export function generateX25519Secret(): Uint8Array {
  return new Uint8Array(randomBytes(X25519_KEY_BYTES));
}

export function x25519PublicFromSecret(secret: Uint8Array): Uint8Array {
  if (secret.length !== X25519_KEY_BYTES) throw new RangeError('An X25519 secret key is 32 bytes.');
  const publicKey = new Uint8Array(X25519_KEY_BYTES);
  sodium.crypto_scalarmult_base(publicKey, secret);
  return publicKey;
}

/**
 * The X25519 shared secret, or null when the peer key is a low-order point (the result would be all zeros,
 * which would let anyone predict the wrapping key). libsodium refuses that case itself; it maps to null.
 */
export function x25519SharedSecret(secret: Uint8Array, peerPublic: Uint8Array): Uint8Array | null {
  if (secret.length !== X25519_KEY_BYTES) throw new RangeError('An X25519 secret key is 32 bytes.');
  if (peerPublic.length !== X25519_KEY_BYTES) return null;
  const shared = new Uint8Array(X25519_KEY_BYTES);
  try {
    sodium.crypto_scalarmult(shared, secret, peerPublic);
  } catch {
    return null;
  }
  let accumulated = 0;
  for (const byte of shared) accumulated |= byte;
  return accumulated === 0 ? null : shared;
}
