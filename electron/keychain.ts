// The OS keychain as Hearing Desk uses it: Electron's safeStorage (macOS Keychain, Windows DPAPI, libsecret or
// KWallet on Linux) behind the KeychainPort the services know. All decisions live in keychain-policy.ts.
// KeychainPort is synchronous, so this uses safeStorage's synchronous methods (deprecated in favour of the
// async ones in Electron 45, still supported).
import { safeStorage } from 'electron';
import type { KeychainPort } from './services/ports';
import { createKeychainPort } from './keychain-policy';

export function createSafeStorageKeychain(file: string): KeychainPort {
  return createKeychainPort({ storage: safeStorage, platform: process.platform, file });
}
