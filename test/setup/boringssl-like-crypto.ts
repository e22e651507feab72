// Electron's node:crypto is BoringSSL, which has no chacha20-poly1305 (nor other OpenSSL-only ciphers).
// Every test runs with those refused exactly as Electron refuses them, so a code path that quietly
// depends on them fails here instead of inside the shipped app.
import crypto from 'node:crypto';
import { syncBuiltinESMExports } from 'node:module';

const OPENSSL_ONLY = /chacha20|poly1305|camellia|aria|sm4|seed|bf-|cast|idea|rc2|rc4|des-ede3-cfb|ocb|siv/i;

function refuse(name: string): never {
  const error = new Error(`Unknown cipher: ${name} (refused: not available in Electron's BoringSSL)`);
  (error as NodeJS.ErrnoException).code = 'ERR_CRYPTO_UNKNOWN_CIPHER';
  throw error;
}

const original = {
  createCipheriv: crypto.createCipheriv,
  createDecipheriv: crypto.createDecipheriv,
  getCiphers: crypto.getCiphers,
};

(crypto as { createCipheriv: unknown }).createCipheriv = (algorithm: string, ...rest: unknown[]) => {
  if (OPENSSL_ONLY.test(algorithm)) refuse(algorithm);
  return (original.createCipheriv as (...a: unknown[]) => unknown)(algorithm, ...rest);
};
(crypto as { createDecipheriv: unknown }).createDecipheriv = (algorithm: string, ...rest: unknown[]) => {
  if (OPENSSL_ONLY.test(algorithm)) refuse(algorithm);
  return (original.createDecipheriv as (...a: unknown[]) => unknown)(algorithm, ...rest);
};
(crypto as { getCiphers: unknown }).getCiphers = () => original.getCiphers().filter((c) => !OPENSSL_ONLY.test(c));
syncBuiltinESMExports();
(globalThis as { __hdCipherGuard?: boolean }).__hdCipherGuard = true;
