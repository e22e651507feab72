// X25519 through node:crypto (present in Electron's BoringSSL), from and to raw 32-byte keys.
import { createPrivateKey, createPublicKey, diffieHellman, randomBytes, type KeyObject } from 'node:crypto';

// DER framing of a raw X25519 key (RFC 8410): these prefixes plus the 32 key bytes are a complete PKCS#8 / SPKI structure.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
export const X25519_KEY_BYTES = 32;

function privateKeyObject(secret: Uint8Array): KeyObject {
  if (secret.length !== X25519_KEY_BYTES) throw new RangeError('An X25519 secret key is 32 bytes.');
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secret]), format: 'der', type: 'pkcs8' });
}

function publicKeyObject(publicKey: Uint8Array): KeyObject {
  if (publicKey.length !== X25519_KEY_BYTES) throw new RangeError('An X25519 public key is 32 bytes.');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
}

export function generateX25519Secret(): Uint8Array {
  return new Uint8Array(randomBytes(X25519_KEY_BYTES));
}

export function x25519PublicFromSecret(secret: Uint8Array): Uint8Array {
  const der = createPublicKey(privateKeyObject(secret)).export({ format: 'der', type: 'spki' });
  return new Uint8Array(der.subarray(SPKI_PREFIX.length));
}

/**
 * The X25519 shared secret, or null when the peer key is a low-order point (the result would be all zeros,
 * which would let anyone predict the wrapping key). Some libraries throw for that case and some return zeros: both map to null.
 */
export function x25519SharedSecret(secret: Uint8Array, peerPublic: Uint8Array): Uint8Array | null {
  let shared: Buffer;
  try {
    shared = diffieHellman({ privateKey: privateKeyObject(secret), publicKey: publicKeyObject(peerPublic) });
  } catch {
    return null;
  }
  let accumulated = 0;
  for (const byte of shared) accumulated |= byte;
  return accumulated === 0 ? null : new Uint8Array(shared);
}
