// The outcome export's two-phase commit, at its edges (the crash test covers kills mid-export): a write that fails
// leaves no pending note and no trace; at unlock, a pending export whose file is missing, cut short or replaced by
// other bytes is dropped without logging anything, and its temporaries are removed.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Annotations } from '../../electron/services/annotations/annotations';
import { AuditTrail } from '../../electron/services/audit';
import { ReceivedCases } from '../../electron/services/bundles/received-cases';
import { OutcomeExports } from '../../electron/services/records/outcome-export';
import { createPerson, TEST_PASSPHRASE, type Person } from '../helpers/people';
import { tempDir } from '../helpers/temp';

let chair: Person;
let work: ReturnType<typeof tempDir>;
let exports: OutcomeExports;

beforeAll(async () => {
  chair = await createPerson('Avery Lindqvist', 'chair');
  work = tempDir('hd-outcome-export-');
  exports = new OutcomeExports(chair.session, () => new Annotations(chair.session, new ReceivedCases(chair.session)));
});
afterAll(() => {
  chair?.cleanup();
  work?.cleanup();
});

const pendingCount = () => (chair.session.requireVault().db.prepare('SELECT count(*) AS n FROM pending_outcome_exports').get() as { n: number }).n;
const auditCount = () => new AuditTrail(chair.session).entries({ limit: 1_000 }).length;

function notePending(caseId: string, path: string, sha256: string, bytes: number): void {
  chair.session
    .requireVault()
    .db.prepare('INSERT INTO pending_outcome_exports (case_id, case_reference, record_id, path, sha256, bytes, noted_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
    .run(caseId, 'NCC/2026/0999', 'r'.repeat(64), path, sha256, bytes, new Date().toISOString());
}

describe('the outcome export', () => {
  it('a failed write leaves no pending note and logs nothing', () => {
    const before = auditCount();
    const path = join(work.path, 'no-such-directory', 'outcome.hdoutcome');
    expect(() => exports.write({ caseId: 'case-1', caseReference: 'NCC/2026/0999', recordId: 'r'.repeat(64), path, bytes: new Uint8Array(100) })).toThrow();
    expect(pendingCount()).toBe(0);
    expect(auditCount()).toBe(before);
  });

  it('at unlock, drops exports whose file is missing, cut short or other bytes, and removes their temporaries', async () => {
    const dir = join(work.path, 'stick');
    mkdirSync(dir);
    const sha = 'ab'.repeat(32);
    notePending('case-missing', join(dir, 'missing.hdoutcome'), sha, 100);
    writeFileSync(join(dir, 'short.hdoutcome'), new Uint8Array(50));
    notePending('case-short', join(dir, 'short.hdoutcome'), sha, 100);
    writeFileSync(join(dir, 'other.hdoutcome'), new Uint8Array(100));
    writeFileSync(join(dir, 'other.hdoutcome.4242.1700000000000.tmp'), new Uint8Array(10));
    notePending('case-other', join(dir, 'other.hdoutcome'), sha, 100);
    const before = auditCount();
    chair.session.lock('user');
    await chair.session.unlock(TEST_PASSPHRASE);
    expect(pendingCount()).toBe(0);
    expect(auditCount()).toBe(before);
    // The user's own files stay; only our temporary went.
    expect(readdirSync(dir).sort()).toEqual(['other.hdoutcome', 'short.hdoutcome']);
  });

  it('keeps an export pending while its folder is not there (the stick unplugged), and settles it once it is back', async () => {
    const stick = join(work.path, 'unplugged-stick');
    const path = join(stick, 'outcome.hdoutcome');
    notePending('case-unplugged', path, 'cd'.repeat(32), 100);
    const before = auditCount();
    chair.session.lock('user');
    await chair.session.unlock(TEST_PASSPHRASE);
    expect(pendingCount()).toBe(1);
    expect(exports.recover()).toEqual({ completed: 0, abandoned: 0, waiting: 1 });
    // Settings (a strict schema in the same vault) still read: the pending note lives in its own table.
    expect(chair.session.getSettings().idleLockMinutes).toBeGreaterThan(0);
    // Plugged in again, without the file (or with other bytes): dropped, nothing logged.
    mkdirSync(stick);
    writeFileSync(path, new Uint8Array(100));
    expect(exports.recover()).toEqual({ completed: 0, abandoned: 1, waiting: 0 });
    expect(pendingCount()).toBe(0);
    expect(auditCount()).toBe(before);
  });
});
