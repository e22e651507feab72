// The audit trail in a real SQLCipher vault: a long chain verifies, and every way of tampering with the stored
// rows (editing any field, deleting, reordering, forging, cutting off the tail) is reported at the right entry.
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditError, AuditTrail } from '../../electron/services/audit';
import { canonicalize } from '../../shared/canonical-json';
import { AUDIT_ACTIONS, AUDIT_GENESIS_HASH, type AuditEntry, type AuditVerification } from '../../shared/domain/audit';
import { AppError } from '../../shared/errors';
import { createPerson, TEST_PASSPHRASE, type Person } from '../helpers/people';
import { filesContaining } from '../helpers/temp';

const CASES = ['case-amber-0001', 'case-birch-0002', 'case-cedar-0003'];
const CHAIN_LENGTH = 1_000;

/** An independent recomputation of an entry's hash: SHA-256 of the canonical JSON of everything but the hash. */
function expectedHash(entry: AuditEntry): string {
  const { hash: _hash, ...rest } = entry;
  return createHash('sha256').update(canonicalize(rest)).digest('hex');
}

function errorOf(work: () => unknown): AppError {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return error as AppError;
  }
  throw new Error('expected an error');
}

/** Runs a tampering inside a savepoint, verifies, and rolls the tampering back. */
function tampered(db: Database, trail: AuditTrail, tamper: () => void): AuditVerification {
  db.exec('SAVEPOINT tamper');
  try {
    tamper();
    return trail.verify();
  } finally {
    db.exec('ROLLBACK TO tamper; RELEASE tamper');
  }
}

function rowOf(db: Database, counter: number): Record<string, unknown> {
  return db.prepare('SELECT * FROM audit_entries WHERE counter = ?').get(counter) as Record<string, unknown>;
}

function actionFor(index: number) {
  return AUDIT_ACTIONS[index % AUDIT_ACTIONS.length]!;
}

describe('audit trail: a chain of 1,000 entries in a real vault', () => {
  let person: Person;
  let trail: AuditTrail;
  let db: Database;
  let clock = Date.parse('2026-09-01T09:00:00Z');
  const now = () => new Date((clock += 1_000));

  beforeAll(async () => {
    person = await createPerson('Tamsin Vell', 'panellist');
    trail = new AuditTrail(person.session, now);
    db = person.session.requireVault().db;
    expect(trail.head()).toBeNull();
    expect(trail.verify()).toEqual({ ok: true, count: 0, headHash: AUDIT_GENESIS_HASH });
    for (let i = 0; i < CHAIN_LENGTH; i++) {
      trail.append({
        caseId: i % 7 === 0 ? null : CASES[i % CASES.length]!,
        action: actionFor(i),
        object: `document-${i}`,
        details: i % 3 === 0 ? { page: i, note: `p${i}`, flagged: i % 2 === 0, previous: null } : undefined,
      });
    }
  });
  afterAll(() => person.cleanup());

  it('verifies, with counters 1…1000, a genesis link, and hashes anyone can recompute', () => {
    const report = trail.verify();
    expect(report).toEqual({ ok: true, count: CHAIN_LENGTH, headHash: trail.head()!.hash });
    expect(trail.head()!.counter).toBe(CHAIN_LENGTH);
    const all = [...trail.entries({ limit: 1000 })].reverse();
    expect(all.map((e) => e.counter)).toEqual(Array.from({ length: CHAIN_LENGTH }, (_, i) => i + 1));
    expect(all[0]!.previousHash).toBe(AUDIT_GENESIS_HASH);
    for (let i = 0; i < all.length; i++) {
      expect(all[i]!.hash).toBe(expectedHash(all[i]!));
      if (i > 0) expect(all[i]!.previousHash).toBe(all[i - 1]!.hash);
    }
    expect(all.at(-1)!.hash).toBe(report.ok && report.headHash);
  });

  it('records the profile fingerprint as actor and the device time', () => {
    const [latest] = trail.entries({ limit: 1 });
    expect(latest!.actor).toBe(person.session.status().profile!.fingerprint);
    expect(latest!.deviceTime).toBe(new Date(clock).toISOString());
    expect(trail.entries({ before: 3, limit: 1 })[0]!.details).toEqual({});
    const withDetails = trail.entries({ before: 5, limit: 1 })[0]!;
    expect(withDetails.counter).toBe(4);
    expect(withDetails.details).toEqual({ page: 3, note: 'p3', flagged: false, previous: null });
  });

  it.each([
    ['case_id', "'case-forged-9999'"],
    ['case_id', 'NULL'],
    ['action', "'case-wiped'"],
    ['action', "'not-an-action'"],
    ['object', "'x'"],
    ['actor', "'AAAA-BBBB-CCCC-DDDD-EEEE'"],
    ['device_time', "'2027-01-01T00:00:00.000Z'"],
    ['details_json', `'{"page":500}'`],
    ['details_json', `'{}'`],
    ['previous_hash', `'${'ab'.repeat(32)}'`],
    ['hash', `'${'cd'.repeat(32)}'`],
  ])('an edit of %s to %s is reported at exactly that entry', (column, value) => {
    let checked = 0;
    for (const counter of [1, 500, CHAIN_LENGTH]) {
      const before = rowOf(db, counter)[column];
      let after: unknown;
      const report = tampered(db, trail, () => {
        db.exec(`UPDATE audit_entries SET ${column} = ${value} WHERE counter = ${counter}`);
        after = rowOf(db, counter)[column];
      });
      if (after === before) continue; // this entry already held that value: nothing was tampered with
      checked++;
      expect(report).toMatchObject({ ok: false, brokenAt: counter });
      expect(report.ok === false && report.message).toContain(`entry ${counter}`);
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  it('names the reason: an edited field is a hash mismatch, an impossible value is malformed', () => {
    expect(tampered(db, trail, () => db.exec("UPDATE audit_entries SET object = 'x' WHERE counter = 500"))).toMatchObject({ ok: false, brokenAt: 500, reason: 'hash-mismatch' });
    expect(tampered(db, trail, () => db.exec("UPDATE audit_entries SET action = 'not-an-action' WHERE counter = 500"))).toMatchObject({ ok: false, brokenAt: 500, reason: 'malformed' });
    // Meaning-preserving rewrites of the details are still edits of stored bytes.
    const spaced = tampered(db, trail, () => db.exec(`UPDATE audit_entries SET details_json = '{"flagged": true, "note":"p498","page":498,"previous":null}' WHERE counter = 499`));
    expect(rowOf(db, 499).details_json).toBe('{"flagged":true,"note":"p498","page":498,"previous":null}');
    expect(spaced).toMatchObject({ ok: false, brokenAt: 499, reason: 'malformed' });
    expect(tampered(db, trail, () => db.exec("UPDATE audit_entries SET details_json = X'7B7D' WHERE counter = 10"))).toMatchObject({ ok: false, brokenAt: 10, reason: 'malformed' });
  });

  it('an entry moved to another counter leaves a gap where it was', () => {
    expect(tampered(db, trail, () => db.exec('UPDATE audit_entries SET counter = 5000 WHERE counter = 500'))).toMatchObject({ ok: false, brokenAt: 500, reason: 'counter-gap' });
    expect(tampered(db, trail, () => db.exec(`UPDATE audit_entries SET counter = 5000 WHERE counter = ${CHAIN_LENGTH}`))).toMatchObject({ ok: false, brokenAt: CHAIN_LENGTH, reason: 'counter-gap' });
  });

  it('a deleted entry is reported where it is missing', () => {
    const middle = tampered(db, trail, () => db.exec('DELETE FROM audit_entries WHERE counter = 500'));
    expect(middle).toMatchObject({ ok: false, brokenAt: 500, reason: 'counter-gap' });
    expect(middle.ok === false && middle.message).toContain('entry 500 is missing');
    expect(tampered(db, trail, () => db.exec('DELETE FROM audit_entries WHERE counter BETWEEN 200 AND 260'))).toMatchObject({ ok: false, brokenAt: 200, reason: 'counter-gap' });
    expect(tampered(db, trail, () => db.exec('DELETE FROM audit_entries WHERE counter = 1'))).toMatchObject({ ok: false, brokenAt: 1, reason: 'counter-gap' });
  });

  it('a deleted entry whose successors were renumbered and re-hashed breaks the link at the first of them', () => {
    const report = tampered(db, trail, () => {
      db.exec('DELETE FROM audit_entries WHERE counter = 500');
      // The forger closes the gap and even recomputes the moved entry's hash for its new counter.
      const moved = trail.entries({ before: 502, limit: 1 })[0]!;
      const forged = { ...moved, counter: 500 };
      db.prepare('DELETE FROM audit_entries WHERE counter = 501').run();
      db.prepare('INSERT INTO audit_entries (counter, case_id, action, object, actor, device_time, details_json, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        500, forged.caseId, forged.action, forged.object, forged.actor, forged.deviceTime, canonicalize(forged.details), forged.previousHash, expectedHash(forged),
      );
    });
    expect(report).toMatchObject({ ok: false, brokenAt: 500, reason: 'previous-mismatch' });
  });

  it('reordered entries are reported at the first one out of place, even with their hashes recomputed', () => {
    const swap = (a: number, b: number, rehash: boolean) => {
      const [first, second] = [trail.entries({ before: a + 1, limit: 1 })[0]!, trail.entries({ before: b + 1, limit: 1 })[0]!];
      const put = (counter: number, entry: AuditEntry) => {
        const moved = { ...entry, counter };
        db.prepare('UPDATE audit_entries SET case_id = ?, action = ?, object = ?, actor = ?, device_time = ?, details_json = ?, previous_hash = ?, hash = ? WHERE counter = ?').run(
          moved.caseId, moved.action, moved.object, moved.actor, moved.deviceTime, canonicalize(moved.details), moved.previousHash, rehash ? expectedHash(moved) : moved.hash, counter,
        );
      };
      put(a, second);
      put(b, first);
    };
    expect(tampered(db, trail, () => swap(300, 301, false))).toMatchObject({ ok: false, brokenAt: 300, reason: 'hash-mismatch' });
    expect(tampered(db, trail, () => swap(300, 301, true))).toMatchObject({ ok: false, brokenAt: 300, reason: 'previous-mismatch' });
    expect(tampered(db, trail, () => swap(10, 900, true))).toMatchObject({ ok: false, brokenAt: 10, reason: 'previous-mismatch' });
  });

  it('an entry rewritten with a recomputed hash is caught at the next entry, whose link no longer matches', () => {
    const report = tampered(db, trail, () => {
      const original = trail.entries({ before: 501, limit: 1 })[0]!;
      const forged = { ...original, object: 'document-never-viewed' };
      db.prepare('UPDATE audit_entries SET object = ?, hash = ? WHERE counter = 500').run(forged.object, expectedHash(forged));
    });
    expect(report).toMatchObject({ ok: false, brokenAt: 501, reason: 'previous-mismatch' });
    expect(report.ok === false && report.message).toContain('entry 500');
  });

  it('cutting off the tail leaves a valid chain; the separately kept head shows it was cut', () => {
    // The limitation, shown: the first 990 entries on their own form a perfectly valid chain.
    const chainAlone = tampered(db, trail, () => {
      db.exec(`DELETE FROM audit_entries WHERE counter > 990`);
      const last = rowOf(db, 990);
      db.prepare('UPDATE audit_head SET counter = 990, hash = ? WHERE id = 1').run(last.hash);
    });
    expect(chainAlone).toMatchObject({ ok: true, count: 990 });
    // With the head left as the app wrote it, the cut is reported at the first missing entry.
    const cut = tampered(db, trail, () => db.exec(`DELETE FROM audit_entries WHERE counter > 990`));
    expect(cut).toMatchObject({ ok: false, brokenAt: 991, reason: 'truncated' });
    expect(cut.ok === false && cut.message).toContain(`entries 991 to ${CHAIN_LENGTH} are missing`);
    expect(tampered(db, trail, () => db.exec(`DELETE FROM audit_entries WHERE counter = ${CHAIN_LENGTH}`))).toMatchObject({ ok: false, brokenAt: CHAIN_LENGTH, reason: 'truncated' });
    expect(tampered(db, trail, () => db.exec('DELETE FROM audit_entries'))).toMatchObject({ ok: false, brokenAt: 1, reason: 'truncated' });
  });

  it('the head itself cannot be edited, removed, or bypassed unnoticed', () => {
    expect(tampered(db, trail, () => db.exec(`UPDATE audit_head SET hash = '${'e'.repeat(64)}'`))).toMatchObject({ ok: false, brokenAt: CHAIN_LENGTH, reason: 'head-mismatch' });
    expect(tampered(db, trail, () => db.exec('UPDATE audit_head SET counter = 400'))).toMatchObject({ ok: false, brokenAt: 401, reason: 'head-mismatch' });
    expect(tampered(db, trail, () => db.exec('DELETE FROM audit_head'))).toMatchObject({ ok: false, reason: 'malformed' });
    // An entry added behind the app's back, correctly linked and hashed, is still found: the head never moved.
    const appended = tampered(db, trail, () => {
      const last = rowOf(db, CHAIN_LENGTH);
      const forged: AuditEntry = { ...trail.entries({ limit: 1 })[0]!, counter: CHAIN_LENGTH + 1, object: 'forged', previousHash: last.hash as string, hash: '' };
      forged.hash = expectedHash(forged);
      db.prepare('INSERT INTO audit_entries (counter, case_id, action, object, actor, device_time, details_json, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        forged.counter, forged.caseId, forged.action, forged.object, forged.actor, forged.deviceTime, canonicalize(forged.details), forged.previousHash, forged.hash,
      );
    });
    expect(appended).toMatchObject({ ok: false, brokenAt: CHAIN_LENGTH + 1, reason: 'head-mismatch' });
  });

  it('requireIntact passes an intact chain and blocks with a message naming the broken entry', () => {
    expect(trail.requireIntact()).toEqual({ count: CHAIN_LENGTH, headHash: trail.head()!.hash });
    db.exec('SAVEPOINT tamper');
    try {
      db.exec("UPDATE audit_entries SET object = 'x' WHERE counter = 500");
      const error = errorOf(() => trail.requireIntact());
      expect(error).toBeInstanceOf(AuditError);
      expect(error.code).toBe('audit-chain-broken');
      expect(error.message).toContain('entry 500');
      expect(error.details).toMatchObject({ brokenAt: 500, reason: 'hash-mismatch' });
    } finally {
      db.exec('ROLLBACK TO tamper; RELEASE tamper');
    }
    expect(trail.verify().ok).toBe(true);
  });

  it('lists one case newest first, in pages', () => {
    const caseId = CASES[1]!;
    const expected = (db.prepare('SELECT counter FROM audit_entries WHERE case_id = ? ORDER BY counter DESC').all(caseId) as { counter: number }[]).map((r) => r.counter);
    expect(expected.length).toBeGreaterThan(200);
    const firstPage = trail.entries({ caseId, limit: 50 });
    expect(firstPage.map((e) => e.counter)).toEqual(expected.slice(0, 50));
    expect(firstPage.every((e) => e.caseId === caseId)).toBe(true);
    const secondPage = trail.entries({ caseId, limit: 50, before: firstPage.at(-1)!.counter });
    expect(secondPage.map((e) => e.counter)).toEqual(expected.slice(50, 100));
    expect(trail.entries({ caseId: 'case-nobody-0000' })).toEqual([]);
    expect(trail.entries().length).toBe(100);
    expect(errorOf(() => trail.entries({ limit: 0 })).code).toBe('invalid-input');
  });
});

describe('audit trail: appending', () => {
  let person: Person;
  let trail: AuditTrail;
  beforeAll(async () => {
    person = await createPerson('Orla Brandt', 'chair');
    trail = new AuditTrail(person.session);
  });
  afterAll(() => person.cleanup());

  const db = () => person.session.requireVault().db;
  const headCounter = () => trail.head()?.counter ?? 0;

  it('is atomic with the action it records when called inside the caller\'s transaction', () => {
    const before = headCounter();
    const record = db().transaction((fail: boolean) => {
      db().prepare("INSERT INTO wiped_cases (case_id, reference, reason, wiped_at) VALUES ('case-amber-0001', 'NEC/2026/0001', 'user', '2026-09-01')").run();
      const entry = trail.append({ caseId: 'case-amber-0001', action: 'warning-acknowledged', object: 'rule-7' });
      if (fail) throw new Error('the action failed after recording');
      return entry;
    });
    expect(() => record(true)).toThrow('the action failed');
    expect(headCounter()).toBe(before);
    expect(db().prepare('SELECT count(*) AS n FROM wiped_cases').get()).toEqual({ n: 0 });
    const entry = record(false);
    expect(entry.counter).toBe(before + 1);
    expect(db().prepare('SELECT count(*) AS n FROM wiped_cases').get()).toEqual({ n: 1 });
    expect(trail.verify()).toMatchObject({ ok: true, count: before + 1 });
  });

  it('keeps the counter rising across lock and unlock', async () => {
    trail.append({ caseId: null, action: 'profile-created', object: 'profile' });
    const beforeLock = trail.head()!;
    person.session.lock();
    expect(errorOf(() => trail.append({ caseId: null, action: 'bundle-opened', object: 'x' })).code).toBe('vault-locked');
    await person.session.unlock(TEST_PASSPHRASE);
    const again = new AuditTrail(person.session);
    expect(again.head()).toEqual(beforeLock);
    const next = again.append({ caseId: 'case-birch-0002', action: 'bundle-opened', object: 'bundle-1' });
    expect(next.counter).toBe(beforeLock.counter + 1);
    expect(next.previousHash).toBe(beforeLock.hash);
    expect(next.actor).toBe(person.session.status().profile!.fingerprint);
    expect(trail.append({ caseId: null, action: 'check-run', object: 'y' }).counter).toBe(beforeLock.counter + 2);
    expect(again.verify()).toMatchObject({ ok: true, count: beforeLock.counter + 2 });
  });

  it('never reuses a counter, even after entries were removed behind its back', () => {
    const start = headCounter();
    for (let i = 0; i < 3; i++) trail.append({ caseId: null, action: 'check-run', object: `run-${i}` });
    db().prepare('DELETE FROM audit_entries WHERE counter > ?').run(start + 1);
    const next = trail.append({ caseId: null, action: 'check-run', object: 'after the cut' });
    expect(next.counter).toBe(start + 4);
    expect(trail.verify()).toMatchObject({ ok: false, brokenAt: start + 2, reason: 'counter-gap' });
  });

  it('refuses invalid entries with a specific error and stores nothing', () => {
    const before = db().prepare('SELECT count(*) AS n FROM audit_entries').get();
    const head = trail.head();
    const invalid: unknown[] = [
      { caseId: null, action: 'coffee-made', object: 'x' },
      { caseId: null, action: 'check-run', object: 'x'.repeat(1_001) },
      { caseId: '', action: 'check-run', object: 'x' },
      { caseId: null, action: 'check-run', object: 'lone \uD800 surrogate' },
      { caseId: null, action: 'check-run', object: 'x', details: { note: '\uDC00' } },
      { caseId: null, action: 'check-run', object: 'x', details: { ratio: Number.NaN } },
      { caseId: null, action: 'check-run', object: 'x', details: { nested: { a: 1 } } },
      { caseId: null, action: 'check-run', object: 'x', details: JSON.parse('{"__proto__": 1}') },
      { caseId: null, action: 'check-run', object: 'x', details: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i])) },
      { caseId: null, action: 'check-run', object: 'x', extra: true },
    ];
    for (const input of invalid) {
      const error = errorOf(() => trail.append(input as never));
      expect(error.code, JSON.stringify(input)).toBe('audit-invalid-entry');
    }
    expect(db().prepare('SELECT count(*) AS n FROM audit_entries').get()).toEqual(before);
    expect(trail.head()).toEqual(head);
  });

  it('refuses to append when the head record is gone, rather than guess a counter', () => {
    db().exec('SAVEPOINT tamper');
    try {
      db().exec('DELETE FROM audit_head');
      const error = errorOf(() => trail.append({ caseId: null, action: 'check-run', object: 'x' }));
      expect(error.code).toBe('audit-chain-broken');
      expect(errorOf(() => trail.head()).code).toBe('audit-chain-broken');
    } finally {
      db().exec('ROLLBACK TO tamper; RELEASE tamper');
    }
  });

  it('keeps entries only inside the encrypted vault', () => {
    const marker = 'audit-marker-quillon-7731';
    trail.append({ caseId: 'case-cedar-0003', action: 'document-viewed', object: marker, details: { note: marker } });
    person.session.lock();
    expect(filesContaining(person.directory, marker)).toEqual([]);
  });
});
