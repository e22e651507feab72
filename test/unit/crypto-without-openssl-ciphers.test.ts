// Electron's BoringSSL has no chacha20-poly1305. The suite-wide setup refuses those ciphers; this file proves
// the refusal is in force and that key wrapping still works under it (the age layer's own tests run under it too).
import crypto from 'node:crypto';
import { createCipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { unwrapDataKey, wrapDataKey } from '../../electron/services/vault/keyfile';
import { TEST_SCRYPT } from '../helpers/temp';

describe('crypto path without OpenSSL-only ciphers', () => {
  it('refuses chacha20-poly1305 exactly as Electron does, through every import style', () => {
    expect((globalThis as { __hdCipherGuard?: boolean }).__hdCipherGuard).toBe(true);
    const key = Buffer.alloc(32);
    const nonce = Buffer.alloc(12);
    expect(() => crypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })).toThrow(/Unknown cipher/);
    expect(() => createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })).toThrow(/Unknown cipher/);
    expect(crypto.getCiphers()).not.toContain('chacha20-poly1305');
    expect(crypto.getCiphers()).toContain('aes-256-gcm');
  });

  it('wraps and unwraps the vault key with scrypt + AES-256-GCM', async () => {
    const dataKey = crypto.randomBytes(32);
    const file = await wrapDataKey('profile', dataKey, 'orchard lantern copper meadow', TEST_SCRYPT);
    expect((await unwrapDataKey(file, 'orchard lantern copper meadow')).equals(dataKey)).toBe(true);
  });
});
