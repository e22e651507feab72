// The age v1 payload (C2SP age spec, "Payload"): a 16-byte nonce, then STREAM over ChaCha20-Poly1305 in 64 KiB
// chunks. Chunk nonce = 11-byte big-endian counter || last-chunk flag (0x01 on the final chunk, else 0x00).
// ChaCha20-Poly1305 comes from libsodium (sodium-native): Electron's BoringSSL has no such cipher in node:crypto.
import { hkdfSync } from 'node:crypto';
import sodium from 'sodium-native';
import { AgeError, truncated } from './age-errors';
import type { ByteReader } from './byte-reader';

export const CHUNK_SIZE = 64 * 1024;
export const TAG_SIZE = 16;
export const PAYLOAD_NONCE_BYTES = 16;
const ENCRYPTED_CHUNK_SIZE = CHUNK_SIZE + TAG_SIZE;
const COUNTER_BYTES = 11;

export function derivePayloadKey(fileKey: Uint8Array, nonce: Uint8Array): Buffer {
  return Buffer.from(hkdfSync('sha256', fileKey, nonce, 'payload', 32));
}

/** The 12-byte STREAM nonce, updated in place: one buffer for the whole stream. */
class ChunkNonce {
  readonly bytes = Buffer.alloc(12);
  index = 0;

  setLast(last: boolean): void {
    this.bytes[COUNTER_BYTES] = last ? 1 : 0;
  }

  advance(): void {
    this.index++;
    for (let i = COUNTER_BYTES - 1; i >= 0; i--) {
      const next = (this.bytes[i]! + 1) & 0xff;
      this.bytes[i] = next;
      if (next !== 0) return;
    }
    throw new AgeError('payload-malformed', 'The file is too large for the age format (chunk counter overflow).');
  }
}

/** ChaCha20-Poly1305 with a fixed key and a caller-owned output. Returns false instead of throwing when the tag does not verify. */
export function chachaOpen(plaintext: Uint8Array, ciphertext: Uint8Array, nonce: Uint8Array, key: Uint8Array): boolean {
  try {
    sodium.crypto_aead_chacha20poly1305_ietf_decrypt(plaintext, null, ciphertext, null, nonce, key);
    return true;
  } catch {
    return false;
  }
}

export function chachaSeal(plaintext: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  const ciphertext = Buffer.allocUnsafe(plaintext.length + TAG_SIZE);
  sodium.crypto_aead_chacha20poly1305_ietf_encrypt(ciphertext, plaintext, null, null, nonce, key);
  return ciphertext;
}

/**
 * Encrypts everything the reader yields. Plaintext is gathered in one reused 64 KiB buffer; a full chunk is held
 * back until at least one more byte arrives, because only then is it known not to be the last.
 * Every yielded ciphertext chunk is a fresh buffer the consumer may keep.
 */
export async function* encryptPayload(reader: ByteReader, payloadKey: Uint8Array): AsyncGenerator<Uint8Array> {
  const plaintext = Buffer.allocUnsafe(CHUNK_SIZE);
  const nonce = new ChunkNonce();
  try {
    let filled = await reader.readInto(plaintext);
    while (filled === CHUNK_SIZE && !(await reader.atEnd())) {
      yield chachaSeal(plaintext, nonce.bytes, payloadKey);
      nonce.advance();
      filled = await reader.readInto(plaintext);
    }
    // The final chunk: short, full (payload a non-zero multiple of 64 KiB), or empty only when the whole payload is empty.
    nonce.setLast(true);
    yield chachaSeal(plaintext.subarray(0, filled), nonce.bytes, payloadKey);
  } finally {
    plaintext.fill(0);
    await reader.close();
  }
}

function chunkFailed(index: number): AgeError {
  return new AgeError(
    'chunk-authentication-failed',
    // Where it failed is kept in the details for support; people get what happened and what to do.
    `The file is damaged, incomplete or has been altered: part ${index + 1} of its encrypted content does not check out. Nothing from it was kept; ask the sender for a fresh copy.`,
    { chunk: index },
  );
}

/**
 * Decrypts the chunks after the payload nonce. A chunk's plaintext is released only after its tag verifies;
 * each yielded chunk is a fresh buffer the consumer may keep. Enforces the final-chunk, empty-payload and
 * no-trailing-data rules, and reports a file cut at a chunk boundary as truncated rather than as damaged.
 */
export async function* decryptPayload(reader: ByteReader, payloadKey: Uint8Array): AsyncGenerator<Uint8Array> {
  const segment = Buffer.allocUnsafe(ENCRYPTED_CHUNK_SIZE);
  const nonce = new ChunkNonce();
  try {
    for (;;) {
      const filled = await reader.readInto(segment);
      if (filled === ENCRYPTED_CHUNK_SIZE) {
        const last = await reader.atEnd();
        const plaintext = Buffer.allocUnsafe(CHUNK_SIZE);
        nonce.setLast(last);
        if (!chachaOpen(plaintext, segment, nonce.bytes, payloadKey)) {
          // Both flags are tried only to name the failure precisely; the tag binds the flag, so neither attempt weakens anything.
          nonce.setLast(!last);
          if (!chachaOpen(plaintext, segment, nonce.bytes, payloadKey)) throw chunkFailed(nonce.index);
          if (last) throw truncated(`after chunk ${nonce.index + 1}, before the final chunk`);
          throw new AgeError('trailing-data', 'The file has unexpected extra data after its end; it may have been altered.');
        }
        yield plaintext;
        if (last) return;
        nonce.advance();
        continue;
      }
      // A short segment can only be the final chunk.
      if (filled < TAG_SIZE) throw truncated(filled === 0 ? 'before its encrypted data' : `inside chunk ${nonce.index + 1}`);
      const plaintext = Buffer.allocUnsafe(filled - TAG_SIZE);
      nonce.setLast(true);
      if (!chachaOpen(plaintext, segment.subarray(0, filled), nonce.bytes, payloadKey)) throw chunkFailed(nonce.index);
      if (plaintext.length === 0 && nonce.index > 0) {
        throw new AgeError('payload-malformed', 'The file\'s encrypted data is malformed (its final chunk is empty, which age forbids).');
      }
      yield plaintext;
      return;
    }
  } finally {
    await reader.close();
  }
}
