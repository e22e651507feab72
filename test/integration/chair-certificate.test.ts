// The chair's decision-letter certificate lives in the vault (electron/services/records/certificate-store.ts): the
// same certificate and P-256 key sign every letter the chair builds, across lock/unlock and across runs of the app
// (new handler tables, a new Session over the same profile); an expired one is re-issued with the old row kept; a
// damaged row is refused with a typed error and nothing replaced; and the key is nowhere in the profile's files in
// the clear. Letters are built through 'records.buildLetter' on a real signed record and judged by poppler's pdfsig.
import { spawnSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseServices } from '../../electron/bundle-handlers';
import { createRecordHandlers } from '../../electron/record-handlers';
import { readChildren, readElement, type ChairIdentity } from '../../electron/services/records/certificate';
import { ChairCertificateStore } from '../../electron/services/records/certificate-store';
import { Session } from '../../electron/services/session';
import { LATEST_SCHEMA_VERSION, schemaVersion } from '../../electron/services/vault/migrations';
import { openDatabase } from '../../electron/services/vault/vault';
import { TEST_PASSPHRASE } from '../helpers/people';
import { appDispatch, call, signedOutcome, type SignedOutcome } from '../helpers/signed-outcome';
import { tempDir, TEST_SCRYPT } from '../helpers/temp';

let setup: SignedOutcome;
let work: ReturnType<typeof tempDir>;
let chair: Session;
let profileDirectory: string;
let identity: ChairIdentity;

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

beforeAll(async () => {
  work = tempDir('hd-chair-cert-');
  setup = await signedOutcome();
  chair = setup.panel.chair.session;
  profileDirectory = join(setup.panel.chair.directory, 'profile');
  const { card, fingerprint } = chair.myCard();
  identity = { name: card.name, fingerprint, signingKeyBase64: card.signingKey };
}, 120_000);

afterAll(() => {
  setup?.cleanup();
  work?.cleanup();
});

const codeOf = async (promise: Promise<unknown> | (() => unknown)): Promise<string> => {
  try {
    await (typeof promise === 'function' ? promise() : promise);
  } catch (error) {
    return (error as { code?: string }).code ?? `untyped: ${String(error)}`;
  }
  return 'no error';
};

/** Builds the letter through the app's handler table (a fresh one: one run of the app) and saves it to `path`. */
async function buildAndSaveLetter(session: Session, path: string): Promise<{ sha256: string }> {
  const dispatch = appDispatch(session, { chooseSavePath: async () => path });
  const letter = await call<{ sha256: string }>(dispatch, 'records.buildLetter', { caseId: setup.caseId });
  expect(await call(dispatch, 'records.saveLetter', { caseId: setup.caseId })).toEqual({ savedTo: path });
  return letter;
}

/** pdfsig's verdict on the letter, and the serial of the certificate in its signature (from pdfsig's own dump). */
function judge(path: string): { valid: boolean; serialHex: string; out: string } {
  const checked = spawnSync('pdfsig', [path], { encoding: 'utf8' });
  if (checked.error) throw new Error(`pdfsig is needed to judge the letter (.ci/run installs it): ${checked.error.message}`);
  const dumpDirectory = tempDir('hd-pdfsig-dump-');
  try {
    const dumped = spawnSync('pdfsig', ['-dump', path], { cwd: dumpDirectory.path, encoding: 'utf8' });
    expect(dumped.status, dumped.stderr).toBe(0);
    const [file] = readdirSync(dumpDirectory.path).filter((name) => /\.sig0$/.test(name));
    // CMS ContentInfo → [0] SignedData → certificates [0] → the first certificate.
    const contentInfo = readElement(new Uint8Array(readFileSync(join(dumpDirectory.path, file!))), 0);
    const signedData = readChildren(readChildren(contentInfo)[1]!)[0]!;
    const certificates = readChildren(signedData).find((element) => element.tag === 0xa0)!;
    const certificate = new X509Certificate(readChildren(certificates)[0]!.encoded);
    return { valid: checked.stdout.includes('Signature is Valid'), serialHex: certificate.serialNumber.toUpperCase(), out: checked.stdout };
  } finally {
    dumpDirectory.cleanup();
  }
}

/** Every file under the directory whose raw bytes contain the needle. */
function filesHolding(directory: string, needle: Buffer): string[] {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => readFileSync(path).includes(needle));
}

describe('migration 10', () => {
  it('adds the certificate table to a vault at version 9, keeps its data, and guards the rows', () => {
    const key = Buffer.alloc(32, 0x2c);
    const file = join(work.path, 'v9.db');
    const old = openDatabase(file, key, { migrateTo: 9 });
    expect(schemaVersion(old)).toBe(9);
    old.prepare("INSERT INTO settings (key, value) VALUES ('idleLockMinutes', '7')").run();
    old.close();
    const db = openDatabase(file, key);
    try {
      expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
      expect(LATEST_SCHEMA_VERSION).toBeGreaterThanOrEqual(10);
      expect(db.prepare('SELECT value FROM settings').get()).toEqual({ value: '7' });
      const insert = db.prepare(
        "INSERT INTO chair_certificates (fingerprint, serial_hex, certificate_der, private_key_pkcs8, not_before, not_after, issued_at) VALUES ('F', ?, x'30', x'30', 'a', 'b', 'c')",
      );
      insert.run('01');
      // One current certificate per identity.
      expect(() => insert.run('02')).toThrow(/UNIQUE/);
      expect(() => db.prepare('DELETE FROM chair_certificates').run()).toThrow(/never deleted/);
      expect(() => db.prepare("UPDATE chair_certificates SET certificate_der = x'3100'").run()).toThrow(/only ever marked superseded/);
      expect(() => db.prepare("UPDATE chair_certificates SET private_key_pkcs8 = x'3100'").run()).toThrow(/only ever marked superseded/);
      // Superseding must drop the key.
      expect(() => db.prepare("UPDATE chair_certificates SET superseded_at = 'd', superseded_reason = 'expired'").run()).toThrow(/CHECK/);
      db.prepare("UPDATE chair_certificates SET superseded_at = 'd', superseded_reason = 'expired', private_key_pkcs8 = NULL").run();
      expect(() => db.prepare("UPDATE chair_certificates SET superseded_reason = 'damaged'").run()).toThrow(/only ever marked superseded/);
      insert.run('02');
    } finally {
      db.close();
    }
  });
});

describe("the chair's letter certificate in the vault", () => {
  let serialHex: string;

  it('signs letters built in different runs with the same certificate: after lock/unlock and in a new Session', async () => {
    const store = new ChairCertificateStore(chair);
    expect(store.history(identity.fingerprint)).toEqual([]);

    const first = join(work.path, 'letter-run-1.pdf');
    await buildAndSaveLetter(chair, first);
    const history = store.history(identity.fingerprint);
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ supersededAt: null, supersededReason: null });
    serialHex = history[0]!.serialHex;

    chair.lock('user');
    await chair.unlock(TEST_PASSPHRASE);
    const second = join(work.path, 'letter-run-2.pdf');
    await buildAndSaveLetter(chair, second);

    // Another run of the app: a new Session over the same profile directory.
    chair.lock('user');
    const again = new Session({ profileDirectory, scrypt: TEST_SCRYPT, dialogs: { saveFile: async () => null } });
    await again.unlock(TEST_PASSPHRASE);
    const third = join(work.path, 'letter-run-3.pdf');
    try {
      await buildAndSaveLetter(again, third);
      expect(new ChairCertificateStore(again).history(identity.fingerprint).map((c) => c.serialHex)).toEqual([serialHex]);
    } finally {
      again.lock('user');
    }
    await chair.unlock(TEST_PASSPHRASE);

    const verdicts = [first, second, third].map(judge);
    for (const verdict of verdicts) {
      expect(verdict.valid, verdict.out).toBe(true);
      expect(verdict.out).toContain(`serialNumber=${identity.fingerprint}`);
    }
    expect(verdicts.map((v) => v.serialHex)).toEqual([serialHex, serialHex, serialHex]);
    expect(new Set([first, second, third].map((path) => readFileSync(path).toString('base64'))).size).toBe(3); // three letters
  }, 120_000);

  it('keeps the private key out of the profile files in the clear, and out of every contract result', async () => {
    const key = await new ChairCertificateStore(chair).withCertificate(identity, new Date(), (certificate) => Buffer.from(certificate.privateKeyPkcs8Der));
    const scalar = Buffer.from(createPrivateKey({ key, format: 'der', type: 'pkcs8' }).export({ format: 'jwk' }).d!, 'base64url');
    expect(scalar).toHaveLength(32);
    // The search finds what is there: the vault holds the key, so a plaintext vault would show it.
    const control = join(work.path, 'control.bin');
    writeFileSync(control, Buffer.concat([Buffer.alloc(100), key, Buffer.alloc(100)]));
    expect(filesHolding(work.path, key)).toEqual([control]);
    // Written through the WAL and not yet checkpointed, then checkpointed by the lock: never readable.
    const dispatch = appDispatch(chair);
    const letter = await call(dispatch, 'records.buildLetter', { caseId: setup.caseId });
    const status = await call(dispatch, 'records.status', { caseId: setup.caseId });
    expect(readdirSync(profileDirectory)).toContain('vault.db');
    for (const needle of [key, scalar]) expect(filesHolding(profileDirectory, needle)).toEqual([]);
    chair.lock('user');
    for (const needle of [key, scalar]) expect(filesHolding(profileDirectory, needle)).toEqual([]);
    await chair.unlock(TEST_PASSPHRASE);
    for (const result of [letter, status]) {
      const text = JSON.stringify(result);
      for (const encoding of ['base64', 'hex', 'base64url'] as const) {
        expect(text).not.toContain(key.toString(encoding));
        expect(text).not.toContain(scalar.toString(encoding));
      }
    }
    key.fill(0);
  }, 60_000);

  /** Damage done behind the app's back, by someone holding the vault key: the guard trigger goes first, and comes back. */
  function withoutGuard(damage: () => void | Promise<void>): Promise<void> {
    const db = chair.requireVault().db;
    const { sql } = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'chair_certificates_change_only_by_superseding'").get() as { sql: string };
    db.exec('DROP TRIGGER chair_certificates_change_only_by_superseding');
    return Promise.resolve(damage()).finally(() => db.exec(sql));
  }

  it('refuses a damaged certificate row with a typed error and replaces nothing', async () => {
    const db = chair.requireVault().db;
    const snapshot = () => JSON.stringify(db.prepare('SELECT seq, serial_hex, hex(certificate_der) AS c, hex(private_key_pkcs8) AS k, superseded_at FROM chair_certificates ORDER BY seq').all());
    const before = snapshot();
    const original = db.prepare('SELECT certificate_der, private_key_pkcs8 FROM chair_certificates WHERE superseded_at IS NULL').get() as { certificate_der: Buffer; private_key_pkcs8: Buffer };
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey.export({ format: 'der', type: 'pkcs8' });
    const cases: [string, 'certificate_der' | 'private_key_pkcs8', Buffer, RegExp][] = [
      ['a key that is not the certificate’s', 'private_key_pkcs8', otherKey, /private key does not belong to it/],
      ['a key that is not a key', 'private_key_pkcs8', Buffer.from('not a key at all'), /private key does not belong to it/],
      ['a truncated certificate', 'certificate_der', original.certificate_der.subarray(0, original.certificate_der.length - 40), /cannot be read/],
      ['not DER at all', 'certificate_der', Buffer.from('-----BEGIN CERTIFICATE-----'), /cannot be read/],
    ];
    await withoutGuard(async () => {
      for (const [what, column, value, message] of cases) {
        db.prepare(`UPDATE chair_certificates SET ${column} = ? WHERE superseded_at IS NULL`).run(value);
        const result = await appDispatch(chair)('records.buildLetter', { caseId: setup.caseId });
        expect({ what, result }).toMatchObject({ what, result: { ok: false, error: { code: 'chair-certificate-damaged' } } });
        expect((result as { error: { message: string } }).error.message).toMatch(message);
        expect(db.prepare('SELECT count(*) AS n FROM chair_certificates').get()).toEqual({ n: 1 });
        db.prepare('UPDATE chair_certificates SET certificate_der = ?, private_key_pkcs8 = ? WHERE superseded_at IS NULL').run(original.certificate_der, original.private_key_pkcs8);
      }
    });
    expect(snapshot()).toBe(before);
    // An intact certificate is not replaced on request.
    expect(await codeOf(() => new ChairCertificateStore(chair).replaceDamaged(identity, new Date()))).toBe('chair-certificate-not-damaged');
    expect(snapshot()).toBe(before);
  }, 60_000);

  it('replaces a damaged certificate only when asked, keeping the damaged row', async () => {
    const db = chair.requireVault().db;
    const store = new ChairCertificateStore(chair);
    const [current] = store.history(identity.fingerprint);
    await withoutGuard(() => {
      db.prepare('UPDATE chair_certificates SET private_key_pkcs8 = ? WHERE serial_hex = ?').run(Buffer.from('garbage'), current!.serialHex);
    });
    expect(await codeOf(call(appDispatch(chair), 'records.buildLetter', { caseId: setup.caseId }))).toBe('chair-certificate-damaged');
    // The chair asks for it through the contract, as the letter panel's "Replace the damaged certificate" does.
    const replacement = await call<{ serialHex: string; notAfter: string }>(appDispatch(chair), 'records.replaceLetterCertificate', { caseId: setup.caseId });
    const logged = db.prepare("SELECT object FROM audit_entries WHERE action = 'letter-certificate-replaced'").all();
    expect(logged).toEqual([{ object: replacement.serialHex }]);
    // Asked again with an intact certificate: refused, nothing replaced or logged.
    expect(await codeOf(call(appDispatch(chair), 'records.replaceLetterCertificate', { caseId: setup.caseId }))).toBe('chair-certificate-not-damaged');
    expect(db.prepare("SELECT count(*) AS n FROM audit_entries WHERE action = 'letter-certificate-replaced'").get()).toEqual({ n: 1 });
    const history = store.history(identity.fingerprint);
    expect(history.map((c) => [c.serialHex, c.supersededReason])).toEqual([
      [current!.serialHex, 'damaged'],
      [replacement.serialHex, null],
    ]);
    expect(history[0]!.certificatePem).toBe(current!.certificatePem);
    expect(db.prepare('SELECT private_key_pkcs8 FROM chair_certificates WHERE serial_hex = ?').get(current!.serialHex)).toEqual({ private_key_pkcs8: null });
    const path = join(work.path, 'letter-after-replacement.pdf');
    await buildAndSaveLetter(chair, path);
    const verdict = judge(path);
    expect(verdict.valid, verdict.out).toBe(true);
    expect(verdict.serialHex).toBe(replacement.serialHex);
    serialHex = replacement.serialHex;
  }, 60_000);

  it('re-issues an expired certificate, keeping the old row superseded without its key', async () => {
    const store = new ChairCertificateStore(chair);
    const before = store.history(identity.fingerprint);
    const current = before.at(-1)!;
    expect(current.serialHex).toBe(serialHex);
    // Six years on: the five-year certificate has expired. The same handler code, with the app's clock moved.
    const later = new Date(Date.now() + 6 * YEAR_MS);
    const handlers = createRecordHandlers(chair, createCaseServices(chair), { chooseOpenPaths: async () => [], chooseSavePath: async () => join(work.path, 'letter-later.pdf') }, { now: () => later });
    await handlers['records.buildLetter']({ caseId: setup.caseId });
    await handlers['records.saveLetter']({ caseId: setup.caseId });
    const after = store.history(identity.fingerprint);
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-2)).toMatchObject({ serialHex, supersededReason: 'expired', certificatePem: current.certificatePem });
    expect(after.at(-2)!.supersededAt).toBe(later.toISOString());
    const renewed = after.at(-1)!;
    expect(renewed).toMatchObject({ supersededAt: null, supersededReason: null });
    expect(renewed.serialHex).not.toBe(serialHex);
    expect(Date.parse(renewed.notBefore)).toBeLessThanOrEqual(later.getTime());
    expect(chair.requireVault().db.prepare('SELECT private_key_pkcs8 FROM chair_certificates WHERE serial_hex = ?').get(serialHex)).toEqual({ private_key_pkcs8: null });
    const verdict = judge(join(work.path, 'letter-later.pdf'));
    expect(verdict.out).toContain('Signature is Valid'); // the signature itself; the certificate's dates are NSS's business
    expect(verdict.serialHex).toBe(renewed.serialHex);

    // Back at today's clock the current certificate is not yet valid: refused, saying why, nothing issued.
    expect(await codeOf(call(appDispatch(chair), 'records.buildLetter', { caseId: setup.caseId }))).toBe('chair-certificate-not-yet-valid');
    expect(store.history(identity.fingerprint)).toEqual(after);
  }, 60_000);
});
