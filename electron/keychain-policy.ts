// Whether Hearing Desk may remember the vault passphrase in the OS keychain, and the small file that holds it
// once protected. Works over anything shaped like Electron's safeStorage (electron/keychain.ts passes the real
// one) so the decision is tested in plain Node.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError } from '../shared/errors';
import { writeFileAtomic } from './services/atomic-file';
import type { KeychainPort } from './services/ports';

/** The part of Electron's safeStorage used here, with Electron's own method names and meanings. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  /** Linux only: which password store Chromium picked. */
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

export const NO_SECURE_KEYCHAIN_REASON =
  'Your desktop has no secure keychain; Electron would protect the passphrase with a fixed key, so Hearing Desk will not store it.';
export const KEYCHAIN_NOT_READY_REASON =
  "Your computer's keychain is not available to Hearing Desk right now, so it cannot remember your passphrase.";

/**
 * Linux stores that really protect the key. Anything else — 'basic_text' (a key hard-coded in Chromium),
 * 'unknown' (asked before the app was ready) or a name this code has never seen — is refused.
 */
export const SECURE_LINUX_BACKENDS: readonly string[] = Object.freeze(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export interface KeychainAvailability {
  available: boolean;
  reason: string | null;
}

export function keychainAvailability(
  storage: Pick<SafeStorageLike, 'isEncryptionAvailable' | 'getSelectedStorageBackend'>,
  platform: NodeJS.Platform,
): KeychainAvailability {
  let encryptionAvailable = false;
  try {
    encryptionAvailable = storage.isEncryptionAvailable();
  } catch {
    encryptionAvailable = false;
  }
  if (!encryptionAvailable) return { available: false, reason: KEYCHAIN_NOT_READY_REASON };
  if (platform === 'linux') {
    const backend = storage.getSelectedStorageBackend?.();
    if (backend === undefined || !SECURE_LINUX_BACKENDS.includes(backend)) {
      return { available: false, reason: NO_SECURE_KEYCHAIN_REASON };
    }
  }
  return { available: true, reason: null };
}

export interface KeychainPortOptions {
  storage: SafeStorageLike;
  platform: NodeJS.Platform;
  /** Where the keychain-protected passphrase is kept (in the user-data directory). */
  file: string;
}

export function createKeychainPort({ storage, platform, file }: KeychainPortOptions): KeychainPort {
  const availability = () => keychainAvailability(storage, platform);
  return {
    status() {
      const { available, reason } = availability();
      return { available, enabled: available && existsSync(file), reason };
    },
    store(passphrase) {
      const { available, reason } = availability();
      if (!available) throw new AppError('keychain-unavailable', reason ?? KEYCHAIN_NOT_READY_REASON);
      const protectedBytes = storage.encryptString(passphrase);
      // A store that hands the passphrase back in the clear protects nothing: refuse rather than write it.
      if (protectedBytes.length === 0 || protectedBytes.includes(Buffer.from(passphrase, 'utf8'))) {
        throw new AppError('keychain-unavailable', NO_SECURE_KEYCHAIN_REASON);
      }
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      writeFileAtomic(file, protectedBytes, 0o600);
    },
    retrieve() {
      if (!existsSync(file) || !availability().available) return null;
      try {
        const passphrase = storage.decryptString(readFileSync(file));
        return passphrase === '' ? null : passphrase;
      } catch {
        // The keychain key changed or is locked: the user types the passphrase; the file stays until they disable.
        return null;
      }
    },
    clear() {
      rmSync(file, { force: true });
    },
  };
}
