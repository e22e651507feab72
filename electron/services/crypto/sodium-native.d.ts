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
  const sodium: {
    crypto_aead_chacha20poly1305_ietf_encrypt: typeof crypto_aead_chacha20poly1305_ietf_encrypt;
    crypto_aead_chacha20poly1305_ietf_decrypt: typeof crypto_aead_chacha20poly1305_ietf_decrypt;
    sodium_memzero: typeof sodium_memzero;
  };
  export default sodium;
}
