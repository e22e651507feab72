// Versioned schema migrations, applied in order inside one transaction each; PRAGMA user_version records
// the version reached. A migration, once shipped, is never edited: add a new one.
import type { Database } from 'better-sqlite3';
import { AppError } from '../../../shared/errors';

export interface Migration { version: number; description: string; up: (db: Database) => void }

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'profile, identity keys and address book',
    up: (db) => {
      db.exec(`
        CREATE TABLE profile (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          role TEXT NOT NULL,
          created_at TEXT NOT NULL
        );
        CREATE TABLE identity_keys (
          profile_id TEXT PRIMARY KEY REFERENCES profile(id),
          age_identity TEXT NOT NULL,
          age_recipient TEXT NOT NULL,
          signing_seed BLOB NOT NULL,
          signing_public BLOB NOT NULL
        );
        CREATE TABLE contacts (
          id TEXT PRIMARY KEY,
          name TEXT NOT NULL,
          role TEXT NOT NULL,
          age_recipient TEXT NOT NULL UNIQUE,
          signing_key TEXT NOT NULL UNIQUE,
          fingerprint TEXT NOT NULL,
          card_json TEXT NOT NULL,
          verified_at TEXT,
          imported_at TEXT NOT NULL
        );
      `);
    },
  },
  {
    version: 2,
    description: 'user settings',
    up: (db) => {
      db.exec(`CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);`);
    },
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Brings the schema up to `target` (default: latest). Returns the versions applied. */
export function migrate(db: Database, target = LATEST_SCHEMA_VERSION): number[] {
  const current = schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new AppError('vault-unavailable', `This vault was written by a newer version of Hearing Desk (schema ${current}, newer than this app understands: ${LATEST_SCHEMA_VERSION}). Update the app to open it; nothing was changed.`);
  }
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied.push(migration.version);
  }
  return applied;
}
