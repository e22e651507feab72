import Database from 'better-sqlite3-multiple-ciphers';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../shared/errors';
import { DEFAULT_SCRYPT, readKeyfile } from '../../electron/services/vault/keyfile';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, schemaVersion } from '../../electron/services/vault/migrations';
import { openDatabase, Vault, vaultPaths } from '../../electron/services/vault/vault';
import { filesContaining, tempDir, TEST_SCRYPT } from '../helpers/temp';

const MARKER = 'HD-MARKER-7f3a9c-confidential-evidence';

async function expectCode(promise: Promise<unknown> | (() => unknown), code: string) {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    return error as AppError;
  }
  throw new Error(`expected an AppError with code ${code}, but nothing was thrown`);
}

describe('vault (real SQLCipher file)', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => { dir = tempDir(); });
  afterEach(() => dir.cleanup());

  it('stores data encrypted: no marker in any file of the profile directory, WAL included', async () => {
    const vault = await Vault.create(dir.path, 'correct horse battery staple', TEST_SCRYPT);
    vault.db.exec('CREATE TABLE notes (body TEXT)');
    const insert = vault.db.prepare('INSERT INTO notes (body) VALUES (?)');
    for (let i = 0; i < 200; i++) insert.run(`${MARKER} ${i}`);
    // Before checkpointing the marker sits in the WAL: it must be encrypted there too.
    expect(filesContaining(dir.path, MARKER)).toEqual([]);
    expect(filesContaining(dir.path, 'CREATE TABLE')).toEqual([]);
    vault.lock();
    expect(filesContaining(dir.path, MARKER)).toEqual([]);
    const reopened = await Vault.unlock(dir.path, 'correct horse battery staple');
    expect((reopened.db.prepare('SELECT count(*) AS n FROM notes WHERE body LIKE ?').get(`${MARKER}%`) as { n: number }).n).toBe(200);
    reopened.lock();
  });

  it('is unreadable as plain SQLite and without the key', async () => {
    const vault = await Vault.create(dir.path, 'correct horse battery staple', TEST_SCRYPT);
    vault.lock();
    const header = readFileSync(vaultPaths(dir.path).database).subarray(0, 16).toString('latin1');
    expect(header).not.toBe('SQLite format 3\u0000');
    const plain = new Database(vaultPaths(dir.path).database);
    expect(() => plain.prepare('SELECT * FROM sqlite_master').all()).toThrow(/file is not a database/);
    plain.close();
  });

  it('refuses a wrong passphrase with wrong-passphrase and changes nothing on disk', async () => {
    const vault = await Vault.create(dir.path, 'correct horse battery staple', TEST_SCRYPT);
    vault.lock();
    const paths = vaultPaths(dir.path);
    const before = [readFileSync(paths.keyfile), readFileSync(paths.database)].map((b) => createHash('sha256').update(b).digest('hex'));
    const error = await expectCode(Vault.unlock(dir.path, 'correct horse battery stapler'), 'wrong-passphrase');
    expect(error.message).toMatch(/passphrase is not correct/);
    const after = [readFileSync(paths.keyfile), readFileSync(paths.database)].map((b) => createHash('sha256').update(b).digest('hex'));
    expect(after).toEqual(before);
  });

  it('uses the stated scrypt parameters by default and refuses a keyfile whose parameters were weakened', async () => {
    const vault = await Vault.create(dir.path, 'correct horse battery staple');
    vault.lock();
    const keyfile = readKeyfile(vaultPaths(dir.path).keyfile);
    expect(keyfile.kdf).toMatchObject({ name: 'scrypt', logN: DEFAULT_SCRYPT.logN, r: 8, p: 1 });
    expect(DEFAULT_SCRYPT.logN).toBeGreaterThanOrEqual(17);
    // An attacker lowering N to speed up guessing: the parameters are bound into the wrap, so it fails.
    writeFileSync(vaultPaths(dir.path).keyfile, JSON.stringify({ ...keyfile, kdf: { ...keyfile.kdf, logN: 12 } }));
    await expectCode(Vault.unlock(dir.path, 'correct horse battery staple'), 'wrong-passphrase');
  });

  it('reports a damaged keyfile as vault-corrupt, not as a crash', async () => {
    const vault = await Vault.create(dir.path, 'correct horse battery staple', TEST_SCRYPT);
    vault.lock();
    writeFileSync(vaultPaths(dir.path).keyfile, '{"format":"hearing-desk/keyfile@1",');
    await expectCode(Vault.unlock(dir.path, 'x'), 'vault-corrupt');
    writeFileSync(vaultPaths(dir.path).keyfile, JSON.stringify({ format: 'hearing-desk/keyfile@1', profileId: 'p', kdf: { name: 'scrypt', logN: 40, r: 8, p: 1, salt: '' }, wrap: {} }));
    await expectCode(Vault.unlock(dir.path, 'x'), 'vault-corrupt');
  });

  it('changes the passphrase by re-wrapping the key without rewriting the database', async () => {
    const vault = await Vault.create(dir.path, 'first passphrase words here', TEST_SCRYPT);
    vault.db.exec(`CREATE TABLE t (v TEXT); INSERT INTO t VALUES ('kept')`);
    vault.lock();
    const paths = vaultPaths(dir.path);
    const databaseBefore = createHash('sha256').update(readFileSync(paths.database)).digest('hex');
    await Vault.changePassphrase(dir.path, 'first passphrase words here', 'second passphrase other words', TEST_SCRYPT);
    expect(createHash('sha256').update(readFileSync(paths.database)).digest('hex')).toBe(databaseBefore);
    await expectCode(Vault.unlock(dir.path, 'first passphrase words here'), 'wrong-passphrase');
    const reopened = await Vault.unlock(dir.path, 'second passphrase other words');
    expect(reopened.db.prepare('SELECT v FROM t').get()).toEqual({ v: 'kept' });
    reopened.lock();
  });

  it('a wrong current passphrase leaves the keyfile exactly as it was', async () => {
    (await Vault.create(dir.path, 'first passphrase words here', TEST_SCRYPT)).lock();
    const before = readFileSync(vaultPaths(dir.path).keyfile, 'utf8');
    await expectCode(Vault.changePassphrase(dir.path, 'not the passphrase', 'whatever new words here', TEST_SCRYPT), 'wrong-passphrase');
    expect(readFileSync(vaultPaths(dir.path).keyfile, 'utf8')).toBe(before);
  });

  it('lock() closes the database so no handle keeps reading', async () => {
    const vault = await Vault.create(dir.path, 'correct horse battery staple', TEST_SCRYPT);
    const db = vault.db;
    vault.lock();
    expect(vault.isOpen).toBe(false);
    await expectCode(() => vault.db, 'vault-locked');
    expect(() => db.prepare('SELECT 1').get()).toThrow(/not open/);
  });

  it('refuses to create over an existing profile', async () => {
    (await Vault.create(dir.path, 'correct horse battery staple', TEST_SCRYPT)).lock();
    await expectCode(Vault.create(dir.path, 'another passphrase entirely', TEST_SCRYPT), 'profile-exists');
  });

  it('migrates an old-schema file forward and keeps its data', async () => {
    const key = Buffer.alloc(32, 7);
    const file = `${dir.path}/old.db`;
    const old = openDatabase(file, key, { migrateTo: 1 });
    expect(schemaVersion(old)).toBe(1);
    old.prepare(`INSERT INTO contacts (id, name, role, age_recipient, signing_key, fingerprint, card_json, imported_at)
      VALUES ('c1', 'Alex Morgan', 'panellist', 'age1x', 'k', 'f', '{}', '2026-01-01T00:00:00Z')`).run();
    old.close();
    const upgraded = openDatabase(file, key);
    expect(schemaVersion(upgraded)).toBe(LATEST_SCHEMA_VERSION);
    expect(LATEST_SCHEMA_VERSION).toBeGreaterThan(1);
    expect(upgraded.prepare('SELECT name FROM contacts').get()).toEqual({ name: 'Alex Morgan' });
    const tables = (upgraded.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[]).map((r) => r.name);
    expect(tables).toContain('settings');
    upgraded.close();
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('refuses a database from a newer app version instead of damaging it', async () => {
    const key = Buffer.alloc(32, 9);
    const file = `${dir.path}/future.db`;
    const db = openDatabase(file, key);
    db.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    db.close();
    expect(() => openDatabase(file, key)).toThrow(/newer than this app understands/);
  });
});
