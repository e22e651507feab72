// Ed25519 through libsodium (sodium-native, an N-API addon that loads unchanged in Node and in Electron), from and to
// raw keys: 32-byte seeds, 32-byte public keys, 64-byte signatures. Shared by every service that signs or verifies.
// libsodium rather than node:crypto: no DER framing or KeyObject per call (about 3x faster, which matters when the
// central office verifies thousands of records), and it refuses non-canonical signatures and small-order keys.
import { randomBytes } from 'node:crypto';
import sodium from 'sodium-native';

export const ED25519_SEED_BYTES = 32;
export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

function keyPair(seed: Uint8Array): { publicKey: Buffer; secretKey: Buffer } {
  if (!(seed instanceof Uint8Array) || seed.length !== ED25519_SEED_BYTES) throw new RangeError('An Ed25519 signing seed is 32 bytes.');
  const publicKey = Buffer.alloc(ED25519_PUBLIC_KEY_BYTES);
  const secretKey = Buffer.alloc(64);
  sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed);
  return { publicKey, secretKey };
}

export function generateEd25519Seed(): Uint8Array {
  return new Uint8Array(randomBytes(ED25519_SEED_BYTES));
}

export function ed25519PublicFromSeed(seed: Uint8Array): Uint8Array {
  const { publicKey, secretKey } = keyPair(seed);
  sodium.sodium_memzero(secretKey);
  return new Uint8Array(publicKey);
}

export function ed25519Sign(seed: Uint8Array, message: Uint8Array): Uint8Array {
  const { secretKey } = keyPair(seed);
  try {
    const signature = new Uint8Array(ED25519_SIGNATURE_BYTES);
    sodium.crypto_sign_detached(signature, message, secretKey);
    return signature;
  } finally {
    sodium.sodium_memzero(secretKey);
  }
}

/** True only for a valid signature; malformed keys or signatures are simply "not valid", never an exception. */
export function ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (!(publicKey instanceof Uint8Array) || !(signature instanceof Uint8Array)) return false;
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES || signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}
