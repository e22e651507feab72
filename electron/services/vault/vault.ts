// One encrypted SQLCipher database per user profile. The database key is a random 256-bit data key that
// exists in memory only while the vault is unlocked; on disk it exists only wrapped (keyfile.ts).
import Database from 'better-sqlite3-multiple-ciphers';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { DEFAULT_SCRYPT, readKeyfile, unwrapDataKey, wrapDataKey, writeKeyfile, type ScryptParams } from './keyfile';
import { migrate } from './migrations';

export const VAULT_FILE = 'vault.db';
export const KEYFILE = 'keyfile.json';

export interface VaultPaths { directory: string; database: string; keyfile: string }
export function vaultPaths(directory: string): VaultPaths {
  return { directory, database: join(directory, VAULT_FILE), keyfile: join(directory, KEYFILE) };
}

export function vaultExists(directory: string): boolean {
  const paths = vaultPaths(directory);
  return existsSync(paths.keyfile) && existsSync(paths.database);
}

export class Vault {
  private constructor(
    readonly profileId: string,
    readonly paths: VaultPaths,
    private database: SqliteDatabase | null,
  ) {}

  /** The open database. Throws once the vault is locked, so no code path can keep using a stale handle. */
  get db(): SqliteDatabase {
    if (!this.database) throw new AppError('vault-locked', 'The vault is locked. Unlock it to continue.');
    return this.database;
  }

  get isOpen(): boolean {
    return this.database !== null;
  }

  /** Creates the keyfile and an empty, migrated database. Refuses to overwrite an existing profile. */
  static async create(directory: string, passphrase: string, scrypt: ScryptParams = DEFAULT_SCRYPT): Promise<Vault> {
    const paths = vaultPaths(directory);
    if (existsSync(paths.keyfile) || existsSync(paths.database)) {
      throw new AppError('profile-exists', 'A profile already exists on this computer.');
    }
    mkdirSync(directory, { recursive: true, mode: 0o700 });
    const profileId = randomUUID();
    const dataKey = randomBytes(32);
    try {
      const keyfile = await wrapDataKey(profileId, dataKey, passphrase, scrypt);
      const db = openDatabase(paths.database, dataKey);
      // The keyfile is written last: a crash before this point leaves a database nobody can open,
      // which `create` cleans up on the next attempt instead of reporting a half-made profile.
      writeKeyfile(paths.keyfile, keyfile);
      return new Vault(profileId, paths, db);
    } catch (error) {
      rmSync(paths.database, { force: true });
      rmSync(`${paths.database}-wal`, { force: true });
      rmSync(`${paths.database}-shm`, { force: true });
      throw error;
    } finally {
      dataKey.fill(0);
    }
  }

  static async unlock(directory: string, passphrase: string): Promise<Vault> {
    const paths = vaultPaths(directory);
    const keyfile = readKeyfile(paths.keyfile);
    if (!existsSync(paths.database)) throw new AppError('vault-corrupt', 'The vault database is missing. Restore it from a backup.');
    const dataKey = await unwrapDataKey(keyfile, passphrase);
    try {
      return new Vault(keyfile.profileId, paths, openDatabase(paths.database, dataKey));
    } finally {
      dataKey.fill(0);
    }
  }

  /** Re-wraps the data key under a new passphrase. The database file is not touched. */
  static async changePassphrase(directory: string, current: string, next: string, scrypt: ScryptParams = DEFAULT_SCRYPT): Promise<void> {
    const paths = vaultPaths(directory);
    const keyfile = readKeyfile(paths.keyfile);
    const dataKey = await unwrapDataKey(keyfile, current);
    try {
      writeKeyfile(paths.keyfile, await wrapDataKey(keyfile.profileId, dataKey, next, scrypt));
    } finally {
      dataKey.fill(0);
    }
  }

  /** Closes the database; SQLCipher wipes its copy of the key on close. */
  lock(): void {
    if (!this.database) return;
    try {
      this.database.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      this.database.close();
      this.database = null;
    }
  }
}

/** The vault is intact but cannot be used where it is (read-only folder, disk error…): say so, and what to do. */
function vaultUnavailable(error: unknown): AppError {
  const code = (error as { code?: string }).code ?? '';
  const readOnly = code === 'SQLITE_READONLY' || code.startsWith('SQLITE_READONLY_') || code === 'SQLITE_CANTOPEN';
  return new AppError(
    'vault-unavailable',
    readOnly
      ? 'Your Hearing Desk folder cannot be written to (the disk or folder is read-only, or not accessible). Nothing in the vault was changed; make the folder writable and try again.'
      : 'The vault could not be read from the disk just now. Nothing in it was changed; check the drive and try again.',
  );
}

/**
 * Opens (or creates) the SQLCipher database with a raw 256-bit key and brings its schema up to date.
 * A raw key skips SQLCipher's own PBKDF2: the key is already uniformly random.
 */
export function openDatabase(file: string, dataKey: Buffer, options: { migrateTo?: number } = {}): SqliteDatabase {
  const db = new Database(file) as unknown as SqliteDatabase;
  try {
    db.pragma(`cipher='sqlcipher'`);
    db.pragma(`legacy=4`);
    db.pragma(`key="x'${dataKey.toString('hex')}'"`);
    try {
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    } catch (error) {
      // Only "not a database" means the key does not fit the file; anything else (a read-only or missing disk,
      // an I/O error) must not send the user off believing their vault is damaged.
      if ((error as { code?: string }).code === 'SQLITE_NOTADB') {
        throw new AppError('vault-corrupt', 'The vault database could not be decrypted with its key. It may be damaged or replaced.');
      }
      throw vaultUnavailable(error);
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // Keep temporary tables and sort spills in memory: nothing derived from case data lands in a temp file.
    db.pragma('temp_store = MEMORY');
    db.pragma('secure_delete = ON');
    migrate(db, options.migrateTo);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
