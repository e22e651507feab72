// The keyfile keeps the vault's random 256-bit data key wrapped by a key derived from the passphrase.
// Changing the passphrase re-wraps this small file; the encrypted database is never rewritten.
//
// KDF: scrypt, N = 2^17, r = 8, p = 1 (128 MiB, ~0.3–0.5 s on a laptop core), 16-byte random salt.
// Wrap: AES-256-GCM, 12-byte random nonce; the AAD binds the format, profile id and KDF parameters,
// so editing the parameters in the file (to weaken them) makes unwrapping fail rather than succeed.
// Both primitives are present in Electron's BoringSSL.
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../../shared/errors';
import { writeFileAtomic } from '../atomic-file';

export interface ScryptParams { logN: number; r: number; p: number }
export const DEFAULT_SCRYPT: ScryptParams = { logN: 17, r: 8, p: 1 };
/** Parameters a keyfile may declare; outside these we refuse to run (a tampered file could ask for hours or terabytes). */
const ACCEPTED_LOG_N = { min: 10, max: 22 };

const KEYFILE_FORMAT = 'hearing-desk/keyfile@1';
const b64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

const KeyfileSchema = z.strictObject({
  format: z.literal(KEYFILE_FORMAT),
  profileId: z.string().min(1).max(64),
  kdf: z.strictObject({
    name: z.literal('scrypt'),
    logN: z.number().int().min(ACCEPTED_LOG_N.min).max(ACCEPTED_LOG_N.max),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: b64,
  }),
  wrap: z.strictObject({ name: z.literal('aes-256-gcm'), nonce: b64, ciphertext: b64, tag: b64 }),
});
type Keyfile = z.infer<typeof KeyfileSchema>;

function deriveKey(passphrase: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.logN;
  return new Promise((resolve, reject) => {
    scryptCallback(passphrase.normalize('NFC'), salt, 32, { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 16 * 1024 * 1024 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function additionalData(file: Pick<Keyfile, 'format' | 'profileId' | 'kdf'>): Buffer {
  const { logN, r, p, salt } = file.kdf;
  return Buffer.from(`${file.format}\n${file.profileId}\nscrypt:${logN}:${r}:${p}:${salt}`, 'utf8');
}

export async function wrapDataKey(profileId: string, dataKey: Buffer, passphrase: string, params: ScryptParams): Promise<Keyfile> {
  const salt = randomBytes(16);
  const kek = await deriveKey(passphrase, salt, params);
  const nonce = randomBytes(12);
  const header = { format: KEYFILE_FORMAT, profileId, kdf: { name: 'scrypt' as const, ...params, salt: salt.toString('base64') } } as const;
  const cipher = createCipheriv('aes-256-gcm', kek, nonce);
  cipher.setAAD(additionalData(header));
  const ciphertext = Buffer.concat([cipher.update(dataKey), cipher.final()]);
  kek.fill(0);
  return {
    ...header,
    wrap: { name: 'aes-256-gcm', nonce: nonce.toString('base64'), ciphertext: ciphertext.toString('base64'), tag: cipher.getAuthTag().toString('base64') },
  };
}

export async function unwrapDataKey(file: Keyfile, passphrase: string): Promise<Buffer> {
  const kek = await deriveKey(passphrase, Buffer.from(file.kdf.salt, 'base64'), file.kdf);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(file.wrap.nonce, 'base64'));
    decipher.setAAD(additionalData(file));
    decipher.setAuthTag(Buffer.from(file.wrap.tag, 'base64'));
    const key = Buffer.concat([decipher.update(Buffer.from(file.wrap.ciphertext, 'base64')), decipher.final()]);
    if (key.length !== 32) throw new AppError('vault-corrupt', 'The vault key file is damaged (wrong key length).');
    return key;
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new AppError('wrong-passphrase', 'That passphrase is not correct. Nothing was changed — try again.');
  } finally {
    kek.fill(0);
  }
}

export function readKeyfile(path: string): Keyfile {
  if (!existsSync(path)) throw new AppError('no-profile', 'No profile exists on this computer yet.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    throw new AppError('vault-corrupt', 'The vault key file is damaged (not readable JSON). Restore it from a backup.');
  }
  const result = KeyfileSchema.safeParse(parsed);
  if (!result.success) throw new AppError('vault-corrupt', 'The vault key file is damaged or from an unsupported version.');
  return result.data;
}

export function writeKeyfile(path: string, file: Keyfile): void {
  writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`);
}
