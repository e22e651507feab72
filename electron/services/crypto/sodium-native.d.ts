// The few sodium-native (libsodium, N-API) functions Hearing Desk uses. sodium-native ships no types.
declare module 'sodium-native' {
  /** Writes ciphertext || 16-byte tag into `ciphertext` (length = message + 16). Returns the bytes written. */
  export function crypto_aead_chacha20poly1305_ietf_encrypt(
    ciphertext: Uint8Array,
    message: Uint8Array,
    additionalData: Uint8Array | null,
    nsec: null,
    nonce: Uint8Array,
    key: Uint8Array,
  ): number;
  /** Verifies the tag, then writes the plaintext into `message` (length = ciphertext - 16). Throws if the tag does not verify. */
  export function crypto_aead_chacha20poly1305_ietf_decrypt(
    message: Uint8Array,
    nsec: null,
    ciphertext: Uint8Array,
    additionalData: Uint8Array | null,
    nonce: Uint8Array,
    key: Uint8Array,
  ): number;
  export function sodium_memzero(buffer: Uint8Array): void;
  /** Fills publicKey (32) and secretKey (64: seed || public) from a 32-byte seed. */
  export function crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void;
  export function crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void;
  export function crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** X25519: throws when the result would be all zeros (a low-order peer point). */
  export function crypto_scalarmult(shared: Uint8Array, secret: Uint8Array, peerPublic: Uint8Array): void;
  export function crypto_scalarmult_base(publicKey: Uint8Array, secret: Uint8Array): void;
  const sodium: {
    crypto_sign_seed_keypair: typeof crypto_sign_seed_keypair;
    crypto_sign_detached: typeof crypto_sign_detached;
    crypto_sign_verify_detached: typeof crypto_sign_verify_detached;
    crypto_scalarmult: typeof crypto_scalarmult;
    crypto_scalarmult_base: typeof crypto_scalarmult_base;
    crypto_aead_chacha20poly1305_ietf_encrypt: typeof crypto_aead_chacha20poly1305_ietf_encrypt;
    crypto_aead_chacha20poly1305_ietf_decrypt: typeof crypto_aead_chacha20poly1305_ietf_decrypt;
    sodium_memzero: typeof sodium_memzero;
  };
  export default sodium;
}
